//! Regression tests for the pre-release review's findings (issue 8), one section
//! per finding. Each test failed on the contract before its fix.
extern crate std;

use soroban_sdk::testutils::Address as _;
use soroban_sdk::{vec, Address};

use crate::testkit::tokens::Behaviour;
use crate::testkit::{Kit, DAY, T0};
use crate::StreamError;

// ------------------------------------------- 1. `cancelable = false` binds open-ended streams

fn non_cancelable_open_ended(k: &Kit) -> u64 {
    let mut p = k.open_ended(100, DAY, 10_000);
    p.cancelable = false;
    k.client.create(&p)
}

#[test]
fn a_non_cancelable_open_ended_stream_cannot_be_paused() {
    let k = Kit::new();
    let id = non_cancelable_open_ended(&k);
    k.warp(DAY);
    assert_err!(k.client.try_pause(&id), StreamError::NotCancelable);
    assert_eq!(k.client.amounts(&id).accrued, 100);
}

#[test]
fn a_non_cancelable_open_ended_streams_rate_can_be_raised_but_not_lowered() {
    let k = Kit::new();
    let id = non_cancelable_open_ended(&k);
    assert_err!(k.client.try_set_rate(&id, &99), StreamError::NotCancelable);
    k.client.set_rate(&id, &100); // unchanged: allowed
    k.client.set_rate(&id, &150);
    k.warp(DAY);
    assert_eq!(k.client.amounts(&id).accrued, 150);
}

#[test]
fn a_non_cancelable_open_ended_stream_refunds_nothing() {
    let k = Kit::new();
    let id = non_cancelable_open_ended(&k);
    assert_err!(k.client.try_refund(&id, &1), StreamError::NotCancelable);
    assert_err!(k.client.try_refund_max(&id), StreamError::NotCancelable);
    assert_eq!(k.client.amounts(&id).balance, 10_000);
}

#[test]
fn renounce_binds_an_open_ended_stream_the_same_way() {
    let k = Kit::new();
    let id = k.client.create(&k.open_ended(100, DAY, 10_000));
    k.client.renounce(&id);
    assert!(!k.client.get(&id).cancelable);
    assert_err!(k.client.try_pause(&id), StreamError::NotCancelable);
    assert_err!(k.client.try_set_rate(&id, &1), StreamError::NotCancelable);
    assert_err!(k.client.try_refund(&id, &1), StreamError::NotCancelable);
    assert_err!(k.client.try_refund_max(&id), StreamError::NotCancelable);
    assert_err!(k.client.try_cancel(&id), StreamError::NotCancelable);
    // What only helps the recipient stays open: raising the rate and topping up.
    k.client.set_rate(&id, &200);
    k.client.top_up(&id, &k.sender, &1);
}

#[test]
fn renouncing_a_paused_open_ended_stream_resumes_it() {
    // A paused stream that can never be canceled must not stay paused forever at the
    // sender's whim: renounce resumes it, so the recipient's stream runs again.
    let k = Kit::new();
    let id = k.client.create(&k.open_ended(100, DAY, 10_000));
    k.client.pause(&id);
    k.warp(DAY);
    k.client.renounce(&id);
    k.warp(DAY);
    assert_eq!(k.client.amounts(&id).accrued, 100);
    assert_err!(k.client.try_pause(&id), StreamError::NotCancelable);
}

// ------------------------------------------- 2. deposits record what arrived, not what was asked

#[test]
fn a_fee_on_transfer_token_deposit_is_refused_as_a_shortfall() {
    let k = Kit::new();
    let fee = k.test_token(Behaviour::FeeOnTransfer);
    let mut p = k.linear(10_000, T0, T0, T0 + 100);
    p.token = fee.address.clone();
    assert_err!(k.client.try_create(&p), StreamError::TransferShortfall);
    let mut p = k.open_ended(100, DAY, 10_000);
    p.token = fee.address.clone();
    assert_err!(k.client.try_create(&p), StreamError::TransferShortfall);
    assert_eq!(k.client.stream_count(), 0);
    assert_eq!(fee.balance(&k.contract), 0);
}

#[test]
fn a_batch_with_a_fee_on_transfer_deposit_is_refused_whole() {
    let k = Kit::new();
    let fee = k.test_token(Behaviour::FeeOnTransfer);
    let honest = k.test_token(Behaviour::Honest);
    let mut in_fee = k.linear(10_000, T0, T0, T0 + 100);
    in_fee.token = fee.address.clone();
    let mut in_honest = k.linear(10_000, T0, T0, T0 + 100);
    in_honest.token = honest.address.clone();
    let batch = vec![
        &k.env,
        k.linear(10_000, T0, T0, T0 + 100),
        in_honest.clone(),
        in_fee,
        in_honest,
    ];
    assert_err!(
        k.client.try_create_batch(&batch),
        StreamError::TransferShortfall
    );
    assert_eq!(k.client.stream_count(), 0);
    assert_eq!(k.contract_balance(), 0);
}

#[test]
fn a_top_up_in_a_token_that_turns_fee_on_transfer_is_refused() {
    let k = Kit::new();
    let t = k.test_token(Behaviour::Honest);
    let mut p = k.open_ended(100, DAY, 10_000);
    p.token = t.address.clone();
    let id = k.client.create(&p);
    assert_eq!(t.balance(&k.contract), 10_000);
    t.set_behaviour(&Behaviour::FeeOnTransfer);
    assert_err!(
        k.client.try_top_up(&id, &k.sender, &5_000),
        StreamError::TransferShortfall
    );
    assert_eq!(k.client.get(&id).deposited, 10_000);
    assert_eq!(t.balance(&k.contract), 10_000);
}

#[test]
fn an_honest_custom_token_streams_normally() {
    let k = Kit::new();
    let t = k.test_token(Behaviour::Honest);
    let mut p = k.linear(1_000, T0, T0, T0 + 100);
    p.token = t.address.clone();
    let id = k.client.create(&p);
    k.warp(50);
    assert_eq!(k.client.settle(&id), 500);
    assert_eq!(t.balance(&k.recipient), 500);
}

// ------------------------------------------- 3. a stream's token must be shown to be a token

#[test]
fn an_open_ended_stream_needs_a_positive_deposit() {
    let k = Kit::new();
    assert_err!(
        k.client.try_create(&k.open_ended(100, DAY, 0)),
        StreamError::InvalidAmount
    );
    // Any address as "token" then fails on the deposit itself.
    let mut p = k.open_ended(100, DAY, 1);
    p.token = Address::generate(&k.env);
    assert!(k.client.try_create(&p).is_err());
    assert_eq!(k.client.stream_count(), 0);
}

// ------------------------------------------- 4. the contract's own address is no destination

#[test]
fn the_contract_cannot_be_a_recipient() {
    let k = Kit::new();
    let mut p = k.linear(1_000, T0, T0, T0 + 100);
    p.recipient = k.contract.clone();
    assert_err!(k.client.try_create(&p), StreamError::DestinationIsContract);
    assert_err!(
        k.client.try_create_batch(&vec![&k.env, p]),
        StreamError::DestinationIsContract
    );
}

#[test]
fn the_contract_cannot_be_a_withdrawal_target_or_a_transfer_target() {
    let k = Kit::new();
    let id = k.client.create(&k.linear(1_000, T0, T0, T0 + 100));
    k.warp(50);
    assert_err!(
        k.client.try_withdraw(&id, &k.contract, &10),
        StreamError::DestinationIsContract
    );
    assert_err!(
        k.client.try_withdraw_max(&id, &k.contract),
        StreamError::DestinationIsContract
    );
    assert_err!(
        k.client.try_transfer(&id, &k.contract),
        StreamError::DestinationIsContract
    );
    assert_eq!(k.withdrawable(&id), 500);
    assert_eq!(k.contract_balance(), 1_000);
}

// ------------------------------------------- 5. isolating a hostile token

#[test]
fn a_budget_exhausting_token_fails_its_whole_batch_but_not_a_batch_without_it() {
    // The documented limit: the host cannot recover from an exhausted budget, so a
    // batch naming such a stream fails as a whole. The keeper isolates it by batching
    // per token (the token is in every record, `get_many`, and `amounts_many` tells
    // what is due); honest streams batched apart still settle.
    let k = Kit::new();
    let hostile = k.test_token(Behaviour::Honest);
    let mut p = k.linear(1_000, T0, T0, T0 + 100);
    p.token = hostile.address.clone();
    let bad = k.client.create(&p);
    let good = k.client.create(&k.linear(1_000, T0, T0, T0 + 100));
    hostile.set_behaviour(&Behaviour::ExhaustsBudget);
    k.warp(50);
    // The test host escalates an exhausted budget to a panic (on the network the
    // transaction fails): either way nothing of the batch happens.
    let batch = vec![&k.env, good, bad];
    let failed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        k.client.try_settle_many(&batch).is_err()
    }))
    .unwrap_or(true);
    assert!(failed);
    k.env.cost_estimate().budget().reset_default();
    assert_eq!(k.token.balance(&k.recipient), 0);
    let due = k.client.amounts_many(&vec![&k.env, good, bad]);
    assert_eq!(due.get(0).unwrap().unwrap().withdrawable, 500);
    assert_eq!(due.get(1).unwrap().unwrap().withdrawable, 500);
    assert_eq!(k.client.settle_many(&vec![&k.env, good]), 500);
}

#[test]
fn a_panicking_token_is_skipped_by_settle_many() {
    let k = Kit::new();
    let hostile = k.test_token(Behaviour::Honest);
    let mut p = k.linear(1_000, T0, T0, T0 + 100);
    p.token = hostile.address.clone();
    let bad = k.client.create(&p);
    let good = k.client.create(&k.linear(1_000, T0, T0, T0 + 100));
    hostile.set_behaviour(&Behaviour::Panics);
    k.warp(50);
    assert_eq!(k.client.settle_many(&vec![&k.env, bad, good]), 500);
    assert_eq!(k.withdrawable(&bad), 500);
}
