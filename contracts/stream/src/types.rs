//! Public types: creation parameters and the stored stream record.
//!
//! The stored layout is public interface (off-chain readers decode it from ledger
//! entries, see README "Storage layout"): fields are only ever added at the end of
//! a new variant, never renamed or reordered.

use soroban_sdk::{contracttype, Address, Bytes, Vec};

/// Longest `reference` a stream may carry, in bytes (an invoice number, an employee
/// id, a hash: payroll accounting's key, not a document).
pub const MAX_REFERENCE_BYTES: u32 = 64;

/// One unlock of a tranched stream.
#[contracttype]
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct Tranche {
    pub unlock_ts: u64,
    pub amount: i128,
}

/// Linear with an optional cliff (`cliff_ts == start_ts` for none) and optional
/// unlocks: `start_unlock` at `start_ts`, `cliff_unlock` at `cliff_ts`, the rest of
/// the deposit linearly over `[start_ts, end_ts]` (see `math::linear_unlock_accrued`).
/// `start_ts = 0` starts the stream when the creating transaction lands
/// (`cliff_ts = 0` then means no cliff).
#[contracttype]
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct LinearParams {
    pub start_ts: u64,
    pub cliff_ts: u64,
    pub end_ts: u64,
    pub deposit: i128,
    pub start_unlock: i128,
    pub cliff_unlock: i128,
}

/// A linear stream timed from the moment the creating transaction lands: it starts
/// `start_in_s` seconds later (0 = at once), its cliff is `cliff_s` after the start
/// (0 = none) and its end `duration_s` after the start. Stored like `LinearParams`.
#[contracttype]
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct LinearInParams {
    pub start_in_s: u64,
    pub cliff_s: u64,
    pub duration_s: u64,
    pub deposit: i128,
    pub start_unlock: i128,
    pub cliff_unlock: i128,
}

/// One unlock of a tranched stream timed from its start: `after_s` seconds after it.
#[contracttype]
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct TrancheIn {
    pub after_s: u64,
    pub amount: i128,
}

/// A tranched stream timed from the moment the creating transaction lands: it starts
/// `start_in_s` seconds later (0 = at once). Stored like `TranchedParams`.
#[contracttype]
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct TranchedInParams {
    pub start_in_s: u64,
    pub tranches: Vec<TrancheIn>,
}

/// Ordered unlocks whose amounts are the deposit. `start_ts = 0` starts the stream
/// when the creating transaction lands.
#[contracttype]
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct TranchedParams {
    pub start_ts: u64,
    pub tranches: Vec<Tranche>,
}

/// `amount_per_period` base units every `period_s` seconds, from `start_ts`
/// (0 = now), funded by `deposit` (may be 0) and later top-ups.
#[contracttype]
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct OpenEndedParams {
    pub amount_per_period: i128,
    pub period_s: u64,
    pub start_ts: u64,
    pub deposit: i128,
}

#[contracttype]
#[derive(Clone, Debug, Eq, PartialEq)]
pub enum ScheduleParams {
    Linear(LinearParams),
    Tranched(TranchedParams),
    OpenEnded(OpenEndedParams),
    LinearIn(LinearInParams),
    TranchedIn(TranchedInParams),
}

#[contracttype]
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct CreateParams {
    pub sender: Address,
    pub recipient: Address,
    pub token: Address,
    pub schedule: ScheduleParams,
    pub cancelable: bool,
    pub transferable: bool,
    /// Free bytes for the sender's accounting (at most `MAX_REFERENCE_BYTES`), kept in
    /// the record and the `created` event.
    pub reference: Bytes,
}

/// Stored linear schedule; the deposit is `Stream::deposited`.
#[contracttype]
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct Linear {
    pub start_ts: u64,
    pub cliff_ts: u64,
    pub end_ts: u64,
}

/// Stored tranched schedule. The tranches themselves live in their own entry
/// (`DataKey::Tranches(id)`), written once, so the hot record stays small.
#[contracttype]
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct Tranched {
    pub start_ts: u64,
    pub end_ts: u64,
    pub count: u32,
}

/// Stored open-ended rate with its accrual snapshot (see `math::rate_accrued`).
/// While paused or canceled nothing accrues and the snapshot is final.
#[contracttype]
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct Rate {
    pub amount_per_period: i128,
    pub period_s: u64,
    pub snapshot_ts: u64,
    pub accrued_at_snapshot: i128,
    /// Carried fraction in units of `1 / period_s` base unit (`< period_s`).
    pub remainder: u64,
}

/// Stored linear schedule with unlock amounts (used only when one is non-zero, so
/// plain linear records stay as small as before).
#[contracttype]
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct LinearUnlock {
    pub start_ts: u64,
    pub cliff_ts: u64,
    pub end_ts: u64,
    pub start_unlock: i128,
    pub cliff_unlock: i128,
}

#[contracttype]
#[derive(Clone, Debug, Eq, PartialEq)]
pub enum Schedule {
    Linear(Linear),
    Tranched(Tranched),
    OpenEnded(Rate),
    LinearUnlock(LinearUnlock),
}

#[contracttype]
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
#[repr(u32)]
pub enum Status {
    /// Accruing per schedule (fixed streams may be before their start or past their end).
    Active = 0,
    /// Open-ended only: accrual stopped by the sender, resumable.
    Paused = 1,
    /// Accrual stopped for good; what accrued stays owed to the recipient.
    Canceled = 2,
    /// Open-ended only: stopped for good and the unfunded debt forfeited; the recipient
    /// keeps what was funded.
    Voided = 3,
}

/// What a stream is doing at an instant (the `status` view).
#[contracttype]
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
#[repr(u32)]
pub enum StreamStatus {
    /// Before its start: nothing has accrued yet.
    Pending = 0,
    /// Accruing (open-ended: and fully funded so far).
    Streaming = 1,
    /// Open-ended, paused by the sender.
    Paused = 2,
    /// Open-ended, accruing past its funds: it owes debt.
    Insolvent = 3,
    /// Canceled: nothing more accrues; what accrued stays owed.
    Canceled = 4,
    /// Open-ended, voided: stopped for good, debt forfeited.
    Voided = 5,
    /// Fixed stream whose whole deposit has accrued.
    Finished = 6,
}

/// The `status` view: what a stream is doing now and when it runs dry.
#[contracttype]
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct StreamState {
    pub status: StreamStatus,
    /// Active open-ended streams: the first second at which the stream owes more than
    /// it holds (in the past when already in debt). `None` otherwise.
    pub depletion_ts: Option<u64>,
}

/// One stream, stored under `DataKey::Stream(id)` in persistent storage.
#[contracttype]
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct Stream {
    pub sender: Address,
    pub recipient: Address,
    pub token: Address,
    pub schedule: Schedule,
    pub cancelable: bool,
    pub transferable: bool,
    pub status: Status,
    pub created_ts: u64,
    /// The instant `cancel` ran, unix seconds (0 while not canceled); set for every shape.
    /// A fixed stream's accrual is evaluated at `min(t, canceled_ts)`; an open-ended one
    /// stops at its snapshot, which `cancel` takes at this same instant.
    pub canceled_ts: u64,
    /// Total paid in: the deposit plus top-ups.
    pub deposited: i128,
    /// Total paid to recipients (withdrawals and settlements).
    pub withdrawn: i128,
    /// Total returned to the sender.
    pub refunded: i128,
    /// The sender's accounting reference (`CreateParams::reference`).
    pub reference: Bytes,
}

/// Every amount of a stream at one instant (the `amounts` view).
#[contracttype]
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct Amounts {
    /// Total accrued since the start (paid or not, funded or not).
    pub accrued: i128,
    /// What the recipient can take now.
    pub withdrawable: i128,
    /// Owed but unfunded (open-ended streams only).
    pub debt: i128,
    /// Unaccrued funds the sender may take back (open-ended) or would get on cancel (fixed).
    pub refundable: i128,
    /// `deposited - withdrawn - refunded`: what the contract holds for this stream.
    pub balance: i128,
}
