/**
 * Schedule builders: `ScheduleParams` for `create`, in explicit units.
 *
 * - Instants are unix seconds or a `Date`; durations are seconds.
 * - Amounts are token base units: 1 USDC with 7 decimals is `10_000_000n`.
 * - Integers are accepted as `bigint`, safe-integer `number` or decimal string, exactly
 *   as `create` accepts them, and every builder checks its result with the same rules
 *   as `create` (a {@link ValidationError} naming each wrong field), so a schedule that
 *   builds is one `create` accepts offline.
 *
 * @module schedule
 */

import * as v from "./client/validation.js";
import { ValidationError, type ValidationIssue } from "./errors.js";
import type { IntegerInput, LinearParams, OpenEndedParams, Tranche, TranchedParams } from "./types.js";

/** Seconds in a day. */
export const DAY_S = 86_400n;
/** Seconds in a week. */
export const WEEK_S = 7n * DAY_S;
/** Seconds in a Julian year (365.25 days), the contract's year. */
export const YEAR_S = 31_557_600n;
/** An average month, `YEAR_S / 12` = 30.4375 days. For calendar months use {@link monthly}. */
export const MONTH_S = YEAR_S / 12n;

/** An instant: unix seconds (`bigint`, safe-integer `number` or decimal string) or a `Date` (its sub-second part is dropped). */
export type Instant = IntegerInput | Date;

/** Unix seconds of an {@link Instant}. */
export function toUnixSeconds(t: Instant): bigint {
  return instant("toUnixSeconds", "t", t);
}

function instant(method: string, path: string, t: Instant): bigint {
  if (t instanceof Date) {
    const ms = t.getTime();
    if (Number.isNaN(ms)) throw new ValidationError(method, [{ path, message: "must be a valid Date" }]);
    return BigInt(Math.floor(ms / 1000));
  }
  return v.parse(method, v.seconds, t, path);
}

/**
 * Parses each named input with its schema, collecting every problem; then the
 * result with `create`'s schedule rules (paths as in `CreateParams.schedule`).
 */
function fields<K extends string>(
  method: string,
  inputs: Record<K, [schema: typeof v.u64, value: unknown] | undefined>,
): Record<K, bigint | undefined> {
  const issues: ValidationIssue[] = [];
  const out = {} as Record<K, bigint | undefined>;
  for (const k of Object.keys(inputs) as K[]) {
    const entry = inputs[k];
    if (!entry || entry[1] === undefined) continue;
    try {
      out[k] =
        entry[1] instanceof Date ? instant(method, k, entry[1]) : v.parse(method, entry[0], entry[1], k);
    } catch (e) {
      if (e instanceof ValidationError) issues.push(...e.issues);
      else throw e;
    }
  }
  if (issues.length) throw new ValidationError(method, issues);
  return out;
}

function checked<T>(method: string, schedule: T): T {
  return v.parse(method, v.scheduleParams, schedule) as T;
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
  /** Number of monthly unlocks, 1..=`MAX_TRANCHES`. */
  months: number;
  /** Base units unlocked each month. */
  amountPerMonth?: IntegerInput;
  /**
   * Base units in total, split evenly: each month gets `floor(total / months)` and the
   * last month also gets the remainder, so the sum is exactly `total` and nothing
   * unlocks early (floor, like the contract).
   */
  total?: IntegerInput;
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
  const issues: ValidationIssue[] = [];
  if (!Number.isInteger(opts.months) || opts.months < 1 || opts.months > v.MAX_TRANCHES)
    issues.push({
      path: "months",
      message: `must be an integer in 1..=${v.MAX_TRANCHES} (the contract's MAX_TRANCHES)`,
    });
  if ((opts.amountPerMonth === undefined) === (opts.total === undefined))
    issues.push({ path: "amountPerMonth", message: "give exactly one of amountPerMonth and total" });
  let f: Record<"start" | "amountPerMonth" | "total", bigint | undefined> | undefined;
  try {
    f = fields("monthly", {
      start: [v.seconds, opts.start],
      amountPerMonth: [v.positiveAmount, opts.amountPerMonth],
      total: [v.positiveAmount, opts.total],
    });
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e;
    issues.push(...e.issues);
  }
  if (f?.total !== undefined && issues.length === 0 && f.total < BigInt(opts.months))
    issues.push({ path: "total", message: "must be at least one base unit per month" });
  if (issues.length || !f) throw new ValidationError("monthly", issues);
  const startTs = f.start!;
  const n = opts.months;
  const per = f.amountPerMonth ?? f.total! / BigInt(n);
  const last = f.amountPerMonth ?? f.total! - per * BigInt(n - 1);
  const offset = opts.firstAtStart ? 0 : 1;
  const tranches: Tranche[] = [];
  for (let i = 0; i < n; i++) {
    tranches.push({ unlockTs: addMonthsUtc(startTs, i + offset), amount: i === n - 1 ? last : per });
  }
  return checked("monthly", { kind: "tranched", startTs, tranches });
}

/** Options for {@link linear}. Give exactly one of `end` and `durationS`. */
export interface LinearOptions {
  start: Instant;
  /** End instant (everything accrued from then on); becomes `endTs`. */
  end?: Instant;
  /** Or: seconds from `start` to the end. */
  durationS?: IntegerInput;
  /** Seconds after `start` before which nothing is withdrawable (then pro rata from `start`). Default 0. */
  cliffS?: IntegerInput;
  /** Base units streamed over the whole duration. */
  deposit: IntegerInput;
  /** Base units of the deposit unlocked at `start` (e.g. 10% at launch). Default 0. */
  startUnlock?: IntegerInput;
  /** Base units of the deposit unlocked at the cliff; the rest streams linearly. Default 0. */
  cliffUnlock?: IntegerInput;
}

/**
 * A linear schedule, optionally with a cliff and unlock amounts at the start and the cliff.
 * Without unlocks, accrual is `floor(deposit * elapsed / duration)`.
 */
export function linear(opts: LinearOptions): LinearParams {
  if ((opts.end === undefined) === (opts.durationS === undefined))
    throw new ValidationError("linear", [{ path: "end", message: "give exactly one of end and durationS" }]);
  const f = fields("linear", {
    start: [v.seconds, opts.start],
    end: [v.seconds, opts.end],
    durationS: [v.u64, opts.durationS],
    cliffS: [v.u64, opts.cliffS],
    deposit: [v.positiveAmount, opts.deposit],
    startUnlock: [v.nonNegativeAmount, opts.startUnlock],
    cliffUnlock: [v.nonNegativeAmount, opts.cliffUnlock],
  });
  const startTs = f.start!;
  const endTs = f.end ?? startTs + f.durationS!;
  const cliffTs = startTs + (f.cliffS ?? 0n);
  return checked("linear", {
    kind: "linear",
    startTs,
    cliffTs,
    endTs,
    deposit: f.deposit!,
    startUnlock: f.startUnlock ?? 0n,
    cliffUnlock: f.cliffUnlock ?? 0n,
  });
}

/** Options for {@link openEnded}. */
export interface OpenEndedOptions {
  /** Base units per period. */
  amountPerPeriod: IntegerInput;
  /** Period length in seconds (e.g. {@link DAY_S}, {@link MONTH_S}); fixed for the stream's life. */
  periodS: IntegerInput;
  /** Start instant; omit for "when the creating transaction lands". Must not be in the past. */
  start?: Instant;
  /**
   * Initial funding in base units; must be positive (the contract refuses 0 with
   * `InvalidAmount`: the deposit is what proves the token is a token). Top up later.
   */
  deposit: IntegerInput;
}

/** An open-ended rate: `amountPerPeriod` every `periodS` seconds, accruing every second, until canceled. */
export function openEnded(opts: OpenEndedOptions): OpenEndedParams {
  const f = fields("openEnded", {
    amountPerPeriod: [v.positiveAmount, opts.amountPerPeriod],
    periodS: [v.u64, opts.periodS],
    start: [v.seconds, opts.start],
    deposit: [v.positiveAmount, opts.deposit],
  });
  return checked("openEnded", {
    kind: "openEnded",
    amountPerPeriod: f.amountPerPeriod!,
    periodS: f.periodS!,
    startTs: f.start ?? 0n,
    deposit: f.deposit!,
  });
}
