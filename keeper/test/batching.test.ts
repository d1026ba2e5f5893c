import { describe, expect, it } from "vitest";
import { BatchSizer, exceeded, fitCount, HEADROOM, halves, SetAside, type Usage } from "../src/batching.js";

const usage = (over: Partial<Usage> = {}): Usage => ({
  instructions: 1_000_000,
  diskReadEntries: 10,
  diskReadBytes: 1_000,
  writeEntries: 20,
  writeBytes: 5_000,
  footprintEntries: 30,
  txSizeBytes: 2_000,
  eventsBytes: 3_000,
  ...over,
});

describe("exceeded", () => {
  it("names every limit a usage passes (with headroom), none when limits are unknown", () => {
    expect(exceeded(usage(), {})).toEqual([]);
    expect(exceeded(usage(), { txMaxWriteLedgerEntries: 20, txMaxContractEventsSizeBytes: 16_384 })).toEqual([
      "writeEntries",
    ]);
    expect(exceeded(usage({ writeEntries: 18 }), { txMaxWriteLedgerEntries: 20 })).toEqual([]);
    expect(exceeded(usage({ writeEntries: 19 }), { txMaxWriteLedgerEntries: 20 })).toEqual(["writeEntries"]);
  });
});

describe("fitCount", () => {
  it("extrapolates linearly to the binding limit", () => {
    // 10 streams used 20 writes: 2 each; 200 * 0.9 = 180 writes -> 90 streams.
    expect(fitCount(10, usage(), { txMaxWriteLedgerEntries: 200 }, 200)).toBe(90);
    // events bind first: 3,000 bytes for 10 -> 16,384 * 0.9 / 300 = 49.
    expect(
      fitCount(10, usage(), { txMaxWriteLedgerEntries: 200, txMaxContractEventsSizeBytes: 16_384 }, 200),
    ).toBe(49);
    expect(fitCount(10, usage(), {}, 200)).toBe(200);
    expect(fitCount(10, usage({ writeEntries: 10_000 }), { txMaxWriteLedgerEntries: 200 }, 200)).toBe(1);
    expect(HEADROOM).toBeLessThan(1);
  });
});

describe("BatchSizer", () => {
  it("starts at the contract's cap, fits to limits, and never grows past a rejected size", () => {
    const s = new BatchSizer(200);
    expect(s.size).toBe(200);
    s.observe(200, usage({ writeEntries: 400 }), { txMaxWriteLedgerEntries: 200 });
    expect(s.size).toBe(90);
    s.rejected(90);
    expect(s.size).toBe(45);
    s.observe(45, usage({ writeEntries: 10 }), { txMaxWriteLedgerEntries: 200 });
    expect(s.size).toBe(45);
    s.rejected(1);
    expect(s.size).toBe(1);
  });
});

describe("SetAside", () => {
  it("backs off exponentially up to a ceiling, and forgets a stream that paid", () => {
    const a = new SetAside(1_000, 5_000);
    expect(a.add(7n, "hostile", 0).untilMs).toBe(1_000);
    expect(a.has(7n, 999)).toBe(true);
    expect(a.has(7n, 1_000)).toBe(false);
    expect(a.add(7n, "hostile", 1_000).untilMs).toBe(3_000);
    expect(a.add(7n, "hostile", 3_000).untilMs).toBe(7_000);
    expect(a.add(7n, "hostile", 7_000).untilMs).toBe(12_000);
    expect(a.get(7n)?.failures).toBe(4);
    expect(a.count(7_000)).toBe(1);
    a.clear(7n);
    expect(a.count(7_000)).toBe(0);
  });
});

describe("halves", () => {
  it("splits for bisection", () => {
    expect(halves([1, 2, 3])).toEqual([[1, 2], [3]]);
    expect(halves([1])).toEqual([[1], []]);
  });
});
