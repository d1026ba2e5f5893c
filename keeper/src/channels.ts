// Sending through channel accounts: each channel is the source (sequence number) of
// at most one transaction in flight; one fee-paying account pays every fee through a
// fee bump, so channels need only their reserve. Behaviour follows stellar-core and
// stellar-rpc:
// - PENDING / DUPLICATE: the envelope is queued (or already was); poll by hash.
// - TRY_AGAIN_LATER: not queued (one per source account, or a full queue): send the
//   SAME envelope again a little later, never a rebuilt one, until its time bound.
// - ERROR txBAD_SEQ: not queued: re-read the channel's sequence and rebuild.
// - Transport failure or timeout on send: unknown whether it was queued, so resend the
//   same envelope (same hash: DUPLICATE if it was) or poll, never rebuild, until the
//   time bound has passed both on our clock and in a closed ledger: only then can the
//   old envelope never apply, and a rebuild cannot pay twice.

import {
  type Account,
  type FeeBumpTransaction,
  type Keypair,
  rpc,
  Account as StellarAccount,
  type Transaction,
  TransactionBuilder,
  xdr,
} from "@stellar/stellar-sdk";
import { isTransient, type LedgerReader, RpcError, TransactionRejectedError } from "@tributary/sdk";
import pRetry from "p-retry";
import type { Usage } from "./batching.js";

export interface ChannelOptions {
  passphrase: string;
  /** Inclusion fee per operation, stroops (the fee bump pays it twice: inner op + bump). */
  inclusionFee: bigint;
  /** Validity window of each envelope, seconds. */
  txTimeoutS: number;
  /** First poll delay, ms (doubles to 2 s). */
  pollMs: number;
}

/** A simulated, assembled and signed transaction, ready to send. */
export interface Prepared {
  envelope: Transaction | FeeBumpTransaction;
  hash: string;
  /** Most the fee payer can be charged, stroops. */
  maxFee: bigint;
  usage: Usage;
  /** Unix seconds after which the envelope can never apply. */
  maxTimeS: number;
  sim: rpc.Api.SimulateTransactionSuccessResponse;
}

/**
 * The outcome of a transaction that made it into a ledger. Read from the RPC's raw
 * answer, parsing only the result: a settlement's metadata (every entry it wrote, every
 * event) is many times larger once parsed and is not needed, so its contract events and
 * return value are parsed only when asked for.
 */
export interface Landed {
  hash: string;
  ledger: number;
  feeCharged: bigint;
  success: boolean;
  result: xdr.TransactionResult;
  /** The transaction's contract events (all operations). */
  contractEvents(): xdr.ContractEvent[];
  /** The invocation's return value, when it succeeded. */
  returnValue(): xdr.ScVal | undefined;
}

/** A landed transaction from the RPC's raw `getTransaction` answer. */
export function landedFrom(hash: string, raw: rpc.Api.RawGetTransactionResponse): Landed {
  const result = xdr.TransactionResult.fromXDR(raw.resultXdr ?? "", "base64");
  return {
    hash,
    ledger: raw.ledger ?? 0,
    feeCharged: result.feeCharged().toBigInt(),
    success: raw.status === rpc.Api.GetTransactionStatus.SUCCESS,
    result,
    contractEvents: () =>
      (raw.events?.contractEventsXdr ?? []).flat().map((e) => xdr.ContractEvent.fromXDR(e, "base64")),
    returnValue: () => {
      if (!raw.resultMetaXdr) return undefined;
      const meta = xdr.TransactionMeta.fromXDR(raw.resultMetaXdr, "base64");
      const v = meta.switch();
      if (v === 3) return meta.v3().sorobanMeta()?.returnValue();
      if (v === 4) return meta.v4().sorobanMeta()?.returnValue() ?? undefined;
      return undefined;
    },
  };
}

/** The simulation failed (a stream in the batch fails it, or the batch is too big). */
export class SimulationFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SimulationFailed";
  }
}

/** The envelope's time bound passed without it landing: it never will; rebuild. */
export class Expired extends Error {
  constructor(readonly hash: string) {
    super(`transaction ${hash} expired unapplied`);
    this.name = "Expired";
  }
}

/** Retries an idempotent RPC call (a read or a simulation) on transient failures. */
export function retrying<T>(fn: () => Promise<T>): Promise<T> {
  return pRetry(fn, {
    retries: 4,
    minTimeout: 200,
    maxTimeout: 2_000,
    shouldRetry: ({ error }) => isTransient(error) || (error instanceof RpcError && isTransient(error.cause)),
  });
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * A transaction result's code, looking inside a fee bump (`txFeeBumpInnerFailed`
 * carries the inner transaction's code, e.g. `txSorobanInvalid`), and the first
 * operation's code when the transaction failed on its operation.
 */
export function resultCode(result: xdr.TransactionResult | undefined): string {
  if (!result) return "unknown";
  let r = result.result();
  const outer = r.switch().name;
  if (outer === "txFeeBumpInnerFailed" || outer === "txFeeBumpInnerSuccess") {
    const inner = r.innerResultPair().result().result();
    const name = inner.switch().name;
    const op = name === "txFailed" ? opCode(inner.results()) : undefined;
    return op ? `${name} / ${op}` : name;
  }
  const op = outer === "txFailed" ? opCode(r.results()) : undefined;
  r = result.result();
  return op ? `${outer} / ${op}` : outer;
}

function opCode(results: xdr.OperationResult[] | undefined): string | undefined {
  const tr = results?.[0]?.value() as { value?: () => { switch?: () => { name: string } } } | undefined;
  return tr?.value?.()?.switch?.().name;
}

/** Measures a simulated transaction against what the network limits. */
export function usageOf(
  tx: Transaction,
  sim: rpc.Api.SimulateTransactionSuccessResponse,
  extraSignatures: number,
): Usage {
  const data = sim.transactionData.build();
  const r = data.resources();
  const fp = r.footprint();
  const classic = [...fp.readOnly(), ...fp.readWrite()].filter((k) => {
    const n = k.switch().name;
    return n === "account" || n === "trustline";
  }).length;
  let eventsBytes = sim.result?.retval.toXDR().length ?? 0;
  for (const e of sim.events ?? []) {
    if (e.event().type().name === "contract") eventsBytes += e.event().toXDR().length;
  }
  return {
    instructions: r.instructions(),
    diskReadEntries: classic,
    diskReadBytes: r.diskReadBytes(),
    writeEntries: fp.readWrite().length,
    writeBytes: r.writeBytes(),
    footprintEntries: fp.readOnly().length + fp.readWrite().length,
    // The envelope plus each further signature (72 bytes) and a fee-bump wrapper.
    txSizeBytes: tx.toEnvelope().toXDR().length + extraSignatures * 72 + (extraSignatures > 0 ? 60 : 0),
    eventsBytes,
  };
}

/** One channel account: the source of one transaction at a time. */
export class Channel {
  #account: Account | undefined;

  constructor(
    readonly keypair: Keypair,
    readonly feePayer: Keypair,
    private readonly server: rpc.Server,
    private readonly reader: LedgerReader,
    private readonly opts: ChannelOptions,
  ) {}

  get address(): string {
    return this.keypair.publicKey();
  }

  async #source(): Promise<Account> {
    if (!this.#account) {
      const a = await retrying(() => this.reader.account(this.address));
      if (!a) throw new Error(`channel account ${this.address} does not exist (fund it first)`);
      this.#account = new StellarAccount(this.address, a.sequence);
    }
    return new StellarAccount(this.#account.accountId(), this.#account.sequenceNumber());
  }

  /** Forget the cached sequence number (after txBAD_SEQ or an unknown outcome). */
  resync(): void {
    this.#account = undefined;
  }

  /** Simulates `op` with this channel as source; throws SimulationFailed. */
  async simulate(
    op: xdr.Operation,
  ): Promise<{ tx: Transaction; sim: rpc.Api.SimulateTransactionSuccessResponse }> {
    const source = await this.#source();
    const tx = new TransactionBuilder(source, {
      fee: this.opts.inclusionFee.toString(),
      networkPassphrase: this.opts.passphrase,
    })
      .addOperation(op)
      .setTimeout(this.opts.txTimeoutS)
      .build();
    const sim = await retrying(() => this.server.simulateTransaction(tx));
    if (rpc.Api.isSimulationError(sim)) throw new SimulationFailed(sim.error);
    if (rpc.Api.isSimulationRestore(sim)) throw new SimulationFailed("archived entries need a restore first");
    return { tx, sim };
  }

  /** Simulates, assembles, signs and (with a separate fee payer) wraps in a fee bump. */
  async prepare(op: xdr.Operation): Promise<Prepared> {
    const { tx, sim } = await this.simulate(op);
    const inner = rpc.assembleTransaction(tx, sim).build();
    inner.sign(this.keypair);
    const maxTimeS = Number(inner.timeBounds?.maxTime ?? 0);
    const bumped = this.feePayer.publicKey() !== this.address;
    let envelope: Transaction | FeeBumpTransaction = inner;
    if (bumped) {
      const fb = TransactionBuilder.buildFeeBumpTransaction(
        this.feePayer,
        this.opts.inclusionFee.toString(),
        inner,
        this.opts.passphrase,
      );
      fb.sign(this.feePayer);
      envelope = fb;
    }
    return {
      envelope,
      hash: envelope.hash().toString("hex"),
      maxFee: BigInt(envelope.fee),
      usage: usageOf(inner, sim, bumped ? 1 : 0),
      maxTimeS,
      sim,
    };
  }

  /**
   * Sends a prepared envelope and waits until it lands or provably never will
   * (`Expired`). Throws TransactionRejectedError for an envelope the network refused
   * (nothing charged). The caller rebuilds only after `Expired` or a rejection.
   */
  async send(
    p: Pick<Prepared, "envelope" | "hash" | "maxTimeS">,
    latestCloseS: () => Promise<number>,
  ): Promise<Landed> {
    let delay = this.opts.pollMs;
    let queued = false;
    for (;;) {
      if (!queued) {
        let sent: rpc.Api.SendTransactionResponse | undefined;
        try {
          sent = await this.server.sendTransaction(p.envelope);
        } catch {
          // Unknown: it may have been queued. Poll, and resend the same envelope.
        }
        if (sent?.status === "PENDING" || sent?.status === "DUPLICATE") queued = true;
        else if (sent?.status === "ERROR") {
          const code = resultCode(sent.errorResult);
          // The envelope was refused, so its sequence number was not consumed.
          this.resync();
          throw new TransactionRejectedError("settle_many", p.hash, code);
        }
        // TRY_AGAIN_LATER (or unknown): keep the same envelope.
      }
      let res: rpc.Api.RawGetTransactionResponse | undefined;
      try {
        res = await this.server._getTransaction(p.hash);
      } catch {
        // transport failure: poll again
      }
      if (res && res.status !== rpc.Api.GetTransactionStatus.NOT_FOUND) {
        this.#advance();
        return landedFrom(p.hash, res);
      }
      const nowS = Date.now() / 1000;
      if (nowS > p.maxTimeS + 1) {
        let closed = 0;
        try {
          closed = await latestCloseS();
        } catch {
          // unknown: keep waiting
        }
        // A closed ledger past the bound proves it; a minute past it on our clock is taken
        // as proof when ledger time does not follow the wall clock (a devnet with a frozen
        // clock). Even if that were wrong, a rebuilt settlement only pays what accrued since:
        // the cost is a fee, never a double payment.
        if (closed > p.maxTimeS || nowS > p.maxTimeS + 60) {
          // One last look: it may have landed in the ledger that just closed.
          const last = await this.server._getTransaction(p.hash).catch(() => undefined);
          if (last && last.status !== rpc.Api.GetTransactionStatus.NOT_FOUND) continue;
          this.resync();
          throw new Expired(p.hash);
        }
      }
      await sleep(delay);
      delay = Math.min(delay * 2, 2_000);
    }
  }

  /** The envelope landed (success or failure): its sequence number is used. */
  #advance(): void {
    this.#account?.incrementSequenceNumber();
  }
}

/** Channels handed out one transaction at a time. */
export class ChannelPool {
  readonly #free: Channel[];
  readonly #waiters: ((c: Channel) => void)[] = [];

  constructor(readonly channels: Channel[]) {
    this.#free = [...channels];
  }

  acquire(): Promise<Channel> {
    const c = this.#free.pop();
    if (c) return Promise.resolve(c);
    return new Promise((r) => this.#waiters.push(r));
  }

  release(c: Channel): void {
    const w = this.#waiters.shift();
    if (w) w(c);
    else this.#free.push(c);
  }

  /** Runs `f` on a channel held for its duration. */
  async with<T>(f: (c: Channel) => Promise<T>): Promise<T> {
    const c = await this.acquire();
    try {
      return await f(c);
    } finally {
      this.release(c);
    }
  }
}
