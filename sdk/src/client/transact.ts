/**
 * The transaction pipeline: read by simulation; write by build -> simulate ->
 * assemble -> sign -> send -> poll, with timeouts and p-retry for transient failures.
 *
 * What is retried, and why it is safe:
 * - RPC calls that failed at the transport level or with HTTP 429/5xx (reads,
 *   simulation, `getTransaction`): they change nothing.
 * - `sendTransaction` of the SAME signed envelope after a transport failure: the hash
 *   is the same, so a second send answers DUPLICATE (still queued) or txBadSeq (already
 *   applied: then `getTransaction` of that hash finds it) and never applies twice.
 * - The whole write (rebuilt with a fresh sequence number) only when the RPC said the
 *   envelope was not accepted: `TRY_AGAIN_LATER` or `txBadSeq`.
 * Nothing else is retried: contract errors, validation errors and failed
 * transactions are final.
 */

import {
  Account,
  Address,
  BASE_FEE,
  Keypair,
  Operation,
  TransactionBuilder,
  authorizeEntry,
  rpc,
  xdr,
  type Transaction,
} from "@stellar/stellar-sdk";
import { Buffer } from "buffer";
import pRetry from "p-retry";
import {
  AccountNotFoundError,
  AuthorizationError,
  FeeTooHighError,
  NoSignerError,
  RpcError,
  SimulationError,
  TransactionFailedError,
  TransactionRejectedError,
  TransactionTimeoutError,
  TributaryError,
  contractError,
  parseContractErrorCode,
} from "../errors.js";
import type { Network } from "../networks.js";
import type { Signer } from "../signers/signer.js";

/** Timeouts and retry budget. All optional. */
export interface TransactOptions {
  /** Per-HTTP-request timeout, ms. Default 30 000. */
  requestTimeoutMs?: number;
  /** How long to wait for a sent transaction to become final, ms. Default 60 000. */
  confirmTimeoutMs?: number;
  /** Transaction validity window from now, seconds (`setTimeout`). Default 60. */
  txTimeoutS?: number;
  /** Retries of transient failures per step. Default 3. */
  retries?: number;
  /** Fee per operation on top of the simulated resource fee, stroops. Default `BASE_FEE` (100). */
  inclusionFee?: string;
  /** First poll delay, ms (doubles up to 2 s). Default 250. */
  pollIntervalMs?: number;
  /**
   * Refuse (with `FeeTooHighError`, before signing) a write whose total fee, inclusion plus
   * the simulated resource fee (rent included), exceeds this many stroops. Default: no cap.
   */
  maxFeeStroops?: bigint;
}

/** Per-call options of a write. */
export interface WriteOptions {
  /**
   * Signers for authorizations the call needs from addresses other than the
   * transaction source (the client's signer): e.g. each other sender of a
   * `createBatch`, or the recipient when a relayer submits (and pays for) a withdrawal.
   * Each must implement `signAuthEntry`.
   */
  authSigners?: Signer[];
}

/** The outcome of a write. */
export interface WriteResult<T> {
  /** The entry point's return value, decoded. */
  result: T;
  /** Transaction hash (hex). */
  hash: string;
  /** Ledger the transaction was applied in. */
  ledger: number;
  /** Fee actually charged, stroops (after the refund of unused resource fee). */
  feeCharged: bigint;
  /** The raw successful `getTransaction` response (events, meta, fees). */
  response: rpc.Api.GetSuccessfulTransactionResponse;
}

/** A source account for read-only simulation: never needs to exist or sign. */
const NULL_ACCOUNT = "GAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAWHF";

/** A failure worth trying again (transport, rate limit, server error). */
class TransientError extends TributaryError {}

/** True for transport-level failures and HTTP 429/5xx answers. */
export function isTransient(error: unknown): boolean {
  if (error instanceof TransientError) return true;
  if (error instanceof TributaryError) return false;
  if (!error || typeof error !== "object") return false;
  const e = error as {
    code?: unknown;
    response?: { status?: unknown };
    status?: unknown;
    message?: unknown;
    cause?: unknown;
  };
  const status =
    typeof e.response?.status === "number"
      ? e.response.status
      : typeof e.status === "number"
        ? e.status
        : undefined;
  if (status !== undefined) return status === 429 || status >= 500;
  const code = typeof e.code === "string" ? e.code : "";
  if (
    /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|EAI_AGAIN|ENOTFOUND|ECONNABORTED|ERR_NETWORK|UND_ERR_\w+)$/.test(
      code,
    )
  )
    return true;
  const msg = typeof e.message === "string" ? e.message : "";
  if (/fetch failed|network|socket hang up|timeout|ECONNRESET|ECONNREFUSED/i.test(msg)) return true;
  return e.cause !== undefined && e.cause !== error ? isTransient(e.cause) : false;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Finds a contract error code in diagnostic events (`Error(Contract, #n)` values). */
function contractCodeInEvents(events: xdr.DiagnosticEvent[] | undefined): number | null {
  for (const d of events ?? []) {
    const body = d.event().body().v0();
    for (const v of [...body.topics(), body.data()]) {
      const code = contractCodeInScVal(v);
      if (code !== null) return code;
    }
  }
  return null;
}

function contractCodeInScVal(v: xdr.ScVal): number | null {
  if (v.switch().name === "scvError") {
    const err = v.error();
    if (err.switch().name === "sceContract") return err.contractCode();
  }
  if (v.switch().name === "scvVec") {
    for (const x of v.vec() ?? []) {
      const c = contractCodeInScVal(x);
      if (c !== null) return c;
    }
  }
  return null;
}

/** `txFailed / invokeHostFunctionTrapped`-style summary of a transaction result. */
function resultCodes(result: xdr.TransactionResult): string {
  const tx = result.result().switch().name;
  const op = result.result().results?.()[0];
  if (!op) return tx;
  const tr = op.value() as
    | { switch?: () => { name: string }; value?: () => { switch?: () => { name: string } } }
    | undefined;
  const inner = tr?.value?.()?.switch?.().name;
  return inner ? `${tx} / ${inner}` : tx;
}

/**
 * The account with its current sequence number, read with getLedgerEntries.
 * NOTE: not `rpc.Server.getAccount`, which in stellar-sdk 16.2.0 reports any HTTP
 * failure (a 503 included) as "Account not found", so it cannot be retried safely.
 */
export async function readAccount(server: rpc.Server, address: string): Promise<Account> {
  const key = xdr.LedgerKey.account(
    new xdr.LedgerKeyAccount({ accountId: Keypair.fromPublicKey(address).xdrAccountId() }),
  );
  const res = await server.getLedgerEntries(key);
  const entry = res.entries[0];
  if (!entry) throw new AccountNotFoundError(address);
  return new Account(address, entry.val.account().seqNum().toString());
}

/** Shared plumbing behind `StreamClient`. */
export class Transactor {
  readonly server: rpc.Server;
  readonly network: Network;
  readonly contractId: string;
  readonly signer: Signer | undefined;
  readonly opts: Required<Omit<TransactOptions, "maxFeeStroops">> & { maxFeeStroops?: bigint };

  constructor(
    network: Network,
    contractId: string,
    signer: Signer | undefined,
    opts: TransactOptions = {},
    server?: rpc.Server,
  ) {
    this.network = network;
    this.contractId = contractId;
    this.signer = signer;
    this.opts = {
      requestTimeoutMs: opts.requestTimeoutMs ?? 30_000,
      confirmTimeoutMs: opts.confirmTimeoutMs ?? 60_000,
      txTimeoutS: opts.txTimeoutS ?? 60,
      retries: opts.retries ?? 3,
      inclusionFee: opts.inclusionFee ?? BASE_FEE,
      pollIntervalMs: opts.pollIntervalMs ?? 250,
      ...(opts.maxFeeStroops !== undefined ? { maxFeeStroops: opts.maxFeeStroops } : {}),
    };
    this.server =
      server ??
      new rpc.Server(network.rpcUrl, { allowHttp: network.allowHttp, timeout: this.opts.requestTimeoutMs });
  }

  /** Runs an idempotent RPC call with retries of transient failures. */
  async rpcCall<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await pRetry(fn, {
        retries: this.opts.retries,
        minTimeout: 200,
        maxTimeout: 2_000,
        shouldRetry: ({ error }) => isTransient(error),
      });
    } catch (error) {
      if (error instanceof TributaryError) throw error;
      throw new RpcError(`${what}: ${error instanceof Error ? error.message : String(error)}`, {
        cause: error,
      });
    }
  }

  #build(
    source: Account,
    method: string,
    args: xdr.ScVal[],
    auth?: xdr.SorobanAuthorizationEntry[],
  ): Transaction {
    // A copy: TransactionBuilder.build() advances the account's sequence number.
    const account = new Account(source.accountId(), source.sequenceNumber());
    return new TransactionBuilder(account, {
      fee: this.opts.inclusionFee,
      networkPassphrase: this.network.passphrase,
    })
      .addOperation(
        Operation.invokeContractFunction({
          contract: this.contractId,
          function: method,
          args,
          ...(auth ? { auth } : {}),
        }),
      )
      .setTimeout(this.opts.txTimeoutS)
      .build();
  }

  #simError(method: string, sim: rpc.Api.SimulateTransactionErrorResponse): TributaryError {
    const code = parseContractErrorCode(sim.error) ?? contractCodeInEvents(sim.events);
    return code !== null ? contractError(code, method) : new SimulationError(method, sim.error);
  }

  async #simulate(
    method: string,
    tx: Transaction,
  ): Promise<rpc.Api.SimulateTransactionSuccessResponse | rpc.Api.SimulateTransactionRestoreResponse> {
    const sim = await this.rpcCall(`${method}: simulateTransaction`, () =>
      this.server.simulateTransaction(tx),
    );
    if (rpc.Api.isSimulationError(sim)) throw this.#simError(method, sim);
    return sim;
  }

  /** Calls a read-only entry point by simulation and returns its return value. */
  async read(method: string, args: xdr.ScVal[]): Promise<xdr.ScVal> {
    const tx = this.#build(new Account(NULL_ACCOUNT, "0"), method, args);
    const sim = await this.#simulate(method, tx);
    const retval = sim.result?.retval;
    if (!retval) throw new SimulationError(method, "simulation returned no value");
    return retval;
  }

  /** The latest ledger's sequence and close time (unix seconds). */
  async latestLedger(): Promise<{ sequence: number; closeTs: bigint }> {
    const l = await this.rpcCall("getLatestLedger", () => this.server.getLatestLedger());
    return { sequence: l.sequence, closeTs: BigInt(l.closeTime) };
  }

  /** The source account (see {@link readAccount}), with retries of transient failures. */
  async #account(method: string, address: string): Promise<Account> {
    return this.rpcCall(`${method}: getLedgerEntries(account)`, () => readAccount(this.server, address));
  }

  /** Builds, simulates, signs, sends and confirms a call; returns the decoded outcome. */
  async write<T>(
    method: string,
    args: xdr.ScVal[],
    decode: (v: xdr.ScVal | undefined) => T,
    opts: WriteOptions = {},
  ): Promise<WriteResult<T>> {
    const signer = this.signer;
    if (!signer) throw new NoSignerError(method);
    const source = await signer.publicKey();
    const attempt = async (): Promise<WriteResult<T>> => {
      const account = await this.#account(method, source);
      const tx = this.#build(account, method, args);
      const sim = await this.#simulate(method, tx);
      if (rpc.Api.isSimulationRestore(sim)) {
        // Protocol < 23 RPCs ask for an explicit restore first; protocol 23+ restores
        // automatically from the footprint the simulation declares.
        throw new SimulationError(
          method,
          "archived entries must be restored first (RestoreFootprint); retry after restoring",
        );
      }
      // Recording-mode simulation lists every authorization the call needs; entries with
      // address credentials are for someone other than the source: sign them with the
      // matching `authSigners`, or refuse now rather than send a transaction that must fail.
      const entries = sim.result?.auth ?? [];
      const others = entries
        .filter((a) => a.credentials().switch().name === "sorobanCredentialsAddress")
        .map((a) => Address.fromScAddress(a.credentials().address().address()).toString());
      let prepared: Transaction;
      if (others.length === 0) {
        prepared = rpc.assembleTransaction(tx, sim).build();
      } else {
        const byAddress = new Map<string, Signer>();
        for (const s of opts.authSigners ?? []) byAddress.set(await s.publicKey(), s);
        const missing = [...new Set(others)].filter((a) => !byAddress.get(a)?.signAuthEntry);
        if (missing.length) throw new AuthorizationError(method, source, missing);
        const { sequence } = await this.latestLedger();
        const validUntil = sequence + Math.ceil(this.opts.txTimeoutS / 5) + 20;
        const signedEntries = await Promise.all(
          entries.map(async (entry) => {
            if (entry.credentials().switch().name !== "sorobanCredentialsAddress") return entry;
            const who = Address.fromScAddress(entry.credentials().address().address()).toString();
            const s = byAddress.get(who)!;
            return authorizeEntry(
              entry,
              async (preimage) =>
                Buffer.from(
                  await s.signAuthEntry!(preimage.toXDR("base64"), {
                    networkPassphrase: this.network.passphrase,
                  }),
                  "base64",
                ),
              validUntil,
              this.network.passphrase,
            );
          }),
        );
        // Re-simulate with the signed entries (enforcing mode) so the footprint and the
        // resources cover signature verification; assembly keeps the signed entries.
        const withAuth = this.#build(account, method, args, signedEntries);
        const sim2 = await this.#simulate(method, withAuth);
        prepared = rpc.assembleTransaction(withAuth, sim2).build();
      }
      const fee = BigInt(prepared.fee);
      if (this.opts.maxFeeStroops !== undefined && fee > this.opts.maxFeeStroops)
        throw new FeeTooHighError(method, fee, this.opts.maxFeeStroops);
      const signedXdr = await signer.signTransaction(prepared.toXDR(), {
        networkPassphrase: this.network.passphrase,
      });
      const signed = TransactionBuilder.fromXDR(signedXdr, this.network.passphrase) as Transaction;
      const hash = signed.hash().toString("hex");
      const sent = await this.rpcCall(`${method}: sendTransaction`, () =>
        this.server.sendTransaction(signed),
      );
      if (sent.status === "TRY_AGAIN_LATER")
        throw new TransientError(`${method}: RPC answered TRY_AGAIN_LATER`);
      if (sent.status === "ERROR") {
        const resultCode = sent.errorResult?.result().switch().name ?? "unknown";
        if (resultCode === "txBadSeq") {
          // A resend of an envelope that was already applied is txBadSeq too (stellar-core
          // keeps no record of applied hashes): if this very envelope landed, confirm it
          // instead of rebuilding and applying the write twice.
          const landed = await this.rpcCall(`${method}: getTransaction`, () =>
            this.server.getTransaction(hash),
          );
          if (landed.status !== rpc.Api.GetTransactionStatus.NOT_FOUND)
            return this.#confirm(method, hash, decode);
          throw new TransientError(`${method}: stale sequence number`);
        }
        throw new TransactionRejectedError(method, hash, resultCode);
      }
      return this.#confirm(method, hash, decode);
    };
    try {
      return await pRetry(attempt, {
        retries: this.opts.retries,
        minTimeout: 300,
        maxTimeout: 3_000,
        shouldRetry: ({ error }) => error instanceof TransientError,
      });
    } catch (error) {
      // Out of retries on a transient condition: report it as the RPC failure it is.
      if (error instanceof TransientError)
        throw new RpcError(`${error.message} (after ${this.opts.retries} retries)`, { cause: error });
      throw error;
    }
  }

  async #confirm<T>(
    method: string,
    hash: string,
    decode: (v: xdr.ScVal | undefined) => T,
  ): Promise<WriteResult<T>> {
    const deadline = Date.now() + this.opts.confirmTimeoutMs;
    let delay = this.opts.pollIntervalMs;
    for (;;) {
      const res = await this.rpcCall(`${method}: getTransaction`, () => this.server.getTransaction(hash));
      if (res.status === rpc.Api.GetTransactionStatus.SUCCESS) {
        return {
          result: decode(res.returnValue),
          hash,
          ledger: res.ledger,
          feeCharged: res.resultXdr.feeCharged().toBigInt(),
          response: res,
        };
      }
      if (res.status === rpc.Api.GetTransactionStatus.FAILED) {
        const code = contractCodeInEvents(res.diagnosticEventsXdr);
        if (code !== null) throw contractError(code, `${method} in transaction ${hash}`);
        throw new TransactionFailedError(method, hash, res.ledger, resultCodes(res.resultXdr));
      }
      if (Date.now() + delay > deadline)
        throw new TransactionTimeoutError(method, hash, this.opts.confirmTimeoutMs);
      await sleep(delay);
      delay = Math.min(delay * 2, 2_000);
    }
  }
}
