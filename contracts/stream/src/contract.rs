//! The contract's entry points: validation, authorization, state transitions and
//! token movements. Accrual itself is `math`; keys and TTLs are `storage`.
//!
//! Immutable by design (docs/adr/0003-immutable-stream-contract.md): there is no
//! admin and no upgrade entry point.

use soroban_sdk::{contract, contractimpl, panic_with_error, token, Address, Env, Vec};

use crate::errors::StreamError;
use crate::events;
use crate::math::{self, MAX_DURATION_S};
use crate::storage;
use crate::types::{
    Amounts, CreateParams, Linear, Rate, Schedule, ScheduleParams, Status, Stream, Tranche,
    Tranched,
};

/// Most tranches in one stream: 20 years of monthly unlocks.
pub const MAX_TRANCHES: u32 = 240;
/// Most items in one batch call (`create_batch`, `settle_many`, `extend_ttl`,
/// `get_many`). The transaction limits bind earlier for most batch shapes; see
/// docs/benchmarks/contract.md for the largest batch that fits pubnet's limits.
pub const MAX_BATCH: u32 = 200;

#[contract]
pub struct StreamContract;

fn now(env: &Env) -> u64 {
    env.ledger().timestamp()
}

fn fail(env: &Env, e: StreamError) -> ! {
    panic_with_error!(env, e)
}

fn check_batch_len(env: &Env, len: u32) {
    if len > MAX_BATCH {
        fail(env, StreamError::BatchTooLarge);
    }
}

/// Validates creation parameters and returns the stored schedule, the deposit and,
/// for tranched streams, the tranches to store.
fn validate_schedule(env: &Env, params: &ScheduleParams) -> (Schedule, i128, Option<Vec<Tranche>>) {
    match params {
        ScheduleParams::Linear(p) => {
            if p.deposit <= 0 {
                fail(env, StreamError::InvalidAmount);
            }
            if p.end_ts <= p.start_ts {
                fail(env, StreamError::InvalidTimeRange);
            }
            if p.cliff_ts < p.start_ts || p.cliff_ts > p.end_ts {
                fail(env, StreamError::InvalidCliff);
            }
            if p.end_ts - p.start_ts > MAX_DURATION_S {
                fail(env, StreamError::DurationTooLong);
            }
            let s = Linear {
                start_ts: p.start_ts,
                cliff_ts: p.cliff_ts,
                end_ts: p.end_ts,
            };
            (Schedule::Linear(s), p.deposit, None)
        }
        ScheduleParams::Tranched(p) => {
            let count = p.tranches.len();
            if count == 0 || count > MAX_TRANCHES {
                fail(env, StreamError::InvalidTrancheCount);
            }
            let mut sum: i128 = 0;
            let mut prev_ts: Option<u64> = None;
            for t in p.tranches.iter() {
                if t.amount <= 0 {
                    fail(env, StreamError::InvalidAmount);
                }
                let increasing = match prev_ts {
                    None => t.unlock_ts >= p.start_ts,
                    Some(prev) => t.unlock_ts > prev,
                };
                if !increasing {
                    fail(env, StreamError::TranchesNotIncreasing);
                }
                prev_ts = Some(t.unlock_ts);
                sum = sum
                    .checked_add(t.amount)
                    .unwrap_or_else(|| fail(env, StreamError::InvalidTrancheSum));
            }
            // `count > 0` was checked, so `prev_ts` holds the last unlock.
            let end_ts = prev_ts.unwrap_or(p.start_ts);
            if end_ts - p.start_ts > MAX_DURATION_S {
                fail(env, StreamError::DurationTooLong);
            }
            let s = Tranched {
                start_ts: p.start_ts,
                end_ts,
                count,
            };
            (Schedule::Tranched(s), sum, Some(p.tranches.clone()))
        }
        ScheduleParams::OpenEnded(p) => {
            if p.amount_per_period <= 0 || p.deposit < 0 {
                fail(env, StreamError::InvalidAmount);
            }
            if p.period_s == 0 || p.period_s > MAX_DURATION_S {
                fail(env, StreamError::InvalidPeriod);
            }
            let t = now(env);
            let start_ts = if p.start_ts == 0 { t } else { p.start_ts };
            if start_ts < t {
                fail(env, StreamError::StartInPast);
            }
            if !math::rate_within_bounds(0, p.amount_per_period, p.period_s) {
                fail(env, StreamError::RateTooHigh);
            }
            let rate = Rate {
                amount_per_period: p.amount_per_period,
                period_s: p.period_s,
                snapshot_ts: start_ts,
                accrued_at_snapshot: 0,
                remainder: 0,
            };
            (Schedule::OpenEnded(rate), p.deposit, None)
        }
    }
}

/// Total accrued at `t`, honoring pause and cancel.
fn accrued_at(env: &Env, id: u64, stream: &Stream, t: u64) -> i128 {
    let t = if stream.status == Status::Canceled
        && !matches!(stream.schedule, Schedule::OpenEnded(_))
    {
        t.min(stream.canceled_ts)
    } else {
        t
    };
    match &stream.schedule {
        Schedule::Linear(s) => {
            math::linear_accrued(stream.deposited, s.start_ts, s.cliff_ts, s.end_ts, t)
        }
        Schedule::Tranched(_) => {
            let tranches = storage::read_tranches(env, id);
            math::tranched_accrued(tranches.iter().map(|x| (x.unlock_ts, x.amount)), t)
                .unwrap_or_else(|e| fail(env, e.into()))
        }
        Schedule::OpenEnded(r) => {
            if stream.status == Status::Active {
                math::rate_accrued(
                    r.accrued_at_snapshot,
                    r.remainder,
                    r.amount_per_period,
                    r.period_s,
                    r.snapshot_ts,
                    t,
                )
                .accrued
            } else {
                r.accrued_at_snapshot
            }
        }
    }
}

fn amounts_at(env: &Env, id: u64, stream: &Stream, t: u64) -> Amounts {
    let accrued = accrued_at(env, id, stream, t);
    let balance = stream.deposited - stream.withdrawn - stream.refunded;
    Amounts {
        accrued,
        withdrawable: math::covered(accrued, stream.withdrawn, balance),
        debt: math::debt(accrued, stream.withdrawn, balance),
        refundable: math::refundable(accrued, stream.withdrawn, balance),
        balance,
    }
}

fn withdrawable_now(env: &Env, id: u64, stream: &Stream) -> i128 {
    amounts_at(env, id, stream, now(env)).withdrawable
}

/// Folds an active open-ended stream's accrual up to `t` into its snapshot, so a
/// pause or a rate change starts from the exact state (remainder included).
fn checkpoint(stream: &mut Stream, t: u64) {
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

fn rate_mut<'a>(env: &Env, stream: &'a mut Stream) -> &'a mut Rate {
    match &mut stream.schedule {
        Schedule::OpenEnded(r) => r,
        _ => fail(env, StreamError::NotOpenEnded),
    }
}

/// Reads an open-ended stream for one of the sender's operations: the sender
/// authorizes, a fixed stream is `NotOpenEnded`, a canceled one `StreamCanceled`.
fn sender_open_ended_live(env: &Env, id: u64) -> Stream {
    let mut stream = storage::read_stream(env, id);
    stream.sender.require_auth();
    rate_mut(env, &mut stream);
    if stream.status == Status::Canceled {
        fail(env, StreamError::StreamCanceled);
    }
    stream
}

/// Reads a stream for `cancel`/`renounce`: the sender authorizes; a canceled
/// stream is `StreamCanceled`, a non-cancelable one `NotCancelable`.
fn sender_cancelable(env: &Env, id: u64) -> Stream {
    let stream = storage::read_stream(env, id);
    stream.sender.require_auth();
    if stream.status == Status::Canceled {
        fail(env, StreamError::StreamCanceled);
    }
    if !stream.cancelable {
        fail(env, StreamError::NotCancelable);
    }
    stream
}

fn pay(env: &Env, token: &Address, to: &Address, amount: i128) {
    token::TokenClient::new(env, token).transfer(&env.current_contract_address(), to, &amount);
}

/// Pays `amount` to `to` without failing the caller: false when the token refused.
fn try_pay(env: &Env, token: &Address, to: &Address, amount: i128) -> bool {
    matches!(
        token::TokenClient::new(env, token).try_transfer(
            &env.current_contract_address(),
            to,
            &amount
        ),
        Ok(Ok(()))
    )
}

fn create_one(env: &Env, params: &CreateParams) -> u64 {
    let (schedule, deposit, tranches) = validate_schedule(env, &params.schedule);
    let id = storage::read_stream_count(env) + 1;
    storage::write_stream_count(env, id);
    if deposit > 0 {
        token::TokenClient::new(env, &params.token).transfer(
            &params.sender,
            env.current_contract_address(),
            &deposit,
        );
    }
    let stream = Stream {
        sender: params.sender.clone(),
        recipient: params.recipient.clone(),
        token: params.token.clone(),
        schedule,
        cancelable: params.cancelable,
        transferable: params.transferable,
        status: Status::Active,
        created_ts: now(env),
        canceled_ts: 0,
        deposited: deposit,
        withdrawn: 0,
        refunded: 0,
    };
    if let Some(t) = &tranches {
        storage::write_tranches(env, id, t);
    }
    storage::write_stream(env, id, &stream);
    let (tranche_unlock_ts, tranche_amounts) =
        events::split_tranches(env, &tranches.unwrap_or_else(|| Vec::new(env)));
    events::Created {
        id,
        sender: stream.sender,
        recipient: stream.recipient,
        token: stream.token,
        deposit,
        schedule: stream.schedule,
        tranche_unlock_ts,
        tranche_amounts,
        cancelable: stream.cancelable,
        transferable: stream.transferable,
    }
    .publish(env);
    id
}

fn do_withdraw(env: &Env, id: u64, to: &Address, amount: i128) -> i128 {
    let mut stream = storage::read_stream(env, id);
    stream.recipient.require_auth();
    if amount <= 0 {
        fail(env, StreamError::InvalidAmount);
    }
    if amount > withdrawable_now(env, id, &stream) {
        fail(env, StreamError::AmountExceedsWithdrawable);
    }
    stream.withdrawn += amount; // <= deposited, cannot overflow
    storage::write_stream(env, id, &stream);
    pay(env, &stream.token, to, amount);
    events::Withdrawn {
        id,
        to: to.clone(),
        amount,
    }
    .publish(env);
    amount
}

/// Settles one stream for `settle`/`settle_many`: `Ok(paid)`, or `Err(amount)` when
/// the token refused the payment (nothing changed).
fn settle_one(env: &Env, id: u64, stream: &mut Stream) -> Result<i128, i128> {
    let amount = withdrawable_now(env, id, stream);
    if amount == 0 {
        return Ok(0);
    }
    if !try_pay(env, &stream.token, &stream.recipient, amount) {
        return Err(amount);
    }
    stream.withdrawn += amount;
    storage::write_stream(env, id, stream);
    events::Settled { id, amount }.publish(env);
    Ok(amount)
}

fn do_refund(env: &Env, id: u64, mut stream: Stream, amount: i128) -> i128 {
    stream.refunded += amount; // <= deposited, cannot overflow
    storage::write_stream(env, id, &stream);
    pay(env, &stream.token, &stream.sender, amount);
    events::Refunded { id, amount }.publish(env);
    amount
}

fn refundable_open_ended(env: &Env, id: u64, stream: &Stream) -> i128 {
    if !matches!(stream.schedule, Schedule::OpenEnded(_)) {
        fail(env, StreamError::NotOpenEnded);
    }
    amounts_at(env, id, stream, now(env)).refundable
}

#[contractimpl]
impl StreamContract {
    /// Creates a stream and pulls its deposit from the sender.
    ///
    /// # Arguments
    /// * `params` - sender, recipient, token (any SEP-41 token), schedule and flags.
    ///
    /// # Errors
    /// 100-111 for invalid schedules (see the README's error table); the token's own
    /// error if the sender cannot pay the deposit.
    ///
    /// # Events
    /// `created` with topics `[id, sender, recipient]`.
    ///
    /// # Notes
    /// Requires the sender's authorization (for this call and the token transfer).
    /// Ids start at 1 and are consecutive.
    pub fn create(env: Env, params: CreateParams) -> Result<u64, StreamError> {
        storage::extend_instance(&env);
        params.sender.require_auth();
        Ok(create_one(&env, &params))
    }

    /// Creates several streams in one transaction (a payroll run). Every distinct
    /// sender authorizes. Returns the new ids in order.
    ///
    /// # Errors
    /// `EmptyBatch`, `BatchTooLarge`, and any error of `create` (the whole batch fails).
    pub fn create_batch(env: Env, params: Vec<CreateParams>) -> Result<Vec<u64>, StreamError> {
        storage::extend_instance(&env);
        if params.is_empty() {
            fail(&env, StreamError::EmptyBatch);
        }
        check_batch_len(&env, params.len());
        // The host accepts one `require_auth` per address per call: ask each sender once.
        let mut signed: Vec<Address> = Vec::new(&env);
        for p in params.iter() {
            if !signed.contains(&p.sender) {
                p.sender.require_auth();
                signed.push_back(p.sender.clone());
            }
        }
        let mut ids = Vec::new(&env);
        for p in params.iter() {
            ids.push_back(create_one(&env, &p));
        }
        Ok(ids)
    }

    /// The recipient withdraws `amount` of what is withdrawable now, paid to `to`
    /// (any address). Returns `amount`.
    ///
    /// # Errors
    /// `StreamNotFound`, `InvalidAmount`, `AmountExceedsWithdrawable`.
    pub fn withdraw(env: Env, id: u64, to: Address, amount: i128) -> Result<i128, StreamError> {
        storage::extend_instance(&env);
        Ok(do_withdraw(&env, id, &to, amount))
    }

    /// The recipient withdraws everything withdrawable now to `to`; 0 (and no
    /// transfer) when nothing is.
    pub fn withdraw_max(env: Env, id: u64, to: Address) -> Result<i128, StreamError> {
        storage::extend_instance(&env);
        let stream = storage::read_stream(&env, id);
        let amount = withdrawable_now(&env, id, &stream);
        if amount == 0 {
            stream.recipient.require_auth();
            return Ok(0);
        }
        Ok(do_withdraw(&env, id, &to, amount))
    }

    /// PERMISSIONLESS. Pays the recipient everything withdrawable now and returns
    /// it; 0 and no transfer when nothing is due, so a second call in the same
    /// ledger pays nothing.
    ///
    /// # Errors
    /// `StreamNotFound`; `PaymentFailed` when the token refuses the payment (the
    /// recipient has no trustline or is frozen).
    pub fn settle(env: Env, id: u64) -> Result<i128, StreamError> {
        storage::extend_instance(&env);
        let mut stream = storage::read_stream(&env, id);
        Ok(settle_one(&env, id, &mut stream)
            .unwrap_or_else(|_| fail(&env, StreamError::PaymentFailed)))
    }

    /// PERMISSIONLESS batch settlement: the amount paid per id, in order. An id with
    /// no stream is skipped (0); a stream whose payment the token refuses is skipped
    /// with a `settle_skipped` event (0) and does not fail the batch.
    ///
    /// # Errors
    /// `BatchTooLarge`.
    pub fn settle_many(env: Env, ids: Vec<u64>) -> Result<Vec<i128>, StreamError> {
        storage::extend_instance(&env);
        check_batch_len(&env, ids.len());
        let mut paid = Vec::new(&env);
        for id in ids.iter() {
            let amount = match storage::try_read_stream(&env, id) {
                None => 0,
                Some(mut stream) => match settle_one(&env, id, &mut stream) {
                    Ok(amount) => amount,
                    Err(amount) => {
                        events::SettleSkipped { id, amount }.publish(&env);
                        0
                    }
                },
            };
            paid.push_back(amount);
        }
        Ok(paid)
    }

    /// The sender cancels a cancelable stream: accrual stops now, the unaccrued
    /// remainder is refunded to the sender at once, and what accrued stays owed to
    /// the recipient (withdrawable, and settleable by anyone). The recipient's part
    /// is deliberately not pushed here, so a recipient who cannot receive can never
    /// block a cancel. Returns the amount refunded.
    ///
    /// # Errors
    /// `StreamNotFound`, `NotCancelable`, `StreamCanceled`, `StreamCompleted` (a
    /// fixed stream that has fully accrued).
    pub fn cancel(env: Env, id: u64) -> Result<i128, StreamError> {
        storage::extend_instance(&env);
        let mut stream = sender_cancelable(&env, id);
        let t = now(&env);
        checkpoint(&mut stream, t);
        let a = amounts_at(&env, id, &stream, t);
        if !matches!(stream.schedule, Schedule::OpenEnded(_)) && a.accrued == stream.deposited {
            fail(&env, StreamError::StreamCompleted);
        }
        stream.status = Status::Canceled;
        stream.canceled_ts = t;
        stream.refunded += a.refundable;
        storage::write_stream(&env, id, &stream);
        if a.refundable > 0 {
            pay(&env, &stream.token, &stream.sender, a.refundable);
        }
        events::Canceled {
            id,
            refunded: a.refundable,
            owed: a.accrued - stream.withdrawn,
        }
        .publish(&env);
        Ok(a.refundable)
    }

    /// Adds funds to an open-ended stream (anyone may fund it; `from` authorizes).
    /// Outstanding debt is covered first: it becomes withdrawable at once. A
    /// canceled stream accepts top-ups only up to its debt.
    ///
    /// # Errors
    /// `InvalidAmount`, `NotOpenEnded`, `AmountExceedsDebt`, `Overflow`.
    pub fn top_up(env: Env, id: u64, from: Address, amount: i128) -> Result<(), StreamError> {
        storage::extend_instance(&env);
        from.require_auth();
        if amount <= 0 {
            fail(&env, StreamError::InvalidAmount);
        }
        let mut stream = storage::read_stream(&env, id);
        rate_mut(&env, &mut stream);
        if stream.status == Status::Canceled
            && amount > amounts_at(&env, id, &stream, now(&env)).debt
        {
            fail(&env, StreamError::AmountExceedsDebt);
        }
        stream.deposited = stream
            .deposited
            .checked_add(amount)
            .unwrap_or_else(|| fail(&env, StreamError::Overflow));
        token::TokenClient::new(&env, &stream.token).transfer(
            &from,
            env.current_contract_address(),
            &amount,
        );
        storage::write_stream(&env, id, &stream);
        events::ToppedUp { id, from, amount }.publish(&env);
        Ok(())
    }

    /// The sender pauses an open-ended stream: nothing accrues until `resume`.
    ///
    /// # Errors
    /// `NotOpenEnded`, `StreamPaused`, `StreamCanceled`.
    pub fn pause(env: Env, id: u64) -> Result<(), StreamError> {
        storage::extend_instance(&env);
        let mut stream = sender_open_ended_live(&env, id);
        if stream.status == Status::Paused {
            fail(&env, StreamError::StreamPaused);
        }
        checkpoint(&mut stream, now(&env));
        stream.status = Status::Paused;
        let accrued = rate_mut(&env, &mut stream).accrued_at_snapshot;
        storage::write_stream(&env, id, &stream);
        events::Paused { id, accrued }.publish(&env);
        Ok(())
    }

    /// The sender resumes a paused open-ended stream; accrual restarts now, with
    /// the carried sub-unit remainder intact.
    ///
    /// # Errors
    /// `NotOpenEnded`, `NotPaused`, `StreamCanceled`.
    pub fn resume(env: Env, id: u64) -> Result<(), StreamError> {
        storage::extend_instance(&env);
        let mut stream = sender_open_ended_live(&env, id);
        if stream.status != Status::Paused {
            fail(&env, StreamError::NotPaused);
        }
        let t = now(&env);
        let rate = rate_mut(&env, &mut stream);
        rate.snapshot_ts = rate.snapshot_ts.max(t);
        stream.status = Status::Active;
        storage::write_stream(&env, id, &stream);
        events::Resumed { id }.publish(&env);
        Ok(())
    }

    /// The sender changes an open-ended stream's `amount_per_period` (the period
    /// is fixed for the stream's life, which is what lets the sub-unit remainder be
    /// carried exactly). Accrual up to now is kept at the old rate.
    ///
    /// # Errors
    /// `InvalidAmount`, `NotOpenEnded`, `StreamCanceled`, `RateTooHigh`.
    pub fn set_rate(env: Env, id: u64, amount_per_period: i128) -> Result<(), StreamError> {
        storage::extend_instance(&env);
        let mut stream = sender_open_ended_live(&env, id);
        if amount_per_period <= 0 {
            fail(&env, StreamError::InvalidAmount);
        }
        checkpoint(&mut stream, now(&env));
        let rate = rate_mut(&env, &mut stream);
        if !math::rate_within_bounds(rate.accrued_at_snapshot, amount_per_period, rate.period_s) {
            fail(&env, StreamError::RateTooHigh);
        }
        let old = rate.amount_per_period;
        rate.amount_per_period = amount_per_period;
        storage::write_stream(&env, id, &stream);
        events::RateSet {
            id,
            old_amount_per_period: old,
            new_amount_per_period: amount_per_period,
        }
        .publish(&env);
        Ok(())
    }

    /// The sender takes back `amount` of an open-ended stream's unaccrued funds.
    ///
    /// # Errors
    /// `InvalidAmount`, `NotOpenEnded`, `AmountExceedsRefundable`.
    pub fn refund(env: Env, id: u64, amount: i128) -> Result<i128, StreamError> {
        storage::extend_instance(&env);
        let stream = storage::read_stream(&env, id);
        stream.sender.require_auth();
        if amount <= 0 {
            fail(&env, StreamError::InvalidAmount);
        }
        if amount > refundable_open_ended(&env, id, &stream) {
            fail(&env, StreamError::AmountExceedsRefundable);
        }
        Ok(do_refund(&env, id, stream, amount))
    }

    /// The sender takes back all of an open-ended stream's unaccrued funds; 0 (no
    /// transfer) when there are none.
    pub fn refund_max(env: Env, id: u64) -> Result<i128, StreamError> {
        storage::extend_instance(&env);
        let stream = storage::read_stream(&env, id);
        stream.sender.require_auth();
        let amount = refundable_open_ended(&env, id, &stream);
        if amount == 0 {
            return Ok(0);
        }
        Ok(do_refund(&env, id, stream, amount))
    }

    /// The recipient hands the stream to `new_recipient`, including whatever has
    /// accrued and not been withdrawn (withdraw first to keep it).
    ///
    /// # Errors
    /// `NotTransferable`, `InvalidRecipient` (same recipient).
    pub fn transfer(env: Env, id: u64, new_recipient: Address) -> Result<(), StreamError> {
        storage::extend_instance(&env);
        let mut stream = storage::read_stream(&env, id);
        stream.recipient.require_auth();
        if !stream.transferable {
            fail(&env, StreamError::NotTransferable);
        }
        if new_recipient == stream.recipient {
            fail(&env, StreamError::InvalidRecipient);
        }
        let from = stream.recipient.clone();
        stream.recipient = new_recipient.clone();
        storage::write_stream(&env, id, &stream);
        events::Transferred {
            id,
            from,
            to: new_recipient,
        }
        .publish(&env);
        Ok(())
    }

    /// The sender gives up the right to cancel, for good.
    ///
    /// # Errors
    /// `NotCancelable` (already), `StreamCanceled`.
    pub fn renounce(env: Env, id: u64) -> Result<(), StreamError> {
        storage::extend_instance(&env);
        let mut stream = sender_cancelable(&env, id);
        stream.cancelable = false;
        storage::write_stream(&env, id, &stream);
        events::Renounced { id }.publish(&env);
        Ok(())
    }

    /// PERMISSIONLESS. Extends the instance, the code and every named stream's
    /// entries to the network's maximum TTL. Ids with no stream are skipped.
    /// Returns how many streams were extended.
    ///
    /// # Errors
    /// `BatchTooLarge`.
    pub fn extend_ttl(env: Env, ids: Vec<u64>) -> Result<u32, StreamError> {
        check_batch_len(&env, ids.len());
        let max = env.storage().max_ttl();
        env.deployer()
            .extend_ttl(env.current_contract_address(), max, max);
        let mut extended = 0;
        for id in ids.iter() {
            if let Some(stream) = storage::try_read_stream(&env, id) {
                storage::extend_stream_to_max(
                    &env,
                    id,
                    matches!(stream.schedule, Schedule::Tranched(_)),
                );
                extended += 1;
            }
        }
        Ok(extended)
    }

    /// The stream record. # Errors `StreamNotFound`.
    pub fn get(env: Env, id: u64) -> Result<Stream, StreamError> {
        Ok(storage::read_stream(&env, id))
    }

    /// Several stream records; `None` for ids with no stream. # Errors `BatchTooLarge`.
    pub fn get_many(env: Env, ids: Vec<u64>) -> Result<Vec<Option<Stream>>, StreamError> {
        check_batch_len(&env, ids.len());
        let mut out = Vec::new(&env);
        for id in ids.iter() {
            out.push_back(storage::try_read_stream(&env, id));
        }
        Ok(out)
    }

    /// A tranched stream's tranches (empty for other shapes). # Errors `StreamNotFound`.
    pub fn get_tranches(env: Env, id: u64) -> Result<Vec<Tranche>, StreamError> {
        let stream = storage::read_stream(&env, id);
        Ok(match stream.schedule {
            Schedule::Tranched(_) => storage::read_tranches(&env, id),
            _ => Vec::new(&env),
        })
    }

    /// What the recipient can withdraw (or anyone can settle) now.
    pub fn withdrawable(env: Env, id: u64) -> Result<i128, StreamError> {
        let stream = storage::read_stream(&env, id);
        Ok(withdrawable_now(&env, id, &stream))
    }

    /// Every amount of a stream now: accrued, withdrawable, debt, refundable, balance.
    pub fn amounts(env: Env, id: u64) -> Result<Amounts, StreamError> {
        let stream = storage::read_stream(&env, id);
        Ok(amounts_at(&env, id, &stream, now(&env)))
    }

    /// How many streams exist; ids are `1..=stream_count()`.
    pub fn stream_count(env: Env) -> Result<u64, StreamError> {
        Ok(storage::read_stream_count(&env))
    }
}
