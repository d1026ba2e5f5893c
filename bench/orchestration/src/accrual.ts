/**
 * Model of the contract's accrual and of `settle_many` (pure, bigint only).
 *
 * The mock chain (`chain.ts`) runs on this model, so the orchestration options are compared on
 * the same simple rules as the contract: what a stream owes is a pure function of its schedule
 * and the time, and settling pays `owed(now) - paid`, so calling settle twice pays once. The real
 * contract (`contracts/stream/src/math.rs`) is measured by the `keeper-real` option instead.
 *
 * The schedule modelled here is the experiment's monthly payroll (a cliff per period), not the
 * contract's per-second stream: it keeps the three options comparable tick by tick.
 *
 * # Rounding
 * Only whole elapsed periods count (floor): nothing leaves before its tick is due.
 */
import type { StreamSpec } from "./scenario.js";

/** Whole periods elapsed at `nowMs`, clamped to 0..ticks. */
export function periodsElapsed(stream: StreamSpec, nowMs: number): number {
  if (nowMs <= stream.startMs) return 0;
  const k = Math.floor((nowMs - stream.startMs) / stream.periodMs);
  return Math.min(k, stream.ticks);
}

/** Total owed to the recipient since the start at `nowMs`, base units. */
export function owedAt(stream: StreamSpec, nowMs: number): bigint {
  return BigInt(periodsElapsed(stream, nowMs)) * BigInt(stream.amountPerTick);
}

/** What a settle at `nowMs` transfers given `paid` so far: never negative (idempotence). */
export function settleAmount(stream: StreamSpec, paid: bigint, nowMs: number): bigint {
  const owed = owedAt(stream, nowMs);
  return owed > paid ? owed - paid : 0n;
}

/** One stream as the keeper reads it from the chain. */
export interface StreamState {
  spec: StreamSpec;
  paid: bigint;
}

/**
 * The keeper's whole decision: the ids worth settling now, in batches of at most `batchSize`.
 * Stateless: everything it needs is read from the chain on each run.
 */
export function decideSettlements(states: StreamState[], nowMs: number, batchSize: number): string[][] {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError("batchSize must be >= 1");
  const due = states.filter((s) => settleAmount(s.spec, s.paid, nowMs) > 0n).map((s) => s.spec.id);
  const batches: string[][] = [];
  for (let i = 0; i < due.length; i += batchSize) batches.push(due.slice(i, i + batchSize));
  return batches;
}
