//! The contract's entry points and their guards: who must sign, which states allow
//! the operation, state transitions and token movements. Schedule validation is
//! `validate`, accrual `accrual` (over `math`), keys and TTLs `storage`.
//!
//! Error style: every entry point returns `Result<_, StreamError>`; guards return
//! `Err` and `?` propagates it. A token's own failure (the sender cannot pay a
//! deposit) surfaces as the token's error, except where the contract isolates it
//! (`settle_many`, `cancel_many`) or names it (`PaymentFailed`, `TransferShortfall`).
//!
//! Immutable by design (docs/adr/0003-immutable-stream-contract.md): there is no
//! admin and no upgrade entry point.

use soroban_sdk::{contract, contractimpl, token, Address, Env, Vec};

use crate::accrual;
use crate::errors::StreamError;
use crate::events;
use crate::storage;
use crate::types::{Amounts, CreateParams, Rate, Schedule, Status, Stream, StreamState};
use crate::validate;

/// Most items in one batch call (`create_batch`, `settle_many`, `cancel_many`,
/// `extend_ttl`, `get_many`, `amounts_many`). The transaction limits bind earlier
/// for most batch shapes; see docs/benchmarks/contract.md for the largest batch
/// that fits pubnet's limits.
pub const MAX_BATCH: u32 = 200;

#[contract]
pub struct StreamContract;

fn now(env: &Env) -> u64 {
    env.ledger().timestamp()
}

fn check_batch_len(len: u32) -> Result<(), StreamError> {
    if len > MAX_BATCH {
        return Err(StreamError::BatchTooLarge);
    }
    Ok(())
}

/// Refuses this contract's own address as a place to send funds: they would be
/// counted paid and stranded.
fn check_destination(env: &Env, to: &Address) -> Result<(), StreamError> {
    if *to == env.current_contract_address() {
        return Err(StreamError::DestinationIsContract);
    }
    Ok(())
}

/// Refuses what only a cancelable stream's sender may do (cancel, pause, lower the
/// rate, refund, void): together they would amount to a cancel.
fn check_cancelable(stream: &Stream) -> Result<(), StreamError> {
    if !stream.cancelable {
        return Err(StreamError::NotCancelable);
    }
    Ok(())
}

/// Refuses a stream that has stopped for good.
fn check_live(stream: &Stream) -> Result<(), StreamError> {
    match stream.status {
        Status::Canceled => Err(StreamError::StreamCanceled),
        Status::Voided => Err(StreamError::StreamVoided),
        _ => Ok(()),
    }
}

fn rate_mut(stream: &mut Stream) -> Result<&mut Rate, StreamError> {
    match &mut stream.schedule {
        Schedule::OpenEnded(r) => Ok(r),
        _ => Err(StreamError::NotOpenEnded),
    }
}

/// The contract's balance in `token`.
fn held(env: &Env, token: &Address) -> i128 {
    token::TokenClient::new(env, token).balance(&env.current_contract_address())
}

/// Refuses a shortfall: `received` (balance after minus before) is less than `expected`.
fn check_arrived(before: i128, after: i128, expected: i128) -> Result<(), StreamError> {
    if after.checked_sub(before).is_none_or(|r| r < expected) {
        return Err(StreamError::TransferShortfall);
    }
    Ok(())
}

fn transfer_in(env: &Env, token: &Address, from: &Address, amount: i128) {
    token::TokenClient::new(env, token).transfer(from, env.current_contract_address(), &amount);
}

/// Pulls `amount` of `token` from `from` into the contract and checks that all of
/// it arrived: a fee-on-transfer or rebasing token would otherwise leave whoever
/// withdraws last in that token short.
fn pull(env: &Env, token: &Address, from: &Address, amount: i128) -> Result<(), StreamError> {
    let before = held(env, token);
    transfer_in(env, token, from, amount);
    check_arrived(before, held(env, token), amount)
}

/// `create_batch`'s arrival check: each distinct token's balance before its first
/// deposit, checked once at the end against the sum of that token's deposits rather
/// than around every transfer. (Append-only vectors: `Vec::set` would link one more
/// host import, which every call of the contract pays for.)
struct Arrivals {
    tokens: Vec<Address>,
    before: Vec<i128>,
}

impl Arrivals {
    fn new(env: &Env) -> Self {
        Arrivals {
            tokens: Vec::new(env),
            before: Vec::new(env),
        }
    }

    /// Records the balance of a token the batch has not pulled yet.
    fn note(&mut self, env: &Env, token: &Address) {
        if !storage::holds(&self.tokens, token) {
            self.tokens.push_back(token.clone());
            self.before.push_back(held(env, token));
        }
    }

    /// Checks every token received at least the deposits pulled in it.
    /// `pulled` holds each stream's `(token, deposit)`, as two vectors.
    fn check(
        &self,
        env: &Env,
        pulled_tokens: &Vec<Address>,
        deposits: &Vec<i128>,
    ) -> Result<(), StreamError> {
        for (token, before) in self.tokens.iter().zip(self.before.iter()) {
            let mut expected: i128 = 0;
            for (t, d) in pulled_tokens.iter().zip(deposits.iter()) {
                if t == token {
                    expected = expected.checked_add(d).ok_or(StreamError::Overflow)?;
                }
            }
            check_arrived(before, held(env, &token), expected)?;
        }
        Ok(())
    }
}

/// Pays `amount` to `to`: false (and nothing moved) when the token refused.
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

fn pay(env: &Env, token: &Address, to: &Address, amount: i128) -> Result<(), StreamError> {
    if try_pay(env, token, to, amount) {
        Ok(())
    } else {
        Err(StreamError::PaymentFailed)
    }
}

/// Reads an open-ended stream for one of the sender's operations: the sender
/// authorizes; a fixed stream is `NotOpenEnded`, a stopped one `StreamCanceled` or
/// `StreamVoided`.
fn sender_open_ended_live(env: &Env, id: u64) -> Result<Stream, StreamError> {
    let mut stream = storage::read_stream(env, id)?;
    stream.sender.require_auth();
    rate_mut(&mut stream)?;
    check_live(&stream)?;
    Ok(stream)
}

/// The guards of `cancel`/`renounce` (authorization aside): live and cancelable.
fn check_cancel(stream: &Stream) -> Result<(), StreamError> {
    check_live(stream)?;
    check_cancelable(stream)
}

/// Creates one stream; returns its id and deposit. With `batch`, the deposit's
/// arrival is checked once for the whole batch (`Arrivals`); without, here.
fn create_one(
    env: &Env,
    params: &CreateParams,
    batch: Option<&mut Arrivals>,
) -> Result<(u64, i128), StreamError> {
    check_destination(env, &params.recipient)?;
    validate::reference(params.reference.len())?;
    let t = now(env);
    let v = validate::schedule(env, &params.schedule, t)?;
    let id = storage::read_stream_count(env) + 1;
    storage::write_stream_count(env, id);
    match batch {
        Some(arrivals) => {
            arrivals.note(env, &params.token);
            transfer_in(env, &params.token, &params.sender, v.deposit);
        }
        None => pull(env, &params.token, &params.sender, v.deposit)?,
    }
    let stream = Stream {
        sender: params.sender.clone(),
        recipient: params.recipient.clone(),
        token: params.token.clone(),
        schedule: v.schedule,
        cancelable: params.cancelable,
        transferable: params.transferable,
        status: Status::Active,
        created_ts: t,
        canceled_ts: 0,
        deposited: v.deposit,
        withdrawn: 0,
        refunded: 0,
        reference: params.reference.clone(),
    };
    if let Some(tr) = &v.tranches {
        storage::write_tranches(env, id, tr);
    }
    storage::create_stream(env, id, &stream);
    let (tranche_unlock_ts, tranche_amounts) =
        events::split_tranches(env, &v.tranches.unwrap_or_else(|| Vec::new(env)));
    events::Created {
        id,
        sender: stream.sender,
        recipient: stream.recipient,
        token: stream.token,
        deposit: v.deposit,
        schedule: stream.schedule,
        tranche_unlock_ts,
        tranche_amounts,
        cancelable: stream.cancelable,
        transferable: stream.transferable,
        reference: stream.reference,
    }
    .publish(env);
    Ok((id, v.deposit))
}

/// Pays `amount` of what is withdrawable to `to` (authorization is the caller's).
fn do_withdraw(
    env: &Env,
    id: u64,
    stream: &mut Stream,
    to: &Address,
    amount: i128,
) -> Result<i128, StreamError> {
    stream.withdrawn += amount; // <= deposited, cannot overflow
    storage::write_stream(env, id, stream);
    token::TokenClient::new(env, &stream.token).transfer(
        &env.current_contract_address(),
        to,
        &amount,
    );
    events::Withdrawn {
        id,
        to: to.clone(),
        amount,
    }
    .publish(env);
    Ok(amount)
}

fn withdrawable_now(env: &Env, id: u64, stream: &Stream) -> Result<i128, StreamError> {
    Ok(accrual::amounts_at(env, id, stream, now(env))?.withdrawable)
}

/// Settles one stream for `settle`/`settle_many`: `Ok(paid)`, or `Err(amount)` when
/// the token refused the payment (nothing changed).
fn settle_one(env: &Env, id: u64, stream: &mut Stream) -> Result<Result<i128, i128>, StreamError> {
    let amount = withdrawable_now(env, id, stream)?;
    if amount == 0 {
        return Ok(Ok(0));
    }
    if !try_pay(env, &stream.token, &stream.recipient, amount) {
        return Ok(Err(amount));
    }
    stream.withdrawn += amount;
    storage::write_stream(env, id, stream);
    events::Settled { id, amount }.publish(env);
    Ok(Ok(amount))
}

/// Cancels one stream whose sender has authorized: stops accrual now, refunds the
/// unaccrued part to the sender (nothing changes if the token refuses it).
fn cancel_one(env: &Env, id: u64, stream: &mut Stream) -> Result<i128, StreamError> {
    check_cancel(stream)?;
    let t = now(env);
    accrual::checkpoint(stream, t);
    let a = accrual::amounts_at(env, id, stream, t)?;
    if !matches!(stream.schedule, Schedule::OpenEnded(_)) && a.accrued == stream.deposited {
        return Err(StreamError::StreamCompleted);
    }
    if a.refundable > 0 {
        pay(env, &stream.token, &stream.sender, a.refundable)?;
    }
    stream.status = Status::Canceled;
    stream.canceled_ts = t;
    stream.refunded += a.refundable;
    storage::write_stream(env, id, stream);
    events::Canceled {
        id,
        refunded: a.refundable,
        owed: a.accrued - stream.withdrawn,
    }
    .publish(env);
    Ok(a.refundable)
}

fn refundable_open_ended(env: &Env, id: u64, stream: &mut Stream) -> Result<i128, StreamError> {
    rate_mut(stream)?;
    check_cancelable(stream)?;
    Ok(accrual::amounts_at(env, id, stream, now(env))?.refundable)
}

fn do_refund(env: &Env, id: u64, stream: &mut Stream, amount: i128) -> Result<i128, StreamError> {
    stream.refunded += amount; // <= deposited, cannot overflow
    storage::write_stream(env, id, stream);
    token::TokenClient::new(env, &stream.token).transfer(
        &env.current_contract_address(),
        &stream.sender,
        &amount,
    );
    events::Refunded { id, amount }.publish(env);
    Ok(amount)
}

fn do_transfer(
    env: &Env,
    id: u64,
    stream: &mut Stream,
    new_recipient: Address,
) -> Result<(), StreamError> {
    let from = stream.recipient.clone();
    stream.recipient = new_recipient.clone();
    storage::write_stream(env, id, stream);
    events::Transferred {
        id,
        from,
        to: new_recipient,
    }
    .publish(env);
    Ok(())
}

/// The guards of `transfer` and `withdraw_max_and_transfer` (authorization aside).
fn check_transfer(env: &Env, stream: &Stream, new_recipient: &Address) -> Result<(), StreamError> {
    if !stream.transferable {
        return Err(StreamError::NotTransferable);
    }
    if *new_recipient == stream.recipient {
        return Err(StreamError::InvalidRecipient);
    }
    check_destination(env, new_recipient)
}

#[contractimpl]
impl StreamContract {
    /// Creates a stream and pulls its deposit from the sender.
    ///
    /// # Arguments
    /// * `params` - sender, recipient, token (any SEP-41 token), schedule, flags and
    ///   an accounting reference (at most `MAX_REFERENCE_BYTES` bytes).
    ///
    /// # Errors
    /// 100-118 for invalid parameters (see the README's error table);
    /// `TransferShortfall` when less than the deposit arrived; the token's own
    /// error if the sender cannot pay the deposit.
    ///
    /// # Events
    /// `created` with topics `[id, sender, recipient]`.
    ///
    /// # Notes
    /// Requires the sender's authorization (for this call and the token transfer).
    /// Ids start at 1 and are consecutive.
    pub fn create(env: Env, params: CreateParams) -> Result<u64, StreamError> {
        params.sender.require_auth();
        Ok(create_one(&env, &params, None)?.0)
    }

    /// Creates several streams in one transaction (a payroll run). Every distinct
    /// sender authorizes. Returns the new ids in order.
    ///
    /// # Errors
    /// `EmptyBatch`, `BatchTooLarge`, and any error of `create` (the whole batch fails).
    pub fn create_batch(env: Env, params: Vec<CreateParams>) -> Result<Vec<u64>, StreamError> {
        if params.is_empty() {
            return Err(StreamError::EmptyBatch);
        }
        check_batch_len(params.len())?;
        // The host accepts one `require_auth` per address per call: ask each sender once.
        let mut signed: Vec<Address> = Vec::new(&env);
        for p in params.iter() {
            if !storage::holds(&signed, &p.sender) {
                p.sender.require_auth();
                signed.push_back(p.sender.clone());
            }
        }
        let mut ids = Vec::new(&env);
        let (mut tokens, mut deposits) = (Vec::new(&env), Vec::new(&env));
        let mut arrivals = Arrivals::new(&env);
        for p in params.iter() {
            let (id, deposit) = create_one(&env, &p, Some(&mut arrivals))?;
            ids.push_back(id);
            tokens.push_back(p.token);
            deposits.push_back(deposit);
        }
        arrivals.check(&env, &tokens, &deposits)?;
        Ok(ids)
    }

    /// The recipient withdraws `amount` of what is withdrawable now, paid to `to`
    /// (any address but this contract). Returns `amount`.
    ///
    /// # Errors
    /// `StreamNotFound`, `DestinationIsContract`, `InvalidAmount`, `AmountExceedsWithdrawable`.
    pub fn withdraw(env: Env, id: u64, to: Address, amount: i128) -> Result<i128, StreamError> {
        let mut stream = storage::read_stream(&env, id)?;
        stream.recipient.require_auth();
        check_destination(&env, &to)?;
        if amount <= 0 {
            return Err(StreamError::InvalidAmount);
        }
        if amount > withdrawable_now(&env, id, &stream)? {
            return Err(StreamError::AmountExceedsWithdrawable);
        }
        do_withdraw(&env, id, &mut stream, &to, amount)
    }

    /// The recipient withdraws everything withdrawable now to `to`; 0 (and no
    /// transfer) when nothing is.
    ///
    /// # Errors
    /// `StreamNotFound`, `DestinationIsContract`.
    pub fn withdraw_max(env: Env, id: u64, to: Address) -> Result<i128, StreamError> {
        let mut stream = storage::read_stream(&env, id)?;
        stream.recipient.require_auth();
        check_destination(&env, &to)?;
        let amount = withdrawable_now(&env, id, &stream)?;
        if amount == 0 {
            return Ok(0);
        }
        do_withdraw(&env, id, &mut stream, &to, amount)
    }

    /// The recipient withdraws everything withdrawable now to itself and hands the
    /// stream to `new_recipient` in one call. Returns the amount withdrawn.
    ///
    /// # Errors
    /// `StreamNotFound`, `NotTransferable`, `InvalidRecipient` (same recipient),
    /// `DestinationIsContract`.
    ///
    /// # Events
    /// `withdrawn` (when something was due), then `transferred`.
    pub fn withdraw_max_and_transfer(
        env: Env,
        id: u64,
        new_recipient: Address,
    ) -> Result<i128, StreamError> {
        let mut stream = storage::read_stream(&env, id)?;
        stream.recipient.require_auth();
        check_transfer(&env, &stream, &new_recipient)?;
        let amount = withdrawable_now(&env, id, &stream)?;
        if amount > 0 {
            let to = stream.recipient.clone();
            do_withdraw(&env, id, &mut stream, &to, amount)?;
        }
        do_transfer(&env, id, &mut stream, new_recipient)?;
        Ok(amount)
    }

    /// PERMISSIONLESS. Pays the recipient everything withdrawable now and returns
    /// it; 0 and no transfer when nothing is due, so a second call in the same
    /// ledger pays nothing.
    ///
    /// # Errors
    /// `StreamNotFound`; `PaymentFailed` when the token refuses the payment (the
    /// recipient has no trustline or is frozen).
    pub fn settle(env: Env, id: u64) -> Result<i128, StreamError> {
        let mut stream = storage::read_stream(&env, id)?;
        settle_one(&env, id, &mut stream)?.map_err(|_| StreamError::PaymentFailed)
    }

    /// PERMISSIONLESS batch settlement. Returns the total paid; each stream paid
    /// emits `settled` with its amount. An id with no stream is skipped; a stream
    /// whose payment the token refuses is skipped with a `settle_skipped` event and
    /// does not fail the batch. A token that exhausts the budget or emits oversized
    /// events does fail it (see the README: batch per token).
    ///
    /// # Errors
    /// `BatchTooLarge`.
    pub fn settle_many(env: Env, ids: Vec<u64>) -> Result<i128, StreamError> {
        check_batch_len(ids.len())?;
        let mut total: i128 = 0;
        for id in ids.iter() {
            if let Some(mut stream) = storage::try_read_stream(&env, id) {
                match settle_one(&env, id, &mut stream)? {
                    // Amounts paid out are each <= the contract's balance in one token;
                    // across tokens the sum saturates rather than trap.
                    Ok(amount) => total = total.saturating_add(amount),
                    Err(amount) => events::SettleSkipped { id, amount }.publish(&env),
                }
            }
        }
        Ok(total)
    }

    /// The sender cancels a cancelable stream: accrual stops now, the unaccrued
    /// remainder is refunded to the sender at once, and what accrued stays owed to
    /// the recipient (withdrawable, and settleable by anyone). The recipient's part
    /// is deliberately not pushed here, so a recipient who cannot receive can never
    /// block a cancel. Returns the amount refunded.
    ///
    /// # Errors
    /// `StreamNotFound`, `NotCancelable`, `StreamCanceled`, `StreamVoided`,
    /// `StreamCompleted` (a fixed stream that has fully accrued), `PaymentFailed`
    /// (the token refused the refund).
    pub fn cancel(env: Env, id: u64) -> Result<i128, StreamError> {
        let mut stream = storage::read_stream(&env, id)?;
        stream.sender.require_auth();
        cancel_one(&env, id, &mut stream)
    }

    /// Cancels several streams, each like `cancel`, isolated: a stream that cannot be
    /// canceled (missing, not cancelable, complete, already stopped, refund refused
    /// by its token) is skipped with a `cancel_skipped` event carrying the error
    /// code, and refunds 0. Every distinct sender of the named streams authorizes
    /// once. Returns the refund per id, in order.
    ///
    /// # Errors
    /// `BatchTooLarge`.
    pub fn cancel_many(env: Env, ids: Vec<u64>) -> Result<Vec<i128>, StreamError> {
        check_batch_len(ids.len())?;
        let mut signed: Vec<Address> = Vec::new(&env);
        for id in ids.iter() {
            if let Some(s) = storage::try_read_stream(&env, id) {
                if !storage::holds(&signed, &s.sender) {
                    s.sender.require_auth();
                    signed.push_back(s.sender);
                }
            }
        }
        let mut refunds = Vec::new(&env);
        for id in ids.iter() {
            let outcome = storage::read_stream(&env, id)
                .and_then(|mut stream| cancel_one(&env, id, &mut stream));
            refunds.push_back(match outcome {
                Ok(refunded) => refunded,
                Err(e) => {
                    events::CancelSkipped {
                        id,
                        error: e as u32,
                    }
                    .publish(&env);
                    0
                }
            });
        }
        Ok(refunds)
    }

    /// Adds funds to an open-ended stream (anyone may fund it; `from` authorizes).
    /// Outstanding debt is covered first: it becomes withdrawable at once. A
    /// canceled stream accepts top-ups only up to its debt; a voided one none.
    ///
    /// # Errors
    /// `InvalidAmount`, `NotOpenEnded`, `StreamVoided`, `AmountExceedsDebt`,
    /// `Overflow`, `TransferShortfall`.
    pub fn top_up(env: Env, id: u64, from: Address, amount: i128) -> Result<(), StreamError> {
        from.require_auth();
        if amount <= 0 {
            return Err(StreamError::InvalidAmount);
        }
        let mut stream = storage::read_stream(&env, id)?;
        rate_mut(&mut stream)?;
        match stream.status {
            Status::Voided => return Err(StreamError::StreamVoided),
            Status::Canceled
                if amount > accrual::amounts_at(&env, id, &stream, now(&env))?.debt =>
            {
                return Err(StreamError::AmountExceedsDebt)
            }
            _ => {}
        }
        stream.deposited = stream
            .deposited
            .checked_add(amount)
            .ok_or(StreamError::Overflow)?;
        pull(&env, &stream.token, &from, amount)?;
        storage::write_stream(&env, id, &stream);
        events::ToppedUp { id, from, amount }.publish(&env);
        Ok(())
    }

    /// The sender pauses a cancelable open-ended stream: nothing accrues until `resume`.
    ///
    /// # Errors
    /// `NotOpenEnded`, `NotCancelable`, `StreamPaused`, `StreamCanceled`, `StreamVoided`.
    pub fn pause(env: Env, id: u64) -> Result<(), StreamError> {
        let mut stream = sender_open_ended_live(&env, id)?;
        check_cancelable(&stream)?;
        if stream.status == Status::Paused {
            return Err(StreamError::StreamPaused);
        }
        accrual::checkpoint(&mut stream, now(&env));
        stream.status = Status::Paused;
        let accrued = rate_mut(&mut stream)?.accrued_at_snapshot;
        storage::write_stream(&env, id, &stream);
        events::Paused { id, accrued }.publish(&env);
        Ok(())
    }

    /// The sender resumes a paused open-ended stream; accrual restarts now, with
    /// the carried sub-unit remainder intact.
    ///
    /// # Errors
    /// `NotOpenEnded`, `NotPaused`, `StreamCanceled`, `StreamVoided`.
    pub fn resume(env: Env, id: u64) -> Result<(), StreamError> {
        let mut stream = sender_open_ended_live(&env, id)?;
        if stream.status != Status::Paused {
            return Err(StreamError::NotPaused);
        }
        let t = now(&env);
        let rate = rate_mut(&mut stream)?;
        rate.snapshot_ts = rate.snapshot_ts.max(t);
        stream.status = Status::Active;
        storage::write_stream(&env, id, &stream);
        events::Resumed { id }.publish(&env);
        Ok(())
    }

    /// The sender changes an open-ended stream's `amount_per_period` (the period
    /// is fixed for the stream's life, which is what lets the sub-unit remainder be
    /// carried exactly). Accrual up to now is kept at the old rate. Lowering the
    /// rate needs a cancelable stream.
    ///
    /// # Errors
    /// `InvalidAmount`, `NotOpenEnded`, `NotCancelable`, `StreamCanceled`,
    /// `StreamVoided`, `RateTooHigh`.
    pub fn set_rate(env: Env, id: u64, amount_per_period: i128) -> Result<(), StreamError> {
        let mut stream = sender_open_ended_live(&env, id)?;
        if amount_per_period <= 0 {
            return Err(StreamError::InvalidAmount);
        }
        if amount_per_period < rate_mut(&mut stream)?.amount_per_period {
            check_cancelable(&stream)?;
        }
        accrual::checkpoint(&mut stream, now(&env));
        let rate = rate_mut(&mut stream)?;
        if !crate::math::rate_within_bounds(
            rate.accrued_at_snapshot,
            amount_per_period,
            rate.period_s,
        ) {
            return Err(StreamError::RateTooHigh);
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

    /// The sender takes back `amount` of a cancelable open-ended stream's unaccrued funds.
    ///
    /// # Errors
    /// `InvalidAmount`, `NotOpenEnded`, `NotCancelable`, `AmountExceedsRefundable`.
    pub fn refund(env: Env, id: u64, amount: i128) -> Result<i128, StreamError> {
        let mut stream = storage::read_stream(&env, id)?;
        stream.sender.require_auth();
        if amount <= 0 {
            return Err(StreamError::InvalidAmount);
        }
        if amount > refundable_open_ended(&env, id, &mut stream)? {
            return Err(StreamError::AmountExceedsRefundable);
        }
        do_refund(&env, id, &mut stream, amount)
    }

    /// The sender takes back all of a cancelable open-ended stream's unaccrued
    /// funds; 0 (no transfer) when there are none.
    ///
    /// # Errors
    /// `NotOpenEnded`, `NotCancelable`.
    pub fn refund_max(env: Env, id: u64) -> Result<i128, StreamError> {
        let mut stream = storage::read_stream(&env, id)?;
        stream.sender.require_auth();
        let amount = refundable_open_ended(&env, id, &mut stream)?;
        if amount == 0 {
            return Ok(0);
        }
        do_refund(&env, id, &mut stream, amount)
    }

    /// Stops an open-ended stream for good and forfeits its unfunded debt: the
    /// recipient keeps what was funded (withdrawable, settleable), the unaccrued
    /// rest is refunded to the sender at once. `caller` is the sender (cancelable
    /// streams only) or the recipient (always: it gives up its own claim). Returns
    /// the amount refunded.
    ///
    /// # Errors
    /// `StreamNotFound`, `NotSenderOrRecipient`, `NotOpenEnded`, `NotCancelable`,
    /// `StreamCanceled`, `StreamVoided`, `PaymentFailed` (the token refused the refund).
    ///
    /// # Events
    /// `voided` with `[refunded, forfeited]`.
    pub fn void(env: Env, id: u64, caller: Address) -> Result<i128, StreamError> {
        caller.require_auth();
        let mut stream = storage::read_stream(&env, id)?;
        if caller != stream.recipient {
            if caller != stream.sender {
                return Err(StreamError::NotSenderOrRecipient);
            }
            check_cancelable(&stream)?;
        }
        rate_mut(&mut stream)?;
        check_live(&stream)?;
        let t = now(&env);
        accrual::checkpoint(&mut stream, t);
        let a = accrual::amounts_at(&env, id, &stream, t)?;
        let rate = rate_mut(&mut stream)?;
        rate.accrued_at_snapshot = a.accrued - a.debt;
        rate.remainder = 0;
        rate.snapshot_ts = rate.snapshot_ts.max(t);
        if a.refundable > 0 {
            pay(&env, &stream.token, &stream.sender, a.refundable)?;
        }
        stream.status = Status::Voided;
        stream.refunded += a.refundable;
        storage::write_stream(&env, id, &stream);
        events::Voided {
            id,
            refunded: a.refundable,
            forfeited: a.debt,
        }
        .publish(&env);
        Ok(a.refundable)
    }

    /// The recipient hands the stream to `new_recipient`, including whatever has
    /// accrued and not been withdrawn (withdraw first to keep it, or use
    /// `withdraw_max_and_transfer`).
    ///
    /// # Errors
    /// `NotTransferable`, `InvalidRecipient` (same recipient), `DestinationIsContract`.
    pub fn transfer(env: Env, id: u64, new_recipient: Address) -> Result<(), StreamError> {
        let mut stream = storage::read_stream(&env, id)?;
        stream.recipient.require_auth();
        check_transfer(&env, &stream, &new_recipient)?;
        do_transfer(&env, id, &mut stream, new_recipient)
    }

    /// The sender gives up the right to cancel, for good. A paused open-ended
    /// stream is resumed (it could never be resumed by force otherwise).
    ///
    /// # Errors
    /// `NotCancelable` (already), `StreamCanceled`, `StreamVoided`.
    pub fn renounce(env: Env, id: u64) -> Result<(), StreamError> {
        let mut stream = storage::read_stream(&env, id)?;
        stream.sender.require_auth();
        check_cancel(&stream)?;
        stream.cancelable = false;
        let resumed = stream.status == Status::Paused;
        if resumed {
            let t = now(&env);
            let rate = rate_mut(&mut stream)?;
            rate.snapshot_ts = rate.snapshot_ts.max(t);
            stream.status = Status::Active;
        }
        storage::write_stream(&env, id, &stream);
        if resumed {
            events::Resumed { id }.publish(&env);
        }
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
        check_batch_len(ids.len())?;
        storage::extend_instance_and_code_to_max(&env);
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
        storage::read_stream(&env, id)
    }

    /// Several stream records; `None` for ids with no stream. # Errors `BatchTooLarge`.
    pub fn get_many(env: Env, ids: Vec<u64>) -> Result<Vec<Option<Stream>>, StreamError> {
        check_batch_len(ids.len())?;
        let mut out = Vec::new(&env);
        for id in ids.iter() {
            out.push_back(storage::try_read_stream(&env, id));
        }
        Ok(out)
    }

    /// A tranched stream's tranches (empty for other shapes). # Errors `StreamNotFound`.
    pub fn get_tranches(env: Env, id: u64) -> Result<Vec<crate::types::Tranche>, StreamError> {
        let stream = storage::read_stream(&env, id)?;
        match stream.schedule {
            Schedule::Tranched(_) => storage::read_tranches(&env, id),
            _ => Ok(Vec::new(&env)),
        }
    }

    /// Every amount of a stream now: accrued, withdrawable, debt, refundable, balance.
    /// # Errors `StreamNotFound`.
    pub fn amounts(env: Env, id: u64) -> Result<Amounts, StreamError> {
        let stream = storage::read_stream(&env, id)?;
        accrual::amounts_at(&env, id, &stream, now(&env))
    }

    /// `amounts` for several streams; `None` for ids with no stream. # Errors `BatchTooLarge`.
    pub fn amounts_many(env: Env, ids: Vec<u64>) -> Result<Vec<Option<Amounts>>, StreamError> {
        check_batch_len(ids.len())?;
        let t = now(&env);
        let mut out = Vec::new(&env);
        for id in ids.iter() {
            out.push_back(match storage::try_read_stream(&env, id) {
                Some(s) => Some(accrual::amounts_at(&env, id, &s, t)?),
                None => None,
            });
        }
        Ok(out)
    }

    /// What a stream is doing now (pending, streaming, paused, insolvent, canceled,
    /// voided or finished: see `StreamStatus`) and, for an active open-ended stream,
    /// its depletion instant: the first second at which it owes more than it holds
    /// (unix seconds; in the past when already in debt; `None` otherwise).
    ///
    /// # Errors
    /// `StreamNotFound`.
    ///
    /// # Notes
    /// One view rather than two: every exported function costs every call of the
    /// contract about 2,300 instructions.
    pub fn status(env: Env, id: u64) -> Result<StreamState, StreamError> {
        let stream = storage::read_stream(&env, id)?;
        Ok(StreamState {
            status: accrual::status_at(&env, id, &stream, now(&env))?.0,
            depletion_ts: accrual::depletion_ts(&stream),
        })
    }

    /// How many streams exist; ids are `1..=stream_count()`.
    pub fn stream_count(env: Env) -> Result<u64, StreamError> {
        Ok(storage::read_stream_count(&env))
    }
}
