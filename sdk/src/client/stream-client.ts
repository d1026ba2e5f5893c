import { Operation, type rpc, type xdr } from "@stellar/stellar-sdk";
import * as z from "zod/mini";
import { amountsAt } from "../accrual.js";
import {
  DecodeError,
  NoSignerError,
  NotAStreamContractError,
  type ReceiveProblem,
  RecipientCannotReceiveError,
  StreamNotFoundError,
  ValidationError,
} from "../errors.js";
import type { Network } from "../networks.js";
import type { Signer } from "../signers/signer.js";
import type {
  AddressString,
  Amounts,
  CreateParamsInput,
  IntegerInput,
  StatusView,
  Stream,
  StreamIdInput,
  StreamState,
  Tranche,
} from "../types.js";
import { reserveIdsOption, submitCreate } from "./create-race.js";
import {
  decodeContractEvents,
  decodeEvent,
  EVENT_NAMES,
  EVENT_TOPICS,
  type EventName,
  type StreamEvent,
  settledPerId,
} from "./events.js";
import { canReceive, type ReceiveCheck, sacAsset } from "./receive.js";
import { createRpcServer } from "./rpc-server.js";
import type { WriteOptions, WriteResult } from "./transact.js";
import { type TransactOptions, type TxEnv, txSettings } from "./tx/context.js";
import { submit } from "./tx/pipeline.js";
import { readContract } from "./tx/read.js";
import { rpcCall } from "./tx/rpc-call.js";
import * as v from "./validation.js";
import * as w from "./wire.js";

/** Options for {@link StreamClient}. */
export interface StreamClientOptions extends TransactOptions {
  /** Where to talk (a preset from `networks`, possibly overridden). */
  network: Network;
  /** The stream contract (`C...`); defaults to `network.contractId`. */
  contractId?: string;
  /** Needed for writes: signs as the transaction source and the authorizing address. */
  signer?: Signer;
  /** Use this RPC client instead of creating one (shares connection settings). */
  server?: rpc.Server;
}

/** A write's outcome plus the contract events the transaction emitted, decoded. */
export interface WriteOutcome<T> extends WriteResult<T> {
  events: StreamEvent[];
}

/** Per-call options of `create` and `createBatch`. */
export interface CreateOptions extends WriteOptions {
  /**
   * Before signing, check that every recipient can be paid in its stream's token
   * ({@link StreamClient.canReceive}); if any cannot, throw
   * `RecipientCannotReceiveError` listing them and send nothing. Default false (one
   * or two more reads per recipient).
   */
  checkRecipients?: boolean;
  /**
   * Stream ids to reserve past the ones the simulation saw free, so that this creation
   * still applies when up to this many other creations land before it in the same
   * ledger (`create-race.ts`). Each costs one more write entry (about 3,800 stroops at
   * pubnet fees). A creation that loses the race anyway is simulated and sent once more,
   * then fails with `CreateRaceError`. Default `DEFAULT_RESERVE_IDS` (7); 0 to reserve
   * none (the retry still applies).
   */
  reserveIds?: number;
}

/** Filter for {@link StreamClient.listStreams}. */
export interface ListFilter {
  sender?: AddressString;
  recipient?: AddressString;
  /** Also read each tranched stream's tranches (one more entry per tranched stream). */
  withTranches?: boolean;
  /** Keys per `getLedgerEntries` request (the RPC's limit is 200). Default 200. */
  batchSize?: number;
  /** `getLedgerEntries` requests in flight at once. Default 4. */
  concurrency?: number;
}

/** A stream as read from its ledger entry, with its tranches when asked for. */
export interface StreamWithTranches extends Stream {
  /** Tranched streams, with `withTranches`. */
  tranches?: Tranche[];
  /**
   * The last ledger through which the stream's entry lives (its TTL). Below the
   * latest ledger the entry is archived: reads still show it, and a transaction
   * that names it restores it (protocol 23+); a keeper extends it before that with
   * `extendTtl`.
   */
  liveUntilLedger?: number;
}

/** Query for {@link StreamClient.events}. */
export interface EventQuery {
  /** First ledger to search (inclusive). Omit with `cursor`. */
  startLedger?: number;
  /** Continue after a previous page (`nextCursor`). */
  cursor?: string;
  /** Only this stream's events. */
  streamId?: StreamIdInput;
  /** Only these event types, spelled as the decoded `type` (e.g. `"created"`, `"settleSkipped"`). */
  names?: EventName[];
  /** Page size. Default 100. */
  limit?: number;
}

/** Maps `items` through `f` with at most `limit` calls in flight; results in input order. */
async function pool<T, R>(items: T[], limit: number, f: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await f(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/**
 * A typed client for every entry point of the Tributary stream contract.
 *
 * Reads simulate (`get`, `amounts`, ...) or read ledger entries directly
 * (`listStreams`, `streamCountFromLedger`) and need no signer. Writes build, simulate,
 * sign with the configured {@link Signer}, send and wait for the final status, and
 * return the decoded return value with the transaction's decoded events.
 *
 * Inputs are validated with zod before anything is sent ({@link ValidationError} names
 * each wrong field and rule); contract failures throw the named subclass of
 * `ContractError` for the contract's error code (e.g. `AmountExceedsWithdrawableError`).
 *
 * Authorization: the signer's account is the transaction source, so it can authorize
 * as itself: `sender` for create/cancel/pause/resume/set_rate/refund/renounce,
 * `recipient` for withdraw/transfer, `from` for top_up. `settle`, `settle_many` and
 * `extend_ttl` are permissionless.
 */
export class StreamClient {
  readonly contractId: string;
  readonly network: Network;
  readonly #env: TxEnv;
  readonly #signer: Signer | undefined;

  constructor(options: StreamClientOptions) {
    const network = options.network;
    const contractId = options.contractId ?? network.contractId;
    const issues = [];
    if (!network.rpcUrl)
      issues.push({
        path: "network.rpcUrl",
        message: "must be set (mainnet has no default RPC; pass your provider's URL)",
      });
    if (!contractId || !z.safeParse(v.contractAddress, contractId).success)
      issues.push({ path: "contractId", message: "must be a C... contract strkey" });
    if (issues.length) throw new ValidationError("StreamClient", issues);
    this.network = network;
    this.contractId = contractId!;
    const settings = txSettings(options);
    const server =
      options.server ??
      createRpcServer(network.rpcUrl, { allowHttp: network.allowHttp, timeoutMs: settings.requestTimeoutMs });
    this.#env = { server, network, settings };
    this.#signer = options.signer;
  }

  /** The underlying RPC client. */
  get server(): rpc.Server {
    return this.#env.server;
  }

  /** The latest ledger's sequence and close time (unix seconds): "now" for accrual. */
  async latestLedger(): Promise<{ sequence: number; closeTs: bigint }> {
    const l = await rpcCall(this.#env, "getLatestLedger", () => this.server.getLatestLedger());
    return { sequence: l.sequence, closeTs: BigInt(l.closeTime) };
  }

  #read(method: string, args: xdr.ScVal[]): Promise<xdr.ScVal> {
    return readContract(this.#env, this.contractId, method, args);
  }

  async #write<T>(
    method: string,
    args: xdr.ScVal[],
    decode: (v: unknown) => T,
    opts?: WriteOptions,
    reserveIds?: number,
  ): Promise<WriteOutcome<T>> {
    const signer = this.#signer;
    if (!signer) throw new NoSignerError(method);
    const contract = this.contractId;
    const req = {
      label: method,
      signer,
      operation: (auth?: xdr.SorobanAuthorizationEntry[]) =>
        Operation.invokeContractFunction({ contract, function: method, args, ...(auth ? { auth } : {}) }),
      ...(opts?.authSigners ? { authSigners: opts.authSigners } : {}),
      streamContractId: contract,
    };
    const r =
      reserveIds === undefined
        ? await submit(this.#env, req)
        : await submitCreate(this.#env, req, contract, reserveIds, () => this.streamCountFromLedger());
    const val = r.response.returnValue;
    const result = decode(val === undefined ? undefined : w.native(val));
    const meta = { ledger: r.ledger, txHash: r.hash };
    const events =
      r.response.events?.contractEventsXdr?.flatMap((evs) => decodeContractEvents(evs, contract, meta)) ?? [];
    return { ...r, result, events };
  }

  // ------------------------------------------------------------------ writes

  /** `create`: creates a stream and pulls its deposit from the sender (the signer). Returns the new id. */
  async create(params: CreateParamsInput, opts?: CreateOptions): Promise<WriteOutcome<bigint>> {
    const p = v.parse("create", v.createParams, params, "params");
    const reserveIds = reserveIdsOption("create", opts?.reserveIds);
    if (opts?.checkRecipients) await this.#checkRecipients("create", [p]);
    return this.#write("create", [w.encodeCreateParams(p)], (x) => w.parseBigint("id", x), opts, reserveIds);
  }

  /**
   * `create_batch`: several streams in one transaction (a payroll run); the new ids in
   * order. With `{ checkRecipients: true }`, nothing is sent when any recipient cannot
   * be paid in its token.
   */
  async createBatch(params: CreateParamsInput[], opts?: CreateOptions): Promise<WriteOutcome<bigint[]>> {
    const ps = v.parse("createBatch", v.batch(v.createParams, "stream"), params, "params");
    const reserveIds = reserveIdsOption("createBatch", opts?.reserveIds);
    if (opts?.checkRecipients) await this.#checkRecipients("createBatch", ps);
    return this.#write(
      "create_batch",
      [w.vec(ps.map(w.encodeCreateParams))],
      (x) => w.parseBigintVec("ids", x),
      opts,
      reserveIds,
    );
  }

  /** `withdraw`: the recipient (the signer) takes `amount` of what is withdrawable, paid to `to`. */
  async withdraw(
    args: { id: StreamIdInput; to: AddressString; amount: IntegerInput },
    opts?: WriteOptions,
  ): Promise<WriteOutcome<bigint>> {
    const a = v.parseArgs("withdraw", { id: v.streamId, to: v.address, amount: v.positiveAmount }, args);
    return this.#write(
      "withdraw",
      [w.u64(a.id), w.addr(a.to), w.i128(a.amount)],
      (x) => w.parseBigint("amount", x),
      opts,
    );
  }

  /** `withdraw_max`: the recipient takes everything withdrawable now (0 when nothing is). */
  async withdrawMax(
    args: { id: StreamIdInput; to: AddressString },
    opts?: WriteOptions,
  ): Promise<WriteOutcome<bigint>> {
    const a = v.parseArgs("withdrawMax", { id: v.streamId, to: v.address }, args);
    return this.#write("withdraw_max", [w.u64(a.id), w.addr(a.to)], (x) => w.parseBigint("amount", x), opts);
  }

  /** `settle` (permissionless): pays the recipient everything withdrawable now; returns it. */
  async settle(id: StreamIdInput, opts?: WriteOptions): Promise<WriteOutcome<bigint>> {
    const a = v.parseArgs("settle", { id: v.streamId }, { id });
    return this.#write("settle", [w.u64(a.id)], (x) => w.parseBigint("amount", x), opts);
  }

  /**
   * `settle_many` (permissionless): the amount paid per id, in order. Ids with no stream,
   * and streams whose recipient cannot receive (a `settleSkipped` event), pay 0. The
   * contract returns the total; the per-id amounts come from its `settled` events.
   */
  async settleMany(ids: StreamIdInput[], opts?: WriteOptions): Promise<WriteOutcome<bigint[]>> {
    const a = v.parse("settleMany", v.batch(v.streamId, "id"), ids, "ids");
    const out = await this.#write(
      "settle_many",
      [w.vec(a.map(w.u64))],
      (x) => w.parseBigint("total", x),
      opts,
    );
    return { ...out, result: settledPerId(a, out.events) };
  }

  /** `cancel`: the sender stops accrual now; the unaccrued part is refunded (returned). */
  async cancel(id: StreamIdInput, opts?: WriteOptions): Promise<WriteOutcome<bigint>> {
    const a = v.parseArgs("cancel", { id: v.streamId }, { id });
    return this.#write("cancel", [w.u64(a.id)], (x) => w.parseBigint("refunded", x), opts);
  }

  /** `top_up`: `from` (the signer) adds `amount` to an open-ended stream; debt is covered first. */
  async topUp(
    args: { id: StreamIdInput; from: AddressString; amount: IntegerInput },
    opts?: WriteOptions,
  ): Promise<WriteOutcome<void>> {
    const a = v.parseArgs("topUp", { id: v.streamId, from: v.address, amount: v.positiveAmount }, args);
    return this.#write("top_up", [w.u64(a.id), w.addr(a.from), w.i128(a.amount)], () => undefined, opts);
  }

  /** `pause`: the sender stops an open-ended stream's accrual until `resume`. */
  async pause(id: StreamIdInput, opts?: WriteOptions): Promise<WriteOutcome<void>> {
    const a = v.parseArgs("pause", { id: v.streamId }, { id });
    return this.#write("pause", [w.u64(a.id)], () => undefined, opts);
  }

  /** `resume`: the sender restarts a paused open-ended stream (the carried remainder intact). */
  async resume(id: StreamIdInput, opts?: WriteOptions): Promise<WriteOutcome<void>> {
    const a = v.parseArgs("resume", { id: v.streamId }, { id });
    return this.#write("resume", [w.u64(a.id)], () => undefined, opts);
  }

  /** `set_rate`: the sender changes an open-ended stream's `amountPerPeriod` (the period is fixed). */
  async setRate(
    args: { id: StreamIdInput; amountPerPeriod: IntegerInput },
    opts?: WriteOptions,
  ): Promise<WriteOutcome<void>> {
    const a = v.parseArgs("setRate", { id: v.streamId, amountPerPeriod: v.positiveAmount }, args);
    return this.#write("set_rate", [w.u64(a.id), w.i128(a.amountPerPeriod)], () => undefined, opts);
  }

  /** `refund`: the sender takes back `amount` of an open-ended stream's unaccrued funds. */
  async refund(
    args: { id: StreamIdInput; amount: IntegerInput },
    opts?: WriteOptions,
  ): Promise<WriteOutcome<bigint>> {
    const a = v.parseArgs("refund", { id: v.streamId, amount: v.positiveAmount }, args);
    return this.#write("refund", [w.u64(a.id), w.i128(a.amount)], (x) => w.parseBigint("amount", x), opts);
  }

  /** `refund_max`: the sender takes back all unaccrued funds of an open-ended stream (0 when none). */
  async refundMax(id: StreamIdInput, opts?: WriteOptions): Promise<WriteOutcome<bigint>> {
    const a = v.parseArgs("refundMax", { id: v.streamId }, { id });
    return this.#write("refund_max", [w.u64(a.id)], (x) => w.parseBigint("amount", x), opts);
  }

  /** `transfer`: the recipient hands the stream (and what it has not withdrawn) to `newRecipient`. */
  async transfer(
    args: { id: StreamIdInput; newRecipient: AddressString },
    opts?: WriteOptions,
  ): Promise<WriteOutcome<void>> {
    const a = v.parseArgs("transfer", { id: v.streamId, newRecipient: v.address }, args);
    return this.#write("transfer", [w.u64(a.id), w.addr(a.newRecipient)], () => undefined, opts);
  }

  /** `renounce`: the sender gives up the right to cancel, for good. */
  async renounce(id: StreamIdInput, opts?: WriteOptions): Promise<WriteOutcome<void>> {
    const a = v.parseArgs("renounce", { id: v.streamId }, { id });
    return this.#write("renounce", [w.u64(a.id)], () => undefined, opts);
  }

  /**
   * `withdraw_max_and_transfer`: the recipient (the signer) takes everything withdrawable
   * now, then hands the stream to `newRecipient`. Returns the amount withdrawn.
   */
  async withdrawMaxAndTransfer(
    args: { id: StreamIdInput; newRecipient: AddressString },
    opts?: WriteOptions,
  ): Promise<WriteOutcome<bigint>> {
    const a = v.parseArgs("withdrawMaxAndTransfer", { id: v.streamId, newRecipient: v.address }, args);
    return this.#write(
      "withdraw_max_and_transfer",
      [w.u64(a.id), w.addr(a.newRecipient)],
      (x) => w.parseBigint("amount", x),
      opts,
    );
  }

  /**
   * `cancel_many`: cancels each stream like `cancel`, isolated; the refund per id in
   * order (0 for a stream that could not be canceled, with a `cancelSkipped` event
   * carrying the error code). Each distinct sender authorizes; here that is the signer.
   */
  async cancelMany(ids: StreamIdInput[], opts?: WriteOptions): Promise<WriteOutcome<bigint[]>> {
    const a = v.parse("cancelMany", v.idList, ids, "ids");
    return this.#write("cancel_many", [w.vec(a.map(w.u64))], (x) => w.parseBigintVec("refunds", x), opts);
  }

  /**
   * `void`: stops an open-ended stream for good and forfeits its unfunded debt; the
   * recipient keeps what was funded, the unaccrued rest goes back to the sender.
   * `caller` (the signer's address) is the sender of a cancelable stream or the
   * recipient. Returns the amount refunded.
   */
  async void(
    args: { id: StreamIdInput; caller: AddressString },
    opts?: WriteOptions,
  ): Promise<WriteOutcome<bigint>> {
    const a = v.parseArgs("void", { id: v.streamId, caller: v.address }, args);
    return this.#write("void", [w.u64(a.id), w.addr(a.caller)], (x) => w.parseBigint("refunded", x), opts);
  }

  /** `extend_ttl` (permissionless): extends the instance, code and named streams to the max TTL; returns how many streams. */
  async extendTtl(ids: StreamIdInput[], opts?: WriteOptions): Promise<WriteOutcome<number>> {
    const a = v.parse("extendTtl", v.idList, ids, "ids");
    return this.#write("extend_ttl", [w.vec(a.map(w.u64))], (x) => Number(w.parseBigint("count", x)), opts);
  }

  /** Throws `RecipientCannotReceiveError` listing every recipient that cannot be paid. */
  async #checkRecipients(method: string, ps: { recipient: string; token: string }[]): Promise<void> {
    const assets = new Map<string, ReturnType<typeof sacAsset>>();
    const checks = await pool(ps, 4, (p) => {
      if (!assets.has(p.token)) assets.set(p.token, sacAsset(this.#env, p.token));
      return assets.get(p.token)!.then((a) => canReceive(this.#env, p.recipient, p.token, a));
    });
    const bad: { index: number; address: string; token: string; problem: ReceiveProblem }[] = [];
    checks.forEach((c, index) => {
      if (!c.ok)
        bad.push({ index, address: ps[index]!.recipient, token: ps[index]!.token, problem: c.problem });
    });
    if (bad.length) throw new RecipientCannotReceiveError(method, bad);
  }

  // ------------------------------------------------------------------ reads (simulation)

  /**
   * Can `address` (`G...` or `C...`) be paid in `token`? For a Stellar Asset Contract:
   * the account exists and holds an authorized trustline (accounts), or its balance is
   * not deauthorized (contracts). Other tokens cannot be judged from outside:
   * `{ ok: true, verified: false }`. Reads ledger entries; needs no signer.
   */
  async canReceive(address: AddressString, token: AddressString): Promise<ReceiveCheck> {
    const a = v.parseArgs("canReceive", { address: v.address, token: v.contractAddress }, { address, token });
    return canReceive(this.#env, a.address, a.token);
  }

  /** `get`: the stream record. Throws `StreamNotFoundError` for an unknown id. */
  async get(id: StreamIdInput): Promise<Stream> {
    const a = v.parseArgs("get", { id: v.streamId }, { id });
    return w.parseStream(a.id, w.native(await this.#read("get", [w.u64(a.id)])));
  }

  /** `get_many`: records in order, `null` for ids with no stream (at most `MAX_BATCH` ids). */
  async getMany(ids: StreamIdInput[]): Promise<(Stream | null)[]> {
    const a = v.parse("getMany", v.idList, ids, "ids");
    const out = w.native(await this.#read("get_many", [w.vec(a.map(w.u64))]));
    if (!Array.isArray(out) || out.length !== a.length)
      throw new DecodeError("get_many: unexpected result length");
    return out.map((s, i) => (s === null || s === undefined ? null : w.parseStream(a[i]!, s)));
  }

  /** `get_tranches`: a tranched stream's tranches (empty for other shapes). */
  async getTranches(id: StreamIdInput): Promise<Tranche[]> {
    const a = v.parseArgs("getTranches", { id: v.streamId }, { id });
    return w.parseTranches(w.native(await this.#read("get_tranches", [w.u64(a.id)])));
  }

  /** What the recipient can withdraw (or anyone settle) now: `amounts(id).withdrawable`. */
  async withdrawable(id: StreamIdInput): Promise<bigint> {
    const a = v.parseArgs("withdrawable", { id: v.streamId }, { id });
    return w.parseAmounts(w.native(await this.#read("amounts", [w.u64(a.id)]))).withdrawable;
  }

  /** `amounts`: accrued, withdrawable, debt, refundable and balance now. */
  async amounts(id: StreamIdInput): Promise<Amounts> {
    const a = v.parseArgs("amounts", { id: v.streamId }, { id });
    return w.parseAmounts(w.native(await this.#read("amounts", [w.u64(a.id)])));
  }

  /** `amounts_many`: `amounts` per id in order, `null` for ids with no stream (at most 200 ids). */
  async amountsMany(ids: StreamIdInput[]): Promise<(Amounts | null)[]> {
    const a = v.parse("amountsMany", v.idList, ids, "ids");
    const out = w.native(await this.#read("amounts_many", [w.vec(a.map(w.u64))]));
    if (!Array.isArray(out) || out.length !== a.length)
      throw new DecodeError("amounts_many: unexpected result length");
    return out.map((x) => w.parseOption(x, w.parseAmounts));
  }

  /**
   * `status`: what a stream is doing now (pending, streaming, paused, insolvent,
   * canceled, voided or finished) and, for an active open-ended stream, its
   * depletion instant: the first second it owes more than it holds (unix seconds; in
   * the past when already in debt; `null` otherwise).
   */
  async state(id: StreamIdInput): Promise<StreamState> {
    const a = v.parseArgs("state", { id: v.streamId }, { id });
    return w.parseStreamState(w.native(await this.#read("status", [w.u64(a.id)])));
  }

  /** The `status` view's status alone (see {@link StreamClient.state}). */
  async status(id: StreamIdInput): Promise<StatusView> {
    return (await this.state(id)).status;
  }

  /** The `status` view's depletion instant alone (see {@link StreamClient.state}). */
  async depletionTs(id: StreamIdInput): Promise<bigint | null> {
    return (await this.state(id)).depletionTs;
  }

  /** `stream_count`: how many streams exist; ids are `1..=count`. */
  async streamCount(): Promise<bigint> {
    return w.parseBigint("stream_count", w.native(await this.#read("stream_count", [])));
  }

  // ------------------------------------------------------------------ discovery (ledger entries)

  /**
   * `StreamCount` read straight from the contract instance's ledger entry (no
   * simulation). 0 when no stream was ever created.
   */
  async streamCountFromLedger(): Promise<bigint> {
    const key = w.instanceLedgerKey(this.contractId);
    const res = await rpcCall(this.#env, "getLedgerEntries", () => this.server.getLedgerEntries(key));
    const entry = res.entries[0];
    if (!entry)
      throw new NotAStreamContractError(
        this.contractId,
        "streamCountFromLedger",
        "no contract is deployed at this address",
      );
    if (entry.val.contractData().val().instance().executable().switch().name !== "contractExecutableWasm")
      throw new NotAStreamContractError(
        this.contractId,
        "streamCountFromLedger",
        "it is a Stellar Asset Contract (a token)",
      );
    const storage = entry.val.contractData().val().instance().storage() ?? [];
    const wanted = w.streamCountKey().toXDR("base64");
    const hit = storage.find((e) => e.key().toXDR("base64") === wanted);
    return hit ? w.parseBigint("StreamCount", w.native(hit.val())) : 0n;
  }

  /**
   * Every stream, read from ledger entries in batches of `batchSize` keys
   * (`DataKey::Stream(id)` for ids `1..=StreamCount`), optionally filtered by sender
   * or recipient. Does not depend on event retention. Each stream carries its entry's
   * `liveUntilLedger`; ids the RPC returns no entry for are skipped.
   */
  async listStreams(filter: ListFilter = {}): Promise<StreamWithTranches[]> {
    const f = v.parseArgs(
      "listStreams",
      {
        sender: z.optional(v.address),
        recipient: z.optional(v.address),
        withTranches: z.optional(z.boolean()),
        batchSize: z.optional(
          v.smallInt(1, 200, undefined, "must be <= 200 (the RPC's getLedgerEntries limit)"),
        ),
        concurrency: z.optional(v.smallInt(1, 32)),
      },
      filter,
    );
    const count = await this.streamCountFromLedger();
    const size = BigInt(f.batchSize ?? 200);
    const chunks: bigint[][] = [];
    for (let first = 1n; first <= count; first += size) {
      const ids: bigint[] = [];
      for (let id = first; id < first + size && id <= count; id++) ids.push(id);
      chunks.push(ids);
    }
    const pages = await pool(chunks, f.concurrency ?? 4, async (ids) => {
      const { found } = await this.#entries(ids.map((id) => [id, w.streamKey(id)] as const));
      const page: StreamWithTranches[] = [];
      for (const id of ids) {
        const hit = found.get(id);
        if (!hit) continue;
        const s: StreamWithTranches = w.parseStream(id, w.native(hit.val));
        if (f.sender && s.sender !== f.sender) continue;
        if (f.recipient && s.recipient !== f.recipient) continue;
        if (hit.liveUntilLedger !== undefined) s.liveUntilLedger = hit.liveUntilLedger;
        page.push(s);
      }
      return page;
    });
    const out = pages.flat();
    if (f.withTranches) {
      const tranched = out.filter((s) => s.schedule.kind === "tranched");
      const tChunks: StreamWithTranches[][] = [];
      for (let i = 0; i < tranched.length; i += Number(size))
        tChunks.push(tranched.slice(i, i + Number(size)));
      await pool(tChunks, f.concurrency ?? 4, async (chunk) => {
        const { found } = await this.#entries(chunk.map((s) => [s.id, w.tranchesKey(s.id)] as const));
        for (const s of chunk) {
          const hit = found.get(s.id);
          if (hit) s.tranches = w.parseTranches(w.native(hit.val));
        }
      });
    }
    return out;
  }

  /**
   * Reads persistent entries by key; returns the values found by id and the ledger
   * the answer reflects (returned with the data, so concurrent reads cannot mix them up).
   */
  async #entries(keys: (readonly [bigint, xdr.ScVal])[]): Promise<{
    found: Map<bigint, { val: xdr.ScVal; liveUntilLedger?: number }>;
    latestLedger: number;
  }> {
    const ledgerKeys = keys.map(([, k]) => w.persistentLedgerKey(this.contractId, k));
    const res = await rpcCall(this.#env, "getLedgerEntries", () =>
      this.server.getLedgerEntries(...ledgerKeys),
    );
    const byKey = new Map(
      res.entries.map(
        (e) =>
          [
            e.key.toXDR("base64"),
            {
              val: e.val.contractData().val(),
              ...(e.liveUntilLedgerSeq !== undefined ? { liveUntilLedger: e.liveUntilLedgerSeq } : {}),
            },
          ] as const,
      ),
    );
    const out = new Map<bigint, { val: xdr.ScVal; liveUntilLedger?: number }>();
    keys.forEach(([id], i) => {
      const val = byKey.get(ledgerKeys[i]!.toXDR("base64"));
      if (val) out.set(id, val);
    });
    return { found: out, latestLedger: res.latestLedger };
  }

  /**
   * One stream straight from its ledger entries (no simulation): the record, its
   * tranches when tranched, and its TTL, in one `getLedgerEntries` call. `null` when
   * there is no such stream.
   */
  async readStream(id: StreamIdInput): Promise<StreamWithTranches | null> {
    return (await this.#readStreamAt("readStream", id)).stream;
  }

  /** {@link readStream} plus the ledger sequence the entries were read at. */
  async #readStreamAt(
    method: string,
    id: StreamIdInput,
  ): Promise<{ stream: StreamWithTranches | null; ledger: number }> {
    const a = v.parseArgs(method, { id: v.streamId }, { id });
    const keys = [[0n, w.streamKey(a.id)] as const, [1n, w.tranchesKey(a.id)] as const];
    const { found, latestLedger } = await this.#entries(keys);
    const hit = found.get(0n);
    if (!hit) return { stream: null, ledger: latestLedger };
    const s: StreamWithTranches = w.parseStream(a.id, w.native(hit.val));
    if (hit.liveUntilLedger !== undefined) s.liveUntilLedger = hit.liveUntilLedger;
    const t = found.get(1n);
    if (s.schedule.kind === "tranched") {
      if (!t) throw new DecodeError(`stream ${a.id} is tranched but has no Tranches entry`);
      s.tranches = w.parseTranches(w.native(t.val));
    }
    return { stream: s, ledger: latestLedger };
  }

  /**
   * A stream with its tranches and the latest ledger close time, and its amounts
   * computed locally by the accrual mirror (two RPC calls, no simulation); then a live
   * balance with {@link amountsAt} at any later second. Throws `StreamNotFoundError`.
   */
  async snapshot(
    id: StreamIdInput,
  ): Promise<{ stream: Stream; tranches?: Tranche[]; closeTs: bigint; amounts: Amounts }> {
    // The record and the close time must come from the same ledger: retry when a
    // ledger closed between the two reads.
    let read: StreamWithTranches | null = null;
    let closeTs = 0n;
    for (let attempt = 0; attempt < 5; attempt++) {
      const ledger = await this.latestLedger();
      const r = await this.#readStreamAt("snapshot", id);
      read = r.stream;
      closeTs = ledger.closeTs;
      if (r.ledger === ledger.sequence) break;
    }
    if (!read) throw new StreamNotFoundError(`snapshot ${String(id)}`);
    const { tranches, liveUntilLedger: _l, ...stream } = read;
    return {
      stream,
      ...(tranches ? { tranches } : {}),
      closeTs,
      amounts: amountsAt(stream, closeTs, tranches),
    };
  }

  // ------------------------------------------------------------------ events

  /**
   * One page of the contract's events, decoded, oldest first. Event retention on
   * real RPC providers is days, so use this for recent history and
   * {@link listStreams} for state.
   */
  async events(
    query: EventQuery,
  ): Promise<{ events: StreamEvent[]; nextCursor: string; latestLedger: number }> {
    const q = v.parseArgs(
      "events",
      {
        startLedger: z.optional(v.smallInt(1, 2 ** 32 - 1, "must be a ledger sequence >= 1")),
        cursor: z.optional(z.string()),
        streamId: z.optional(v.streamId),
        names: z.optional(z.array(z.enum(EVENT_NAMES))),
        limit: z.optional(v.smallInt(1, 10_000)),
      },
      query,
    );
    if ((q.startLedger === undefined) === (q.cursor === undefined))
      throw new ValidationError("events", [
        { path: "startLedger", message: "pass exactly one of startLedger and cursor" },
      ]);
    const idTopic = q.streamId === undefined ? "*" : w.u64(q.streamId).toXDR("base64");
    // stellar-rpc accepts at most 5 filters per request and 5 topic patterns per filter.
    const patterns = (q.names ?? [undefined]).map((n) => [
      n === undefined ? "*" : w.sym(EVENT_TOPICS[n]).toXDR("base64"),
      idTopic,
      "**",
    ]);
    const filters: rpc.Api.EventFilter[] = [];
    for (let i = 0; i < patterns.length; i += 5) {
      filters.push({ type: "contract", contractIds: [this.contractId], topics: patterns.slice(i, i + 5) });
    }
    const limit = q.limit ?? 100;
    const req: rpc.Api.GetEventsRequest =
      q.cursor !== undefined
        ? { filters, cursor: q.cursor, limit }
        : { filters, startLedger: q.startLedger!, limit };
    const res = await rpcCall(this.#env, "getEvents", () => this.server.getEvents(req));
    const events: StreamEvent[] = [];
    for (const e of res.events) {
      const ev = decodeEvent(e.topic, e.value, {
        ledger: e.ledger,
        ledgerClosedAt: e.ledgerClosedAt,
        txHash: e.txHash,
        eventId: e.id,
      });
      if (ev) events.push(ev);
    }
    return { events, nextCursor: res.cursor, latestLedger: res.latestLedger };
  }

  /**
   * Every event from `startLedger` up to the latest ledger, one decoded event at a
   * time, fetching page after page of `limit` behind the scenes (for an indexer's
   * catch-up). Stops after the first page shorter than `limit`; resume later with
   * {@link events} from the last event's `eventId` or a page's `nextCursor`.
   */
  async *allEvents(query: Omit<EventQuery, "cursor"> & { startLedger: number }): AsyncGenerator<StreamEvent> {
    const limit = query.limit ?? 100;
    let page = await this.events({ ...query, limit });
    for (;;) {
      yield* page.events;
      if (page.events.length < limit) return;
      const { startLedger: _s, ...rest } = query;
      page = await this.events({ ...rest, limit, cursor: page.nextCursor });
    }
  }
}
