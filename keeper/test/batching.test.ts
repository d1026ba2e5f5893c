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
  it("names every limit a usage passes, none when limits are unknown", () => {
    expect(exceeded(usage(), {})).toEqual([]);
    expect(exceeded(usage(), { txMaxWriteLedgerEntries: 19, txMaxContractEventsSizeBytes: 16_384 })).toEqual([
      "writeEntries",
    ]);
    // Declared resources and events may use the whole limit: the network checks exactly them.
    expect(exceeded(usage({ writeEntries: 20 }), { txMaxWriteLedgerEntries: 20 })).toEqual([]);
    expect(exceeded(usage({ writeEntries: 21 }), { txMaxWriteLedgerEntries: 20 })).toEqual(["writeEntries"]);
    // Instructions keep a 10% margin.
    expect(exceeded(usage({ instructions: 90 }), { txMaxInstructions: 100 })).toEqual([]);
    expect(exceeded(usage({ instructions: 91 }), { txMaxInstructions: 100 })).toEqual(["instructions"]);
  });

  it("accepts settle_many of 48 linear streams within pubnet's event budget and refuses 49", () => {
    // docs/benchmarks/contract.md: 340 event bytes a stream plus the 20-byte return value.
    const limits = { txMaxContractEventsSizeBytes: 16_384, txMaxWriteLedgerEntries: 200 };
    const at = (n: number) => usage({ eventsBytes: 340 * n + 20, writeEntries: 2 * n + 1 });
    expect(exceeded(at(48), limits)).toEqual([]);
    expect(exceeded(at(49), limits)).toEqual(["eventsBytes"]);
    expect(HEADROOM.eventsBytes).toBe(1);
    expect(HEADROOM.instructions).toBeLessThan(1);
  });
});

describe("fitCount", () => {
  it("extrapolates linearly to the binding limit", () => {
    // 10 streams used 20 writes: 2 each; 200 writes -> 100 streams.
    expect(fitCount(10, usage(), { txMaxWriteLedgerEntries: 200 }, 200)).toBe(100);
    // events bind first: 3,000 bytes for 10 -> 16,384 / 300 = 54.
    expect(
      fitCount(10, usage(), { txMaxWriteLedgerEntries: 200, txMaxContractEventsSizeBytes: 16_384 }, 200),
    ).toBe(54);
    // instructions keep their margin: 1,000,000 for 10 -> 9,000,000 * 0.9 / 100,000 = 81.
    expect(fitCount(10, usage(), { txMaxInstructions: 9_000_000 }, 200)).toBe(81);
    expect(fitCount(10, usage(), {}, 200)).toBe(200);
    expect(fitCount(10, usage({ writeEntries: 10_000 }), { txMaxWriteLedgerEntries: 200 }, 200)).toBe(1);
  });

  it("reaches 48 from a first simulation of the contract's cap (200) and stays there", () => {
    const limits = { txMaxContractEventsSizeBytes: 16_384 };
    const at = (n: number) => usage({ eventsBytes: 340 * n + 20 });
    expect(fitCount(200, at(200), limits, 200)).toBe(48);
    expect(fitCount(48, at(48), limits, 200)).toBe(48);
  });
});

describe("BatchSizer", () => {
  it("starts at the contract's cap, fits to limits, and never grows past a rejected size", () => {
    const s = new BatchSizer(200);
    expect(s.size).toBe(200);
    s.observe(200, usage({ writeEntries: 400 }), { txMaxWriteLedgerEntries: 200 });
    expect(s.size).toBe(100);
    s.rejected(100);
    expect(s.size).toBe(50);
    s.observe(50, usage({ writeEntries: 10 }), { txMaxWriteLedgerEntries: 200 });
    expect(s.size).toBe(50);
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
