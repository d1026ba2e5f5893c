import { describe, expect, it } from "vitest";
import { repeatOptions, schedulerId, tickOfJob } from "../src/bullmq/schedule.js";
import { checkRun } from "../src/checker.js";
import { renderReport } from "../src/report.js";
import { DEFAULT_SCENARIO, faultPlan, makeStreams, tickDueMs } from "../src/scenario.js";

describe("BullMQ schedule", () => {
  const [spec] = makeStreams({ ...DEFAULT_SCENARIO, streams: 1 }, 50_000);
  it("first job at tick 1, one per period, at most `ticks`", () => {
    expect(repeatOptions(spec!)).toEqual({ every: 8_000, startDate: 58_000, limit: 6 });
  });
  it("reads the tick from the scheduled job id", () => {
    const id = `repeat:${schedulerId(spec!.id)}:${tickDueMs(spec!, 3)}`;
    expect(tickOfJob(spec!, id)).toBe(3);
    expect(tickOfJob(spec!, "some-other-id")).toBeUndefined();
    expect(tickOfJob(spec!, undefined)).toBeUndefined();
  });
});

describe("scenario and report", () => {
  it("ends after the grace period and keeps everything down for the outage", () => {
    const p = faultPlan(DEFAULT_SCENARIO, 0);
    expect(p.endMs).toBe((6 + 1.5) * 8_000);
    expect(p.outageMs).toBe(20_000);
  });
  it("puts the measured numbers in the table", () => {
    const s = { ...DEFAULT_SCENARIO, streams: 1, ticks: 2, monthMs: 1_000 };
    const streams = makeStreams(s, 0);
    const check = checkRun(
      streams,
      [{ streamId: streams[0]!.id, amount: 1_000n, ticks: [1], atMs: 1_010, worker: "A" }],
      3_000,
      250,
    );
    const usage = { peakRssMb: 12.5, meanRssMb: 10, cpuSeconds: 1.25 };
    const md = renderReport({
      runs: [
        {
          scenario: s,
          results: [
            {
              engine: "bullmq",
              check,
              infra: usage,
              workers: usage,
              total: usage,
              counts: { jobsCreated: 3 },
              events: [],
              notes: [],
              transfersByWorker: { A: 1 },
            },
          ],
          skipped: { temporal: "dev server missing" },
        },
      ],
      environment: {},
    });
    expect(md).toContain("| **missed** | **1** |");
    expect(md).toContain("| peak RSS, whole stack (MB) | 12.5 |");
    expect(md).toContain("3 jobs");
    expect(md).toContain("dev server missing");
    expect(md).toContain("## Results: 1 streams");
  });
  it("refuses to render nothing", () => {
    expect(() => renderReport({ runs: [], environment: {} })).toThrow(/no runs/);
  });
});
