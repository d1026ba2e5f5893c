//! Accrual math: the only place where "how much has accrued" is defined.
//!
//! Every function here is pure (no `Env`, no storage, no `soroban_sdk` types), so it
//! can be tested exhaustively and mirrored bit for bit by the TypeScript SDK
//! (`sdk/src/accrual.ts`, checked against `test/vectors/accrual.json`).
//!
//! Units: amounts are token base units (`i128`), times are unix seconds (`u64`,
//! suffix `_ts` for instants, `_s` for durations).
//!
//! # Rounding
//! Everything that leaves the contract is rounded down (floor). For linear streams
//! the sender keeps the sub-unit dust until `end_ts`, when the recipient gets the
//! whole deposit. For open-ended streams the sub-unit part is never dropped: it is
//! carried as `remainder` (in units of `1 / period_s` of a token base unit), so the
//! total accrued is always exactly `floor(ideal)` where `ideal` is the exact
//! rational sum of `amount_per_period * elapsed / period_s` over every running
//! segment, however often the stream is checkpointed, paused or re-rated.
//!
//! # Overflow
//! All arithmetic is checked. `mul_div_floor` never forms a product wider than
//! 128 bits (see its proof), and creation-time checks bound every stream so that
//! its accrual cannot overflow within `MAX_DURATION_S`; open-ended accrual beyond
//! that horizon saturates at `i128::MAX` instead of trapping, so a stream never
//! freezes.

/// 100 Julian years in seconds: the longest schedule the contract accepts, and the
/// horizon over which an open-ended rate is proven not to overflow.
pub const MAX_DURATION_S: u64 = 100 * 31_557_600;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MathError {
    /// A result does not fit in `i128`.
    Overflow,
}

/// `floor(a * b / d)` for `a >= 0`, `d > 0`, exact, without a 256-bit product.
///
/// With `a = q*d + r` (`0 <= r < d`): `a*b/d = q*b + r*b/d`, and since `q*b` is an
/// integer, `floor(a*b/d) = q*b + floor(r*b/d)`. `r < d <= u64::MAX` and
/// `b <= u64::MAX`, so `r*b < 2^128` fits `u128`. Returns `Overflow` only when the
/// true result exceeds `i128::MAX`.
pub fn mul_div_floor(a: i128, b: u64, d: u64) -> Result<i128, MathError> {
    debug_assert!(a >= 0 && d > 0);
    let d128 = d as i128;
    let q = a / d128;
    let r = (a % d128) as u128;
    let frac = (r * b as u128) / d as u128; // < b <= u64::MAX: fits i128
    q.checked_mul(b as i128)
        .and_then(|qb| qb.checked_add(frac as i128))
        .ok_or(MathError::Overflow)
}

/// Linear stream with an optional cliff: nothing before `cliff_ts` (or before
/// `start_ts` when there is no cliff, `cliff_ts == start_ts`), then
/// `floor(deposit * (t - start_ts) / (end_ts - start_ts))`, and all of `deposit`
/// from `end_ts` on.
///
/// Preconditions (checked at creation): `start_ts <= cliff_ts <= end_ts`,
/// `start_ts < end_ts`, `deposit > 0`. The result is `<= deposit`, so it cannot
/// overflow: `elapsed < duration` makes `deposit * elapsed / duration < deposit`.
pub fn linear_accrued(deposit: i128, start_ts: u64, cliff_ts: u64, end_ts: u64, t: u64) -> i128 {
    if t < cliff_ts || t <= start_ts {
        return 0;
    }
    if t >= end_ts {
        return deposit;
    }
    // Cannot fail: the result is below `deposit` (see above).
    mul_div_floor(deposit, t - start_ts, end_ts - start_ts).unwrap_or(deposit)
}

/// Linear stream with unlock amounts: nothing before `start_ts`; `start_unlock` from
/// `start_ts`; plus `cliff_unlock` from `cliff_ts`; plus the rest of the deposit
/// (`deposit - start_unlock - cliff_unlock`) accruing linearly over
/// `[start_ts, end_ts]` and held back until the cliff; all of `deposit` from `end_ts`.
///
/// `linear_unlock_accrued(d, 0, 0, ..) == linear_accrued(d, ..)`.
///
/// Preconditions (checked at creation): those of `linear_accrued`, unlocks `>= 0`
/// and `start_unlock + cliff_unlock <= deposit`. The result is `<= deposit`.
pub fn linear_unlock_accrued(
    deposit: i128,
    start_unlock: i128,
    cliff_unlock: i128,
    start_ts: u64,
    cliff_ts: u64,
    end_ts: u64,
    t: u64,
) -> i128 {
    if t < start_ts {
        return 0;
    }
    if t >= end_ts {
        return deposit;
    }
    if t < cliff_ts {
        return start_unlock;
    }
    let unlocked = start_unlock + cliff_unlock; // <= deposit: fits
    unlocked + linear_accrued(deposit - unlocked, start_ts, cliff_ts, end_ts, t)
}

/// Tranched stream: the sum of every tranche whose `unlock_ts <= t`. Tranches are
/// strictly increasing in time and sum to the deposit (checked at creation), so
/// every partial sum fits; the check here is belt and braces.
pub fn tranched_accrued<I>(tranches: I, t: u64) -> Result<i128, MathError>
where
    I: IntoIterator<Item = (u64, i128)>,
{
    let mut sum: i128 = 0;
    for (unlock_ts, amount) in tranches {
        if unlock_ts > t {
            break;
        }
        sum = sum.checked_add(amount).ok_or(MathError::Overflow)?;
    }
    Ok(sum)
}

/// The exact state of an open-ended stream's accrual at an instant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateAccrual {
    /// Whole base units accrued since the stream started (owed, funded or not).
    pub accrued: i128,
    /// The carried fraction, in units of `1 / period_s` base unit; `< period_s`.
    pub remainder: u64,
}

/// Open-ended rate: `amount_per_period` base units every `period_s` seconds,
/// accruing continuously from `snapshot_ts`, on top of a snapshot
/// (`accrued_at_snapshot` whole units plus `remainder / period_s`).
///
/// `accrued(t) = accrued_at_snapshot + floor((remainder + amount_per_period * e) / period_s)`
/// with `e = max(0, t - snapshot_ts)`. Computed as
/// `q*e + floor((r*e + remainder) / period_s)` with `amount_per_period = q*period_s + r`,
/// where `r*e + remainder < period_s * (e + 1) <= 2^128` fits `u128`.
///
/// Saturates at `i128::MAX` (see the module's Overflow section).
pub fn rate_accrued(
    accrued_at_snapshot: i128,
    remainder: u64,
    amount_per_period: i128,
    period_s: u64,
    snapshot_ts: u64,
    t: u64,
) -> RateAccrual {
    debug_assert!(amount_per_period >= 0 && period_s > 0 && remainder < period_s);
    let e = t.saturating_sub(snapshot_ts);
    let p = period_s as i128;
    let q = amount_per_period / p;
    let r = (amount_per_period % p) as u128;
    let num = r * e as u128 + remainder as u128;
    let whole_frac = (num / period_s as u128) as i128; // <= e + 1: fits
    let rem = (num % period_s as u128) as u64;
    let whole = q
        .checked_mul(e as i128)
        .and_then(|qe| qe.checked_add(whole_frac))
        .and_then(|w| w.checked_add(accrued_at_snapshot));
    match whole {
        Some(accrued) => RateAccrual {
            accrued,
            remainder: rem,
        },
        None => RateAccrual {
            accrued: i128::MAX,
            remainder: 0,
        },
    }
}

/// True when a rate keeps accrual within `i128` for `MAX_DURATION_S` from a
/// snapshot holding `accrued_at_snapshot`: the creation and `set_rate` check that
/// rules out overflow for 100 years.
pub fn rate_within_bounds(
    accrued_at_snapshot: i128,
    amount_per_period: i128,
    period_s: u64,
) -> bool {
    match mul_div_floor(amount_per_period, MAX_DURATION_S, period_s) {
        // +1 for the carried remainder, which adds at most one more whole unit.
        Ok(horizon) => horizon
            .checked_add(accrued_at_snapshot)
            .and_then(|v| v.checked_add(1))
            .is_some(),
        Err(_) => false,
    }
}

/// What the recipient can take now from an open-ended stream: what is owed,
/// limited by what the stream holds. `balance = deposited - withdrawn - refunded`.
pub fn covered(accrued: i128, withdrawn: i128, balance: i128) -> i128 {
    let owed = accrued - withdrawn;
    if owed < balance {
        owed
    } else {
        balance
    }
}

/// Owed but unfunded: paid first by the next top-up.
pub fn debt(accrued: i128, withdrawn: i128, balance: i128) -> i128 {
    let owed = accrued - withdrawn;
    if owed > balance {
        owed - balance
    } else {
        0
    }
}

/// Funds not yet accrued to anyone: what the sender may take back.
pub fn refundable(accrued: i128, withdrawn: i128, balance: i128) -> i128 {
    let owed = accrued - withdrawn;
    if balance > owed {
        balance - owed
    } else {
        0
    }
}

// ---------------------------------------------------------------- stream composition
//
// What the contract's `amounts` and `status` views return, for any shape and status,
// as pure functions of the stored record's numbers and the time (mirrored by
// `amountsAt`/`statusAt` in sdk/src/accrual.ts and checked by the shared vectors).

/// A stored schedule's accrual curve, without the stream around it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Curve<I> {
    /// Linear (`start_unlock = cliff_unlock = 0` for a plain linear stream).
    Linear {
        start_ts: u64,
        cliff_ts: u64,
        end_ts: u64,
        start_unlock: i128,
        cliff_unlock: i128,
    },
    /// Tranches as `(unlock_ts, amount)`, increasing in time.
    Tranched { start_ts: u64, tranches: I },
    /// An open-ended rate and its snapshot.
    Rate {
        amount_per_period: i128,
        period_s: u64,
        snapshot_ts: u64,
        accrued_at_snapshot: i128,
        remainder: u64,
    },
}

/// A stored status (`types::Status`), by the same numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    Active = 0,
    Paused = 1,
    Canceled = 2,
    Voided = 3,
}

/// The record's numbers that accrual depends on besides the curve.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ledger {
    pub phase: Phase,
    /// Fixed streams: the instant `cancel` stopped accrual (ignored unless canceled).
    pub canceled_ts: u64,
    pub deposited: i128,
    pub withdrawn: i128,
    pub refunded: i128,
}

/// Every amount of a stream at one instant (the `amounts` view, `types::Amounts`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StreamAmounts {
    pub accrued: i128,
    pub withdrawable: i128,
    pub debt: i128,
    pub refundable: i128,
    pub balance: i128,
}

/// What a stream is doing at an instant (`types::StreamStatus`, same numbers).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatusView {
    Pending = 0,
    Streaming = 1,
    Paused = 2,
    Insolvent = 3,
    Canceled = 4,
    Voided = 5,
    Finished = 6,
}

/// Total accrued at `t`. Fixed streams accrue along their curve, frozen at
/// `canceled_ts` once canceled (the deposit of a fixed stream is `deposited`).
/// Open-ended streams accrue from their snapshot while active; paused, canceled
/// or voided, the snapshot is final.
pub fn stream_accrued<I>(curve: Curve<I>, l: &Ledger, t: u64) -> Result<i128, MathError>
where
    I: IntoIterator<Item = (u64, i128)>,
{
    let t = if l.phase == Phase::Canceled {
        t.min(l.canceled_ts)
    } else {
        t
    };
    Ok(match curve {
        Curve::Linear {
            start_ts,
            cliff_ts,
            end_ts,
            start_unlock,
            cliff_unlock,
        } => linear_unlock_accrued(
            l.deposited,
            start_unlock,
            cliff_unlock,
            start_ts,
            cliff_ts,
            end_ts,
            t,
        ),
        Curve::Tranched { tranches, .. } => tranched_accrued(tranches, t)?,
        Curve::Rate {
            amount_per_period,
            period_s,
            snapshot_ts,
            accrued_at_snapshot,
            remainder,
        } => {
            if l.phase == Phase::Active {
                rate_accrued(
                    accrued_at_snapshot,
                    remainder,
                    amount_per_period,
                    period_s,
                    snapshot_ts,
                    t,
                )
                .accrued
            } else {
                accrued_at_snapshot
            }
        }
    })
}

/// Splits what accrued into withdrawable, debt and refundable against the stream's
/// balance (`deposited - withdrawn - refunded`).
pub fn split(accrued: i128, l: &Ledger) -> StreamAmounts {
    let balance = l.deposited - l.withdrawn - l.refunded;
    StreamAmounts {
        accrued,
        withdrawable: covered(accrued, l.withdrawn, balance),
        debt: debt(accrued, l.withdrawn, balance),
        refundable: refundable(accrued, l.withdrawn, balance),
        balance,
    }
}

/// Every amount of a stream at `t`: the `amounts` view.
pub fn stream_amounts<I>(curve: Curve<I>, l: &Ledger, t: u64) -> Result<StreamAmounts, MathError>
where
    I: IntoIterator<Item = (u64, i128)>,
{
    Ok(split(stream_accrued(curve, l, t)?, l))
}

/// What a stream is doing at `t` (the `status` view), given its amounts at `t`.
/// Canceled and voided win; then paused; then a fixed stream is pending before its
/// start and finished once the whole deposit has accrued, an open-ended one pending
/// before its snapshot (start) and insolvent while it owes debt.
pub fn stream_status<I>(curve: &Curve<I>, l: &Ledger, a: &StreamAmounts, t: u64) -> StatusView {
    match l.phase {
        Phase::Canceled => return StatusView::Canceled,
        Phase::Voided => return StatusView::Voided,
        Phase::Paused => return StatusView::Paused,
        Phase::Active => {}
    }
    match curve {
        Curve::Linear { start_ts, .. } | Curve::Tranched { start_ts, .. } => {
            if a.accrued >= l.deposited {
                StatusView::Finished
            } else if t < *start_ts {
                StatusView::Pending
            } else {
                StatusView::Streaming
            }
        }
        Curve::Rate { snapshot_ts, .. } => {
            if a.debt > 0 {
                StatusView::Insolvent
            } else if t < *snapshot_ts && a.accrued == 0 {
                StatusView::Pending
            } else {
                StatusView::Streaming
            }
        }
    }
}

/// An open-ended stream's depletion instant: the first second at which what
/// accrued exceeds its funds (`withdrawn + balance`), i.e. debt begins. `None` when
/// it never will (not active, or beyond `u64`); the snapshot time when already in
/// debt at the snapshot. `None` for fixed curves (they cannot run dry).
pub fn depletion_ts<I>(curve: &Curve<I>, l: &Ledger) -> Option<u64> {
    match curve {
        Curve::Rate {
            amount_per_period,
            period_s,
            snapshot_ts,
            accrued_at_snapshot,
            remainder,
        } if l.phase == Phase::Active => {
            let funds = l.deposited - l.refunded; // withdrawn + balance
            rate_time_to_reach(
                *accrued_at_snapshot,
                *remainder,
                *amount_per_period,
                *period_s,
                *snapshot_ts,
                funds.checked_add(1)?,
            )
        }
        _ => None,
    }
}

/// The first instant at which an open-ended stream has accrued at least `target`
/// whole units, or `None` when it never will (rate 0) or it is beyond `u64`.
/// Used for runway: `target = withdrawn + balance + 1` is the second the stream
/// starts running into debt.
pub fn rate_time_to_reach(
    accrued_at_snapshot: i128,
    remainder: u64,
    amount_per_period: i128,
    period_s: u64,
    snapshot_ts: u64,
    target: i128,
) -> Option<u64> {
    if target <= accrued_at_snapshot {
        return Some(snapshot_ts);
    }
    if amount_per_period <= 0 {
        return None;
    }
    // Need smallest e with remainder + a*e >= (target - accrued)*p, i.e.
    // e = ceil(((target - accrued)*p - remainder) / a). Solved by bisection over
    // `rate_accrued` to stay exact without a 256-bit product.
    let (mut lo, mut hi) = (0u64, 1u64);
    loop {
        let at = rate_accrued(
            accrued_at_snapshot,
            remainder,
            amount_per_period,
            period_s,
            snapshot_ts,
            snapshot_ts.checked_add(hi)?,
        );
        if at.accrued >= target {
            break;
        }
        lo = hi;
        hi = hi.checked_mul(2)?;
    }
    while lo + 1 < hi {
        let mid = lo + (hi - lo) / 2;
        let at = rate_accrued(
            accrued_at_snapshot,
            remainder,
            amount_per_period,
            period_s,
            snapshot_ts,
            snapshot_ts + mid,
        );
        if at.accrued >= target {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    Some(snapshot_ts + hi)
}

#[cfg(test)]
mod test {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn mul_div_floor_matches_u256_reference_at_extremes() {
        assert_eq!(mul_div_floor(i128::MAX, u64::MAX, u64::MAX), Ok(i128::MAX));
        assert_eq!(mul_div_floor(i128::MAX, 1, 2), Ok(i128::MAX / 2));
        assert_eq!(mul_div_floor(i128::MAX, 2, 1), Err(MathError::Overflow));
        assert_eq!(mul_div_floor(7, 3, 2), Ok(10));
        assert_eq!(mul_div_floor(0, u64::MAX, 1), Ok(0));
    }

    #[test]
    fn linear_is_zero_before_cliff_and_whole_at_end() {
        assert_eq!(linear_accrued(1000, 100, 150, 200, 149), 0);
        assert_eq!(linear_accrued(1000, 100, 150, 200, 150), 500);
        assert_eq!(linear_accrued(1000, 100, 100, 200, 100), 0);
        assert_eq!(linear_accrued(1000, 100, 100, 200, 101), 10);
        assert_eq!(linear_accrued(1000, 100, 100, 200, 200), 1000);
        assert_eq!(linear_accrued(1000, 100, 100, 200, u64::MAX), 1000);
        // 10 units over 3 s: floors, the dust arrives at the end.
        assert_eq!(linear_accrued(10, 0, 0, 3, 1), 3);
        assert_eq!(linear_accrued(10, 0, 0, 3, 2), 6);
        assert_eq!(linear_accrued(10, 0, 0, 3, 3), 10);
    }

    #[test]
    fn linear_handles_i128_max_deposit_over_100_years() {
        let end = MAX_DURATION_S;
        assert_eq!(linear_accrued(i128::MAX, 0, 0, end, end / 2), i128::MAX / 2);
        assert_eq!(
            linear_accrued(i128::MAX, 0, 0, end, end - 1),
            mul_div_floor(i128::MAX, end - 1, end).unwrap()
        );
    }

    #[test]
    fn linear_unlocks_arrive_at_start_and_cliff_then_the_rest_is_linear() {
        // 1000 over [100, 200], 100 at start, 200 at the cliff (150).
        let f = |t| linear_unlock_accrued(1000, 100, 200, 100, 150, 200, t);
        assert_eq!(f(99), 0);
        assert_eq!(f(100), 100);
        assert_eq!(f(149), 100);
        // At the cliff: 300 unlocked + floor(700 * 50 / 100) = 650.
        assert_eq!(f(150), 650);
        assert_eq!(f(199), 300 + 693);
        assert_eq!(f(200), 1000);
        for t in [0, 100, 101, 150, 170, 200, 500] {
            assert_eq!(
                linear_unlock_accrued(1000, 0, 0, 100, 150, 200, t),
                linear_accrued(1000, 100, 150, 200, t)
            );
        }
    }

    #[test]
    fn status_and_depletion_follow_the_stream() {
        let rate = |snap| Curve::<[(u64, i128); 0]>::Rate {
            amount_per_period: 10,
            period_s: 1,
            snapshot_ts: snap,
            accrued_at_snapshot: 0,
            remainder: 0,
        };
        let l = Ledger {
            phase: Phase::Active,
            canceled_ts: 0,
            deposited: 100,
            withdrawn: 0,
            refunded: 0,
        };
        let at = |t| stream_amounts(rate(10), &l, t).unwrap();
        assert_eq!(stream_status(&rate(10), &l, &at(5), 5), StatusView::Pending);
        assert_eq!(
            stream_status(&rate(10), &l, &at(15), 15),
            StatusView::Streaming
        );
        assert_eq!(
            stream_status(&rate(10), &l, &at(21), 21),
            StatusView::Insolvent
        );
        assert_eq!(depletion_ts(&rate(10), &l), Some(21));
        let paused = Ledger {
            phase: Phase::Paused,
            ..l
        };
        assert_eq!(depletion_ts(&rate(10), &paused), None);
        let lin = Curve::<[(u64, i128); 0]>::Linear {
            start_ts: 10,
            cliff_ts: 10,
            end_ts: 20,
            start_unlock: 0,
            cliff_unlock: 0,
        };
        let a = stream_amounts(lin.clone(), &l, 20).unwrap();
        assert_eq!(stream_status(&lin, &l, &a, 20), StatusView::Finished);
        let canceled = Ledger {
            phase: Phase::Canceled,
            canceled_ts: 15,
            ..l
        };
        let a = stream_amounts(lin.clone(), &canceled, 30).unwrap();
        assert_eq!(a.accrued, 50);
        assert_eq!(stream_status(&lin, &canceled, &a, 30), StatusView::Canceled);
    }

    #[test]
    fn rate_carries_the_remainder_across_checkpoints() {
        // 10 units per day, checkpointed every second for a day: exactly 10.
        let day = 86_400;
        let mut s = RateAccrual {
            accrued: 0,
            remainder: 0,
        };
        for t in 1..=day {
            s = rate_accrued(s.accrued, s.remainder, 10, day, t - 1, t);
        }
        assert_eq!(
            s,
            RateAccrual {
                accrued: 10,
                remainder: 0
            }
        );
    }

    #[test]
    fn rate_saturates_instead_of_overflowing() {
        let s = rate_accrued(i128::MAX - 1, 0, i128::MAX, 1, 0, u64::MAX);
        assert_eq!(s.accrued, i128::MAX);
    }

    #[test]
    fn rate_bounds_reject_a_rate_that_could_overflow_within_100_years() {
        assert!(rate_within_bounds(
            0,
            i128::MAX / (MAX_DURATION_S as i128) - 1,
            1
        ));
        assert!(!rate_within_bounds(
            0,
            i128::MAX / (MAX_DURATION_S as i128) + 1,
            1
        ));
        assert!(!rate_within_bounds(i128::MAX, 1, 1));
        assert!(rate_within_bounds(0, i128::MAX, u64::MAX));
    }

    #[test]
    fn time_to_reach_finds_the_first_second() {
        // 10 per 3 s: 3 units at t=1 (10/3), so 4 units first at t=2 (6.67).
        assert_eq!(rate_time_to_reach(0, 0, 10, 3, 0, 4), Some(2));
        assert_eq!(rate_time_to_reach(0, 0, 10, 3, 0, 3), Some(1));
        assert_eq!(rate_time_to_reach(5, 0, 10, 3, 7, 5), Some(7));
        assert_eq!(rate_time_to_reach(0, 0, 0, 3, 0, 1), None);
    }

    /// Exact rational reference: sum of a_i * e_i / p over segments, as a (num, p) pair
    /// in u128 (the generators keep it small enough).
    fn ideal_floor(segments: &[(i128, u64)], p: u64) -> i128 {
        let num: u128 = segments.iter().map(|(a, e)| *a as u128 * *e as u128).sum();
        (num / p as u128) as i128
    }

    proptest! {
        #[test]
        fn mul_div_floor_is_exact(a in 0i128..=(u64::MAX as i128) * 1000, b in any::<u64>(), d in 1u64..) {
            // Reference with a 256-bit-free check for inputs where a*b fits u128*... use u128 when possible.
            if let Some(prod) = (a as u128).checked_mul(b as u128) {
                let want = prod / d as u128;
                match mul_div_floor(a, b, d) {
                    Ok(v) => prop_assert_eq!(v as u128, want),
                    Err(_) => prop_assert!(want > i128::MAX as u128),
                }
            }
        }

        #[test]
        fn linear_is_monotonic_and_bounded(deposit in 1i128..=i128::MAX, start in 0u64..1u64<<40, dur in 1u64..=MAX_DURATION_S,
                                           cliff_off in 0u64..=MAX_DURATION_S, t1 in any::<u64>(), t2 in any::<u64>()) {
            let end = start + dur;
            let cliff = start + cliff_off.min(dur);
            let (lo, hi) = if t1 <= t2 { (t1, t2) } else { (t2, t1) };
            let a = linear_accrued(deposit, start, cliff, end, lo);
            let b = linear_accrued(deposit, start, cliff, end, hi);
            prop_assert!(0 <= a && a <= b && b <= deposit);
            prop_assert_eq!(linear_accrued(deposit, start, cliff, end, end), deposit);
        }

        #[test]
        fn rate_never_drifts_from_the_ideal_schedule(
            period in 1u64..=31 * 86_400,
            segments in proptest::collection::vec((1i128..=1_000_000_000_000, 0u64..=10_000_000), 1..20),
        ) {
            // Each segment: a rate change (checkpoint) then `e` seconds at the new rate.
            let mut s = RateAccrual { accrued: 0, remainder: 0 };
            let mut t = 0u64;
            for (a, e) in &segments {
                s = rate_accrued(s.accrued, s.remainder, *a, period, t, t + e);
                t += e;
            }
            prop_assert_eq!(s.accrued, ideal_floor(&segments, period));
        }

        #[test]
        fn rate_checkpointing_changes_nothing(a in 1i128..=i128::MAX / (MAX_DURATION_S as i128 * 2), period in 1u64..=1u64<<32,
                                             cut in 0u64..=MAX_DURATION_S, rest in 0u64..=MAX_DURATION_S) {
            let direct = rate_accrued(0, 0, a, period, 0, cut + rest);
            let mid = rate_accrued(0, 0, a, period, 0, cut);
            let split = rate_accrued(mid.accrued, mid.remainder, a, period, cut, cut + rest);
            prop_assert_eq!(direct, split);
        }

        #[test]
        fn covered_plus_debt_is_owed_and_refundable_is_the_excess(accrued in 0i128..1i128<<100, withdrawn_frac in 0u32..=100, balance in 0i128..1i128<<100) {
            let withdrawn = accrued / 100 * withdrawn_frac as i128;
            let c = covered(accrued, withdrawn, balance);
            prop_assert_eq!(c + debt(accrued, withdrawn, balance), accrued - withdrawn);
            prop_assert_eq!(c + refundable(accrued, withdrawn, balance), balance);
        }

        #[test]
        fn time_to_reach_is_the_first_such_second(a in 1i128..1_000_000, period in 1u64..100_000, acc in 0i128..1000, rem_seed in any::<u64>(), extra in 1i128..10_000) {
            let rem = rem_seed % period;
            let target = acc + extra;
            let t = rate_time_to_reach(acc, rem, a, period, 1000, target).unwrap();
            prop_assert!(rate_accrued(acc, rem, a, period, 1000, t).accrued >= target);
            prop_assert!(t == 1000 || rate_accrued(acc, rem, a, period, 1000, t - 1).accrued < target);
        }
    }
}
