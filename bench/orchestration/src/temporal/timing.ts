/** Activity timeouts for the scaled month (pure). */
import type { Timing } from "./workflows.js";

/**
 * A settle that has not completed after a quarter of a month is presumed lost and retried; retries
 * back off from 1/40 to 1/8 of a month. With a real month these are ~7 days and hours: generous.
 */
export function timingFor(monthMs: number): Timing {
  if (!(monthMs > 0)) throw new RangeError("monthMs must be > 0");
  return {
    startToCloseMs: Math.round(monthMs / 4),
    retryInitialMs: Math.round(monthMs / 40),
    retryMaxMs: Math.round(monthMs / 8),
  };
}
