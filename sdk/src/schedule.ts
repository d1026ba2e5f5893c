/**
 * Schedule builders: `ScheduleParams` for `create`, in explicit units.
 *
 * - Instants are unix seconds (`bigint`) or a `Date`; durations are seconds.
 * - Amounts are token base units (`bigint`): 1 USDC with 7 decimals is `10_000_000n`.
 *
 * @module schedule
 */

import { ValidationError } from "./errors.js";
import type { LinearParams, OpenEndedParams, Tranche, TranchedParams } from "./types.js";

/** Seconds in a day. */
export const DAY_S = 86_400n;
/** Seconds in a week. */
export const WEEK_S = 7n * DAY_S;
/** Seconds in a Julian year (365.25 days), the contract's year. */
export const YEAR_S = 31_557_600n;
/** An average month, `YEAR_S / 12` = 30.4375 days. For calendar months use {@link monthly}. */
export const MONTH_S = YEAR_S / 12n;

/** An instant: unix seconds or a `Date` (its sub-second part is dropped). */
export type Instant = bigint | number | Date;

/** Unix seconds of an {@link Instant}. */
export function toUnixSeconds(t: Instant): bigint {
  if (t instanceof Date) {
    const ms = t.getTime();
    if (Number.isNaN(ms))
      throw new ValidationError("toUnixSeconds", [{ path: "t", message: "must be a valid Date" }]);
    return BigInt(Math.floor(ms / 1000));
  }
  if (typeof t === "number" && !Number.isSafeInteger(t))
    throw new ValidationError("toUnixSeconds", [
      { path: "t", message: "must be an integer number of seconds" },
    ]);
  return BigInt(t);
}

function daysInMonthUtc(year: number, month0: number): number {
  return new Date(Date.UTC(year, month0 + 1, 0)).getUTCDate();
}

/**
 * The instant `months` calendar months after `start`, in UTC, at the same time of
 * day. The day of month is `start`'s, clamped to the last day of shorter months:
 * from Jan 31, +1 is Feb 28 (29 in leap years), +2 is Mar 31 (the anchor day is
 * kept, it does not drift to the 28th).
 */
export function addMonthsUtc(start: Instant, months: number): bigint {
  const s = toUnixSeconds(start);
  const d = new Date(Number(s) * 1000);
  const anchorDay = d.getUTCDate();
  const total = d.getUTCMonth() + months;
  const year = d.getUTCFullYear() + Math.floor(total / 12);
  const month0 = ((total % 12) + 12) % 12;
  const day = Math.min(anchorDay, daysInMonthUtc(year, month0));
  const ms = Date.UTC(year, month0, day, d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds());
  return BigInt(ms / 1000);
}

/** Options for {@link monthly}. Give exactly one of `amountPerMonth` and `total`. */
export interface MonthlyOptions {
  /** When the schedule starts; the first unlock is one calendar month later (UTC). */
  start: Instant;
  /** Number of monthly unlocks, 1..=240. */
  months: number;
  /** Base units unlocked each month. */
  amountPerMonth?: bigint;
  /**
   * Base units in total, split evenly: each month gets `floor(total / months)` and the
   * last month also gets the remainder, so the sum is exactly `total` and nothing
   * unlocks early (floor, like the contract).
   */
  total?: bigint;
  /** Unlock the first tranche at `start` itself instead of one month later. Default false. */
  firstAtStart?: boolean;
}

/**
 * A tranched schedule that unlocks on UTC calendar-month boundaries: the tranche `i`
 * (1-based) unlocks at {@link addMonthsUtc}`(start, i)` (or `i - 1` with
 * `firstAtStart`). A start on the 29th-31st unlocks on the last day of shorter
 * months and on the anchor day again in longer ones.
 *
 * @example 12 monthly salary payments of 5,000 USDC (7 decimals) from Jan 31 2027:
 * ```ts
 * monthly({ start: new Date("2027-01-31T00:00:00Z"), months: 12, amountPerMonth: 5_000n * 10_000_000n })
 * // unlocks 2027-02-28, 2027-03-31, 2027-04-30, ...
 * ```
 */
export function monthly(opts: MonthlyOptions): TranchedParams {
  const issues = [];
  if (!Number.isInteger(opts.months) || opts.months < 1 || opts.months > 240)
    issues.push({ path: "months", message: "must be an integer in 1..=240 (the contract's MAX_TRANCHES)" });
  if ((opts.amountPerMonth === undefined) === (opts.total === undefined))
    issues.push({ path: "amountPerMonth", message: "give exactly one of amountPerMonth and total" });
  if (opts.amountPerMonth !== undefined && opts.amountPerMonth <= 0n)
    issues.push({ path: "amountPerMonth", message: "must be > 0 base units" });
  if (
    opts.total !== undefined &&
    Number.isInteger(opts.months) &&
    opts.months > 0 &&
    opts.total < BigInt(opts.months)
  )
    issues.push({ path: "total", message: "must be at least one base unit per month" });
  if (issues.length) throw new ValidationError("monthly", issues);
  const startTs = toUnixSeconds(opts.start);
  const n = opts.months;
  const per = opts.amountPerMonth ?? opts.total! / BigInt(n);
  const last = opts.amountPerMonth ?? opts.total! - per * BigInt(n - 1);
  const offset = opts.firstAtStart ? 0 : 1;
  const tranches: Tranche[] = [];
  for (let i = 0; i < n; i++) {
    tranches.push({ unlockTs: addMonthsUtc(startTs, i + offset), amount: i === n - 1 ? last : per });
  }
  return { kind: "tranched", startTs, tranches };
}

/** Options for {@link linear}. Give exactly one of `endTs` and `durationS`. */
export interface LinearOptions {
  start: Instant;
  /** End instant (everything accrued from then on). */
  end?: Instant;
  /** Or: seconds from `start` to the end. */
  durationS?: bigint;
  /** Seconds after `start` before which nothing is withdrawable (then pro rata from `start`). Default 0. */
  cliffS?: bigint;
  /** Base units streamed over the whole duration. */
  deposit: bigint;
}

/** A linear schedule, optionally with a cliff. Accrual is `floor(deposit * elapsed / duration)`. */
export function linear(opts: LinearOptions): LinearParams {
  const startTs = toUnixSeconds(opts.start);
  if ((opts.end === undefined) === (opts.durationS === undefined))
    throw new ValidationError("linear", [{ path: "end", message: "give exactly one of end and durationS" }]);
  const endTs = opts.end !== undefined ? toUnixSeconds(opts.end) : startTs + opts.durationS!;
  const cliffTs = startTs + (opts.cliffS ?? 0n);
  return { kind: "linear", startTs, cliffTs, endTs, deposit: opts.deposit };
}

/** Options for {@link openEnded}. */
export interface OpenEndedOptions {
  /** Base units per period. */
  amountPerPeriod: bigint;
  /** Period length in seconds (e.g. {@link DAY_S}, {@link MONTH_S}); fixed for the stream's life. */
  periodS: bigint;
  /** Start instant; omit for "when the creating transaction lands". Must not be in the past. */
  start?: Instant;
  /**
   * Initial funding in base units; must be positive (the contract refuses 0 with
   * `InvalidAmount`: the deposit is what proves the token is a token). Top up later.
   */
  deposit: bigint;
}

/** An open-ended rate: `amountPerPeriod` every `periodS` seconds, accruing every second, until canceled. */
export function openEnded(opts: OpenEndedOptions): OpenEndedParams {
  return {
    kind: "openEnded",
    amountPerPeriod: opts.amountPerPeriod,
    periodS: opts.periodS,
    startTs: opts.start === undefined ? 0n : toUnixSeconds(opts.start),
    deposit: opts.deposit,
  };
}
