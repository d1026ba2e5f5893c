import { describe, expect, it } from "vitest";
import { ValidationError } from "../src/errors.js";
import { addMonthsUtc, DAY_S, linear, MONTH_S, monthly, openEnded, toUnixSeconds } from "../src/schedule.js";

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
      startUnlock: 0n,
      cliffUnlock: 0n,
    });
    // Unlock amounts at the start and at the cliff (the rest streams linearly).
    expect(
      linear({
        start: 1000n,
        durationS: 100n,
        cliffS: 10n,
        deposit: 100n,
        startUnlock: 10n,
        cliffUnlock: 20n,
      }),
    ).toMatchObject({ startUnlock: 10n, cliffUnlock: 20n });
    expect(() =>
      linear({ start: 1000n, durationS: 100n, deposit: 10n, startUnlock: 6n, cliffUnlock: 5n }),
    ).toThrow(/InvalidUnlockAmounts/);
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

describe("builders accept what create accepts and validate the same way", () => {
  it("take safe numbers and decimal strings as well as bigints, with the same result", () => {
    const big = linear({ start: 1000n, durationS: 86_400n, cliffS: 60n, deposit: 5_000n });
    expect(linear({ start: 1000, durationS: 86_400, cliffS: 60, deposit: 5_000 })).toEqual(big);
    expect(linear({ start: "1000", durationS: "86400", cliffS: "60", deposit: "5000" })).toEqual(big);
    expect(monthly({ start: 0, months: 3, total: "100" }).tranches.map((t) => t.amount)).toEqual([
      33n,
      33n,
      34n,
    ]);
    expect(monthly({ start: "0", months: 2, amountPerMonth: 7 }).tranches.map((t) => t.amount)).toEqual([
      7n,
      7n,
    ]);
    expect(openEnded({ amountPerPeriod: 100, periodS: "86400", start: 50, deposit: "9" })).toEqual({
      kind: "openEnded",
      amountPerPeriod: 100n,
      periodS: 86_400n,
      startTs: 50n,
      deposit: 9n,
    });
  });

  it("name every wrong field with create's rules instead of throwing raw TypeErrors", () => {
    const err = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(ValidationError);
        return (e as ValidationError).issues.map((i) => `${i.path}: ${i.message}`);
      }
      throw new Error("did not throw");
    };
    expect(err(() => linear({ start: 1.5, durationS: "ten", deposit: 0 }))).toEqual([
      "start: must be an integer (bigint, number or decimal string)",
      "durationS: must be a decimal integer string",
      "deposit: must be a positive amount in base units (> 0)",
    ]);
    expect(err(() => linear({ start: Number.MAX_SAFE_INTEGER + 1, end: 5, deposit: 1 }))[0]).toMatch(
      /^start: must be an? (safe )?integer/,
    );
    // The contract's rules on the result, as create checks them.
    expect(err(() => linear({ start: 100, end: 100, deposit: 1 }))).toEqual([
      "endTs: must be after startTs (InvalidTimeRange)",
    ]);
    expect(err(() => linear({ start: 100, durationS: 10, cliffS: 11, deposit: 1 }))).toEqual([
      "cliffTs: must lie in [startTs, endTs] (InvalidCliff)",
    ]);
    expect(err(() => openEnded({ amountPerPeriod: 1, periodS: 0, deposit: 1 }))).toEqual([
      "periodS: must be >= 1 second (InvalidPeriod)",
    ]);
    expect(err(() => monthly({ start: 0, months: 2, amountPerMonth: -1 }))).toEqual([
      "amountPerMonth: must be a positive amount in base units (> 0)",
    ]);
  });
});
