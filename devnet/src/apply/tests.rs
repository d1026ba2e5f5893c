//! Transaction application: signatures, sequence numbers, fees, failure paths,
//! classic tokens and a Soroban round trip (simulate, assemble, apply).

use soroban_env_host::xdr::{
    AlphaNum4, Asset, AssetCode4, ChangeTrustAsset, ChangeTrustOp, CreateAccountOp,
    CreateAccountResult, DecoratedSignature, FeeBumpTransaction, FeeBumpTransactionEnvelope,
    FeeBumpTransactionExt, FeeBumpTransactionInnerTx, HostFunction, InnerTransactionResultResult,
    InvokeHostFunctionOp, LedgerEntryData, ManageDataOp, Memo, MuxedAccount, Operation,
    OperationBody, OperationResult, OperationResultTr, PaymentOp, PaymentResult, Preconditions,
    SequenceNumber, TimeBounds, TimePoint, Transaction, TransactionEnvelope, TransactionExt,
    TransactionResultResult, Uint256,
};

use super::*;
use crate::config::Settings;
use crate::ledger::keys::{account_bytes, account_id_from_seed, account_key};
use crate::ledger::{root_seed, Ledger};
use soroban_env_host::xdr::{AccountEntry, AccountId};

const PASSPHRASE: &str = "Test SDF Network ; devnet unit tests";

fn seed(n: u8) -> [u8; 32] {
    [n; 32]
}

fn id(seed: &[u8; 32]) -> AccountId {
    account_id_from_seed(seed)
}

fn account(l: &Ledger, s: &[u8; 32]) -> Option<AccountEntry> {
    match l.entries.get(&account_key(&id(s))).map(|e| &e.entry.data) {
        Some(LedgerEntryData::Account(a)) => Some(a.clone()),
        _ => None,
    }
}

fn tx(l: &Ledger, source: &[u8; 32], ops: Vec<OperationBody>) -> Transaction {
    let a = account(l, source).expect("source exists");
    Transaction {
        source_account: MuxedAccount::Ed25519(Uint256(account_bytes(&id(source)))),
        fee: 100 * ops.len() as u32,
        seq_num: SequenceNumber(a.seq_num.0 + 1),
        cond: Preconditions::None,
        memo: Memo::None,
        operations: ops
            .into_iter()
            .map(|body| Operation {
                source_account: None,
                body,
            })
            .collect::<Vec<_>>()
            .try_into()
            .unwrap(),
        ext: TransactionExt::V0,
    }
}

fn create(dest: &[u8; 32], balance: i64) -> OperationBody {
    OperationBody::CreateAccount(CreateAccountOp {
        destination: id(dest),
        starting_balance: balance,
    })
}

fn result_code(l: &Ledger, hash: &[u8; 32]) -> TransactionResultResult {
    let rec = l.txs.get(hash).expect("recorded");
    let r = soroban_env_host::xdr::TransactionResult::from_xdr(
        &rec.result_xdr,
        soroban_env_host::xdr::Limits::none(),
    )
    .unwrap();
    r.result
}

use soroban_env_host::xdr::ReadXdr;

/// A ledger where account `seed(1)` holds 1,000 XLM.
fn funded() -> Ledger {
    let mut l = Ledger::genesis(PASSPHRASE, Settings::default());
    let root = root_seed(PASSPHRASE);
    let t = tx(&l, &root, vec![create(&seed(1), 10_000_000_000)]);
    let env = sign(&l.network_id, t, &[root]);
    submit(&mut l, &env).expect("funding is valid");
    l
}

#[test]
fn create_account_succeeds_charges_base_fee_and_bumps_sequence() {
    let mut l = funded();
    let before = account(&l, &seed(1)).unwrap();
    let t = tx(&l, &seed(1), vec![create(&seed(2), 50_000_000)]);
    let env = sign(&l.network_id, t, &[seed(1)]);
    let hash = submit(&mut l, &env).unwrap();
    assert!(matches!(
        result_code(&l, &hash),
        TransactionResultResult::TxSuccess(_)
    ));
    let after = account(&l, &seed(1)).unwrap();
    assert_eq!(after.balance, before.balance - 50_000_000 - 100);
    assert_eq!(after.seq_num.0, before.seq_num.0 + 1);
    let created = account(&l, &seed(2)).unwrap();
    assert_eq!(created.balance, 50_000_000);
    assert_eq!(created.seq_num.0, i64::from(l.seq()) << 32);
}

#[test]
fn signature_by_another_key_is_rejected_with_bad_auth_and_changes_nothing() {
    let mut l = funded();
    let before = account(&l, &seed(1)).unwrap();
    let seq_before = l.seq();
    let t = tx(&l, &seed(1), vec![create(&seed(2), 50_000_000)]);
    let env = sign(&l.network_id, t, &[seed(9)]);
    let err = submit(&mut l, &env).unwrap_err();
    assert_eq!(err.result.result, TransactionResultResult::TxBadAuth);
    assert_eq!(account(&l, &seed(1)).unwrap(), before);
    assert_eq!(
        l.seq(),
        seq_before,
        "a rejected transaction closes no ledger"
    );
}

#[test]
fn signature_for_another_network_is_rejected() {
    let mut l = funded();
    let t = tx(&l, &seed(1), vec![create(&seed(2), 50_000_000)]);
    let other_network = crate::ledger::sha256(b"Public Global Stellar Network ; September 2015");
    let env = sign(&other_network, t, &[seed(1)]);
    assert_eq!(
        submit(&mut l, &env).unwrap_err().result.result,
        TransactionResultResult::TxBadAuth
    );
}

#[test]
fn unsigned_and_extra_signatures_are_rejected() {
    let mut l = funded();
    let t = tx(&l, &seed(1), vec![create(&seed(2), 50_000_000)]);
    let unsigned = sign(&l.network_id, t.clone(), &[]);
    assert_eq!(
        submit(&mut l, &unsigned).unwrap_err().result.result,
        TransactionResultResult::TxBadAuth
    );
    let extra = sign(&l.network_id, t, &[seed(1), seed(7)]);
    assert_eq!(
        submit(&mut l, &extra).unwrap_err().result.result,
        TransactionResultResult::TxBadAuthExtra
    );
}

#[test]
fn wrong_sequence_numbers_are_rejected_with_bad_seq() {
    let mut l = funded();
    for delta in [0i64, 2, -1] {
        let mut t = tx(&l, &seed(1), vec![create(&seed(2), 50_000_000)]);
        t.seq_num.0 += delta - 1;
        let env = sign(&l.network_id, t, &[seed(1)]);
        assert_eq!(
            submit(&mut l, &env).unwrap_err().result.result,
            TransactionResultResult::TxBadSeq,
            "delta {delta}"
        );
    }
}

#[test]
fn replaying_an_applied_transaction_fails_on_its_sequence() {
    let mut l = funded();
    let t = tx(&l, &seed(1), vec![create(&seed(2), 50_000_000)]);
    let env = sign(&l.network_id, t, &[seed(1)]);
    submit(&mut l, &env).unwrap();
    assert_eq!(
        submit(&mut l, &env).unwrap_err().result.result,
        TransactionResultResult::TxBadSeq
    );
}

#[test]
fn fee_below_base_fee_per_operation_is_rejected() {
    let mut l = funded();
    let mut t = tx(
        &l,
        &seed(1),
        vec![create(&seed(2), 50_000_000), create(&seed(3), 50_000_000)],
    );
    t.fee = 199;
    let env = sign(&l.network_id, t, &[seed(1)]);
    assert_eq!(
        submit(&mut l, &env).unwrap_err().result.result,
        TransactionResultResult::TxInsufficientFee
    );
}

#[test]
fn a_bid_above_the_base_fee_is_charged_only_the_base_fee() {
    let mut l = funded();
    let before = account(&l, &seed(1)).unwrap().balance;
    let mut t = tx(&l, &seed(1), vec![create(&seed(2), 50_000_000)]);
    t.fee = 10_000;
    let env = sign(&l.network_id, t, &[seed(1)]);
    submit(&mut l, &env).unwrap();
    assert_eq!(
        account(&l, &seed(1)).unwrap().balance,
        before - 50_000_000 - 100
    );
}

#[test]
fn time_bounds_outside_the_close_time_are_rejected() {
    let mut l = funded();
    let now = l.next_close_time();
    let mut late = tx(&l, &seed(1), vec![create(&seed(2), 50_000_000)]);
    late.cond = Preconditions::Time(TimeBounds {
        min_time: TimePoint(0),
        max_time: TimePoint(now - 10),
    });
    let env = sign(&l.network_id, late, &[seed(1)]);
    assert_eq!(
        submit(&mut l, &env).unwrap_err().result.result,
        TransactionResultResult::TxTooLate
    );
    let mut early = tx(&l, &seed(1), vec![create(&seed(2), 50_000_000)]);
    early.cond = Preconditions::Time(TimeBounds {
        min_time: TimePoint(now + 3600),
        max_time: TimePoint(0),
    });
    let env = sign(&l.network_id, early, &[seed(1)]);
    assert_eq!(
        submit(&mut l, &env).unwrap_err().result.result,
        TransactionResultResult::TxTooEarly
    );
}

#[test]
fn missing_source_account_is_rejected_with_no_account() {
    let mut l = funded();
    let mut t = tx(&l, &seed(1), vec![create(&seed(2), 50_000_000)]);
    t.source_account = MuxedAccount::Ed25519(Uint256(account_bytes(&id(&seed(5)))));
    let env = sign(&l.network_id, t, &[seed(5)]);
    assert_eq!(
        submit(&mut l, &env).unwrap_err().result.result,
        TransactionResultResult::TxNoAccount
    );
}

#[test]
fn failed_operation_charges_the_fee_bumps_the_sequence_and_changes_nothing_else() {
    let mut l = funded();
    let before = account(&l, &seed(1)).unwrap();
    // Two operations: the first would succeed, the second fails (no destination).
    let t = tx(
        &l,
        &seed(1),
        vec![
            create(&seed(2), 50_000_000),
            OperationBody::Payment(PaymentOp {
                destination: MuxedAccount::Ed25519(Uint256(account_bytes(&id(&seed(6))))),
                asset: Asset::Native,
                amount: 1,
            }),
        ],
    );
    let env = sign(&l.network_id, t, &[seed(1)]);
    let hash = submit(&mut l, &env).unwrap();
    match result_code(&l, &hash) {
        TransactionResultResult::TxFailed(ops) => {
            assert_eq!(
                ops[0],
                OperationResult::OpInner(OperationResultTr::CreateAccount(
                    CreateAccountResult::Success
                ))
            );
            assert_eq!(
                ops[1],
                OperationResult::OpInner(OperationResultTr::Payment(PaymentResult::NoDestination))
            );
        }
        other => panic!("expected txFAILED, got {other:?}"),
    }
    let after = account(&l, &seed(1)).unwrap();
    assert_eq!(after.balance, before.balance - 200);
    assert_eq!(after.seq_num.0, before.seq_num.0 + 1);
    assert!(
        account(&l, &seed(2)).is_none(),
        "the successful first operation was rolled back"
    );
    assert!(!l.txs[&hash].successful);
}

#[test]
fn unsupported_operations_fail_with_op_not_supported() {
    let mut l = funded();
    let t = tx(
        &l,
        &seed(1),
        vec![OperationBody::ManageData(ManageDataOp {
            data_name: soroban_env_host::xdr::String64("k".try_into().unwrap()),
            data_value: None,
        })],
    );
    let env = sign(&l.network_id, t, &[seed(1)]);
    let hash = submit(&mut l, &env).unwrap();
    assert_eq!(
        result_code(&l, &hash),
        TransactionResultResult::TxFailed(
            vec![OperationResult::OpNotSupported].try_into().unwrap()
        )
    );
}

#[test]
fn underfunded_create_account_fails() {
    let mut l = funded();
    let t = tx(&l, &seed(1), vec![create(&seed(2), 10_000_000_000)]);
    let env = sign(&l.network_id, t, &[seed(1)]);
    let hash = submit(&mut l, &env).unwrap();
    assert_eq!(
        result_code(&l, &hash),
        TransactionResultResult::TxFailed(
            vec![OperationResult::OpInner(OperationResultTr::CreateAccount(
                CreateAccountResult::Underfunded
            ))]
            .try_into()
            .unwrap()
        )
    );
}

fn usdc(issuer: &[u8; 32]) -> AlphaNum4 {
    AlphaNum4 {
        asset_code: AssetCode4(*b"USDC"),
        issuer: id(issuer),
    }
}

fn pay(dest: &[u8; 32], asset: Asset, amount: i64) -> OperationBody {
    OperationBody::Payment(PaymentOp {
        destination: MuxedAccount::Ed25519(Uint256(account_bytes(&id(dest)))),
        asset,
        amount,
    })
}

fn run(l: &mut Ledger, source: &[u8; 32], ops: Vec<OperationBody>) -> TransactionResultResult {
    let t = tx(l, source, ops);
    let env = sign(&l.network_id, t, &[*source]);
    let hash = submit(l, &env).unwrap();
    result_code(l, &hash)
}

#[test]
fn issued_asset_needs_a_trustline_then_mints_transfers_and_burns() {
    let mut l = funded();
    let (issuer, alice, bob) = (seed(1), seed(2), seed(3));
    assert!(matches!(
        run(
            &mut l,
            &issuer,
            vec![create(&alice, 100_000_000), create(&bob, 100_000_000)]
        ),
        TransactionResultResult::TxSuccess(_)
    ));
    let asset = Asset::CreditAlphanum4(usdc(&issuer));
    // No trustline yet.
    assert!(matches!(
        run(&mut l, &issuer, vec![pay(&alice, asset.clone(), 5)]),
        TransactionResultResult::TxFailed(_)
    ));
    let trust = OperationBody::ChangeTrust(ChangeTrustOp {
        line: ChangeTrustAsset::CreditAlphanum4(usdc(&issuer)),
        limit: 1_000,
    });
    assert!(matches!(
        run(&mut l, &alice, vec![trust.clone()]),
        TransactionResultResult::TxSuccess(_)
    ));
    assert!(matches!(
        run(&mut l, &bob, vec![trust]),
        TransactionResultResult::TxSuccess(_)
    ));
    assert_eq!(account(&l, &alice).unwrap().num_sub_entries, 1);
    assert!(matches!(
        run(&mut l, &issuer, vec![pay(&alice, asset.clone(), 700)]),
        TransactionResultResult::TxSuccess(_)
    ));
    assert!(matches!(
        run(&mut l, &alice, vec![pay(&bob, asset.clone(), 300)]),
        TransactionResultResult::TxSuccess(_)
    ));
    // Over the limit.
    assert!(matches!(
        run(&mut l, &issuer, vec![pay(&bob, asset.clone(), 701)]),
        TransactionResultResult::TxFailed(_)
    ));
    // Burn back to the issuer.
    assert!(matches!(
        run(&mut l, &bob, vec![pay(&issuer, asset.clone(), 300)]),
        TransactionResultResult::TxSuccess(_)
    ));
    let tl = |who: &[u8; 32]| -> i64 {
        let key = soroban_env_host::xdr::LedgerKey::Trustline(
            soroban_env_host::xdr::LedgerKeyTrustLine {
                account_id: id(who),
                asset: soroban_env_host::xdr::TrustLineAsset::CreditAlphanum4(usdc(&issuer)),
            },
        );
        match l.entries.get(&key).map(|e| &e.entry.data) {
            Some(LedgerEntryData::Trustline(t)) => t.balance,
            _ => panic!("trustline missing"),
        }
    };
    assert_eq!((tl(&alice), tl(&bob)), (400, 0));
}

#[test]
fn fee_bump_pays_from_the_fee_source_and_reports_inner_results() {
    let mut l = funded();
    assert!(matches!(
        run(&mut l, &seed(1), vec![create(&seed(2), 100_000_000)]),
        TransactionResultResult::TxSuccess(_)
    ));
    let inner_tx = tx(&l, &seed(2), vec![create(&seed(3), 50_000_000)]);
    let TransactionEnvelope::Tx(inner) = sign(&l.network_id, inner_tx, &[seed(2)]) else {
        unreachable!()
    };
    let fb = FeeBumpTransaction {
        fee_source: MuxedAccount::Ed25519(Uint256(account_bytes(&id(&seed(1))))),
        fee: 400,
        inner_tx: FeeBumpTransactionInnerTx::Tx(inner.clone()),
        ext: FeeBumpTransactionExt::V0,
    };
    let payer_before = account(&l, &seed(1)).unwrap().balance;
    let inner_source_before = account(&l, &seed(2)).unwrap().balance;
    let hash = fee_bump_hash(&l.network_id, &fb);
    use ed25519_dalek::Signer;
    let key = crate::ledger::keys::signing_key(&seed(1));
    let pk = key.verifying_key().to_bytes();
    let outer_sig = DecoratedSignature {
        hint: soroban_env_host::xdr::SignatureHint([pk[28], pk[29], pk[30], pk[31]]),
        signature: soroban_env_host::xdr::Signature(
            key.sign(&hash).to_bytes().to_vec().try_into().unwrap(),
        ),
    };
    let env = TransactionEnvelope::TxFeeBump(FeeBumpTransactionEnvelope {
        tx: fb,
        signatures: vec![outer_sig].try_into().unwrap(),
    });
    let h = submit(&mut l, &env).unwrap();
    assert_eq!(h, hash);
    assert!(matches!(
        result_code(&l, &h),
        TransactionResultResult::TxFeeBumpInnerSuccess(_)
    ));
    assert_eq!(account(&l, &seed(1)).unwrap().balance, payer_before - 200);
    assert_eq!(
        account(&l, &seed(2)).unwrap().balance,
        inner_source_before - 50_000_000
    );
    // Same inner transaction again: its sequence number is used up.
    let fb2 = FeeBumpTransaction {
        fee_source: MuxedAccount::Ed25519(Uint256(account_bytes(&id(&seed(1))))),
        fee: 500,
        inner_tx: FeeBumpTransactionInnerTx::Tx(inner),
        ext: FeeBumpTransactionExt::V0,
    };
    let hash2 = fee_bump_hash(&l.network_id, &fb2);
    let outer_sig2 = DecoratedSignature {
        hint: soroban_env_host::xdr::SignatureHint([pk[28], pk[29], pk[30], pk[31]]),
        signature: soroban_env_host::xdr::Signature(
            key.sign(&hash2).to_bytes().to_vec().try_into().unwrap(),
        ),
    };
    let env2 = TransactionEnvelope::TxFeeBump(FeeBumpTransactionEnvelope {
        tx: fb2,
        signatures: vec![outer_sig2].try_into().unwrap(),
    });
    match submit(&mut l, &env2).unwrap_err().result.result {
        TransactionResultResult::TxFeeBumpInnerFailed(p) => {
            assert_eq!(p.result.result, InnerTransactionResultResult::TxBadSeq)
        }
        other => panic!("expected inner txBAD_SEQ, got {other:?}"),
    }
}

#[test]
fn soroban_operation_without_transaction_data_is_malformed() {
    let mut l = funded();
    let t = tx(
        &l,
        &seed(1),
        vec![OperationBody::InvokeHostFunction(InvokeHostFunctionOp {
            host_function: HostFunction::UploadContractWasm(vec![0u8; 8].try_into().unwrap()),
            auth: Default::default(),
        })],
    );
    let env = sign(&l.network_id, t, &[seed(1)]);
    assert_eq!(
        submit(&mut l, &env).unwrap_err().result.result,
        TransactionResultResult::TxMalformed
    );
}

fn meta_of(l: &Ledger, hash: &[u8; 32]) -> soroban_env_host::xdr::TransactionMetaV4 {
    let rec = l.txs.get(hash).expect("recorded");
    match soroban_env_host::xdr::TransactionMeta::from_xdr(
        &rec.meta_xdr,
        soroban_env_host::xdr::Limits::none(),
    )
    .unwrap()
    {
        soroban_env_host::xdr::TransactionMeta::V4(m) => m,
        other => panic!("expected meta v4, got {other:?}"),
    }
}

#[test]
fn classic_payments_emit_asset_contract_events_and_every_transaction_a_fee_event() {
    use soroban_env_host::xdr::{ContractEventBody, ScVal, TransactionEventStage};
    let mut l = funded();
    let t = tx(
        &l,
        &seed(1),
        vec![
            create(&seed(2), 50_000_000),
            pay(&seed(2), Asset::Native, 7),
        ],
    );
    let env = sign(&l.network_id, t, &[seed(1)]);
    let hash = submit(&mut l, &env).unwrap();
    let meta = meta_of(&l, &hash);
    let native = events::asset_contract_id(&l.network_id, &Asset::Native);
    for (op, amount) in meta.operations.iter().zip([50_000_000i64, 7]) {
        let e = &op.events[0];
        assert_eq!(e.contract_id.as_ref().unwrap().0 .0, native);
        let ContractEventBody::V0(body) = &e.body;
        assert_eq!(
            body.topics[0],
            ScVal::Symbol("transfer".try_into().unwrap())
        );
        assert_eq!(
            body.topics[3],
            ScVal::String(soroban_env_host::xdr::ScString(
                "native".try_into().unwrap()
            ))
        );
        assert_eq!(
            body.data,
            ScVal::I128(soroban_env_host::xdr::Int128Parts {
                hi: 0,
                lo: amount as u64
            })
        );
    }
    assert_eq!(meta.events.len(), 1);
    assert_eq!(meta.events[0].stage, TransactionEventStage::BeforeAllTxs);
    let ContractEventBody::V0(fee) = &meta.events[0].event.body;
    assert_eq!(fee.topics[0], ScVal::Symbol("fee".try_into().unwrap()));
    assert_eq!(
        fee.data,
        ScVal::I128(soroban_env_host::xdr::Int128Parts { hi: 0, lo: 200 })
    );
    // Indexed for getEvents under the native asset contract.
    let indexed: Vec<_> = l.events.iter().filter(|e| e.tx_hash == hash).collect();
    assert_eq!(indexed.len(), 2);
    assert_eq!((indexed[0].op_index, indexed[1].op_index), (0, 1));
}

#[test]
fn issuer_payments_emit_mint_and_burn() {
    use soroban_env_host::xdr::{ContractEventBody, ScVal};
    let mut l = funded();
    let (issuer, alice) = (seed(1), seed(2));
    run(&mut l, &issuer, vec![create(&alice, 100_000_000)]);
    let trust = OperationBody::ChangeTrust(ChangeTrustOp {
        line: ChangeTrustAsset::CreditAlphanum4(usdc(&issuer)),
        limit: 1_000,
    });
    run(&mut l, &alice, vec![trust]);
    let asset = Asset::CreditAlphanum4(usdc(&issuer));
    for (from, to, name) in [(&issuer, &alice, "mint"), (&alice, &issuer, "burn")] {
        let t = tx(&l, from, vec![pay(to, asset.clone(), 10)]);
        let env = sign(&l.network_id, t, &[*from]);
        let hash = submit(&mut l, &env).unwrap();
        let e = &meta_of(&l, &hash).operations[0].events[0];
        assert_eq!(
            e.contract_id.as_ref().unwrap().0 .0,
            events::asset_contract_id(&l.network_id, &asset)
        );
        let ContractEventBody::V0(body) = &e.body;
        assert_eq!(body.topics[0], ScVal::Symbol(name.try_into().unwrap()));
        assert_eq!(body.topics.len(), 3);
    }
}

#[test]
fn cap21_preconditions_min_seq_num_and_extra_signers_are_enforced() {
    use soroban_env_host::xdr::{PreconditionsV2, SignerKey};
    let mut l = funded();
    let seq = account(&l, &seed(1)).unwrap().seq_num.0;
    let v2 = |min_seq: Option<i64>, extra: Vec<SignerKey>| {
        Preconditions::V2(PreconditionsV2 {
            time_bounds: None,
            ledger_bounds: None,
            min_seq_num: min_seq.map(SequenceNumber),
            min_seq_age: soroban_env_host::xdr::Duration(0),
            min_seq_ledger_gap: 0,
            extra_signers: extra.try_into().unwrap(),
        })
    };
    // A sequence jump is accepted with minSeqNum, refused without.
    let mut t = tx(&l, &seed(1), vec![create(&seed(2), 50_000_000)]);
    t.seq_num = SequenceNumber(seq + 10);
    let env = sign(&l.network_id, t.clone(), &[seed(1)]);
    assert_eq!(
        submit(&mut l, &env).unwrap_err().result.result,
        TransactionResultResult::TxBadSeq
    );
    t.cond = v2(Some(seq), vec![]);
    let env = sign(&l.network_id, t, &[seed(1)]);
    submit(&mut l, &env).unwrap();
    assert_eq!(account(&l, &seed(1)).unwrap().seq_num.0, seq + 10);
    // An extra signer must have signed.
    let extra = SignerKey::Ed25519(Uint256(account_bytes(&id(&seed(8)))));
    let mut t = tx(&l, &seed(1), vec![create(&seed(3), 50_000_000)]);
    t.cond = v2(None, vec![extra]);
    let env = sign(&l.network_id, t.clone(), &[seed(1)]);
    assert_eq!(
        submit(&mut l, &env).unwrap_err().result.result,
        TransactionResultResult::TxBadAuth
    );
    let env = sign(&l.network_id, t, &[seed(1), seed(8)]);
    submit(&mut l, &env).unwrap();
    // Sequence age is not tracked: refused, not ignored.
    let mut t = tx(&l, &seed(1), vec![create(&seed(4), 50_000_000)]);
    if let Preconditions::V2(p) = &mut { v2(None, vec![]) } {
        let mut p = p.clone();
        p.min_seq_age = soroban_env_host::xdr::Duration(60);
        t.cond = Preconditions::V2(p);
    }
    let env = sign(&l.network_id, t, &[seed(1)]);
    assert_eq!(
        submit(&mut l, &env).unwrap_err().result.result,
        TransactionResultResult::TxNotSupported
    );
}

fn usd(issuer: &[u8; 32]) -> Asset {
    Asset::CreditAlphanum4(AlphaNum4 {
        asset_code: AssetCode4(*b"USD\0"),
        issuer: id(issuer),
    })
}

fn run_signed(
    l: &mut Ledger,
    source: &[u8; 32],
    ops: Vec<OperationBody>,
    signers: &[[u8; 32]],
) -> TransactionResultResult {
    let t = tx(l, source, ops);
    let env = sign(&l.network_id, t, signers);
    match submit(l, &env) {
        Ok(h) => result_code(l, &h),
        Err(r) => r.result.result,
    }
}

fn op_result(r: &TransactionResultResult) -> OperationResult {
    match r {
        TransactionResultResult::TxSuccess(ops) | TransactionResultResult::TxFailed(ops) => {
            ops[0].clone()
        }
        other => panic!("not an applied transaction: {other:?}"),
    }
}

fn trust_flags(l: &Ledger, holder: &[u8; 32], asset: &Asset) -> (u32, i64) {
    let tl = match asset {
        Asset::CreditAlphanum4(a) => {
            soroban_env_host::xdr::TrustLineAsset::CreditAlphanum4(a.clone())
        }
        _ => unreachable!(),
    };
    let key =
        soroban_env_host::xdr::LedgerKey::Trustline(soroban_env_host::xdr::LedgerKeyTrustLine {
            account_id: id(holder),
            asset: tl,
        });
    match l.entries.get(&key).map(|e| &e.entry.data) {
        Some(LedgerEntryData::Trustline(t)) => (t.flags, t.balance),
        _ => panic!("no trustline"),
    }
}

fn set_flags(flags: u32) -> OperationBody {
    OperationBody::SetOptions(soroban_env_host::xdr::SetOptionsOp {
        inflation_dest: None,
        clear_flags: None,
        set_flags: Some(flags),
        master_weight: None,
        low_threshold: None,
        med_threshold: None,
        high_threshold: None,
        home_domain: None,
        signer: None,
    })
}

/// Issuer seed(1), holder seed(2) with a USD trustline and 100 USD.
fn issued(issuer_flags: u32) -> Ledger {
    let mut l = funded();
    let ok = |r: TransactionResultResult| {
        assert!(matches!(r, TransactionResultResult::TxSuccess(_)), "{r:?}")
    };
    ok(run_signed(
        &mut l,
        &seed(1),
        vec![create(&seed(2), 1_000_000_000)],
        &[seed(1)],
    ));
    if issuer_flags != 0 {
        ok(run_signed(
            &mut l,
            &seed(1),
            vec![set_flags(issuer_flags)],
            &[seed(1)],
        ));
    }
    let line = match usd(&seed(1)) {
        Asset::CreditAlphanum4(a) => ChangeTrustAsset::CreditAlphanum4(a),
        _ => unreachable!(),
    };
    ok(run_signed(
        &mut l,
        &seed(2),
        vec![OperationBody::ChangeTrust(ChangeTrustOp {
            line,
            limit: i64::MAX,
        })],
        &[seed(2)],
    ));
    ok(run_signed(
        &mut l,
        &seed(1),
        vec![OperationBody::Payment(PaymentOp {
            destination: MuxedAccount::Ed25519(Uint256(account_bytes(&id(&seed(2))))),
            asset: usd(&seed(1)),
            amount: 1_000_000_000,
        })],
        &[seed(1)],
    ));
    l
}

fn trust_flags_op(set: u32, clear: u32) -> OperationBody {
    OperationBody::SetTrustLineFlags(soroban_env_host::xdr::SetTrustLineFlagsOp {
        trustor: id(&seed(2)),
        asset: usd(&seed(1)),
        clear_flags: clear,
        set_flags: set,
    })
}

#[test]
fn an_issuer_with_auth_revocable_freezes_and_unfreezes_a_holder() {
    use soroban_env_host::xdr::SetTrustLineFlagsResult as R;
    let mut l = issued(classic::AUTH_REVOCABLE_FLAG);
    let r = run_signed(&mut l, &seed(1), vec![trust_flags_op(0, 1)], &[seed(1)]);
    assert_eq!(
        op_result(&r),
        OperationResult::OpInner(OperationResultTr::SetTrustLineFlags(R::Success))
    );
    assert_eq!(trust_flags(&l, &seed(2), &usd(&seed(1))).0 & 1, 0, "frozen");
    // A frozen holder cannot pay.
    let pay = run_signed(
        &mut l,
        &seed(2),
        vec![OperationBody::Payment(PaymentOp {
            destination: MuxedAccount::Ed25519(Uint256(account_bytes(&id(&seed(1))))),
            asset: usd(&seed(1)),
            amount: 1,
        })],
        &[seed(2)],
    );
    assert_eq!(
        op_result(&pay),
        OperationResult::OpInner(OperationResultTr::Payment(PaymentResult::SrcNotAuthorized))
    );
    run_signed(&mut l, &seed(1), vec![trust_flags_op(1, 0)], &[seed(1)]);
    assert_eq!(
        trust_flags(&l, &seed(2), &usd(&seed(1))).0 & 1,
        1,
        "unfrozen"
    );
    // Both AUTHORIZED and MAINTAIN_LIABILITIES is not a state.
    let bad = run_signed(&mut l, &seed(1), vec![trust_flags_op(2, 0)], &[seed(1)]);
    assert_eq!(
        op_result(&bad),
        OperationResult::OpInner(OperationResultTr::SetTrustLineFlags(R::InvalidState))
    );
}

#[test]
fn freezing_needs_auth_revocable_and_only_the_issuer_may_set_flags() {
    use soroban_env_host::xdr::SetTrustLineFlagsResult as R;
    let mut l = issued(0);
    let r = run_signed(&mut l, &seed(1), vec![trust_flags_op(0, 1)], &[seed(1)]);
    assert_eq!(
        op_result(&r),
        OperationResult::OpInner(OperationResultTr::SetTrustLineFlags(R::CantRevoke))
    );
    let r = run_signed(&mut l, &seed(2), vec![trust_flags_op(1, 0)], &[seed(2)]);
    assert_eq!(
        op_result(&r),
        OperationResult::OpInner(OperationResultTr::SetTrustLineFlags(R::Malformed))
    );
}

#[test]
fn clawback_needs_the_flag_the_trustline_got_from_its_issuer() {
    use soroban_env_host::xdr::{ClawbackOp, ClawbackResult as R, SetOptionsResult};
    let claw = |amount| {
        OperationBody::Clawback(ClawbackOp {
            asset: usd(&seed(1)),
            from: MuxedAccount::Ed25519(Uint256(account_bytes(&id(&seed(2))))),
            amount,
        })
    };
    // Clawback without revocable is refused by SetOptions.
    let mut l = funded();
    let r = run_signed(
        &mut l,
        &seed(1),
        vec![set_flags(classic::AUTH_CLAWBACK_ENABLED_FLAG)],
        &[seed(1)],
    );
    assert_eq!(
        op_result(&r),
        OperationResult::OpInner(OperationResultTr::SetOptions(
            SetOptionsResult::AuthRevocableRequired
        ))
    );
    let mut plain = issued(0);
    let r = run_signed(&mut plain, &seed(1), vec![claw(1)], &[seed(1)]);
    assert_eq!(
        op_result(&r),
        OperationResult::OpInner(OperationResultTr::Clawback(R::NotClawbackEnabled))
    );
    let mut l = issued(classic::AUTH_REVOCABLE_FLAG | classic::AUTH_CLAWBACK_ENABLED_FLAG);
    let r = run_signed(&mut l, &seed(1), vec![claw(300_000_000)], &[seed(1)]);
    assert_eq!(
        op_result(&r),
        OperationResult::OpInner(OperationResultTr::Clawback(R::Success))
    );
    assert_eq!(trust_flags(&l, &seed(2), &usd(&seed(1))).1, 700_000_000);
    let r = run_signed(&mut l, &seed(1), vec![claw(700_000_001)], &[seed(1)]);
    assert_eq!(
        op_result(&r),
        OperationResult::OpInner(OperationResultTr::Clawback(R::Underfunded))
    );
}

#[test]
fn set_options_signers_and_thresholds_change_who_can_sign() {
    use soroban_env_host::xdr::{SetOptionsOp, Signer, SignerKey};
    let mut l = funded();
    let cosigner = seed(7);
    let add = OperationBody::SetOptions(SetOptionsOp {
        inflation_dest: None,
        clear_flags: None,
        set_flags: None,
        master_weight: Some(1),
        low_threshold: Some(2),
        med_threshold: Some(2),
        high_threshold: Some(2),
        home_domain: None,
        signer: Some(Signer {
            key: SignerKey::Ed25519(Uint256(account_bytes(&id(&cosigner)))),
            weight: 1,
        }),
    });
    assert!(matches!(
        run_signed(&mut l, &seed(1), vec![add], &[seed(1)]),
        TransactionResultResult::TxSuccess(_)
    ));
    let a = account(&l, &seed(1)).unwrap();
    assert_eq!(
        (a.signers.len(), a.num_sub_entries, a.thresholds.0),
        (1, 1, [1, 2, 2, 2])
    );
    assert_eq!(
        run_signed(
            &mut l,
            &seed(1),
            vec![create(&seed(3), 50_000_000)],
            &[seed(1)]
        ),
        TransactionResultResult::TxBadAuth
    );
    assert!(matches!(
        run_signed(
            &mut l,
            &seed(1),
            vec![create(&seed(3), 50_000_000)],
            &[seed(1), cosigner]
        ),
        TransactionResultResult::TxSuccess(_)
    ));
}
