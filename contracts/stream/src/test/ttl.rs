//! TTL policy: touched entries are extended, `extend_ttl` extends to the maximum,
//! and an entry archived anyway is restored by the next call, not lost.
extern crate std;

use soroban_sdk::testutils::storage::{Instance as _, Persistent as _};
use soroban_sdk::testutils::Ledger;
use soroban_sdk::vec;

use crate::storage::{DataKey, TOUCH_EXTEND_TO};
use crate::testkit::{Kit, DAY, T0};

fn stream_ttl(k: &Kit, key: &DataKey) -> u32 {
    k.env
        .as_contract(&k.contract, || k.env.storage().persistent().get_ttl(key))
}

#[test]
fn a_new_stream_lives_at_least_the_touch_extension() {
    let k = Kit::new();
    let id = k.client.create(&k.monthly(T0, 3, 10));
    assert!(stream_ttl(&k, &DataKey::Stream(id)) >= TOUCH_EXTEND_TO);
    assert!(stream_ttl(&k, &DataKey::Tranches(id)) >= TOUCH_EXTEND_TO);
}

#[test]
fn extend_ttl_extends_streams_instance_and_code_to_the_maximum() {
    let k = Kit::new();
    let id = k.client.create(&k.monthly(T0, 3, 10));
    assert_eq!(k.client.extend_ttl(&vec![&k.env, id, 42]), 1);
    let max = k.env.as_contract(&k.contract, || k.env.storage().max_ttl());
    assert_eq!(stream_ttl(&k, &DataKey::Stream(id)), max);
    assert_eq!(stream_ttl(&k, &DataKey::Tranches(id)), max);
    assert_eq!(
        k.env
            .as_contract(&k.contract, || k.env.storage().instance().get_ttl()),
        max
    );
}

#[test]
fn an_archived_stream_is_restored_by_the_next_call_with_nothing_lost() {
    let k = Kit::new();
    let id = k
        .client
        .create(&k.linear(1_000_000, T0, T0, T0 + 1_000 * DAY));
    k.warp(100 * DAY);
    assert_eq!(k.client.settle(&id), 100_000);
    let before = k.client.get(&id);
    // Let every entry's TTL lapse: a year of ledgers with nobody touching the stream.
    let ttl = stream_ttl(&k, &DataKey::Stream(id));
    k.env.ledger().with_mut(|l| {
        l.sequence_number += ttl + 1;
        l.timestamp += 365 * DAY;
    });
    // The host restores the archived entries the call's footprint names (as protocol 23+ does).
    assert_eq!(k.client.get(&id), before);
    assert_eq!(k.client.settle(&id), 365_000);
    assert!(stream_ttl(&k, &DataKey::Stream(id)) >= TOUCH_EXTEND_TO);
}
