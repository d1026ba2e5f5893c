/**
 * The expert Temporal design's configuration (pure; imported by the workflow, the worker, the
 * harness, the tests and the ADR's configuration listing).
 *
 * One Temporal Schedule starts one `sweepWorkflow` every interval. The sweep lists the due streams
 * in one activity, then, per batch, signs a `settle_many` envelope in one activity and submits it
 * and confirms it by hash in another (heartbeating while it waits), so a retried submission
 * resends the same envelope (a duplicate on chain) instead of signing a new one. The Schedule is
 * created once, by a deployment step; workers never create or update it.
 */

export const SWEEP_SCHEDULE_ID = "tributary-sweep";
export const SWEEP_WORKFLOW_ID = "tributary-sweep";
export const SWEEP_TASK_QUEUE = "tributary-sweep";

/** Every duration of the design, in ms (the real deployment's values and the scaled run's). */
export interface SweepTiming {
  /** the Schedule's interval: one sweep per interval */
  intervalMs: number;
  /** missed Actions older than this after a *server* outage are skipped (Temporal's default: 1 year) */
  catchupWindowMs: number;
  /** a sweep that has not finished after this is abandoned; the next Action starts afresh */
  workflowRunTimeoutMs: number;
  listStartToCloseMs: number;
  signStartToCloseMs: number;
  /** submit + confirm: at least the envelope's validity window, so a retry can still resubmit it */
  submitStartToCloseMs: number;
  /** a worker that dies mid-submit is detected after this, not after the start-to-close timeout */
  submitHeartbeatMs: number;
  retryInitialMs: number;
  retryMaxMs: number;
}

/** What we would deploy on pubnet next to the keeper's default schedule (every 5 minutes). */
export const PRODUCTION_SWEEP: SweepTiming = {
  intervalMs: 5 * 60_000,
  catchupWindowMs: 60 * 60_000,
  workflowRunTimeoutMs: 60 * 60_000,
  listStartToCloseMs: 60_000,
  signStartToCloseMs: 10_000,
  submitStartToCloseMs: 120_000, // the keeper's KEEPER_TX_TIMEOUT_S (60 s) plus confirmation
  submitHeartbeatMs: 15_000,
  retryInitialMs: 1_000,
  retryMaxMs: 60_000,
};

/**
 * The same design in the experiment's scaled time: the sweep runs every `intervalMs` (1 s here, as
 * the real keeper does), the other durations keep their ratio to the month where they guard the
 * scenario's faults. Temporal's floors: a Schedule interval of at least 1 s, a catchup window of
 * at least 10 s.
 */
export function scaledSweepTiming(monthMs: number, intervalMs: number): SweepTiming {
  if (!(monthMs > 0) || !(intervalMs >= 1_000)) throw new RangeError("monthMs > 0 and intervalMs >= 1000");
  return {
    intervalMs,
    catchupWindowMs: Math.max(10_000, monthMs),
    // longer than the scenario's 2.5-month outage, so the activity in flight at the crash is
    // retried with the same envelope when a worker is back (production: 1 h = 12 intervals)
    workflowRunTimeoutMs: 3 * monthMs,
    listStartToCloseMs: Math.max(2_000, Math.round(monthMs / 8)),
    signStartToCloseMs: Math.max(1_000, Math.round(monthMs / 16)),
    submitStartToCloseMs: Math.max(2_000, Math.round(monthMs / 4)),
    submitHeartbeatMs: 1_000,
    retryInitialMs: 200,
    retryMaxMs: Math.max(1_000, Math.round(monthMs / 8)),
  };
}

/** The envelope a sign activity produces: the ids and the hash it will be confirmed by. */
export interface SignedBatch {
  ids: string[];
  hash: string;
}

/**
 * The batch's reference: the sweep run and the batch's index. Signing is deterministic in it here
 * (the mock chain has no sequence numbers); on a real chain a re-signed envelope gets a new hash,
 * which `settle_many`'s idempotence makes harmless.
 */
export function batchRef(workflowId: string, runId: string, index: number): string {
  return `${workflowId}/${runId}#${index}`;
}
