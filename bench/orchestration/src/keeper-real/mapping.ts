/**
 * Turns what the real chain recorded into the checker's input (pure: no I/O, no SDK import).
 *
 * The real contract does not log "transfers for tick k": it emits one `settled` event per stream
 * and settlement, carrying the amount paid, in a ledger with a close time. `settle_many` pays what
 * is withdrawable, so one settlement can cover several ticks at once (e.g. after the outage).
 * Per stream, in chain order (ledger, then event order), the mapping keeps the cumulative amount
 * paid and, for each event:
 *
 * - the part of the payment that was owed at that instant (`owedAt(closeTime)` minus what was
 *   paid before) becomes one checker transfer naming the ticks whose cumulative amount it
 *   completed: tick k is "paid" by the settlement that first brought the cumulative to k x amount;
 *   its lateness is that ledger's close time minus the tick's due time;
 * - any part beyond what was owed at that instant (the contract should make this impossible)
 *   becomes a second transfer: naming the latest due tick again (the checker counts it as a
 *   duplicate payout) or, when no tick was due yet, naming none (a payout for no scheduled tick).
 *   Its amount also shows up in the checker's money view (overpaid, streams overpaid at some instant).
 *
 * A payment owed but completing no tick (a partial tranche, impossible for the scenario's
 * whole-tranche schedule) names no tick and so also shows up as a payout for no scheduled tick.
 */
import { owedAt, periodsElapsed } from "../accrual.js";
import type { Transfer } from "../checker.js";
import type { StreamSpec } from "../scenario.js";

/** One `settled` event as read from the chain (getEvents), reduced to what the checker needs. */
export interface SettledEvent {
  /** the contract's stream id (u64, decimal string) */
  chainId: string;
  amount: bigint;
  /** ledger sequence of the settlement */
  ledger: number;
  /** close time of that ledger, unix ms (ledger close times are whole seconds) */
  atMs: number;
  txHash: string;
  /** position in the RPC's event order (its event id), to order events within a ledger */
  order: string;
}

/**
 * Maps settled events to checker transfers.
 * @param streams the scenario's specs
 * @param specIdByChainId which spec each contract stream id stands for
 * @param workerByTx which keeper process sent a transaction (from its logs); "unlogged" otherwise
 */
export function settledToTransfers(
  streams: StreamSpec[],
  specIdByChainId: Map<string, string>,
  events: SettledEvent[],
  workerByTx: Map<string, string> = new Map(),
): Transfer[] {
  const specs = new Map(streams.map((s) => [s.id, s]));
  const sorted = events.slice().sort((a, b) => a.ledger - b.ledger || compareOrder(a.order, b.order));
  const paid = new Map<string, bigint>();
  const out: Transfer[] = [];
  for (const e of sorted) {
    const specId = specIdByChainId.get(e.chainId);
    if (specId === undefined)
      throw new Error(`settled event for stream ${e.chainId}, which the scenario did not create`);
    const spec = specs.get(specId);
    if (spec === undefined) throw new Error(`no spec ${specId}`);
    if (e.amount <= 0n) continue; // a settle that paid nothing moves no money
    const amt = BigInt(spec.amountPerTick);
    const before = paid.get(specId) ?? 0n;
    const after = before + e.amount;
    paid.set(specId, after);
    const owed = owedAt(spec, e.atMs);
    const dueNow = periodsElapsed(spec, e.atMs);
    const inSchedule = owed > before ? (after < owed ? after : owed) - before : 0n;
    const excess = e.amount - inSchedule;
    const worker = workerByTx.get(e.txHash) ?? "unlogged";
    if (inSchedule > 0n) {
      const ticks: number[] = [];
      for (let k = Number(before / amt) + 1; BigInt(k) * amt <= before + inSchedule && k <= dueNow; k++)
        ticks.push(k);
      out.push({ streamId: specId, amount: inSchedule, ticks, atMs: e.atMs, worker });
    }
    if (excess > 0n) {
      out.push({
        streamId: specId,
        amount: excess,
        ticks: dueNow >= 1 ? [dueNow] : [],
        atMs: e.atMs,
        worker,
      });
    }
  }
  return out;
}

/** RPC event ids are zero-padded decimal strings ("0000000012884905985-0000000001"). */
function compareOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** One keeper transaction as read back from the chain (getTransactions). */
export interface KeeperTx {
  txHash: string;
  /** the contract function invoked, e.g. "settle_many" */
  fn: string;
  success: boolean;
  /** stroops */
  feeCharged: bigint;
}

export interface TxSummary {
  settleMany: number;
  settleManyFailed: number;
  /** settle_many transactions that paid nothing (a duplicate keeper's or a repeat) */
  settleManyNoop: number;
  settleManyFeeStroops: bigint;
  otherTxs: number;
  otherFeeStroops: bigint;
}

/** Counts settle_many transactions and their fees; `payingTxs` are the hashes that emitted a `settled` event. */
export function summarizeTxs(txs: KeeperTx[], payingTxs: Set<string>): TxSummary {
  const s: TxSummary = {
    settleMany: 0,
    settleManyFailed: 0,
    settleManyNoop: 0,
    settleManyFeeStroops: 0n,
    otherTxs: 0,
    otherFeeStroops: 0n,
  };
  for (const t of txs) {
    if (t.fn === "settle_many") {
      s.settleMany += 1;
      s.settleManyFeeStroops += t.feeCharged;
      if (!t.success) s.settleManyFailed += 1;
      else if (!payingTxs.has(t.txHash)) s.settleManyNoop += 1;
    } else {
      s.otherTxs += 1;
      s.otherFeeStroops += t.feeCharged;
    }
  }
  return s;
}

/** Tranche unlock times (unix seconds) of a spec: the contract's schedule for the scenario's ticks. */
export function trancheUnlocksS(spec: StreamSpec): bigint[] {
  if (spec.startMs % 1000 !== 0 || spec.periodMs % 1000 !== 0) {
    throw new RangeError("ledger time is in whole seconds: start and period must be whole seconds");
  }
  return Array.from({ length: spec.ticks }, (_, i) =>
    BigInt((spec.startMs + (i + 1) * spec.periodMs) / 1000),
  );
}

/** What the keepers' JSON logs say about batches and ticks (pure: log records in, counts out). */
export interface KeeperLogSummary {
  /** the largest batch that paid every stream it named */
  fullBatchSize: number;
  /** mean fee per stream of those full batches, stroops (0 when there were none) */
  feePerStreamFullBatch: number;
  fullBatches: number;
  /** ticks the keeper's in-flight guard skipped ("previous run still in progress") */
  ticksSkipped: number;
  runs: number;
  /** the longest run, seconds */
  longestRunS: number;
}

export interface KeeperLogRecord {
  msg?: string;
  fee?: string;
  streams?: unknown[];
  paidNothing?: number;
  s?: number;
}

export function summarizeKeeperLogs(records: readonly KeeperLogRecord[]): KeeperLogSummary {
  const paying = records.filter(
    (r) =>
      r.msg === "settle_many" &&
      Array.isArray(r.streams) &&
      (r.paidNothing ?? 0) === 0 &&
      r.fee !== undefined,
  );
  const fullBatchSize = paying.reduce((m, r) => Math.max(m, r.streams!.length), 0);
  const full = paying.filter((r) => r.streams!.length === fullBatchSize && fullBatchSize > 0);
  const fee = full.reduce((sum, r) => sum + BigInt(r.fee!), 0n);
  const runs = records.filter((r) => r.msg === "run complete");
  return {
    fullBatchSize,
    fullBatches: full.length,
    feePerStreamFullBatch: full.length > 0 ? Number(fee / BigInt(full.length * fullBatchSize)) : 0,
    ticksSkipped: records.filter((r) => r.msg === "previous run still in progress; skipping this tick")
      .length,
    runs: runs.length,
    longestRunS: runs.reduce((m, r) => Math.max(m, r.s ?? 0), 0),
  };
}
