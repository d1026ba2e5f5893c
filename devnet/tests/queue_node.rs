//! The running node's queue: what `sendTransaction` answers and what a ledger
//! close applies, driven through `Node` with manual closes (no timer).

use devnet::apply::sign;
use devnet::config::{Profile, Settings};
use devnet::ledger::keys::{account_bytes, account_id_from_seed, account_key, strkey_account};
use devnet::ledger::Ledger;
use devnet::node::{Node, SendStatus};
use soroban_env_host::xdr::{
    Asset, LedgerEntryData, Limits, Memo, MuxedAccount, Operation, OperationBody, PaymentOp,
    Preconditions, ReadXdr, SequenceNumber, Transaction, TransactionEnvelope, TransactionExt,
    TransactionResult, TransactionResultResult, Uint256,
};

const PASSPHRASE: &str = "Queue Test ; 2026";

fn node(settings: Settings) -> Node {
    Node::new(Ledger::genesis(PASSPHRASE, settings), None)
}

fn funded(n: &Node, seed: u8) -> [u8; 32] {
    let s = [seed; 32];
    n.fund(&strkey_account(&account_id_from_seed(&s)))
        .unwrap_or_else(|e| panic!("friendbot: {}", e.detail));
    s
}

fn seq(n: &Node, seed: &[u8; 32]) -> i64 {
    match n
        .read()
        .entries
        .get(&account_key(&account_id_from_seed(seed)))
        .map(|e| e.entry.data.clone())
    {
        Some(LedgerEntryData::Account(a)) => a.seq_num.0,
        _ => panic!("no account"),
    }
}

fn payment(n: &Node, from: &[u8; 32], to: &[u8; 32], fee: u32, offset: i64) -> TransactionEnvelope {
    let tx = Transaction {
        source_account: MuxedAccount::Ed25519(Uint256(account_bytes(&account_id_from_seed(from)))),
        fee,
        seq_num: SequenceNumber(seq(n, from) + 1 + offset),
        cond: Preconditions::None,
        memo: Memo::None,
        operations: vec![Operation {
            source_account: None,
            body: OperationBody::Payment(PaymentOp {
                destination: MuxedAccount::Ed25519(Uint256(account_bytes(&account_id_from_seed(
                    to,
                )))),
                asset: Asset::Native,
                amount: 10_000_000,
            }),
        }]
        .try_into()
        .unwrap(),
        ext: TransactionExt::V0,
    };
    sign(&n.read().network_id, tx, &[*from])
}

fn applied(n: &Node, hash: &[u8; 32]) -> Option<(u32, TransactionResult)> {
    let l = n.read();
    l.txs.get(hash).map(|t| {
        (
            t.ledger,
            TransactionResult::from_xdr(&t.result_xdr, Limits::none()).unwrap(),
        )
    })
}

#[test]
fn one_queued_transaction_per_account_duplicate_while_queued_bad_seq_once_applied() {
    let n = node(Settings::default());
    let (a, b) = (funded(&n, 1), funded(&n, 2));
    let first = payment(&n, &a, &b, 100, 0);
    let second = payment(&n, &a, &b, 100, 1);
    let sent = n.send(&first);
    assert_eq!(sent.status, SendStatus::Pending);
    assert_eq!(n.send(&second).status, SendStatus::TryAgainLater);
    assert_eq!(n.send(&first).status, SendStatus::Duplicate);
    assert!(
        applied(&n, &sent.hash).is_none(),
        "nothing applies before a close"
    );
    let closed = n.close_now();
    let (ledger, result) = applied(&n, &sent.hash).expect("applied at the close");
    assert_eq!(ledger, closed.sequence);
    assert!(matches!(
        result.result,
        TransactionResultResult::TxSuccess(_)
    ));
    match n.send(&first).status {
        SendStatus::Error(r, _) => assert_eq!(r.result, TransactionResultResult::TxBadSeq),
        other => panic!("replay answered {other:?}"),
    }
    assert_eq!(n.send(&second).status, SendStatus::Pending);
}

#[test]
fn a_full_ledger_surge_prices_and_carries_the_rest_over() {
    let mut profile = Profile::builtin("pubnet").unwrap();
    profile
        .entries
        .get_mut("ledger_max_classic_ops")
        .unwrap()
        .value = 2.into();
    let n = node(Settings::from_profile(&profile).unwrap());
    let to = funded(&n, 9);
    let payers: Vec<[u8; 32]> = (1..=3).map(|i| funded(&n, i)).collect();
    let bids = [100u32, 300, 500];
    let hashes: Vec<[u8; 32]> = payers
        .iter()
        .zip(bids)
        .map(|(p, fee)| n.send(&payment(&n, p, &to, fee, 0)).hash)
        .collect();
    let full = n.close_now();
    let charged = |h: &[u8; 32]| applied(&n, h).map(|(l, r)| (l, r.fee_charged));
    assert_eq!(charged(&hashes[0]), None, "the lowest bid waits");
    assert_eq!(charged(&hashes[1]), Some((full.sequence, 300)));
    assert_eq!(
        charged(&hashes[2]),
        Some((full.sequence, 300)),
        "pays the lowest included bid"
    );
    let next = n.close_now();
    assert_eq!(
        charged(&hashes[0]),
        Some((next.sequence, 100)),
        "not surged: the base fee"
    );
    assert_eq!(n.queued(), 0);
}
