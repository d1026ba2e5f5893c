//! Accrual of a stored stream: hands the record's numbers (and, for tranched
//! streams, its tranches entry) to `math`'s pure composition, and folds an
//! open-ended stream's accrual into its snapshot. Reads storage (the tranches), no
//! writes, no token calls.

use soroban_sdk::{Env, Vec};

use crate::errors::StreamError;
use crate::math::{self, Curve, Ledger, Phase};
use crate::storage;
use crate::types::{Amounts, Schedule, Status, Stream, StreamStatus, Tranche};

/// A tranched stream's tranches as `(unlock_ts, amount)` pairs (none for other shapes).
pub struct Pairs {
    tranches: Option<Vec<Tranche>>,
    next: u32,
}

impl Iterator for Pairs {
    type Item = (u64, i128);
    fn next(&mut self) -> Option<(u64, i128)> {
        let t = self.tranches.as_ref()?.get(self.next)?;
        self.next += 1;
        Some((t.unlock_ts, t.amount))
    }
}

pub fn ledger(stream: &Stream) -> Ledger {
    Ledger {
        phase: match stream.status {
            Status::Active => Phase::Active,
            Status::Paused => Phase::Paused,
            Status::Canceled => Phase::Canceled,
            Status::Voided => Phase::Voided,
        },
        canceled_ts: stream.canceled_ts,
        deposited: stream.deposited,
        withdrawn: stream.withdrawn,
        refunded: stream.refunded,
    }
}

/// The stream's curve, with `tranches` standing for a tranched stream's unlocks.
fn curve_with<I>(stream: &Stream, tranches: I) -> Curve<I> {
    match &stream.schedule {
        Schedule::Linear(s) => Curve::Linear {
            start_ts: s.start_ts,
            cliff_ts: s.cliff_ts,
            end_ts: s.end_ts,
            start_unlock: 0,
            cliff_unlock: 0,
        },
        Schedule::LinearUnlock(s) => Curve::Linear {
            start_ts: s.start_ts,
            cliff_ts: s.cliff_ts,
            end_ts: s.end_ts,
            start_unlock: s.start_unlock,
            cliff_unlock: s.cliff_unlock,
        },
        Schedule::Tranched(s) => Curve::Tranched {
            start_ts: s.start_ts,
            tranches,
        },
        Schedule::OpenEnded(r) => Curve::Rate {
            amount_per_period: r.amount_per_period,
            period_s: r.period_s,
            snapshot_ts: r.snapshot_ts,
            accrued_at_snapshot: r.accrued_at_snapshot,
            remainder: r.remainder,
        },
    }
}

/// The stream's curve; reads the tranches entry of a tranched stream.
pub fn curve(env: &Env, id: u64, stream: &Stream) -> Result<Curve<Pairs>, StreamError> {
    let tranches = match stream.schedule {
        Schedule::Tranched(_) => Some(storage::read_tranches(env, id)?),
        _ => None,
    };
    Ok(curve_with(stream, Pairs { tranches, next: 0 }))
}

/// The curve without tranche data (enough for status and depletion).
fn curve_times(stream: &Stream) -> Curve<core::iter::Empty<(u64, i128)>> {
    curve_with(stream, core::iter::empty())
}

fn to_amounts(a: math::StreamAmounts) -> Amounts {
    Amounts {
        accrued: a.accrued,
        withdrawable: a.withdrawable,
        debt: a.debt,
        refundable: a.refundable,
        balance: a.balance,
    }
}

/// [`amounts_at`] with a tranched stream's tranches already in hand (the invariant
/// driver reads them straight from the host's storage).
#[cfg(any(test, feature = "testutils"))]
pub fn amounts_with_tranches(
    stream: &Stream,
    tranches: Option<Vec<Tranche>>,
    t: u64,
) -> Result<Amounts, StreamError> {
    let a = math::stream_amounts(
        curve_with(stream, Pairs { tranches, next: 0 }),
        &ledger(stream),
        t,
    )?;
    Ok(to_amounts(a))
}

/// Every amount of the stream at `t` (`math::stream_amounts`).
pub fn amounts_at(env: &Env, id: u64, stream: &Stream, t: u64) -> Result<Amounts, StreamError> {
    let a = math::stream_amounts(curve(env, id, stream)?, &ledger(stream), t)?;
    Ok(to_amounts(a))
}

/// The `status` view at `t`, with the amounts it was derived from.
pub fn status_at(
    env: &Env,
    id: u64,
    stream: &Stream,
    t: u64,
) -> Result<(StreamStatus, Amounts), StreamError> {
    let l = ledger(stream);
    let a = math::stream_amounts(curve(env, id, stream)?, &l, t)?;
    // The status needs only the curve's times, not the tranches again.
    let s = match math::stream_status(&curve_times(stream), &l, &a, t) {
        math::StatusView::Pending => StreamStatus::Pending,
        math::StatusView::Streaming => StreamStatus::Streaming,
        math::StatusView::Paused => StreamStatus::Paused,
        math::StatusView::Insolvent => StreamStatus::Insolvent,
        math::StatusView::Canceled => StreamStatus::Canceled,
        math::StatusView::Voided => StreamStatus::Voided,
        math::StatusView::Finished => StreamStatus::Finished,
    };
    Ok((s, to_amounts(a)))
}

/// An open-ended stream's depletion instant (`math::depletion_ts`); `None` for
/// fixed streams and streams that are not active.
pub fn depletion_ts(stream: &Stream) -> Option<u64> {
    math::depletion_ts(&curve_times(stream), &ledger(stream))
}

/// Folds an active open-ended stream's accrual up to `t` into its snapshot, so a
/// pause, a rate change or a void starts from the exact state (remainder included).
pub fn checkpoint(stream: &mut Stream, t: u64) {
    if stream.status != Status::Active {
        return;
    }
    if let Schedule::OpenEnded(r) = &mut stream.schedule {
        if t <= r.snapshot_ts {
            return; // not started yet: the start stays where it was
        }
        let a = math::rate_accrued(
            r.accrued_at_snapshot,
            r.remainder,
            r.amount_per_period,
            r.period_s,
            r.snapshot_ts,
            t,
        );
        r.accrued_at_snapshot = a.accrued;
        r.remainder = a.remainder;
        r.snapshot_ts = t;
    }
}
