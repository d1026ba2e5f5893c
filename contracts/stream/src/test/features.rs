//! The entry points and creation options added for payroll, vesting and DAO users
//! (issue 8): cancel_many, withdraw_max_and_transfer, references, relative starts,
//! linear unlock amounts, void, status, depletion_ts, amounts_many.
extern crate std;

use soroban_sdk::testutils::{Address as _, Events as _};
use soroban_sdk::{vec, Address, Bytes, Event, Vec};

use crate::events;
use crate::testkit::tokens::Behaviour;
use crate::testkit::{Kit, DAY, T0};
use crate::types::{
    LinearInParams, LinearParams, Schedule, ScheduleParams, Status, StreamStatus, TrancheIn,
    TranchedInParams, MAX_REFERENCE_BYTES,
};
use crate::StreamError;

// ---------------------------------------------------------------- cancel_many

#[test]
fn cancel_many_cancels_each_and_skips_what_cannot_be_canceled() {
    let k = Kit::new();
    let a = k.client.create(&k.linear(1_000, T0, T0, T0 + 100));
    let mut p = k.linear(1_000, T0, T0, T0 + 100);
    p.cancelable = false;
    let fixed_for_good = k.client.create(&p);
    let done = k.client.create(&k.linear(1_000, T0, T0, T0 + 10));
    let b = k.client.create(&k.open_ended(10, 1, 1_000));
    k.warp(30);
    let refunds = k
        .client
        .cancel_many(&vec![&k.env, a, fixed_for_good, 777, done, b, a]);
    let evs = k.env.events().all().filter_by_contract(&k.contract);
    assert_eq!(refunds, vec![&k.env, 700i128, 0, 0, 0, 700, 0]);
    assert_eq!(k.client.get(&a).status, Status::Canceled);
    assert_eq!(k.client.get(&b).status, Status::Canceled);
    assert_eq!(k.client.get(&fixed_for_good).status, Status::Active);
    for (id, e) in [
        (fixed_for_good, StreamError::NotCancelable),
        (777, StreamError::StreamNotFound),
        (done, StreamError::StreamCompleted),
        (a, StreamError::StreamCanceled),
    ] {
        let skipped = events::CancelSkipped {
            id,
            error: e as u32,
        };
        assert!(
            evs.events().contains(&skipped.to_xdr(&k.env, &k.contract)),
            "{id} {e:?}"
        );
    }
}

#[test]
fn cancel_many_isolates_a_token_that_refuses_the_refund() {
    let k = Kit::new();
    let hostile = k.test_token(Behaviour::Honest);
    let mut p = k.linear(1_000, T0, T0, T0 + 100);
    p.token = hostile.address.clone();
    let bad = k.client.create(&p);
    let good = k.client.create(&k.linear(1_000, T0, T0, T0 + 100));
    hostile.set_behaviour(&Behaviour::Panics);
    k.warp(50);
    assert_eq!(
        k.client.cancel_many(&vec![&k.env, bad, good]),
        vec![&k.env, 0i128, 500]
    );
    assert_eq!(k.client.get(&bad).status, Status::Active);
    assert_eq!(hostile.balance(&k.contract), 1_000);
    assert_err!(k.client.try_cancel(&bad), StreamError::PaymentFailed);
}

#[test]
fn cancel_many_rejects_oversized_batches() {
    let k = Kit::new();
    let ids: Vec<u64> = (0..=crate::MAX_BATCH as u64).fold(Vec::new(&k.env), |mut v, i| {
        v.push_back(i);
        v
    });
    assert_err!(k.client.try_cancel_many(&ids), StreamError::BatchTooLarge);
}

// ---------------------------------------------------------------- withdraw_max_and_transfer

#[test]
fn withdraw_max_and_transfer_pays_the_old_recipient_then_hands_the_stream_over() {
    let k = Kit::new();
    let id = k.client.create(&k.linear(1_000, T0, T0, T0 + 100));
    k.warp(40);
    let heir = Address::generate(&k.env);
    assert_eq!(k.client.withdraw_max_and_transfer(&id, &heir), 400);
    assert_eq!(k.token.balance(&k.recipient), 400);
    let s = k.client.get(&id);
    assert_eq!((s.recipient.clone(), s.withdrawn), (heir.clone(), 400));
    k.warp(60);
    assert_eq!(k.client.settle(&id), 600);
    assert_eq!(k.token.balance(&heir), 600);
}

#[test]
fn withdraw_max_and_transfer_keeps_the_transfer_guards() {
    let k = Kit::new();
    let mut p = k.linear(1_000, T0, T0, T0 + 100);
    p.transferable = false;
    let fixed = k.client.create(&p);
    let id = k.client.create(&k.linear(1_000, T0, T0, T0 + 100));
    k.warp(40);
    let heir = Address::generate(&k.env);
    assert_err!(
        k.client.try_withdraw_max_and_transfer(&fixed, &heir),
        StreamError::NotTransferable
    );
    assert_err!(
        k.client.try_withdraw_max_and_transfer(&id, &k.recipient),
        StreamError::InvalidRecipient
    );
    assert_err!(
        k.client.try_withdraw_max_and_transfer(&id, &k.contract),
        StreamError::DestinationIsContract
    );
    assert_eq!(k.withdrawable(&id), 400);
    // Nothing due: only the transfer happens.
    let fresh = k
        .client
        .create(&k.linear(1_000, T0 + DAY, T0 + DAY, T0 + 2 * DAY));
    assert_eq!(k.client.withdraw_max_and_transfer(&fresh, &heir), 0);
    assert_eq!(k.client.get(&fresh).recipient, heir);
}

// ---------------------------------------------------------------- reference

#[test]
fn the_reference_is_kept_in_the_record_and_the_created_event() {
    let k = Kit::new();
    let mut p = k.linear(1_000, T0, T0, T0 + 100);
    p.reference = Bytes::from_slice(&k.env, b"INV-2026-0042");
    let id = k.client.create(&p);
    let evs = k.env.events().all().filter_by_contract(&k.contract);
    let s = k.client.get(&id);
    assert_eq!(s.reference, p.reference);
    let created = events::Created {
        id,
        sender: k.sender.clone(),
        recipient: k.recipient.clone(),
        token: k.token.address.clone(),
        deposit: 1_000,
        schedule: s.schedule,
        tranche_unlock_ts: Vec::new(&k.env),
        tranche_amounts: Vec::new(&k.env),
        cancelable: true,
        transferable: true,
        reference: p.reference.clone(),
    };
    assert_eq!(evs, [created.to_xdr(&k.env, &k.contract)]);
}

#[test]
fn a_reference_longer_than_the_bound_is_refused() {
    let k = Kit::new();
    let mut p = k.linear(1_000, T0, T0, T0 + 100);
    p.reference = Bytes::from_array(&k.env, &[1u8; MAX_REFERENCE_BYTES as usize]);
    k.client.create(&p);
    p.reference = Bytes::from_array(&k.env, &[1u8; MAX_REFERENCE_BYTES as usize + 1]);
    assert_err!(k.client.try_create(&p), StreamError::ReferenceTooLong);
}

// ---------------------------------------------------------------- relative starts

#[test]
fn a_fixed_stream_with_start_zero_starts_when_the_transaction_lands() {
    let k = Kit::new();
    k.set_time(T0 + 5 * DAY); // the multisig signed late
    let mut p = k.linear(1_000, 0, 0, T0 + 15 * DAY);
    p.cancelable = true;
    let id = k.client.create(&p);
    let Schedule::Linear(l) = k.client.get(&id).schedule else {
        panic!("linear")
    };
    assert_eq!((l.start_ts, l.cliff_ts), (T0 + 5 * DAY, T0 + 5 * DAY));
    assert_eq!(k.withdrawable(&id), 0);
    let t = k.tranched(0, &[(T0 + 6 * DAY, 10)]);
    let id = k.client.create(&t);
    let Schedule::Tranched(tr) = k.client.get(&id).schedule else {
        panic!("tranched")
    };
    assert_eq!(tr.start_ts, T0 + 5 * DAY);
}

#[test]
fn durations_from_now_time_a_stream_from_when_it_lands() {
    let k = Kit::new();
    k.set_time(T0 + 3 * DAY);
    let id = k
        .client
        .create(&k.params(ScheduleParams::LinearIn(LinearInParams {
            start_in_s: DAY,
            cliff_s: 10 * DAY,
            duration_s: 100 * DAY,
            deposit: 1_000,
            start_unlock: 0,
            cliff_unlock: 0,
        })));
    let Schedule::Linear(l) = k.client.get(&id).schedule else {
        panic!("linear")
    };
    let start = T0 + 4 * DAY;
    assert_eq!(
        (l.start_ts, l.cliff_ts, l.end_ts),
        (start, start + 10 * DAY, start + 100 * DAY)
    );
    let tranches = vec![
        &k.env,
        TrancheIn {
            after_s: 30 * DAY,
            amount: 5,
        },
        TrancheIn {
            after_s: 60 * DAY,
            amount: 7,
        },
    ];
    let id = k
        .client
        .create(&k.params(ScheduleParams::TranchedIn(TranchedInParams {
            start_in_s: 0,
            tranches,
        })));
    let got = k.client.get_tranches(&id);
    assert_eq!(got.get(0).unwrap().unlock_ts, T0 + 33 * DAY);
    assert_eq!(got.get(1).unwrap().unlock_ts, T0 + 63 * DAY);
    assert_eq!(k.client.get(&id).deposited, 12);
    let bad = k.params(ScheduleParams::LinearIn(LinearInParams {
        start_in_s: u64::MAX,
        cliff_s: 0,
        duration_s: 1,
        deposit: 1,
        start_unlock: 0,
        cliff_unlock: 0,
    }));
    assert_err!(k.client.try_create(&bad), StreamError::DurationTooLong);
}

// ---------------------------------------------------------------- unlock amounts

fn unlocking(k: &Kit, start_unlock: i128, cliff_unlock: i128) -> crate::types::CreateParams {
    k.params(ScheduleParams::Linear(LinearParams {
        start_ts: T0 + 100,
        cliff_ts: T0 + 150,
        end_ts: T0 + 200,
        deposit: 1_000,
        start_unlock,
        cliff_unlock,
    }))
}

#[test]
fn a_linear_stream_unlocks_at_start_and_cliff_then_streams_the_rest() {
    let k = Kit::new();
    let id = k.client.create(&unlocking(&k, 100, 200));
    assert!(matches!(
        k.client.get(&id).schedule,
        Schedule::LinearUnlock(_)
    ));
    k.set_time(T0 + 99);
    assert_eq!(k.withdrawable(&id), 0);
    k.set_time(T0 + 100);
    assert_eq!(k.withdrawable(&id), 100);
    k.set_time(T0 + 150);
    assert_eq!(k.withdrawable(&id), 650);
    k.set_time(T0 + 200);
    assert_eq!(k.client.settle(&id), 1_000);
    // No unlocks: stored as a plain linear schedule, as small as before.
    let plain = k.client.create(&unlocking(&k, 0, 0));
    assert!(matches!(k.client.get(&plain).schedule, Schedule::Linear(_)));
}

#[test]
fn unlock_amounts_must_fit_the_deposit() {
    let k = Kit::new();
    for (s, c) in [
        (-1, 0),
        (0, -1),
        (600, 401),
        (1_001, 0),
        (i128::MAX, i128::MAX),
    ] {
        assert_err!(
            k.client.try_create(&unlocking(&k, s, c)),
            StreamError::InvalidUnlockAmounts
        );
    }
    k.client.create(&unlocking(&k, 600, 400));
}

#[test]
fn canceling_an_unlocking_stream_refunds_only_what_has_not_unlocked() {
    let k = Kit::new();
    let id = k.client.create(&unlocking(&k, 100, 200));
    k.set_time(T0 + 120);
    assert_eq!(k.client.cancel(&id), 900);
    assert_eq!(k.client.settle(&id), 100);
}

// ---------------------------------------------------------------- void, status, depletion

#[test]
fn void_forfeits_the_debt_and_keeps_what_was_funded() {
    let k = Kit::new();
    let id = k.client.create(&k.open_ended(100, DAY, 150));
    k.warp(3 * DAY); // 300 accrued, 150 funded
    assert_eq!(k.client.status(&id).status, StreamStatus::Insolvent);
    assert_eq!(k.client.void(&id, &k.sender), 0);
    let a = k.client.amounts(&id);
    assert_eq!((a.accrued, a.withdrawable, a.debt), (150, 150, 0));
    assert_eq!(k.client.status(&id).status, StreamStatus::Voided);
    k.warp(DAY);
    assert_eq!(k.client.amounts(&id).accrued, 150);
    assert_eq!(k.client.settle(&id), 150);
    assert_err!(
        k.client.try_top_up(&id, &k.sender, &1),
        StreamError::StreamVoided
    );
    assert_err!(k.client.try_void(&id, &k.sender), StreamError::StreamVoided);
    assert_err!(k.client.try_cancel(&id), StreamError::StreamVoided);
    assert_err!(k.client.try_pause(&id), StreamError::StreamVoided);
    assert_eq!(k.contract_balance(), 0);
}

#[test]
fn void_of_a_solvent_stream_refunds_the_unaccrued_rest() {
    let k = Kit::new();
    let id = k.client.create(&k.open_ended(100, DAY, 1_000));
    k.warp(2 * DAY);
    let before = k.token.balance(&k.sender);
    assert_eq!(k.client.void(&id, &k.recipient), 800);
    let evs = k.env.events().all().filter_by_contract(&k.contract);
    assert_eq!(k.token.balance(&k.sender), before + 800);
    let voided = events::Voided {
        id,
        refunded: 800,
        forfeited: 0,
    };
    assert!(evs.events().contains(&voided.to_xdr(&k.env, &k.contract)));
    assert_eq!(k.withdrawable(&id), 200);
}

#[test]
fn void_is_for_the_sender_of_a_cancelable_stream_or_the_recipient() {
    let k = Kit::new();
    let mut p = k.open_ended(100, DAY, 1_000);
    p.cancelable = false;
    let id = k.client.create(&p);
    let stranger = Address::generate(&k.env);
    assert_err!(
        k.client.try_void(&id, &stranger),
        StreamError::NotSenderOrRecipient
    );
    assert_err!(
        k.client.try_void(&id, &k.sender),
        StreamError::NotCancelable
    );
    let fixed = k.client.create(&k.linear(1_000, T0, T0, T0 + 100));
    assert_err!(
        k.client.try_void(&fixed, &k.sender),
        StreamError::NotOpenEnded
    );
    k.client.void(&id, &k.recipient);
    assert_eq!(k.client.get(&id).status, Status::Voided);
}

#[test]
fn status_follows_every_phase() {
    let k = Kit::new();
    let later = k.client.create(&k.linear(1_000, T0 + 10, T0 + 10, T0 + 20));
    assert_eq!(k.client.status(&later).status, StreamStatus::Pending);
    k.warp(15);
    assert_eq!(k.client.status(&later).status, StreamStatus::Streaming);
    k.warp(5);
    assert_eq!(k.client.status(&later).status, StreamStatus::Finished);
    let open = k.client.create(&k.open_ended(10, 1, 100));
    assert_eq!(k.client.status(&open).status, StreamStatus::Streaming);
    k.client.pause(&open);
    assert_eq!(k.client.status(&open).status, StreamStatus::Paused);
    k.client.resume(&open);
    k.warp(11);
    assert_eq!(k.client.status(&open).status, StreamStatus::Insolvent);
    k.client.cancel(&open);
    assert_eq!(k.client.status(&open).status, StreamStatus::Canceled);
    assert_err!(k.client.try_status(&99), StreamError::StreamNotFound);
}

#[test]
fn depletion_ts_is_the_first_second_in_debt() {
    let k = Kit::new();
    let id = k.client.create(&k.open_ended(10, 1, 100));
    assert_eq!(k.client.status(&id).depletion_ts, Some(T0 + 11));
    k.client.top_up(&id, &k.sender, &50);
    assert_eq!(k.client.status(&id).depletion_ts, Some(T0 + 16));
    k.client.pause(&id);
    assert_eq!(k.client.status(&id).depletion_ts, None);
    let fixed = k.client.create(&k.linear(1_000, T0, T0, T0 + 100));
    assert_eq!(k.client.status(&fixed).depletion_ts, None);
}

#[test]
fn amounts_many_answers_per_id_with_none_for_missing_ones() {
    let k = Kit::new();
    let a = k.client.create(&k.linear(1_000, T0, T0, T0 + 100));
    let b = k.client.create(&k.open_ended(10, 1, 100));
    k.warp(20);
    let got = k.client.amounts_many(&vec![&k.env, a, 42, b]);
    assert_eq!(got.get(0).unwrap(), Some(k.client.amounts(&a)));
    assert_eq!(got.get(1).unwrap(), None);
    assert_eq!(got.get(2).unwrap().unwrap().withdrawable, 100);
    let ids: Vec<u64> = (0..=crate::MAX_BATCH as u64).fold(Vec::new(&k.env), |mut v, i| {
        v.push_back(i);
        v
    });
    assert_err!(k.client.try_amounts_many(&ids), StreamError::BatchTooLarge);
}
