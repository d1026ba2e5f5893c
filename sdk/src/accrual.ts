/**
 * Accrual math: a bigint mirror of the contract's `stream::math` module
 * (`contracts/stream/src/math.rs`), one function per Rust function, checked
 * against every case of `test/vectors/accrual.json`.
 *
 * Units: amounts are token base units (i128 in the contract, `bigint` here), times
 * are unix seconds (u64, `bigint`; suffix `Ts` for instants, `S` for durations).
 *
 * # Rounding
 * Everything is floored, exactly as the contract floors what leaves it. Open-ended
 * streams carry the sub-unit part as `remainder` (in units of `1 / periodS` base
 * unit), so accrual never drifts from the ideal schedule.
 *
 * # Overflow
 * The Rust code uses checked i128/u64 arithmetic; where it returns `Err(Overflow)` or
 * `None` these functions return `null`; where it saturates, so do these.
 *
 * Pure: no I/O, safe in browsers, usable for a live-ticking balance and for a
 * keeper's due-ness decisions.
 *
 * @module accrual
 */

import { MAX_DURATION_S } from "./generated/contract-limits.js";
import type { Amounts, StatusView, Stream, Tranche } from "./types.js";

/** `i128::MAX`. */
export const I128_MAX = (1n << 127n) - 1n;
/** `i128::MIN`. */
export const I128_MIN = -(1n << 127n);
/** `u64::MAX`. */
export const U64_MAX = (1n << 64n) - 1n;
export { MAX_DURATION_S } from "./generated/contract-limits.js";

function fitsI128(v: bigint): boolean {
  return v >= I128_MIN && v <= I128_MAX;
}

/**
 * `floor(a * b / d)` for `a >= 0`, `d > 0`; `null` when the result exceeds `i128::MAX`.
 *
 * Mirrors math::mul_div_floor (`contracts/stream/src/math.rs`), including
 * its evaluation order `q*b + floor(r*b/d)` with `a = q*d + r`, so the overflow
 * boundary is the same.
 */
export function mulDivFloor(a: bigint, b: bigint, d: bigint): bigint | null {
  const q = a / d;
  const r = a % d;
  const frac = (r * b) / d;
  const qb = q * b;
  if (!fitsI128(qb)) return null;
  const out = qb + frac;
  return fitsI128(out) ? out : null;
}

/**
 * Linear stream with an optional cliff (`cliffTs == startTs` for none): 0 before the
 * cliff, `floor(deposit * (t - startTs) / (endTs - startTs))` in between, all of
 * `deposit` from `endTs` on.
 *
 * Mirrors math::linear_accrued.
 */
export function linearAccrued(
  deposit: bigint,
  startTs: bigint,
  cliffTs: bigint,
  endTs: bigint,
  t: bigint,
): bigint {
  if (t < cliffTs || t <= startTs) return 0n;
  if (t >= endTs) return deposit;
  return mulDivFloor(deposit, t - startTs, endTs - startTs) ?? deposit;
}

/**
 * Linear stream with unlock amounts: 0 before `startTs`; `startUnlock` from `startTs`;
 * plus `cliffUnlock` from `cliffTs`; plus the rest of the deposit accruing linearly over
 * `[startTs, endTs]`, held back until the cliff; all of `deposit` from `endTs`.
 *
 * Mirrors stream_math::linear_unlock_accrued.
 */
export function linearUnlockAccrued(
  deposit: bigint,
  startUnlock: bigint,
  cliffUnlock: bigint,
  startTs: bigint,
  cliffTs: bigint,
  endTs: bigint,
  t: bigint,
): bigint {
  if (t < startTs) return 0n;
  if (t >= endTs) return deposit;
  if (t < cliffTs) return startUnlock;
  const unlocked = startUnlock + cliffUnlock;
  return unlocked + linearAccrued(deposit - unlocked, startTs, cliffTs, endTs, t);
}

/**
 * Tranched stream: the sum of every tranche unlocked at `t` (`unlockTs <= t`),
 * tranches in increasing time order; `null` on i128 overflow.
 *
 * Mirrors math::tranched_accrued.
 */
export function tranchedAccrued(
  tranches: Iterable<readonly [bigint, bigint] | Tranche>,
  t: bigint,
): bigint | null {
  let sum = 0n;
  for (const tr of tranches) {
    const [unlockTs, amount] = Array.isArray(tr)
      ? (tr as readonly [bigint, bigint])
      : [(tr as Tranche).unlockTs, (tr as Tranche).amount];
    if (unlockTs > t) break;
    sum += amount;
    if (!fitsI128(sum)) return null;
  }
  return sum;
}

/** The exact state of an open-ended stream's accrual at an instant (`math::RateAccrual`). */
export interface RateAccrual {
  /** Whole base units accrued since the stream started (owed, funded or not). */
  accrued: bigint;
  /** The carried fraction, in units of `1 / periodS` base unit; `< periodS`. */
  remainder: bigint;
}

/**
 * Open-ended rate: `amountPerPeriod` base units every `periodS` seconds from
 * `snapshotTs`, on top of `accruedAtSnapshot` whole units plus `remainder / periodS`.
 *
 * `accrued(t) = accruedAtSnapshot + floor((remainder + amountPerPeriod * e) / periodS)`,
 * `e = max(0, t - snapshotTs)`; saturates at `i128::MAX` (remainder 0).
 *
 * Mirrors math::rate_accrued.
 */
export function rateAccrued(
  accruedAtSnapshot: bigint,
  remainder: bigint,
  amountPerPeriod: bigint,
  periodS: bigint,
  snapshotTs: bigint,
  t: bigint,
): RateAccrual {
  const e = t > snapshotTs ? t - snapshotTs : 0n;
  const q = amountPerPeriod / periodS;
  const r = amountPerPeriod % periodS;
  const num = r * e + remainder;
  const wholeFrac = num / periodS;
  const rem = num % periodS;
  const qe = q * e;
  if (!fitsI128(qe)) return { accrued: I128_MAX, remainder: 0n };
  const w = qe + wholeFrac;
  if (!fitsI128(w)) return { accrued: I128_MAX, remainder: 0n };
  const accrued = w + accruedAtSnapshot;
  if (!fitsI128(accrued)) return { accrued: I128_MAX, remainder: 0n };
  return { accrued, remainder: rem };
}

/**
 * True when a rate keeps accrual within i128 for `MAX_DURATION_S` from a snapshot
 * holding `accruedAtSnapshot` (the contract's creation and `set_rate` check; false
 * means the contract answers `RateTooHigh`).
 *
 * Mirrors math::rate_within_bounds.
 */
export function rateWithinBounds(
  accruedAtSnapshot: bigint,
  amountPerPeriod: bigint,
  periodS: bigint,
): boolean {
  const horizon = mulDivFloor(amountPerPeriod, MAX_DURATION_S, periodS);
  if (horizon === null) return false;
  const a = horizon + accruedAtSnapshot;
  if (!fitsI128(a)) return false;
  return fitsI128(a + 1n);
}

/**
 * What the recipient can take now: what is owed (`accrued - withdrawn`), limited by
 * what the stream holds (`balance = deposited - withdrawn - refunded`).
 *
 * Mirrors math::covered.
 */
export function covered(accrued: bigint, withdrawn: bigint, balance: bigint): bigint {
  const owed = accrued - withdrawn;
  return owed < balance ? owed : balance;
}

/**
 * Owed but unfunded: paid first by the next top-up.
 *
 * Mirrors math::debt.
 */
export function debt(accrued: bigint, withdrawn: bigint, balance: bigint): bigint {
  const owed = accrued - withdrawn;
  return owed > balance ? owed - balance : 0n;
}

/**
 * Funds not yet accrued to anyone: what the sender may take back.
 *
 * Mirrors math::refundable.
 */
export function refundable(accrued: bigint, withdrawn: bigint, balance: bigint): bigint {
  const owed = accrued - withdrawn;
  return balance > owed ? balance - owed : 0n;
}

/**
 * The first instant (unix seconds) at which an open-ended stream has accrued at least
 * `target` whole units; `null` when it never will (rate 0) or the instant is beyond u64.
 * With `target = withdrawn + balance + 1` this is the second the stream starts
 * running into debt (see {@link depletionTs}).
 *
 * Mirrors math::rate_time_to_reach (the same bisection, so the same answer).
 */
export function rateTimeToReach(
  accruedAtSnapshot: bigint,
  remainder: bigint,
  amountPerPeriod: bigint,
  periodS: bigint,
  snapshotTs: bigint,
  target: bigint,
): bigint | null {
  if (target <= accruedAtSnapshot) return snapshotTs;
  if (amountPerPeriod <= 0n) return null;
  let lo = 0n;
  let hi = 1n;
  for (;;) {
    const at = snapshotTs + hi;
    if (at > U64_MAX) return null;
    if (rateAccrued(accruedAtSnapshot, remainder, amountPerPeriod, periodS, snapshotTs, at).accrued >= target)
      break;
    lo = hi;
    hi = hi * 2n;
    if (hi > U64_MAX) return null;
  }
  while (lo + 1n < hi) {
    const mid = lo + (hi - lo) / 2n;
    if (
      rateAccrued(accruedAtSnapshot, remainder, amountPerPeriod, periodS, snapshotTs, snapshotTs + mid)
        .accrued >= target
    ) {
      hi = mid;
    } else {
      lo = mid;
    }
  }
  return snapshotTs + hi;
}

// ---------------------------------------------------------------------------
// Stream-level helpers: what the contract's `amounts` view computes, locally.

/**
 * Total accrued by `stream` at `t` (unix seconds), honoring pause, cancel and void.
 * `tranches` is required for tranched streams (from `getTranches` or discovery).
 *
 * Mirrors stream_math::stream_accrued. Throws a `RangeError` when a tranched stream
 * is given without its tranches.
 */
export function accruedAt(stream: Stream, t: bigint, tranches?: readonly Tranche[]): bigint {
  const s = stream.schedule;
  const tt = stream.status === "canceled" && stream.canceledTs < t ? stream.canceledTs : t;
  switch (s.kind) {
    case "linear":
      return linearUnlockAccrued(
        stream.deposited,
        s.startUnlock ?? 0n,
        s.cliffUnlock ?? 0n,
        s.startTs,
        s.cliffTs,
        s.endTs,
        tt,
      );
    case "tranched": {
      if (!tranches) throw new RangeError("accruedAt: a tranched stream needs its tranches");
      const v = tranchedAccrued(tranches, tt);
      if (v === null)
        throw new RangeError("accruedAt: tranche sum overflows i128 (the contract answers Overflow)");
      return v;
    }
    case "openEnded":
      return stream.status === "active"
        ? rateAccrued(s.accruedAtSnapshot, s.remainder, s.amountPerPeriod, s.periodS, s.snapshotTs, tt)
            .accrued
        : s.accruedAtSnapshot;
  }
}

/**
 * Every amount of `stream` at `t`: what the contract's `amounts` view returns when the
 * ledger's close time is `t`. Use it for a live balance between reads.
 *
 * Mirrors stream_math::stream_amounts.
 */
export function amountsAt(stream: Stream, t: bigint, tranches?: readonly Tranche[]): Amounts {
  const accrued = accruedAt(stream, t, tranches);
  const balance = stream.deposited - stream.withdrawn - stream.refunded;
  return {
    accrued,
    withdrawable: covered(accrued, stream.withdrawn, balance),
    debt: debt(accrued, stream.withdrawn, balance),
    refundable: refundable(accrued, stream.withdrawn, balance),
    balance,
  };
}

/**
 * What `stream` is doing at `t`: the contract's `status` view.
 *
 * Mirrors stream_math::stream_status.
 */
export function statusAt(stream: Stream, t: bigint, tranches?: readonly Tranche[]): StatusView {
  switch (stream.status) {
    case "canceled":
      return "canceled";
    case "voided":
      return "voided";
    case "paused":
      return "paused";
    case "active":
      break;
  }
  const a = amountsAt(stream, t, tranches);
  const s = stream.schedule;
  if (s.kind === "openEnded") {
    if (a.debt > 0n) return "insolvent";
    return t < s.snapshotTs && a.accrued === 0n ? "pending" : "streaming";
  }
  if (a.accrued >= stream.deposited) return "finished";
  return t < s.startTs ? "pending" : "streaming";
}

/**
 * Open-ended streams: the first second at which accrual exceeds the funds
 * (`withdrawn + balance`), i.e. the stream starts running into debt. `null` when it
 * never will: the stream is paused, canceled, not open-ended, or the instant is
 * beyond u64. Already in debt: the snapshot time (`<= now`).
 */
export function depletionTs(stream: Stream): bigint | null {
  const s = stream.schedule;
  if (s.kind !== "openEnded" || stream.status !== "active") return null;
  const balance = stream.deposited - stream.withdrawn - stream.refunded;
  return rateTimeToReach(
    s.accruedAtSnapshot,
    s.remainder,
    s.amountPerPeriod,
    s.periodS,
    s.snapshotTs,
    stream.withdrawn + balance + 1n,
  );
}

/**
 * Open-ended streams: seconds of funding left at `t` (`depletionTs - t`, 0 when
 * already in debt); `null` when the stream never runs dry (see {@link depletionTs}).
 */
export function runwayS(stream: Stream, t: bigint): bigint | null {
  const d = depletionTs(stream);
  if (d === null) return null;
  return d > t ? d - t : 0n;
}

/**
 * The next instant after `t` at which a stream's withdrawable amount grows by at
 * least one unit, for scheduling UI refreshes or keeper wake-ups; `null` when it
 * never grows again (fully accrued, canceled, paused, or unfunded).
 */
export function nextAccrualTs(stream: Stream, t: bigint, tranches?: readonly Tranche[]): bigint | null {
  const s = stream.schedule;
  if (stream.status !== "active") return null;
  const now = amountsAt(stream, t, tranches);
  if (now.refundable === 0n && s.kind === "openEnded") return null; // nothing funded left to accrue into
  switch (s.kind) {
    case "linear": {
      if (t >= s.endTs) return null;
      // Smallest t' > t with linearAccrued(t') > accrued(t): the predicate is monotonic
      // and true at endTs, so bisect over (t, endTs] (this also covers the cliff).
      let lo = t;
      let hi = s.endTs;
      while (lo + 1n < hi) {
        const mid = lo + (hi - lo) / 2n;
        if (linearAccrued(stream.deposited, s.startTs, s.cliffTs, s.endTs, mid) > now.accrued) hi = mid;
        else lo = mid;
      }
      return hi;
    }
    case "tranched": {
      const next = (tranches ?? []).find((x) => x.unlockTs > t);
      return next ? next.unlockTs : null;
    }
    case "openEnded": {
      const at = rateTimeToReach(
        s.accruedAtSnapshot,
        s.remainder,
        s.amountPerPeriod,
        s.periodS,
        s.snapshotTs,
        now.accrued + 1n,
      );
      return at === null ? null : at > t ? at : t + 1n;
    }
  }
}
