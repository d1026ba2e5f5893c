import { describe, expect, it } from "vitest";
import { decideSettlements, owedAt, periodsElapsed, settleAmount } from "../src/accrual.js";
import type { StreamSpec } from "../src/scenario.js";

const spec: StreamSpec = { id: "s1", startMs: 1_000, periodMs: 100, ticks: 3, amountPerTick: "7" };

describe("periodsElapsed", () => {
  it("is zero before and at the start", () => {
    expect(periodsElapsed(spec, 0)).toBe(0);
    expect(periodsElapsed(spec, 1_000)).toBe(0);
  });
  it("counts a period only once it has fully elapsed (floor)", () => {
    expect(periodsElapsed(spec, 1_099)).toBe(0);
    expect(periodsElapsed(spec, 1_100)).toBe(1);
    expect(periodsElapsed(spec, 1_299)).toBe(2);
  });
  it("is clamped to the number of ticks", () => {
    expect(periodsElapsed(spec, 1_300)).toBe(3);
    expect(periodsElapsed(spec, 99_999)).toBe(3);
  });
});

describe("settleAmount", () => {
  it("pays what accrued minus what was paid", () => {
    expect(owedAt(spec, 1_250)).toBe(14n);
    expect(settleAmount(spec, 7n, 1_250)).toBe(7n);
  });
  it("pays nothing the second time at the same instant (idempotent)", () => {
    const first = settleAmount(spec, 0n, 1_250);
    expect(first).toBe(14n);
    expect(settleAmount(spec, first, 1_250)).toBe(0n);
  });
  it("never goes negative when more was paid than owed", () => {
    expect(settleAmount(spec, 100n, 1_250)).toBe(0n);
  });
  it("pays exactly the schedule over any sequence of settle times", () => {
    // deterministic pseudo-random walk over settle instants, including repeats and out-of-order calls
    let seed = 42;
    const rand = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let run = 0; run < 200; run++) {
      let paid = 0n;
      let now = 900;
      for (let step = 0; step < 20; step++) {
        now += Math.floor(rand() * 60) - 10; // time may even step back: settle must stay safe
        const pay = settleAmount(spec, paid, now);
        expect(pay >= 0n).toBe(true);
        paid += pay;
        expect(paid <= owedAt(spec, Math.max(now, 0)) || pay === 0n).toBe(true);
      }
      paid += settleAmount(spec, paid, 5_000);
      expect(paid).toBe(21n);
    }
  });
});

describe("decideSettlements", () => {
  const states = ["a", "b", "c", "d", "e"].map((id, i) => ({
    spec: { ...spec, id },
    paid: i % 2 === 0 ? 0n : 7n, // b and d are already paid for tick 1
  }));
  it("selects only streams that owe something, in batches", () => {
    expect(decideSettlements(states, 1_150, 2)).toEqual([["a", "c"], ["e"]]);
  });
  it("selects nothing before the first tick", () => {
    expect(decideSettlements(states, 1_050, 2)).toEqual([]);
  });
  it("selects everyone once a new tick is due", () => {
    expect(decideSettlements(states, 1_200, 10)).toEqual([["a", "b", "c", "d", "e"]]);
  });
  it("rejects a batch size below one", () => {
    expect(() => decideSettlements(states, 1_200, 0)).toThrow(RangeError);
  });
});
