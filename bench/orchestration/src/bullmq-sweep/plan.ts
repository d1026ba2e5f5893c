/**
 * The expert BullMQ design's configuration (pure; imported by the worker, the harness, the tests
 * and the ADR's configuration listing).
 *
 * One job scheduler, upserted once by a deployment step (never by workers at boot: concurrent
 * upserts are where taskforcesh/bullmq #2988 and #3085 bit), produces one `sweep` job per
 * interval. A sweep reads the due streams and either
 * - `sweep`: calls the idempotent `settle_many` in batches itself, or
 * - `dedup`: enqueues one `settle` job per due stream with the job id `settle:<stream>:<period>`,
 *   so two sweeps (or two workers) that see the same due period add it once.
 */
import { periodsElapsed } from "../accrual.js";
import type { StreamSpec } from "../scenario.js";

export const SWEEP_QUEUE = "tributary-sweep";
export const SWEEP_SCHEDULER_ID = "tributary-sweep";

export interface BullSweepTiming {
  /** the job scheduler's `every` */
  intervalMs: number;
  /** a worker that dies mid-job loses its lock after this; the job is then stalled and re-run */
  lockDurationMs: number;
  stalledIntervalMs: number;
  backoffMs: number;
  /** how long completed `settle` jobs are kept: the dedup window of `settle:<stream>:<period>` */
  keepCompletedS: number;
}

/** What we would deploy on pubnet next to the keeper's default schedule (every 5 minutes). */
export const PRODUCTION_BULL_SWEEP: BullSweepTiming = {
  intervalMs: 5 * 60_000,
  lockDurationMs: 120_000,
  stalledIntervalMs: 30_000,
  backoffMs: 5_000,
  keepCompletedS: 40 * 86_400, // longer than the longest pay period settled by id
};

/** The same design in the experiment's scaled time (lock and stall check scale with the month). */
export function scaledBullSweepTiming(monthMs: number, intervalMs: number): BullSweepTiming {
  if (!(monthMs > 0) || !(intervalMs > 0)) throw new RangeError("monthMs and intervalMs must be > 0");
  return {
    intervalMs,
    lockDurationMs: Math.round(monthMs / 4),
    stalledIntervalMs: Math.round(monthMs / 8),
    backoffMs: Math.max(50, Math.round(monthMs / 40)),
    keepCompletedS: Math.ceil((2 * monthMs) / 1000),
  };
}

/** The job scheduler's template: every sweep retried with backoff, bounded history in Redis. */
export function sweepTemplate(t: BullSweepTiming) {
  return {
    name: "sweep",
    data: {},
    opts: {
      attempts: 3,
      backoff: { type: "exponential" as const, delay: t.backoffMs },
      removeOnComplete: { count: 100 },
      removeOnFail: { count: 1000 },
    },
  };
}

/**
 * The dedup job id of a stream's due period. BullMQ rejects custom ids with a ':' unless they have
 * exactly three parts, hence the `settle:` prefix.
 */
export function settleJobId(streamId: string, period: number): string {
  if (streamId.includes(":")) throw new RangeError("stream id must not contain ':'");
  if (!Number.isInteger(period) || period < 1) throw new RangeError("period must be an integer >= 1");
  return `settle:${streamId}:${period}`;
}

/** The `settle` job for a due stream at `nowMs`: one per (stream, latest due period). */
export function settleJob(spec: StreamSpec, nowMs: number, t: BullSweepTiming) {
  return {
    name: "settle",
    data: { streamId: spec.id },
    opts: {
      jobId: settleJobId(spec.id, Math.max(1, periodsElapsed(spec, nowMs))),
      attempts: 5,
      backoff: { type: "exponential" as const, delay: t.backoffMs },
      removeOnComplete: { age: t.keepCompletedS },
      removeOnFail: { age: t.keepCompletedS },
    },
  };
}
