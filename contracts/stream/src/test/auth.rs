//! Authorization: the exact tree a sender signs for `create`, the one signer every
//! other entry point requires, and that permissionless entry points need none.
extern crate std;

use soroban_sdk::testutils::{Address as _, AuthorizedFunction, AuthorizedInvocation};
use soroban_sdk::{vec, Address, IntoVal, Symbol};

use crate::testkit::{Kit, Mode, DAY, T0};

fn kit() -> Kit {
    let k = Kit::with_mode(Mode::Native);
    k.mint(&k.sender, 1_000_000);
    k
}

#[test]
fn create_is_signed_by_the_sender_including_the_deposit_transfer() {
    let k = kit();
    let p = k.linear(1_000, T0, T0, T0 + 100);
    k.env.mock_all_auths();
    k.client.create(&p);
    assert_eq!(
        k.env.auths(),
        std::vec![(
            k.sender.clone(),
            AuthorizedInvocation {
                function: AuthorizedFunction::Contract((
                    k.contract.clone(),
                    Symbol::new(&k.env, "create"),
                    (p.clone(),).into_val(&k.env)
                )),
                sub_invocations: std::vec![AuthorizedInvocation {
                    function: AuthorizedFunction::Contract((
                        k.token.address.clone(),
                        Symbol::new(&k.env, "transfer"),
                        (k.sender.clone(), k.contract.clone(), 1_000i128).into_val(&k.env),
                    )),
                    sub_invocations: std::vec![],
                }],
            }
        )]
    );
}

#[test]
fn create_without_the_senders_signature_fails() {
    let k = kit();
    let p = k.linear(1_000, T0, T0, T0 + 100);
    assert!(k.client.try_create(&p).is_err());
    assert!(k.client.try_create_batch(&vec![&k.env, p]).is_err());
    assert_eq!(k.client.stream_count(), 0);
}

/// Runs `op` once unsigned (must fail) and once with auth mocked (must succeed,
/// with exactly `signer` having been asked to sign `fn_name`).
fn assert_only_signer(k: &Kit, signer: &Address, fn_name: &str, op: &dyn Fn() -> bool) {
    k.env.set_auths(&[]);
    assert!(!op(), "{fn_name} succeeded without any signature");
    k.env.mock_all_auths();
    assert!(op(), "{fn_name} failed with auth mocked");
    let auths = k.env.auths();
    assert_eq!(auths.len(), 1, "{fn_name}: {auths:?}");
    assert_eq!(
        &auths[0].0, signer,
        "{fn_name} asked the wrong address to sign"
    );
    match &auths[0].1.function {
        AuthorizedFunction::Contract((_, f, _)) => assert_eq!(f, &Symbol::new(&k.env, fn_name)),
        other => panic!("{other:?}"),
    }
    k.env.set_auths(&[]);
}

#[test]
fn sender_only_entry_points_require_the_senders_signature() {
    let k = kit();
    k.env.mock_all_auths();
    let open = k.client.create(&k.open_ended(100, DAY, 10_000));
    let fixed = k.client.create(&k.linear(1_000, T0, T0, T0 + 100));
    let fixed2 = k.client.create(&k.linear(1_000, T0, T0, T0 + 100));
    k.env.set_auths(&[]);
    k.warp(10);
    let s = k.sender.clone();
    assert_only_signer(&k, &s, "pause", &|| k.client.try_pause(&open).is_ok());
    assert_only_signer(&k, &s, "resume", &|| k.client.try_resume(&open).is_ok());
    assert_only_signer(&k, &s, "set_rate", &|| {
        k.client.try_set_rate(&open, &50).is_ok()
    });
    assert_only_signer(&k, &s, "refund", &|| {
        k.client.try_refund(&open, &10).is_ok()
    });
    assert_only_signer(&k, &s, "refund_max", &|| {
        k.client.try_refund_max(&open).is_ok()
    });
    assert_only_signer(&k, &s, "renounce", &|| {
        k.client.try_renounce(&fixed2).is_ok()
    });
    assert_only_signer(&k, &s, "cancel", &|| k.client.try_cancel(&fixed).is_ok());
}

#[test]
fn recipient_only_entry_points_require_the_recipients_signature() {
    let k = kit();
    k.env.mock_all_auths();
    let id = k.client.create(&k.linear(1_000, T0, T0, T0 + 100));
    k.env.set_auths(&[]);
    k.warp(50);
    let r = k.recipient.clone();
    let to = Address::generate(&k.env);
    assert_only_signer(&k, &r, "withdraw", &|| {
        k.client.try_withdraw(&id, &to, &10).is_ok()
    });
    assert_only_signer(&k, &r, "withdraw_max", &|| {
        k.client.try_withdraw_max(&id, &to).is_ok()
    });
    let heir = Address::generate(&k.env);
    assert_only_signer(&k, &r, "transfer", &|| {
        k.client.try_transfer(&id, &heir).is_ok()
    });
}

#[test]
fn top_up_requires_the_funders_signature() {
    let k = kit();
    k.env.mock_all_auths();
    let id = k.client.create(&k.open_ended(100, DAY, 1));
    let dao = Address::generate(&k.env);
    k.mint(&dao, 500);
    k.env.set_auths(&[]);
    assert_only_signer(&k, &dao, "top_up", &|| {
        k.client.try_top_up(&id, &dao, &100).is_ok()
    });
}

#[test]
fn settle_settle_many_and_extend_ttl_need_no_signature() {
    let k = kit();
    k.env.mock_all_auths();
    let id = k.client.create(&k.linear(1_000, T0, T0, T0 + 100));
    k.env.set_auths(&[]);
    k.warp(10);
    assert_eq!(k.client.settle(&id), 100);
    k.warp(10);
    assert_eq!(k.client.settle_many(&vec![&k.env, id]), 100);
    assert_eq!(k.client.extend_ttl(&vec![&k.env, id]), 1);
    assert!(k.env.auths().is_empty());
    assert_eq!(k.token.balance(&k.recipient), 200);
}

#[test]
fn create_batch_asks_each_distinct_sender_once() {
    let k = kit();
    let other = Address::generate(&k.env);
    k.mint(&other, 1_000);
    let mut p2 = k.linear(10, T0, T0, T0 + 100);
    p2.sender = other.clone();
    let batch = vec![
        &k.env,
        k.linear(10, T0, T0, T0 + 100),
        p2,
        k.linear(20, T0, T0, T0 + 100),
    ];
    k.env.mock_all_auths();
    k.client.create_batch(&batch);
    let signers: std::vec::Vec<Address> = k.env.auths().into_iter().map(|(a, _)| a).collect();
    assert_eq!(signers, std::vec![k.sender.clone(), other]);
}

#[test]
fn withdraw_max_and_transfer_requires_the_recipients_signature() {
    let k = kit();
    k.env.mock_all_auths();
    let id = k.client.create(&k.linear(1_000, T0, T0, T0 + 100));
    k.env.set_auths(&[]);
    k.warp(50);
    let r = k.recipient.clone();
    let heir = Address::generate(&k.env);
    assert_only_signer(&k, &r, "withdraw_max_and_transfer", &|| {
        k.client.try_withdraw_max_and_transfer(&id, &heir).is_ok()
    });
}

#[test]
fn void_requires_the_callers_signature() {
    let k = kit();
    k.env.mock_all_auths();
    let a = k.client.create(&k.open_ended(100, DAY, 1_000));
    let b = k.client.create(&k.open_ended(100, DAY, 1_000));
    k.env.set_auths(&[]);
    let (s, r) = (k.sender.clone(), k.recipient.clone());
    assert_only_signer(&k, &s, "void", &|| k.client.try_void(&a, &s).is_ok());
    assert_only_signer(&k, &r, "void", &|| k.client.try_void(&b, &r).is_ok());
}

#[test]
fn cancel_many_asks_each_distinct_sender_once() {
    let k = kit();
    let other = Address::generate(&k.env);
    k.mint(&other, 1_000);
    k.env.mock_all_auths();
    let a = k.client.create(&k.linear(10, T0, T0, T0 + 100));
    let mut p = k.linear(10, T0, T0, T0 + 100);
    p.sender = other.clone();
    let b = k.client.create(&p);
    let c = k.client.create(&k.linear(10, T0, T0, T0 + 100));
    k.env.set_auths(&[]);
    assert!(k.client.try_cancel_many(&vec![&k.env, a, b, c]).is_err());
    k.env.mock_all_auths();
    k.client.cancel_many(&vec![&k.env, a, b, c, 99]);
    let auths = k.env.auths();
    let signers: std::vec::Vec<Address> = auths.iter().map(|(a, _)| a.clone()).collect();
    assert_eq!(signers, std::vec![k.sender.clone(), other]);
    for (_, inv) in &auths {
        match &inv.function {
            AuthorizedFunction::Contract((_, f, _)) => {
                assert_eq!(f, &Symbol::new(&k.env, "cancel_many"))
            }
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn status_and_amounts_many_need_no_signature() {
    let k = kit();
    k.env.mock_all_auths();
    let id = k.client.create(&k.open_ended(100, DAY, 1_000));
    k.env.set_auths(&[]);
    k.client.status(&id);
    k.client.amounts_many(&vec![&k.env, id]);
    assert!(k.env.auths().is_empty());
}
