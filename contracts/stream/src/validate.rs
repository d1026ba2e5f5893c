//! Creation-parameter validation: turns `ScheduleParams` into the stored `Schedule`,
//! the deposit and (tranched streams) the tranches, or names what is wrong. No
//! storage and no token calls; the time "now" is an argument.

use soroban_sdk::{Env, Vec};

use crate::errors::StreamError;
use crate::math::{self, MAX_DURATION_S};
use crate::types::{
    Linear, LinearUnlock, Rate, Schedule, ScheduleParams, Tranche, TrancheIn, Tranched,
    MAX_REFERENCE_BYTES,
};

/// Most tranches in one stream: 20 years of monthly unlocks.
pub const MAX_TRANCHES: u32 = 240;

/// A validated schedule: what to store, the deposit to pull, and the tranches of a
/// tranched stream (stored in their own entry).
pub struct Validated {
    pub schedule: Schedule,
    pub deposit: i128,
    pub tranches: Option<Vec<Tranche>>,
}

/// `base + offset` seconds, or `DurationTooLong` past `u64`.
fn after(base: u64, offset: u64) -> Result<u64, StreamError> {
    base.checked_add(offset).ok_or(StreamError::DurationTooLong)
}

/// Checks the reference's length.
pub fn reference(len: u32) -> Result<(), StreamError> {
    if len > MAX_REFERENCE_BYTES {
        return Err(StreamError::ReferenceTooLong);
    }
    Ok(())
}

fn linear(
    start_ts: u64,
    cliff_ts: u64,
    end_ts: u64,
    deposit: i128,
    start_unlock: i128,
    cliff_unlock: i128,
) -> Result<Validated, StreamError> {
    if deposit <= 0 {
        return Err(StreamError::InvalidAmount);
    }
    if end_ts <= start_ts {
        return Err(StreamError::InvalidTimeRange);
    }
    if cliff_ts < start_ts || cliff_ts > end_ts {
        return Err(StreamError::InvalidCliff);
    }
    if end_ts - start_ts > MAX_DURATION_S {
        return Err(StreamError::DurationTooLong);
    }
    let unlocks_fit = start_unlock >= 0
        && cliff_unlock >= 0
        && start_unlock
            .checked_add(cliff_unlock)
            .is_some_and(|u| u <= deposit);
    if !unlocks_fit {
        return Err(StreamError::InvalidUnlockAmounts);
    }
    let schedule = if start_unlock == 0 && cliff_unlock == 0 {
        Schedule::Linear(Linear {
            start_ts,
            cliff_ts,
            end_ts,
        })
    } else {
        Schedule::LinearUnlock(LinearUnlock {
            start_ts,
            cliff_ts,
            end_ts,
            start_unlock,
            cliff_unlock,
        })
    };
    Ok(Validated {
        schedule,
        deposit,
        tranches: None,
    })
}

fn tranched(start_ts: u64, tranches: Vec<Tranche>) -> Result<Validated, StreamError> {
    let count = tranches.len();
    if count == 0 || count > MAX_TRANCHES {
        return Err(StreamError::InvalidTrancheCount);
    }
    let mut sum: i128 = 0;
    let mut prev_ts: Option<u64> = None;
    for t in tranches.iter() {
        if t.amount <= 0 {
            return Err(StreamError::InvalidAmount);
        }
        let increasing = match prev_ts {
            None => t.unlock_ts >= start_ts,
            Some(prev) => t.unlock_ts > prev,
        };
        if !increasing {
            return Err(StreamError::TranchesNotIncreasing);
        }
        prev_ts = Some(t.unlock_ts);
        sum = sum
            .checked_add(t.amount)
            .ok_or(StreamError::InvalidTrancheSum)?;
    }
    // `count > 0` was checked, so `prev_ts` holds the last unlock.
    let end_ts = prev_ts.unwrap_or(start_ts);
    if end_ts - start_ts > MAX_DURATION_S {
        return Err(StreamError::DurationTooLong);
    }
    Ok(Validated {
        schedule: Schedule::Tranched(Tranched {
            start_ts,
            end_ts,
            count,
        }),
        deposit: sum,
        tranches: Some(tranches),
    })
}

/// Validates a schedule created at `now` (unix seconds).
pub fn schedule(env: &Env, params: &ScheduleParams, now: u64) -> Result<Validated, StreamError> {
    let or_now = |ts: u64| if ts == 0 { now } else { ts };
    match params {
        ScheduleParams::Linear(p) => {
            let start_ts = or_now(p.start_ts);
            let cliff_ts = if p.start_ts == 0 && p.cliff_ts == 0 {
                start_ts
            } else {
                p.cliff_ts
            };
            linear(
                start_ts,
                cliff_ts,
                p.end_ts,
                p.deposit,
                p.start_unlock,
                p.cliff_unlock,
            )
        }
        ScheduleParams::LinearIn(p) => {
            let start_ts = after(now, p.start_in_s)?;
            linear(
                start_ts,
                after(start_ts, p.cliff_s)?,
                after(start_ts, p.duration_s)?,
                p.deposit,
                p.start_unlock,
                p.cliff_unlock,
            )
        }
        ScheduleParams::Tranched(p) => tranched(or_now(p.start_ts), p.tranches.clone()),
        ScheduleParams::TranchedIn(p) => {
            let start_ts = after(now, p.start_in_s)?;
            let mut tranches = Vec::new(env);
            for TrancheIn { after_s, amount } in p.tranches.iter() {
                tranches.push_back(Tranche {
                    unlock_ts: after(start_ts, after_s)?,
                    amount,
                });
            }
            tranched(start_ts, tranches)
        }
        ScheduleParams::OpenEnded(p) => {
            // A positive deposit is the proof that `token` is a token (finding 3):
            // the transfer and the balance reads around it must succeed.
            if p.amount_per_period <= 0 || p.deposit <= 0 {
                return Err(StreamError::InvalidAmount);
            }
            if p.period_s == 0 || p.period_s > MAX_DURATION_S {
                return Err(StreamError::InvalidPeriod);
            }
            let start_ts = or_now(p.start_ts);
            if start_ts < now {
                return Err(StreamError::StartInPast);
            }
            if !math::rate_within_bounds(0, p.amount_per_period, p.period_s) {
                return Err(StreamError::RateTooHigh);
            }
            Ok(Validated {
                schedule: Schedule::OpenEnded(Rate {
                    amount_per_period: p.amount_per_period,
                    period_s: p.period_s,
                    snapshot_ts: start_ts,
                    accrued_at_snapshot: 0,
                    remainder: 0,
                }),
                deposit: p.deposit,
                tranches: None,
            })
        }
    }
}
