//! Contract errors. The numeric codes are ABI: the SDK maps each to a named error
//! class, so codes are never renumbered and each range has one meaning:
//! 100s invalid input, 200s authorization, 300s stream state, 400s math.
//!
//! Every entry point returns `Result<_, StreamError>` and fails by returning `Err`
//! (propagated with `?` from the helpers that detect it); nothing in the contract
//! panics on purpose.

use soroban_sdk::contracterror;

use crate::math::MathError;

#[contracterror]
#[derive(Copy, Clone, Debug, Eq, PartialEq, PartialOrd, Ord)]
#[repr(u32)]
pub enum StreamError {
    /// An amount is zero or negative where a positive amount is required.
    InvalidAmount = 100,
    /// A linear stream's `end_ts` is not after its `start_ts`.
    InvalidTimeRange = 101,
    /// A linear stream's `cliff_ts` lies outside `[start_ts, end_ts]`.
    InvalidCliff = 102,
    /// A schedule spans more than 100 years (`MAX_DURATION_S`).
    DurationTooLong = 103,
    /// A tranched stream has no tranches, or more than `MAX_TRANCHES`.
    InvalidTrancheCount = 104,
    /// Tranche unlock times are not strictly increasing, or the first is before `start_ts`.
    TranchesNotIncreasing = 105,
    /// Tranche amounts do not sum to a positive deposit that fits in i128.
    InvalidTrancheSum = 106,
    /// An open-ended stream's `period_s` is zero or longer than 100 years.
    InvalidPeriod = 107,
    /// The rate could overflow i128 accrual within 100 years.
    RateTooHigh = 108,
    /// A batch is empty.
    EmptyBatch = 109,
    /// A batch has more than `MAX_BATCH` items.
    BatchTooLarge = 110,
    /// An open-ended stream's `start_ts` is in the past.
    StartInPast = 111,
    /// A transfer names the current recipient.
    InvalidRecipient = 112,
    /// A withdrawal asks for more than is withdrawable now.
    AmountExceedsWithdrawable = 113,
    /// A refund asks for more than the unaccrued balance.
    AmountExceedsRefundable = 114,
    /// A top-up of a canceled stream exceeds its outstanding debt.
    AmountExceedsDebt = 115,
    /// A recipient, withdrawal target or transfer target is this contract itself (the funds would be stranded).
    DestinationIsContract = 116,
    /// A linear stream's unlock amounts are negative or add up to more than its deposit.
    InvalidUnlockAmounts = 117,
    /// A stream's `reference` is longer than `MAX_REFERENCE_BYTES`.
    ReferenceTooLong = 118,

    /// The caller is neither the stream's sender nor its recipient.
    NotSenderOrRecipient = 200,

    /// No stream has this id.
    StreamNotFound = 300,
    /// The stream is not cancelable (created so, or renounced): no cancel, pause, lower rate, refund or void.
    NotCancelable = 301,
    /// The stream is not transferable.
    NotTransferable = 302,
    /// The stream has been canceled.
    StreamCanceled = 303,
    /// The operation is only for open-ended streams.
    NotOpenEnded = 304,
    /// The stream is paused.
    StreamPaused = 305,
    /// The stream is not paused.
    NotPaused = 306,
    /// Everything has already accrued: there is nothing left to cancel.
    StreamCompleted = 307,
    /// The token transfer to the recipient failed (no trustline, frozen, ...).
    PaymentFailed = 308,
    /// The contract received less than the amount transferred in (a fee-on-transfer or rebasing token).
    TransferShortfall = 309,
    /// The stream has been voided.
    StreamVoided = 310,

    /// An amount does not fit in i128.
    Overflow = 400,
}

impl From<MathError> for StreamError {
    fn from(e: MathError) -> Self {
        match e {
            MathError::Overflow => StreamError::Overflow,
        }
    }
}
