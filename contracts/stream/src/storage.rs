//! Storage: keys, reads and writes, and the TTL policy.
//!
//! | key | tier | holds |
//! | --- | --- | --- |
//! | `InstanceKey::StreamCount` | instance | `u64`, ids are `1..=count` |
//! | `DataKey::Stream(id)` | persistent | `Stream` (small, rewritten on every change) |
//! | `DataKey::Tranches(id)` | persistent | `Vec<Tranche>` (tranched only, written once) |
//!
//! # TTL policy
//! A persistent entry lives at most the network's maximum TTL per extension (about
//! 180 days on pubnet) while streams last years. Every read of a stream, and its
//! creation, extends its entries to `TOUCH_EXTEND_TO` when their TTL has fallen below
//! `TOUCH_THRESHOLD` (a no-op most of the time, so it costs little; a write follows a
//! read in the same call, so it does not extend again). The instance and the code
//! are not touch-extended: the keeper calls the permissionless `extend_ttl(ids)`,
//! which extends the instance, the code and every stream named to the network
//! maximum (see `extend_instance_and_code_to_max`). An entry that is archived anyway
//! is not lost: it is restored (protocol 23+ restores archived entries that a
//! transaction's footprint names), and then read as before.

use soroban_sdk::{contracttype, Env, Vec};

use crate::errors::StreamError;
use crate::types::{Stream, Tranche};

/// Ledgers per day at pubnet's 5-second close time.
pub const DAY_IN_LEDGERS: u32 = 17_280;
/// Below this TTL a touched entry is extended...
pub const TOUCH_THRESHOLD: u32 = 30 * DAY_IN_LEDGERS;
/// ...to this TTL.
pub const TOUCH_EXTEND_TO: u32 = 60 * DAY_IN_LEDGERS;

#[contracttype]
#[derive(Clone, Debug, Eq, PartialEq)]
pub enum DataKey {
    Stream(u64),
    Tranches(u64),
}

#[contracttype]
#[derive(Clone, Debug, Eq, PartialEq)]
pub enum InstanceKey {
    StreamCount,
}

pub fn read_stream_count(env: &Env) -> u64 {
    env.storage()
        .instance()
        .get(&InstanceKey::StreamCount)
        .unwrap_or(0)
}

pub fn write_stream_count(env: &Env, count: u64) {
    env.storage()
        .instance()
        .set(&InstanceKey::StreamCount, &count);
}

pub fn has_stream(env: &Env, id: u64) -> bool {
    env.storage().persistent().has(&DataKey::Stream(id))
}

pub fn try_read_stream(env: &Env, id: u64) -> Option<Stream> {
    let key = DataKey::Stream(id);
    let stream: Option<Stream> = env.storage().persistent().get(&key);
    if stream.is_some() {
        env.storage()
            .persistent()
            .extend_ttl(&key, TOUCH_THRESHOLD, TOUCH_EXTEND_TO);
    }
    stream
}

pub fn read_stream(env: &Env, id: u64) -> Result<Stream, StreamError> {
    try_read_stream(env, id).ok_or(StreamError::StreamNotFound)
}

/// Stores a new stream and gives it the touch extension.
pub fn create_stream(env: &Env, id: u64, stream: &Stream) {
    let key = DataKey::Stream(id);
    env.storage().persistent().set(&key, stream);
    env.storage()
        .persistent()
        .extend_ttl(&key, TOUCH_THRESHOLD, TOUCH_EXTEND_TO);
}

/// Rewrites a stream read earlier in the same call (which extended it already).
pub fn write_stream(env: &Env, id: u64, stream: &Stream) {
    env.storage().persistent().set(&DataKey::Stream(id), stream);
}

pub fn read_tranches(env: &Env, id: u64) -> Result<Vec<Tranche>, StreamError> {
    let key = DataKey::Tranches(id);
    let tranches: Vec<Tranche> = env
        .storage()
        .persistent()
        .get(&key)
        .ok_or(StreamError::StreamNotFound)?;
    env.storage()
        .persistent()
        .extend_ttl(&key, TOUCH_THRESHOLD, TOUCH_EXTEND_TO);
    Ok(tranches)
}

pub fn write_tranches(env: &Env, id: u64, tranches: &Vec<Tranche>) {
    let key = DataKey::Tranches(id);
    env.storage().persistent().set(&key, tranches);
    env.storage()
        .persistent()
        .extend_ttl(&key, TOUCH_THRESHOLD, TOUCH_EXTEND_TO);
}

/// "As far as the network allows": the host clamps a persistent entry's extension
/// to the network's maximum TTL, so asking for more than any network allows (while
/// `ledger + EXTEND_TO_MAX` stays within `u32`) extends to exactly the maximum.
/// NOTE: a constant rather than `env.storage().max_ttl()`, which would link two more
/// host functions into the contract, and every call pays for each linked import.
pub const EXTEND_TO_MAX: u32 = u32::MAX / 2;

/// Extends the instance and the code to the network maximum (the keeper's `extend_ttl`).
///
/// NOTE: neither is touch-extended by ordinary calls. The code's rent is charged on
/// its in-memory module size, many times the Wasm's size, and must not land on
/// whichever user happens to call when it runs low; the instance is left to the
/// keeper too because every call of the contract pays for the extra host import and
/// call. An archived instance or code is restored by the next transaction naming it.
pub fn extend_instance_and_code_to_max(env: &Env) {
    env.deployer()
        .extend_ttl(env.current_contract_address(), EXTEND_TO_MAX, EXTEND_TO_MAX);
}

/// Extends a stream's entries to the network maximum (the keeper's `extend_ttl`).
/// The stream must exist (the caller reads it first): extending a missing entry traps.
pub fn extend_stream_to_max(env: &Env, id: u64, tranched: bool) {
    env.storage()
        .persistent()
        .extend_ttl(&DataKey::Stream(id), EXTEND_TO_MAX, EXTEND_TO_MAX);
    if tranched {
        env.storage()
            .persistent()
            .extend_ttl(&DataKey::Tranches(id), EXTEND_TO_MAX, EXTEND_TO_MAX);
    }
}

/// Whether `list` holds `a`: a plain loop over `vec_get` and comparisons the
/// contract links anyway, rather than `Vec::contains` (one more host import, paid
/// by every call).
pub fn holds(list: &Vec<soroban_sdk::Address>, a: &soroban_sdk::Address) -> bool {
    list.iter().any(|x| x == *a)
}
