import { describe, expect, it } from "vitest";
import {
  PRODUCTION_BULL_SWEEP,
  scaledBullSweepTiming,
  settleJob,
  settleJobId,
  sweepTemplate,
} from "../src/bullmq-sweep/plan.js";
import { DEFAULT_SCENARIO, makeStreams } from "../src/scenario.js";
import { batchRef, PRODUCTION_SWEEP, scaledSweepTiming } from "../src/temporal-sweep/plan.js";

describe("Temporal Schedule + sweep configuration", () => {
  it("production: a sweep every 5 minutes, submit outlives the envelope's 60 s validity, heartbeats detect a dead worker first", () => {
    expect(PRODUCTION_SWEEP.intervalMs).toBe(300_000);
    expect(PRODUCTION_SWEEP.submitStartToCloseMs).toBeGreaterThan(60_000);
    expect(PRODUCTION_SWEEP.submitHeartbeatMs).toBeLessThan(PRODUCTION_SWEEP.submitStartToCloseMs);
    expect(PRODUCTION_SWEEP.workflowRunTimeoutMs).toBeGreaterThan(PRODUCTION_SWEEP.intervalMs);
  });
  it("scaled: respects Temporal's floors (interval >= 1 s, catchup window >= 10 s)", () => {
    const t = scaledSweepTiming(8_000, 1_000);
    expect(t.intervalMs).toBe(1_000);
    expect(t.catchupWindowMs).toBe(10_000);
    expect(t.submitHeartbeatMs).toBeLessThan(t.submitStartToCloseMs);
    expect(scaledSweepTiming(16_000, 1_000).catchupWindowMs).toBe(16_000);
    expect(() => scaledSweepTiming(8_000, 500)).toThrow(RangeError);
  });
  it("a batch's reference names the run and the batch", () => {
    expect(batchRef("w", "r", 3)).toBe("w/r#3");
  });
});

describe("BullMQ job scheduler + sweep configuration", () => {
  const [spec] = makeStreams({ ...DEFAULT_SCENARIO, streams: 1 }, 0);
  it("dedup ids are settle:<stream>:<period>, the only ':' shape BullMQ accepts for custom ids", () => {
    expect(settleJobId("s00001", 2)).toBe("settle:s00001:2");
    expect(settleJobId("s00001", 2).split(":")).toHaveLength(3);
    expect(() => settleJobId("a:b", 1)).toThrow(RangeError);
    expect(() => settleJobId("s", 0)).toThrow(RangeError);
  });
  it("the settle job names the latest due period, so two sweeps in one period add it once", () => {
    const t = scaledBullSweepTiming(8_000, 1_000);
    expect(settleJob(spec!, 8_000 * 2 + 10, t).opts.jobId).toBe(`settle:${spec!.id}:2`);
    expect(settleJob(spec!, 8_000 * 2 + 5_000, t).opts.jobId).toBe(`settle:${spec!.id}:2`);
    expect(settleJob(spec!, 8_000 * 3, t).opts.jobId).toBe(`settle:${spec!.id}:3`);
    expect(settleJob(spec!, 8_000 * 3, t).opts.removeOnComplete.age).toBe(16);
  });
  it("sweeps retry with backoff and keep a bounded history; production keeps dedup ids past a pay period", () => {
    const tpl = sweepTemplate(PRODUCTION_BULL_SWEEP);
    expect(tpl.name).toBe("sweep");
    expect(tpl.opts.attempts).toBeGreaterThan(1);
    expect(tpl.opts.removeOnComplete.count).toBe(100);
    expect(PRODUCTION_BULL_SWEEP.keepCompletedS).toBeGreaterThan(31 * 86_400);
    expect(() => scaledBullSweepTiming(0, 1)).toThrow(RangeError);
  });
});
