/** The BullMQ prototype's pure parts: scheduler ids and options, and the tick a job stands for. */

import { tickForScheduledTime } from "../checker.js";
import type { StreamSpec } from "../scenario.js";

export const QUEUE_NAME = "tributary-settle";

/** One job scheduler per stream; the id is deterministic so a second deployment upserts it. */
export function schedulerId(streamId: string): string {
  return `stream:${streamId}`;
}

/** Repeat options: every period, first at tick 1, at most `ticks` jobs. */
export function repeatOptions(spec: StreamSpec) {
  return { every: spec.periodMs, startDate: spec.startMs + spec.periodMs, limit: spec.ticks };
}

/**
 * BullMQ names each scheduled job `repeat:<schedulerId>:<millis>`: the tick it stands for is read
 * from those millis (undefined when the id has another shape).
 */
export function tickOfJob(spec: StreamSpec, jobId: string | undefined): number | undefined {
  if (jobId === undefined) return undefined;
  const millis = Number(jobId.slice(jobId.lastIndexOf(":") + 1));
  if (!Number.isFinite(millis) || millis <= 0) return undefined;
  return tickForScheduledTime(spec, millis);
}
