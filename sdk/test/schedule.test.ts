import { describe, expect, it } from "vitest";
import { ValidationError } from "../src/errors.js";
import { DAY_S, MONTH_S, addMonthsUtc, linear, monthly, openEnded, toUnixSeconds } from "../src/schedule.js";

const iso = (ts: bigint) => new Date(Number(ts) * 1000).toISOString();

describe("monthly", () => {
  it("unlocks on UTC calendar-month boundaries at the start's time of day", () => {
    const s = monthly({ start: new Date("2027-03-15T09:30:00Z"), months: 3, amountPerMonth: 100n });
    expect(s.startTs).toBe(toUnixSeconds(new Date("2027-03-15T09:30:00Z")));
    expect(s.tranches.map((t) => iso(t.unlockTs))).toEqual([
      "2027-04-15T09:30:00.000Z",
      "2027-05-15T09:30:00.000Z",
      "2027-06-15T09:30:00.000Z",
    ]);
    expect(s.tranches.map((t) => t.amount)).toEqual([100n, 100n, 100n]);
  });

  it("moves the 31st to the end of shorter months and back to the 31st in longer ones", () => {
    const s = monthly({ start: new Date("2027-01-31T00:00:00Z"), months: 4, amountPerMonth: 1n });
    expect(s.tranches.map((t) => iso(t.unlockTs).slice(0, 10))).toEqual([
      "2027-02-28",
      "2027-03-31",
      "2027-04-30",
      "2027-05-31",
    ]);
  });

  it("uses Feb 29 in leap years and crosses year boundaries", () => {
    expect(iso(addMonthsUtc(new Date("2028-01-30T12:00:00Z"), 1))).toBe("2028-02-29T12:00:00.000Z");
    expect(iso(addMonthsUtc(new Date("2027-11-30T00:00:00Z"), 3))).toBe("2028-02-29T00:00:00.000Z");
    expect(iso(addMonthsUtc(new Date("2027-12-31T00:00:00Z"), 12))).toBe("2028-12-31T00:00:00.000Z");
  });

  it("splits a total evenly and gives the last month the remainder, summing exactly", () => {
    const s = monthly({ start: 0n, months: 3, total: 100n });
    expect(s.tranches.map((t) => t.amount)).toEqual([33n, 33n, 34n]);
    expect(s.tranches.reduce((a, t) => a + t.amount, 0n)).toBe(100n);
  });

  it("can unlock the first month at the start", () => {
    const s = monthly({ start: 0n, months: 2, amountPerMonth: 5n, firstAtStart: true });
    expect(s.tranches.map((t) => iso(t.unlockTs).slice(0, 10))).toEqual(["1970-01-01", "1970-02-01"]);
  });

  it("rejects bad arguments naming the field", () => {
    expect(() => monthly({ start: 0n, months: 0, amountPerMonth: 1n })).toThrow(
      /months: must be an integer in 1..=240/,
    );
    expect(() => monthly({ start: 0n, months: 2 })).toThrow(/amountPerMonth: give exactly one/);
    expect(() => monthly({ start: 0n, months: 3, total: 2n })).toThrow(ValidationError);
  });
});

describe("linear and openEnded", () => {
  it("builds a linear schedule from a duration and a cliff in seconds", () => {
    expect(linear({ start: 1000n, durationS: 30n * DAY_S, cliffS: DAY_S, deposit: 5n })).toEqual({
      kind: "linear",
      startTs: 1000n,
      cliffTs: 1000n + DAY_S,
      endTs: 1000n + 30n * DAY_S,
      deposit: 5n,
    });
    expect(linear({ start: 0n, end: new Date(1000_000), deposit: 1n }).endTs).toBe(1000n);
    expect(() => linear({ start: 0n, deposit: 1n })).toThrow(/exactly one of end and durationS/);
  });

  it("builds an open-ended rate that starts when the transaction lands unless told", () => {
    expect(openEnded({ amountPerPeriod: 100n, periodS: MONTH_S, deposit: 1n })).toEqual({
      kind: "openEnded",
      amountPerPeriod: 100n,
      periodS: 2_629_800n,
      startTs: 0n,
      deposit: 1n,
    });
    expect(openEnded({ amountPerPeriod: 1n, periodS: DAY_S, start: 50n, deposit: 9n }).startTs).toBe(50n);
  });
});
