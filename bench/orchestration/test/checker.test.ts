import { describe, expect, it } from "vitest";
import { checkRun, percentile, type Transfer, tickForScheduledTime, ticksCovered } from "../src/checker.js";
import { DEFAULT_SCENARIO, makeStreams, tickDueMs } from "../src/scenario.js";

const scenario = { ...DEFAULT_SCENARIO, streams: 2, ticks: 3, monthMs: 1_000, amountPerTick: 10n };
const t0 = 100_000;
const streams = makeStreams(scenario, t0);
const [s0, s1] = streams as [(typeof streams)[0], (typeof streams)[0]];
const end = t0 + 4_000;
const tol = 250;

function pay(streamId: string, tick: number, atMs: number, amount = 10n, worker = "A"): Transfer {
  return { streamId, amount, ticks: [tick], atMs, worker };
}

function perfect(): Transfer[] {
  const out: Transfer[] = [];
  for (const s of streams) for (let k = 1; k <= 3; k++) out.push(pay(s.id, k, tickDueMs(s, k) + 10));
  return out;
}

describe("checkRun", () => {
  it("scores a perfect run as all on time", () => {
    const r = checkRun(streams, perfect(), end, tol);
    expect(r).toMatchObject({
      expectedPayouts: 6,
      onTime: 6,
      late: 0,
      missed: 0,
      duplicatePayouts: 0,
      unscheduledPayouts: 0,
    });
    expect(r.overpaid).toBe(0n);
    expect(r.underpaid).toBe(0n);
    expect(r.latenessMaxMs).toBe(10);
  });

  it("counts a tick paid after the tolerance as late", () => {
    const log = perfect().map((t) =>
      t.streamId === s0.id && t.ticks[0] === 2 ? { ...t, atMs: tickDueMs(s0, 2) + 600 } : t,
    );
    const r = checkRun(streams, log, end, tol);
    expect(r.late).toBe(1);
    expect(r.onTime).toBe(5);
    expect(r.latenessMaxMs).toBe(600);
  });

  it("counts a tick never paid as missed and the money as underpaid", () => {
    const log = perfect().filter((t) => !(t.streamId === s1.id && t.ticks[0] === 3));
    const r = checkRun(streams, log, end, tol);
    expect(r.missed).toBe(1);
    expect(r.underpaid).toBe(10n);
  });

  it("counts a tick paid twice as a duplicate and the money as overpaid", () => {
    const log = [...perfect(), pay(s0.id, 1, tickDueMs(s0, 1) + 50, 10n, "B")];
    const r = checkRun(streams, log, end, tol);
    expect(r.duplicatePayouts).toBe(1);
    expect(r.overpaid).toBe(10n);
    expect(r.streamsOverpaidAtSomeInstant).toBe(1);
  });

  it("shows a duplicate that masks a later miss, which the money view alone would hide", () => {
    const log = perfect()
      .filter((t) => !(t.streamId === s0.id && t.ticks[0] === 3))
      .concat(pay(s0.id, 2, tickDueMs(s0, 2) + 100, 10n, "B"));
    const r = checkRun(streams, log, end, tol);
    expect(r.overpaid).toBe(0n);
    expect(r.underpaid).toBe(0n);
    expect(r.duplicatePayouts).toBe(1);
    expect(r.missed).toBe(1);
    expect(r.streamsOverpaidAtSomeInstant).toBe(1);
  });

  it("counts a transfer for no scheduled tick as unscheduled", () => {
    const log = [...perfect(), { streamId: s1.id, amount: 10n, ticks: [], atMs: end - 10, worker: "A" }];
    const r = checkRun(streams, log, end, tol);
    expect(r.unscheduledPayouts).toBe(1);
    expect(r.overpaid).toBe(10n);
  });

  it("ignores ticks due after the end of the run", () => {
    const r = checkRun(streams, [], t0 + 1_500, tol);
    expect(r.expectedPayouts).toBe(2);
    expect(r.missed).toBe(2);
  });

  it("rejects transfers it cannot attribute", () => {
    expect(() => checkRun(streams, [pay("nope", 1, t0)], end, tol)).toThrow(/unknown stream/);
    expect(() => checkRun(streams, [pay(s0.id, 4, t0)], end, tol)).toThrow(/outside/);
    expect(() => checkRun(streams, [pay(s0.id, 1, t0, 0n)], end, tol)).toThrow(/non-positive/);
  });
});

describe("helpers", () => {
  it("ticksCovered lists the ticks a settle paid", () => {
    expect(ticksCovered(10n, 0n, 30n)).toEqual([1, 2, 3]);
    expect(ticksCovered(10n, 10n, 20n)).toEqual([2]);
    expect(ticksCovered(10n, 20n, 20n)).toEqual([]);
  });
  it("tickForScheduledTime rounds a job's scheduled millis to its tick", () => {
    expect(tickForScheduledTime(s0, tickDueMs(s0, 2))).toBe(2);
    expect(tickForScheduledTime(s0, tickDueMs(s0, 2) + 3)).toBe(2);
  });
  it("percentile is nearest-rank", () => {
    expect(percentile([], 0.5)).toBe(0);
    expect(percentile([1, 2, 3, 4], 0.5)).toBe(2);
    expect(percentile([1, 2, 3, 4], 1)).toBe(4);
  });
});
