//! Storage: keys, reads and writes, and the TTL policy.
//!
//! | key | tier | holds |
//! | --- | --- | --- |
//! | `InstanceKey::StreamCount` | instance | `u64`, ids are `1..=count` |
//! | `DataKey::Stream(id)` | persistent | `Stream` (small, rewritten on every change) |
//! | `DataKey::Tranches(id)` | persistent | `Vec<Tranche>` (tranched only, written once) |
//!
//! # TTL policy
//! A persistent entry lives at most `max_ttl()` ledgers per extension (about 180 days
//! on pubnet) while streams last years. Every read or write of a stream extends its
//! entries to `TOUCH_EXTEND_TO` when their TTL has fallen below `TOUCH_THRESHOLD`
//! (a no-op most of the time, so it costs little). The instance gets the same
//! treatment on every call; the code does not (see `extend_instance`). The keeper
//! calls the permissionless `extend_ttl(ids)`, which extends the instance, the code
//! and every stream named to the network maximum. An entry that is archived
//! anyway is not lost: it is restored (protocol 23+ restores archived entries that a
//! transaction's footprint names), and then read as before.

use soroban_sdk::{contracttype, panic_with_error, Env, Vec};

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

/// Extends the instance (not the code) on every call.
///
/// NOTE: the code is left to `extend_ttl`: a code entry's rent is charged on its
/// in-memory module size, many times the Wasm's ~47 KB, so a touch-extension of
/// the code would bill hundreds of XLM to whichever user happens to call when it
/// runs low (and can push a restoring transaction's fee past what a transaction
/// may carry). The keeper keeps the code at the maximum TTL instead.
pub fn extend_instance(env: &Env) {
    env.deployer().extend_ttl_for_contract_instance(
        env.current_contract_address(),
        TOUCH_THRESHOLD,
        TOUCH_EXTEND_TO,
    );
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

pub fn read_stream(env: &Env, id: u64) -> Stream {
    try_read_stream(env, id).unwrap_or_else(|| panic_with_error!(env, StreamError::StreamNotFound))
}

pub fn write_stream(env: &Env, id: u64, stream: &Stream) {
    let key = DataKey::Stream(id);
    env.storage().persistent().set(&key, stream);
    env.storage()
        .persistent()
        .extend_ttl(&key, TOUCH_THRESHOLD, TOUCH_EXTEND_TO);
}

pub fn read_tranches(env: &Env, id: u64) -> Vec<Tranche> {
    let key = DataKey::Tranches(id);
    let tranches: Vec<Tranche> = env
        .storage()
        .persistent()
        .get(&key)
        .unwrap_or_else(|| panic_with_error!(env, StreamError::StreamNotFound));
    env.storage()
        .persistent()
        .extend_ttl(&key, TOUCH_THRESHOLD, TOUCH_EXTEND_TO);
    tranches
}

pub fn write_tranches(env: &Env, id: u64, tranches: &Vec<Tranche>) {
    let key = DataKey::Tranches(id);
    env.storage().persistent().set(&key, tranches);
    env.storage()
        .persistent()
        .extend_ttl(&key, TOUCH_THRESHOLD, TOUCH_EXTEND_TO);
}

/// Extends a stream's entries to the network maximum (the keeper's `extend_ttl`).
/// The stream must exist (the caller reads it first): extending a missing entry traps.
pub fn extend_stream_to_max(env: &Env, id: u64, tranched: bool) {
    let max = env.storage().max_ttl();
    env.storage()
        .persistent()
        .extend_ttl(&DataKey::Stream(id), max, max);
    if tranched {
        env.storage()
            .persistent()
            .extend_ttl(&DataKey::Tranches(id), max, max);
    }
}
