/**
 * The scenario checker (pure): turns the chain's transfer log into missed, late and duplicate
 * payouts. It knows nothing about the engine that produced the log.
 *
 * Two views, because they can disagree (a duplicate of one tick can mask a missed later tick):
 *
 * Tick view: every transfer carries the ticks it was meant to pay (`ticks`): the tick an engine
 * job or activity was scheduled for, or, for an idempotent settle, the ticks the chain covered.
 * - missed: a (stream, tick) due before the end with no transfer;
 * - duplicate: every transfer for a (stream, tick) after the first;
 * - unscheduled: a transfer that names no tick of the schedule (e.g. a job for a 7th month of a
 *   6-month stream);
 * - late: first transfer more than `toleranceMs` after the tick was due; else on time.
 *
 * Money view: cumulative base units per stream against `owedAt(endMs)`:
 * - overpaid / underpaid at the end of the run;
 * - streamsOverpaidAtSomeInstant: streams whose cumulative transfers exceeded what was owed at
 *   that instant (an overpayment, even if a later miss cancels it out by the end).
 */
import { owedAt } from "./accrual.js";
import { type StreamSpec, tickDueMs } from "./scenario.js";

export interface Transfer {
  streamId: string;
  /** base units moved to the recipient; > 0 */
  amount: bigint;
  /** the ticks this transfer pays, 1-based */
  ticks: number[];
  /** when the chain applied the transfer, unix ms */
  atMs: number;
  /** which worker process asked for it */
  worker: string;
}

export interface TickOutcome {
  streamId: string;
  tick: number;
  dueMs: number;
  /** first transfer for this tick; undefined when never paid */
  paidAtMs: number | undefined;
  transfers: number;
}

export interface CheckResult {
  expectedPayouts: number;
  onTime: number;
  late: number;
  missed: number;
  duplicatePayouts: number;
  unscheduledPayouts: number;
  overpaid: bigint;
  underpaid: bigint;
  streamsOverpaidAtSomeInstant: number;
  transfers: number;
  /** lateness of the paid ticks, ms (0 when nothing was paid) */
  latenessP50Ms: number;
  latenessMaxMs: number;
  ticks: TickOutcome[];
}

export function checkRun(
  streams: StreamSpec[],
  transfers: Transfer[],
  endMs: number,
  toleranceMs: number,
): CheckResult {
  const specs = new Map(streams.map((s) => [s.id, s]));
  const byStream = new Map<string, Transfer[]>(streams.map((s) => [s.id, []]));
  for (const t of transfers) {
    const spec = specs.get(t.streamId);
    if (spec === undefined) throw new Error(`transfer for unknown stream ${t.streamId}`);
    if (t.amount <= 0n) throw new Error(`non-positive transfer ${t.amount} for ${t.streamId}`);
    for (const k of t.ticks) {
      if (!Number.isInteger(k) || k < 1 || k > spec.ticks) {
        throw new Error(`transfer for ${t.streamId} names tick ${k} outside 1..${spec.ticks}`);
      }
    }
    byStream.get(t.streamId)?.push(t);
  }

  const ticks: TickOutcome[] = [];
  let overpaid = 0n;
  let underpaid = 0n;
  let overpaidStreams = 0;
  let unscheduled = 0;

  for (const s of streams) {
    const list = (byStream.get(s.id) ?? []).slice().sort((a, b) => a.atMs - b.atMs);
    let cumulative = 0n;
    let everAhead = false;
    const first = new Map<number, number>();
    const count = new Map<number, number>();
    for (const t of list) {
      cumulative += t.amount;
      if (cumulative > owedAt(s, t.atMs)) everAhead = true;
      if (t.ticks.length === 0) unscheduled += 1;
      for (const k of t.ticks) {
        if (!first.has(k)) first.set(k, t.atMs);
        count.set(k, (count.get(k) ?? 0) + 1);
      }
    }
    for (let k = 1; k <= s.ticks; k++) {
      const dueMs = tickDueMs(s, k);
      if (dueMs > endMs) break;
      ticks.push({ streamId: s.id, tick: k, dueMs, paidAtMs: first.get(k), transfers: count.get(k) ?? 0 });
    }
    if (everAhead) overpaidStreams += 1;
    const owedEnd = owedAt(s, endMs);
    if (cumulative > owedEnd) overpaid += cumulative - owedEnd;
    else underpaid += owedEnd - cumulative;
  }

  let onTime = 0;
  let late = 0;
  let missed = 0;
  let duplicatePayouts = 0;
  const lateness: number[] = [];
  for (const t of ticks) {
    duplicatePayouts += Math.max(0, t.transfers - 1);
    if (t.paidAtMs === undefined) {
      missed += 1;
      continue;
    }
    const l = Math.max(0, t.paidAtMs - t.dueMs);
    lateness.push(l);
    if (l <= toleranceMs) onTime += 1;
    else late += 1;
  }
  lateness.sort((a, b) => a - b);

  return {
    expectedPayouts: ticks.length,
    onTime,
    late,
    missed,
    duplicatePayouts,
    unscheduledPayouts: unscheduled,
    overpaid,
    underpaid,
    streamsOverpaidAtSomeInstant: overpaidStreams,
    transfers: transfers.length,
    latenessP50Ms: percentile(lateness, 0.5),
    latenessMaxMs: lateness.length === 0 ? 0 : (lateness[lateness.length - 1] ?? 0),
    ticks,
  };
}

/** Nearest-rank percentile of an ascending array; 0 for an empty one. */
export function percentile(sortedAsc: number[], q: number): number {
  if (sortedAsc.length === 0) return 0;
  const rank = Math.min(sortedAsc.length, Math.max(1, Math.ceil(q * sortedAsc.length)));
  return sortedAsc[rank - 1] ?? 0;
}

/** The ticks an idempotent settle covered: paid went from `before` to `after` base units. */
export function ticksCovered(amountPerTick: bigint, before: bigint, after: bigint): number[] {
  if (amountPerTick <= 0n) throw new RangeError("amountPerTick must be > 0");
  const from = Number(before / amountPerTick) + 1;
  const to = Number(after / amountPerTick);
  const out: number[] = [];
  for (let k = from; k <= to; k++) out.push(k);
  return out;
}

/** The tick a scheduled job was for, from its scheduled time (BullMQ: the scheduler's millis). */
export function tickForScheduledTime(spec: StreamSpec, scheduledMs: number): number {
  return Math.round((scheduledMs - spec.startMs) / spec.periodMs);
}
