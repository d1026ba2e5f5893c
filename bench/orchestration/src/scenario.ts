/**
 * The one scenario every orchestration option runs (pure: no I/O, no imports with side effects).
 *
 * Time is scaled: a "month" lasts `monthMs` wall-clock milliseconds. Every stream pays
 * `amountPerTick` at the end of each of its `ticks` months (a monthly payroll schedule), the first
 * payout falling one month after `t0Ms`. All times are unix milliseconds (`_ms`).
 *
 * Fault plan, in months after t0:
 * - crash: worker A is SIGKILLed the moment the chain applies the first payment for tick
 *   `crashAtTick` (or later), i.e. while that settlement is in flight (the chain has recorded
 *   the transfer but the worker has not seen the confirmation).
 * - outage: nothing runs for `outageMonths` after the crash, so at least one tick passes with no
 *   worker alive.
 * - restart + duplicate: at the end of the outage worker A is restarted and a second worker B,
 *   the same deployment started by mistake, boots next to it and runs its start-up too.
 */

/** The schedule of one stream as every engine sees it (amount as a decimal string: JSON-safe). */
export interface StreamSpec {
  id: string;
  /** unix ms; tick k is due at startMs + k * periodMs, k = 1..ticks */
  startMs: number;
  periodMs: number;
  ticks: number;
  /** token base units paid per tick, decimal string */
  amountPerTick: string;
}

export interface Scenario {
  streams: number;
  monthMs: number;
  ticks: number;
  amountPerTick: bigint;
  /** the crash is triggered by the first payment the chain applies for this tick or later */
  crashAtTick: number;
  outageMonths: number;
  /** a payout up to this many months after its tick counts as on time */
  lateToleranceMonths: number;
  /** how long the run continues after the last tick, letting retries and catch-up finish */
  graceMonths: number;
  /** how long the chain holds a transfer's confirmation (the in-flight window), ms */
  confirmDelayMs: number;
}

export const DEFAULT_SCENARIO: Scenario = {
  streams: 100,
  monthMs: 8_000,
  ticks: 6,
  amountPerTick: 1_000n,
  crashAtTick: 2,
  outageMonths: 2.5,
  lateToleranceMonths: 0.25,
  graceMonths: 1.5,
  confirmDelayMs: 300,
};

/** Builds the stream schedules for a run starting at `t0Ms`. */
export function makeStreams(s: Scenario, t0Ms: number): StreamSpec[] {
  return Array.from({ length: s.streams }, (_, i) => ({
    id: `s${String(i).padStart(5, "0")}`,
    startMs: t0Ms,
    periodMs: s.monthMs,
    ticks: s.ticks,
    amountPerTick: s.amountPerTick.toString(),
  }));
}

/** Due time of tick `k` (1-based) of a stream, unix ms. */
export function tickDueMs(stream: StreamSpec, k: number): number {
  if (!Number.isInteger(k) || k < 1 || k > stream.ticks) {
    throw new RangeError(`tick ${k} outside 1..${stream.ticks}`);
  }
  return stream.startMs + k * stream.periodMs;
}

/** Wall-clock milestones of the fault plan, unix ms. */
export function faultPlan(s: Scenario, t0Ms: number) {
  return {
    endMs: t0Ms + (s.ticks + s.graceMonths) * s.monthMs,
    outageMs: s.outageMonths * s.monthMs,
  };
}
