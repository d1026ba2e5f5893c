//! Unit tests per entry point, named after behaviour. Auth is mocked here except in
//! `auth.rs`, which is about auth.
extern crate std;

use soroban_sdk::testutils::{Address as _, Events as _};
use soroban_sdk::{vec, xdr, Address, Bytes, Event, Vec};

use crate::events;
use crate::math::MAX_DURATION_S;
use crate::testkit::{Kit, DAY, T0};
use crate::types::{OpenEndedParams, ScheduleParams, Status};
use crate::{StreamError, MAX_BATCH, MAX_TRANCHES};

// ---------------------------------------------------------------- create

#[test]
fn create_linear_pulls_the_deposit_and_emits_created() {
    let k = Kit::new();
    let before = k.token.balance(&k.sender);
    let id = k.client.create(&k.linear(1_000, T0, T0, T0 + 100));
    let evs = k.env.events().all().filter_by_contract(&k.contract);
    assert_eq!(id, 1);
    assert_eq!(k.client.stream_count(), 1);
    assert_eq!(k.token.balance(&k.sender), before - 1_000);
    assert_eq!(k.contract_balance(), 1_000);
    let s = k.client.get(&id);
    assert_eq!(
        (s.deposited, s.withdrawn, s.refunded, s.status),
        (1_000, 0, 0, Status::Active)
    );
    let created = events::Created {
        id,
        sender: k.sender.clone(),
        recipient: k.recipient.clone(),
        token: k.token.address.clone(),
        deposit: 1_000,
        schedule: s.schedule.clone(),
        tranche_unlock_ts: Vec::new(&k.env),
        tranche_amounts: Vec::new(&k.env),
        cancelable: true,
        transferable: true,
        reference: Bytes::new(&k.env),
    };
    assert_eq!(evs, [created.to_xdr(&k.env, &k.contract)]);
}

#[test]
fn the_created_event_carries_the_whole_schedule_so_indexers_need_no_reads() {
    let k = Kit::new();
    let id = k.client.create(&k.monthly(T0, MAX_TRANCHES, 7));
    let evs = k.env.events().all().filter_by_contract(&k.contract);
    let s = k.client.get(&id);
    let (tranche_unlock_ts, tranche_amounts) =
        events::split_tranches(&k.env, &k.client.get_tranches(&id));
    assert_eq!(tranche_unlock_ts.len(), MAX_TRANCHES);
    let created = events::Created {
        id,
        sender: k.sender.clone(),
        recipient: k.recipient.clone(),
        token: k.token.address.clone(),
        deposit: 7 * MAX_TRANCHES as i128,
        schedule: s.schedule,
        tranche_unlock_ts,
        tranche_amounts,
        cancelable: true,
        transferable: true,
        reference: Bytes::new(&k.env),
    };
    assert_eq!(evs, [created.to_xdr(&k.env, &k.contract)]);
}

#[test]
fn ids_are_consecutive_from_one() {
    let k = Kit::new();
    for want in 1..=3u64 {
        assert_eq!(k.client.create(&k.linear(10, T0, T0, T0 + 10)), want);
    }
    assert_eq!(k.client.stream_count(), 3);
}

#[test]
fn create_rejects_non_positive_deposits() {
    let k = Kit::new();
    assert_err!(
        k.client.try_create(&k.linear(0, T0, T0, T0 + 10)),
        StreamError::InvalidAmount
    );
    assert_err!(
        k.client.try_create(&k.linear(-5, T0, T0, T0 + 10)),
        StreamError::InvalidAmount
    );
    assert_err!(
        k.client.try_create(&k.tranched(T0, &[(T0 + 1, 0)])),
        StreamError::InvalidAmount
    );
    assert_err!(
        k.client.try_create(&k.open_ended(0, DAY, 0)),
        StreamError::InvalidAmount
    );
    assert_err!(
        k.client.try_create(&k.open_ended(10, DAY, -1)),
        StreamError::InvalidAmount
    );
}

#[test]
fn create_rejects_bad_linear_ranges() {
    let k = Kit::new();
    assert_err!(
        k.client.try_create(&k.linear(10, T0, T0, T0)),
        StreamError::InvalidTimeRange
    );
    assert_err!(
        k.client.try_create(&k.linear(10, T0 + 5, T0 + 5, T0)),
        StreamError::InvalidTimeRange
    );
    assert_err!(
        k.client.try_create(&k.linear(10, T0, T0 - 1, T0 + 10)),
        StreamError::InvalidCliff
    );
    assert_err!(
        k.client.try_create(&k.linear(10, T0, T0 + 11, T0 + 10)),
        StreamError::InvalidCliff
    );
    assert_err!(
        k.client.try_create(&k.linear(10, 1, 1, MAX_DURATION_S + 2)),
        StreamError::DurationTooLong
    );
    // Exactly 100 years is accepted.
    k.client.create(&k.linear(10, T0, T0, T0 + MAX_DURATION_S));
}

#[test]
fn create_rejects_bad_tranches() {
    let k = Kit::new();
    assert_err!(
        k.client.try_create(&k.tranched(T0, &[])),
        StreamError::InvalidTrancheCount
    );
    let too_many: std::vec::Vec<(u64, i128)> =
        (1..=MAX_TRANCHES as u64 + 1).map(|i| (T0 + i, 1)).collect();
    assert_err!(
        k.client.try_create(&k.tranched(T0, &too_many)),
        StreamError::InvalidTrancheCount
    );
    assert_err!(
        k.client.try_create(&k.tranched(T0, &[(T0 - 1, 5)])),
        StreamError::TranchesNotIncreasing
    );
    assert_err!(
        k.client
            .try_create(&k.tranched(T0, &[(T0 + 2, 5), (T0 + 2, 5)])),
        StreamError::TranchesNotIncreasing
    );
    assert_err!(
        k.client
            .try_create(&k.tranched(T0, &[(T0 + 2, 5), (T0 + 1, 5)])),
        StreamError::TranchesNotIncreasing
    );
    assert_err!(
        k.client
            .try_create(&k.tranched(T0, &[(T0 + 1, i128::MAX), (T0 + 2, 1)])),
        StreamError::InvalidTrancheSum
    );
    assert_err!(
        k.client
            .try_create(&k.tranched(1, &[(MAX_DURATION_S + 2, 1)])),
        StreamError::DurationTooLong
    );
}

#[test]
fn create_rejects_bad_open_ended_parameters() {
    let k = Kit::new();
    assert_err!(
        k.client.try_create(&k.open_ended(10, 0, 1)),
        StreamError::InvalidPeriod
    );
    assert_err!(
        k.client
            .try_create(&k.open_ended(10, MAX_DURATION_S + 1, 1)),
        StreamError::InvalidPeriod
    );
    assert_err!(
        k.client.try_create(&k.open_ended(i128::MAX / 1000, 1, 1)),
        StreamError::RateTooHigh
    );
    let past = k.params(ScheduleParams::OpenEnded(OpenEndedParams {
        amount_per_period: 10,
        period_s: DAY,
        start_ts: T0 - 1,
        deposit: 1,
    }));
    assert_err!(k.client.try_create(&past), StreamError::StartInPast);
}

#[test]
fn create_batch_creates_all_or_nothing() {
    let k = Kit::new();
    let ids = k.client.create_batch(&vec![
        &k.env,
        k.linear(10, T0, T0, T0 + 10),
        k.monthly(T0, 12, 5),
        k.open_ended(7, DAY, 70),
    ]);
    assert_eq!(ids, vec![&k.env, 1u64, 2, 3]);
    assert_eq!(k.contract_balance(), 10 + 60 + 70);
    let bad = vec![
        &k.env,
        k.linear(10, T0, T0, T0 + 10),
        k.linear(0, T0, T0, T0 + 10),
    ];
    assert_err!(k.client.try_create_batch(&bad), StreamError::InvalidAmount);
    assert_eq!(k.client.stream_count(), 3);
    assert_err!(
        k.client.try_create_batch(&Vec::new(&k.env)),
        StreamError::EmptyBatch
    );
}

#[test]
fn create_batch_rejects_more_than_max_batch() {
    let k = Kit::new();
    let mut many = Vec::new(&k.env);
    for _ in 0..=MAX_BATCH {
        many.push_back(k.linear(1, T0, T0, T0 + 1));
    }
    assert_err!(k.client.try_create_batch(&many), StreamError::BatchTooLarge);
}

#[test]
fn create_fails_when_the_sender_cannot_pay() {
    let k = Kit::new();
    let mut p = k.linear(10, T0, T0, T0 + 10);
    p.sender = Address::generate(&k.env); // holds nothing
    assert!(k.client.try_create(&p).is_err());
    assert_eq!(k.client.stream_count(), 0);
}

// ---------------------------------------------------------------- accrual

#[test]
fn linear_accrues_pro_rata_and_everything_at_the_end() {
    let k = Kit::new();
    let id = k.client.create(&k.linear(1_000, T0, T0, T0 + 300));
    assert_eq!(k.withdrawable(&id), 0);
    k.warp(1);
    assert_eq!(k.withdrawable(&id), 3); // floor(1000/300)
    k.warp(149);
    assert_eq!(k.withdrawable(&id), 500);
    k.warp(150);
    assert_eq!(k.withdrawable(&id), 1_000);
    k.warp(10 * 365 * DAY);
    assert_eq!(k.withdrawable(&id), 1_000);
}

#[test]
fn linear_cliff_holds_everything_back_until_the_cliff() {
    let k = Kit::new();
    let id = k.client.create(&k.linear(1_200, T0, T0 + 100, T0 + 1_200));
    k.set_time(T0 + 99);
    assert_eq!(k.withdrawable(&id), 0);
    k.set_time(T0 + 100);
    assert_eq!(k.withdrawable(&id), 100);
}

#[test]
fn monthly_salary_of_120_tranches_unlocks_month_by_month() {
    let k = Kit::new();
    let id = k.client.create(&k.monthly(T0, 120, 5_000));
    assert_eq!(k.client.get(&id).deposited, 600_000);
    assert_eq!(k.client.get_tranches(&id).len(), 120);
    k.set_time(T0 + 30 * DAY - 1);
    assert_eq!(k.withdrawable(&id), 0);
    k.set_time(T0 + 30 * DAY);
    assert_eq!(k.withdrawable(&id), 5_000);
    k.set_time(T0 + 61 * DAY);
    assert_eq!(k.client.settle(&id), 10_000);
    k.set_time(T0 + 120 * 30 * DAY);
    assert_eq!(k.withdrawable(&id), 590_000);
}

#[test]
fn open_ended_accrues_continuously_and_runs_into_debt() {
    let k = Kit::new();
    // 100 per day, 150 deposited: 1.5 days of runway.
    let id = k.client.create(&k.open_ended(100, DAY, 150));
    k.warp(DAY / 2);
    let a = k.client.amounts(&id);
    assert_eq!(
        (a.accrued, a.withdrawable, a.debt, a.refundable),
        (50, 50, 0, 100)
    );
    k.warp(DAY + DAY / 2); // two days in
    let a = k.client.amounts(&id);
    assert_eq!(
        (a.accrued, a.withdrawable, a.debt, a.refundable),
        (200, 150, 50, 0)
    );
}

#[test]
fn a_top_up_pays_the_debt_first() {
    let k = Kit::new();
    let id = k.client.create(&k.open_ended(100, DAY, 1));
    k.warp(2 * DAY);
    assert_eq!(k.client.amounts(&id).debt, 199);
    k.client.top_up(&id, &k.sender, &249);
    let a = k.client.amounts(&id);
    assert_eq!((a.withdrawable, a.debt, a.refundable), (200, 0, 50));
    assert_eq!(k.client.settle(&id), 200);
}

#[test]
fn open_ended_never_drifts_against_the_ideal_schedule() {
    // 10 units per day settled every hour for a day pays exactly 10 (a stored
    // rounded per-second rate would pay 9).
    let k = Kit::new();
    let id = k.client.create(&k.open_ended(10, DAY, 1_000));
    let mut paid = 0;
    for _ in 0..24 {
        k.warp(3_600);
        paid += k.client.settle(&id);
    }
    assert_eq!(paid, 10);
}

#[test]
fn pause_stops_accrual_and_resume_keeps_the_remainder() {
    let k = Kit::new();
    let id = k.client.create(&k.open_ended(10, DAY, 1_000));
    k.warp(DAY / 4); // 2.5 accrued
    k.client.pause(&id);
    assert_eq!(k.client.get(&id).status, Status::Paused);
    assert_eq!(k.client.amounts(&id).accrued, 2);
    k.warp(30 * DAY);
    assert_eq!(k.client.amounts(&id).accrued, 2);
    k.client.resume(&id);
    k.warp(DAY / 4); // 5.0 in total: the half unit was carried
    assert_eq!(k.client.amounts(&id).accrued, 5);
    assert_err!(k.client.try_resume(&id), StreamError::NotPaused);
    k.client.pause(&id);
    assert_err!(k.client.try_pause(&id), StreamError::StreamPaused);
}

#[test]
fn set_rate_keeps_what_accrued_at_the_old_rate() {
    let k = Kit::new();
    let id = k.client.create(&k.open_ended(10, DAY, 1_000));
    k.warp(DAY / 4); // 2.5 at the old rate
    k.client.set_rate(&id, &30);
    k.warp(DAY / 4); // + 7.5 at the new rate = 10 exactly
    assert_eq!(k.client.amounts(&id).accrued, 10);
    assert_err!(k.client.try_set_rate(&id, &0), StreamError::InvalidAmount);
    assert_err!(
        k.client.try_set_rate(&id, &(i128::MAX / 1000)),
        StreamError::RateTooHigh
    );
}

#[test]
fn a_future_start_accrues_nothing_until_then() {
    let k = Kit::new();
    let p = k.params(ScheduleParams::OpenEnded(OpenEndedParams {
        amount_per_period: 100,
        period_s: DAY,
        start_ts: T0 + DAY,
        deposit: 500,
    }));
    let id = k.client.create(&p);
    k.warp(DAY / 2);
    k.client.pause(&id); // pausing before the start must not move the start
    k.client.resume(&id);
    assert_eq!(k.client.amounts(&id).accrued, 0);
    k.set_time(T0 + 2 * DAY);
    assert_eq!(k.client.amounts(&id).accrued, 100);
}

// ---------------------------------------------------------------- withdraw

#[test]
fn withdraw_pays_any_address_up_to_the_withdrawable_amount() {
    let k = Kit::new();
    let id = k.client.create(&k.linear(1_000, T0, T0, T0 + 100));
    k.warp(50);
    let to = Address::generate(&k.env);
    assert_eq!(k.client.withdraw(&id, &to, &200), 200);
    let evs = k.env.events().all().filter_by_contract(&k.contract);
    assert_eq!(
        evs,
        [events::Withdrawn {
            id,
            to: to.clone(),
            amount: 200
        }
        .to_xdr(&k.env, &k.contract)]
    );
    assert_eq!(k.token.balance(&to), 200);
    assert_eq!(k.withdrawable(&id), 300);
    assert_err!(
        k.client.try_withdraw(&id, &to, &301),
        StreamError::AmountExceedsWithdrawable
    );
    assert_err!(
        k.client.try_withdraw(&id, &to, &0),
        StreamError::InvalidAmount
    );
    assert_err!(
        k.client.try_withdraw(&99, &to, &1),
        StreamError::StreamNotFound
    );
}

#[test]
fn withdraw_max_takes_everything_and_zero_when_nothing() {
    let k = Kit::new();
    let id = k.client.create(&k.linear(1_000, T0, T0, T0 + 100));
    assert_eq!(k.client.withdraw_max(&id, &k.recipient), 0);
    k.warp(100);
    assert_eq!(k.client.withdraw_max(&id, &k.recipient), 1_000);
    assert_eq!(k.token.balance(&k.recipient), 1_000);
    assert_eq!(k.contract_balance(), 0);
}

// ---------------------------------------------------------------- settle

#[test]
fn settle_pays_the_recipient_and_twice_in_a_ledger_pays_once() {
    let k = Kit::new();
    let id = k.client.create(&k.linear(1_000, T0, T0, T0 + 100));
    k.warp(40);
    assert_eq!(k.client.settle(&id), 400);
    assert_eq!(k.client.settle(&id), 0);
    assert_eq!(k.token.balance(&k.recipient), 400);
    assert_err!(k.client.try_settle(&7), StreamError::StreamNotFound);
}

#[test]
fn settle_fails_with_payment_failed_when_the_recipient_cannot_receive() {
    let k = Kit::new();
    let mut p = k.linear(1_000, T0, T0, T0 + 100);
    p.recipient = k.account_without_trustline(1);
    let id = k.client.create(&p);
    k.warp(50);
    assert_err!(k.client.try_settle(&id), StreamError::PaymentFailed);
    assert_eq!(k.withdrawable(&id), 500);
}

#[test]
fn settle_many_skips_missing_ids_and_recipients_that_cannot_receive() {
    let k = Kit::new();
    let ok = k.client.create(&k.linear(1_000, T0, T0, T0 + 100));
    let mut p = k.linear(1_000, T0, T0, T0 + 100);
    p.recipient = k.account_without_trustline(2);
    let no_trustline = k.client.create(&p);
    let mut p = k.linear(1_000, T0, T0, T0 + 100);
    let frozen_recipient = Address::generate(&k.env);
    p.recipient = frozen_recipient.clone();
    let frozen = k.client.create(&p);
    k.token_admin.set_authorized(&frozen_recipient, &false);
    k.warp(50);
    let paid = k
        .client
        .settle_many(&vec![&k.env, ok, no_trustline, 999, frozen, ok]);
    let evs = k.env.events().all().filter_by_contract(&k.contract);
    assert_eq!(paid, 500);
    assert_eq!(k.token.balance(&k.recipient), 500);
    assert_eq!(k.withdrawable(&no_trustline), 500);
    assert_eq!(k.withdrawable(&frozen), 500);
    let skipped = events::SettleSkipped {
        id: frozen,
        amount: 500,
    };
    assert!(evs.events().contains(&skipped.to_xdr(&k.env, &k.contract)));
    let skipped = events::SettleSkipped {
        id: no_trustline,
        amount: 500,
    };
    assert!(evs.events().contains(&skipped.to_xdr(&k.env, &k.contract)));
}

// ---------------------------------------------------------------- cancel

#[test]
fn cancel_refunds_the_unaccrued_part_and_leaves_the_rest_owed() {
    let k = Kit::new();
    let id = k.client.create(&k.linear(1_000, T0, T0, T0 + 100));
    k.warp(30);
    let before = k.token.balance(&k.sender);
    assert_eq!(k.client.cancel(&id), 700);
    assert_eq!(k.token.balance(&k.sender), before + 700);
    let s = k.client.get(&id);
    assert_eq!((s.status, s.refunded), (Status::Canceled, 700));
    k.warp(50); // nothing more accrues
    assert_eq!(k.withdrawable(&id), 300);
    assert_eq!(k.client.settle(&id), 300);
    assert_eq!(k.contract_balance(), 0);
    assert_err!(k.client.try_cancel(&id), StreamError::StreamCanceled);
}

#[test]
fn a_recipient_who_cannot_receive_never_blocks_a_cancel() {
    let k = Kit::new();
    let mut p = k.monthly(T0, 12, 100);
    p.recipient = k.account_without_trustline(3);
    let id = k.client.create(&p);
    k.set_time(T0 + 95 * DAY);
    assert_eq!(k.client.cancel(&id), 900);
    assert_eq!(k.withdrawable(&id), 300);
}

#[test]
fn cancel_is_refused_when_not_cancelable_or_complete() {
    let k = Kit::new();
    let mut p = k.linear(1_000, T0, T0, T0 + 100);
    p.cancelable = false;
    let fixed = k.client.create(&p);
    assert_err!(k.client.try_cancel(&fixed), StreamError::NotCancelable);
    let done = k.client.create(&k.linear(1_000, T0, T0, T0 + 100));
    k.warp(100);
    assert_err!(k.client.try_cancel(&done), StreamError::StreamCompleted);
}

#[test]
fn cancel_of_an_open_ended_stream_refunds_the_excess_and_keeps_debt_payable() {
    let k = Kit::new();
    let funded = k.client.create(&k.open_ended(100, DAY, 1_000));
    k.warp(DAY);
    assert_eq!(k.client.cancel(&funded), 900);
    assert_eq!(k.withdrawable(&funded), 100);

    let indebted = k.client.create(&k.open_ended(100, DAY, 50));
    k.warp(DAY);
    assert_eq!(k.client.cancel(&indebted), 0);
    let a = k.client.amounts(&indebted);
    assert_eq!((a.withdrawable, a.debt), (50, 50));
    assert_err!(
        k.client.try_top_up(&indebted, &k.sender, &51),
        StreamError::AmountExceedsDebt
    );
    k.client.top_up(&indebted, &k.sender, &50);
    assert_eq!(k.client.settle(&indebted), 100);
    assert_err!(
        k.client.try_top_up(&indebted, &k.sender, &1),
        StreamError::AmountExceedsDebt
    );
    assert_err!(
        k.client.try_set_rate(&indebted, &5),
        StreamError::StreamCanceled
    );
    assert_err!(k.client.try_pause(&indebted), StreamError::StreamCanceled);
    assert_err!(k.client.try_resume(&indebted), StreamError::StreamCanceled);
}

// ---------------------------------------------------------------- open-ended funds

#[test]
fn refund_returns_only_unaccrued_funds() {
    let k = Kit::new();
    let id = k.client.create(&k.open_ended(100, DAY, 1_000));
    k.warp(DAY);
    assert_err!(
        k.client.try_refund(&id, &901),
        StreamError::AmountExceedsRefundable
    );
    assert_err!(k.client.try_refund(&id, &0), StreamError::InvalidAmount);
    assert_eq!(k.client.refund(&id, &400), 400);
    assert_eq!(k.client.refund_max(&id), 500);
    assert_eq!(k.client.refund_max(&id), 0);
    assert_eq!(k.withdrawable(&id), 100);
    let fixed = k.client.create(&k.linear(10, T0, T0, T0 + 10));
    assert_err!(k.client.try_refund(&fixed, &1), StreamError::NotOpenEnded);
}

#[test]
fn open_ended_only_operations_refuse_fixed_streams() {
    let k = Kit::new();
    let id = k.client.create(&k.linear(10, T0, T0, T0 + 10));
    assert_err!(
        k.client.try_top_up(&id, &k.sender, &1),
        StreamError::NotOpenEnded
    );
    assert_err!(k.client.try_pause(&id), StreamError::NotOpenEnded);
    assert_err!(k.client.try_resume(&id), StreamError::NotOpenEnded);
    assert_err!(k.client.try_set_rate(&id, &1), StreamError::NotOpenEnded);
    assert_err!(
        k.client.try_top_up(&id, &k.sender, &0),
        StreamError::InvalidAmount
    );
}

// ---------------------------------------------------------------- transfer, renounce

#[test]
fn transfer_hands_the_stream_and_its_unwithdrawn_balance_over() {
    let k = Kit::new();
    let id = k.client.create(&k.linear(1_000, T0, T0, T0 + 100));
    k.warp(50);
    let heir = Address::generate(&k.env);
    k.client.transfer(&id, &heir);
    assert_eq!(k.client.get(&id).recipient, heir);
    assert_eq!(k.client.settle(&id), 500);
    assert_eq!(k.token.balance(&heir), 500);
    assert_err!(
        k.client.try_transfer(&id, &heir),
        StreamError::InvalidRecipient
    );
    let mut p = k.linear(10, T0, T0, T0 + 10);
    p.transferable = false;
    let fixed = k.client.create(&p);
    assert_err!(
        k.client.try_transfer(&fixed, &heir),
        StreamError::NotTransferable
    );
}

#[test]
fn renounce_makes_a_stream_non_cancelable_for_good() {
    let k = Kit::new();
    let id = k.client.create(&k.linear(1_000, T0, T0, T0 + 100));
    k.client.renounce(&id);
    assert!(!k.client.get(&id).cancelable);
    assert_err!(k.client.try_renounce(&id), StreamError::NotCancelable);
    assert_err!(k.client.try_cancel(&id), StreamError::NotCancelable);
    let canceled = k.client.create(&k.linear(1_000, T0, T0 + 10, T0 + 100));
    k.client.cancel(&canceled);
    assert_err!(
        k.client.try_renounce(&canceled),
        StreamError::StreamCanceled
    );
}

// ---------------------------------------------------------------- views

#[test]
fn get_many_returns_none_for_missing_ids() {
    let k = Kit::new();
    let id = k.client.create(&k.linear(10, T0, T0, T0 + 10));
    let got = k.client.get_many(&vec![&k.env, id, 5]);
    assert_eq!(got.len(), 2);
    assert_eq!(got.get(0).unwrap().unwrap().deposited, 10);
    assert_eq!(got.get(1).unwrap(), None);
    assert_err!(k.client.try_get(&5), StreamError::StreamNotFound);
    assert_eq!(k.client.get_tranches(&id).len(), 0);
}

#[test]
fn batch_views_and_extend_ttl_reject_oversized_batches() {
    let k = Kit::new();
    let mut ids = Vec::new(&k.env);
    for i in 0..=MAX_BATCH as u64 {
        ids.push_back(i);
    }
    assert_err!(k.client.try_get_many(&ids), StreamError::BatchTooLarge);
    assert_err!(k.client.try_settle_many(&ids), StreamError::BatchTooLarge);
    assert_err!(k.client.try_extend_ttl(&ids), StreamError::BatchTooLarge);
}

#[test]
fn every_state_change_emits_an_event_with_the_stream_id() {
    let k = Kit::new();
    let id = k.client.create(&k.open_ended(100, DAY, 1_000));
    let ops: [(&str, &dyn Fn()); 7] = [
        ("topped_up", &|| k.client.top_up(&id, &k.sender, &5)),
        ("paused", &|| k.client.pause(&id)),
        ("resumed", &|| k.client.resume(&id)),
        ("rate_set", &|| k.client.set_rate(&id, &50)),
        ("refunded", &|| {
            k.client.refund(&id, &5);
        }),
        ("renounced", &|| k.client.renounce(&id)),
        ("transferred", &|| {
            k.client.transfer(&id, &Address::generate(&k.env))
        }),
    ];
    for (name, op) in ops {
        op();
        let evs = k.env.events().all().filter_by_contract(&k.contract);
        let last = evs.events().last().expect("an event").clone();
        let xdr::ContractEventBody::V0(body) = last.body;
        assert_eq!(
            body.topics[0],
            xdr::ScVal::Symbol(xdr::ScSymbol(name.try_into().unwrap())),
            "{name}"
        );
        assert_eq!(body.topics[1], xdr::ScVal::U64(id), "{name}");
    }
}

// ---------------------------------------------------------------- extremes

#[test]
fn an_i128_max_deposit_streams_exactly_up_to_the_u64_max_timestamp() {
    let k = Kit::new();
    let whale = Address::generate(&k.env);
    k.mint(&whale, i128::MAX);
    let end = u64::MAX;
    let start = end - MAX_DURATION_S;
    let mut p = k.linear(i128::MAX, start, start, end);
    p.sender = whale;
    let id = k.client.create(&p);
    k.set_time(start + MAX_DURATION_S / 2);
    assert_eq!(k.withdrawable(&id), i128::MAX / 2);
    k.set_time(end - 1);
    let almost = k.client.settle(&id);
    assert_eq!(
        almost,
        crate::math::mul_div_floor(i128::MAX, MAX_DURATION_S - 1, MAX_DURATION_S).unwrap()
    );
    k.set_time(end);
    assert_eq!(k.client.settle(&id), i128::MAX - almost);
    assert_eq!(k.token.balance(&k.recipient), i128::MAX);
}

#[test]
fn a_top_up_beyond_i128_fails_with_overflow() {
    let k = Kit::new();
    let id = k.client.create(&k.open_ended(1, DAY, 10));
    let dao = Address::generate(&k.env);
    k.mint(&dao, i128::MAX);
    assert_err!(
        k.client.try_top_up(&id, &dao, &i128::MAX),
        StreamError::Overflow
    );
    assert_eq!(k.token.balance(&dao), i128::MAX);
}
