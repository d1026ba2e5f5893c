//! Events: one for every state change, the stream id always the second topic, so
//! an indexer can follow a stream's whole life from events alone. Hot-path events
//! (`settled`, `withdrawn`) carry the fewest bytes, so a `settle_many` batch is
//! bounded by instructions and write entries, not by the event budget.

use soroban_sdk::{contractevent, Address, Bytes, Vec};

use crate::types::{Schedule, Tranche};

/// Splits tranches into the `created` event's two flat vectors.
pub fn split_tranches(env: &soroban_sdk::Env, tranches: &Vec<Tranche>) -> (Vec<u64>, Vec<i128>) {
    let (mut ts, mut amounts) = (Vec::new(env), Vec::new(env));
    for t in tranches.iter() {
        ts.push_back(t.unlock_ts);
        amounts.push_back(t.amount);
    }
    (ts, amounts)
}

/// A stream was created. Sender and recipient are topics so wallets can filter on
/// them; the data carries the whole schedule (tranches included) and the flags, so
/// an indexer can compute every balance from events alone.
#[contractevent(topics = ["created"], data_format = "vec")]
pub struct Created {
    #[topic]
    pub id: u64,
    #[topic]
    pub sender: Address,
    #[topic]
    pub recipient: Address,
    pub token: Address,
    pub deposit: i128,
    pub schedule: Schedule,
    /// Tranched streams: unlock times and amounts, index by index (empty for other
    /// shapes). Two flat vectors take 32 bytes a tranche against 80 as a vector of
    /// `Tranche` maps, which keeps a 240-tranche `created` event within the 16 KiB
    /// event budget.
    pub tranche_unlock_ts: Vec<u64>,
    pub tranche_amounts: Vec<i128>,
    pub cancelable: bool,
    pub transferable: bool,
    /// The sender's accounting reference (at most `MAX_REFERENCE_BYTES`).
    pub reference: Bytes,
}

/// The recipient withdrew `amount` to `to`.
#[contractevent(topics = ["withdrawn"], data_format = "vec")]
pub struct Withdrawn {
    #[topic]
    pub id: u64,
    pub to: Address,
    pub amount: i128,
}

/// Someone settled: `amount` was paid to the current recipient.
#[contractevent(topics = ["settled"], data_format = "single-value")]
pub struct Settled {
    #[topic]
    pub id: u64,
    pub amount: i128,
}

/// A batch settlement could not pay this stream's recipient (no trustline,
/// frozen, ...); nothing changed for the stream and the batch went on.
#[contractevent(topics = ["settle_skipped"], data_format = "single-value")]
pub struct SettleSkipped {
    #[topic]
    pub id: u64,
    pub amount: i128,
}

/// The sender canceled: `refunded` went back to the sender, `owed` stays for the recipient.
#[contractevent(topics = ["canceled"], data_format = "vec")]
pub struct Canceled {
    #[topic]
    pub id: u64,
    pub refunded: i128,
    pub owed: i128,
}

/// `cancel_many` could not cancel this stream (`error` is the `StreamError` code it
/// would have failed with); nothing changed for the stream and the batch went on.
#[contractevent(topics = ["cancel_skipped"], data_format = "single-value")]
pub struct CancelSkipped {
    #[topic]
    pub id: u64,
    pub error: u32,
}

/// An open-ended stream was voided: `refunded` went back to the sender, `forfeited`
/// debt is no longer owed, and what was funded stays withdrawable.
#[contractevent(topics = ["voided"], data_format = "vec")]
pub struct Voided {
    #[topic]
    pub id: u64,
    pub refunded: i128,
    pub forfeited: i128,
}

#[contractevent(topics = ["topped_up"], data_format = "vec")]
pub struct ToppedUp {
    #[topic]
    pub id: u64,
    pub from: Address,
    pub amount: i128,
}

/// Accrual stopped; `accrued` is the total at that instant.
#[contractevent(topics = ["paused"], data_format = "single-value")]
pub struct Paused {
    #[topic]
    pub id: u64,
    pub accrued: i128,
}

#[contractevent(topics = ["resumed"], data_format = "vec")]
pub struct Resumed {
    #[topic]
    pub id: u64,
}

#[contractevent(topics = ["rate_set"], data_format = "vec")]
pub struct RateSet {
    #[topic]
    pub id: u64,
    pub old_amount_per_period: i128,
    pub new_amount_per_period: i128,
}

#[contractevent(topics = ["refunded"], data_format = "single-value")]
pub struct Refunded {
    #[topic]
    pub id: u64,
    pub amount: i128,
}

#[contractevent(topics = ["transferred"], data_format = "vec")]
pub struct Transferred {
    #[topic]
    pub id: u64,
    #[topic]
    pub from: Address,
    #[topic]
    pub to: Address,
}

#[contractevent(topics = ["renounced"], data_format = "vec")]
pub struct Renounced {
    #[topic]
    pub id: u64,
}
