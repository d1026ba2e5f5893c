/**
 * The deterministic plan of the per-stream workflow (pure; imported by workflow code and tests).
 *
 * The workflow keeps only `nextTick` in its state; everything else derives from the schedule and
 * the workflow clock, so a replay after a worker crash reaches the same decisions.
 */
import type { StreamSpec } from "../scenario.js";

export interface StreamWorkflowInput {
  spec: StreamSpec;
  /** the first tick this run still has to settle (1-based) */
  nextTick: number;
}

/** Milliseconds to sleep before tick `k` is due (0 when it is already due). */
export function msUntilTick(spec: StreamSpec, k: number, nowMs: number): number {
  const dueMs = spec.startMs + k * spec.periodMs;
  return Math.max(0, dueMs - nowMs);
}

/**
 * Whether this run should hand over to a fresh one (Continue-As-New) before tick `k`, keeping each
 * run's event history small: a monthly stream runs for years, and Temporal caps one execution's
 * history (see the ADR). `ticksPerRun` ticks are settled per run.
 */
export function shouldContinueAsNew(input: StreamWorkflowInput, k: number, ticksPerRun: number): boolean {
  if (ticksPerRun < 1) throw new RangeError("ticksPerRun must be >= 1");
  return k <= input.spec.ticks && k - input.nextTick >= ticksPerRun;
}

/** Deterministic child workflow id: one execution per stream, whoever starts it. */
export function streamWorkflowId(streamId: string): string {
  return `stream-${streamId}`;
}

export const FLEET_WORKFLOW_ID = "tributary-fleet";
export const TASK_QUEUE = "tributary-settle";
