//! Property test of the RPC front: random bytes, random JSON-RPC envelopes and
//! random-but-valid XDR (via `arbitrary`) never crash the devnet, and every
//! answer is a well-formed JSON-RPC response. Set DEVNET_FUZZ_ITERS to run
//! longer; the seed is printed so a failure can be replayed (DEVNET_FUZZ_SEED).

use arbitrary::{Arbitrary, Unstructured};
use base64::Engine;
use devnet::config::Settings;
use devnet::ledger::Ledger;
use devnet::node::Node;
use devnet::rpc::handle_body;
use rand::{Rng, RngCore, SeedableRng};
use serde_json::{json, Value};
use soroban_env_host::xdr::{LedgerKey, Limits, ScVal, TransactionEnvelope, WriteXdr};

fn check_response(req: &[u8], resp: Option<Value>) {
    let Some(resp) = resp else { return };
    let items = match resp {
        Value::Array(a) => a,
        v => vec![v],
    };
    for v in items {
        assert_eq!(
            v["jsonrpc"],
            "2.0",
            "request {:?} answered {v}",
            String::from_utf8_lossy(req)
        );
        let has_result = v.get("result").is_some();
        let code = v
            .get("error")
            .and_then(|e| e.get("code"))
            .and_then(Value::as_i64);
        assert!(
            has_result ^ code.is_some(),
            "request {:?} answered {v}",
            String::from_utf8_lossy(req)
        );
    }
}

fn random_xdr<T: for<'a> Arbitrary<'a> + WriteXdr>(rng: &mut impl RngCore) -> Option<String> {
    let mut bytes = vec![0u8; rng.gen_range(16..4096)];
    rng.fill_bytes(&mut bytes);
    let v = T::arbitrary(&mut Unstructured::new(&bytes)).ok()?;
    let xdr = v.to_xdr(Limits::none()).ok()?;
    Some(base64::engine::general_purpose::STANDARD.encode(xdr))
}

const METHODS: &[&str] = &[
    "getHealth",
    "getNetwork",
    "getVersionInfo",
    "getLatestLedger",
    "getFeeStats",
    "getLedgerEntries",
    "simulateTransaction",
    "sendTransaction",
    "getTransaction",
    "getTransactions",
    "getEvents",
    "getLedgers",
    "devnet_closeLedger",
    "noSuchMethod",
];

#[test]
fn random_requests_never_crash_the_rpc() {
    let seed: u64 = std::env::var("DEVNET_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(rand::random);
    let iters: usize = std::env::var("DEVNET_FUZZ_ITERS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1500);
    println!("DEVNET_FUZZ_SEED={seed}");
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let node = Node::new(
        Ledger::genesis("Fuzz Network ; 2026", Settings::default()),
        None,
    );
    for i in 0..iters {
        let body: Vec<u8> = match i % 6 {
            0 => {
                let mut b = vec![0u8; rng.gen_range(0..512)];
                rng.fill_bytes(&mut b);
                b
            }
            1 => {
                let method = METHODS[rng.gen_range(0..METHODS.len())];
                let params = match rng.gen_range(0..5) {
                    0 => Value::Null,
                    1 => json!([1, 2]),
                    2 => json!("x"),
                    3 => json!({"hash": "00", "keys": [1], "startLedger": -1, "transaction": 5}),
                    _ => {
                        json!({"startLedger": rng.gen_range(0..5u32), "pagination": {"cursor": "12-3", "limit": rng.gen_range(0..20_000u32)}})
                    }
                };
                serde_json::to_vec(
                    &json!({"jsonrpc": "2.0", "id": i, "method": method, "params": params}),
                )
                .unwrap()
            }
            2 => {
                let tx = random_xdr::<TransactionEnvelope>(&mut rng).unwrap_or_default();
                let method = if rng.gen_bool(0.5) {
                    "sendTransaction"
                } else {
                    "simulateTransaction"
                };
                serde_json::to_vec(&json!({"jsonrpc": "2.0", "id": i, "method": method, "params": {"transaction": tx}})).unwrap()
            }
            3 => {
                let keys: Vec<String> = (0..rng.gen_range(1..4))
                    .filter_map(|_| random_xdr::<LedgerKey>(&mut rng))
                    .collect();
                serde_json::to_vec(&json!({"jsonrpc": "2.0", "id": i, "method": "getLedgerEntries", "params": {"keys": keys}})).unwrap()
            }
            4 => {
                let topic = random_xdr::<ScVal>(&mut rng).unwrap_or_else(|| "*".into());
                serde_json::to_vec(&json!({"jsonrpc": "2.0", "id": i, "method": "getEvents",
                    "params": {"startLedger": 1, "filters": [{"type": "contract", "topics": [[topic, "**"]]}]}})).unwrap()
            }
            _ => {
                // A valid request with some bytes flipped.
                let mut b = serde_json::to_vec(
                    &json!({"jsonrpc": "2.0", "id": i, "method": "getLatestLedger"}),
                )
                .unwrap();
                for _ in 0..rng.gen_range(1..4) {
                    let at = rng.gen_range(0..b.len());
                    b[at] = rng.gen();
                }
                b
            }
        };
        let resp = handle_body(&node, &body);
        check_response(&body, resp);
    }
    // Still serving.
    let resp = handle_body(&node, br#"{"jsonrpc":"2.0","id":1,"method":"getHealth"}"#).unwrap();
    assert_eq!(resp["result"]["status"], "healthy");
}

mod ledger_invariants {
    //! Random signed transactions (structured classic operations mixed with
    //! arbitrary operation bodies, wrong fees, sequence numbers and keys)
    //! applied directly: nothing panics and lumens are conserved
    //! (account balances + fee pool == total coins), balances stay within
    //! their bounds.

    use super::*;
    use devnet::apply::{sign, submit};
    use devnet::config::TOTAL_COINS;
    use devnet::ledger::keys::{account_bytes, account_id_from_seed, account_key};
    use devnet::ledger::root_seed;
    use soroban_env_host::xdr::{
        AlphaNum4, Asset, AssetCode4, ChangeTrustAsset, ChangeTrustOp, CreateAccountOp,
        LedgerEntryData, Memo, MuxedAccount, Operation, OperationBody, PaymentOp, Preconditions,
        SequenceNumber, Transaction, TransactionExt, Uint256,
    };

    const NET: &str = "Invariant Network ; 2026";

    fn seq_of(l: &Ledger, seed: &[u8; 32]) -> Option<i64> {
        match l
            .entries
            .get(&account_key(&account_id_from_seed(seed)))
            .map(|e| &e.entry.data)
        {
            Some(LedgerEntryData::Account(a)) => Some(a.seq_num.0),
            _ => None,
        }
    }

    fn check_invariants(l: &Ledger, step: usize) {
        let mut total: i128 = i128::from(l.header.fee_pool);
        for (_, e) in l.entries.iter() {
            match &e.entry.data {
                LedgerEntryData::Account(a) => {
                    assert!(
                        a.balance >= 0,
                        "Invariant violation: negative balance at step {step}"
                    );
                    total += i128::from(a.balance);
                }
                LedgerEntryData::Trustline(t) => {
                    assert!(
                        t.balance >= 0 && t.balance <= t.limit,
                        "Invariant violation: trustline out of bounds at step {step}"
                    );
                }
                _ => {}
            }
        }
        assert_eq!(
            total,
            i128::from(TOTAL_COINS),
            "Invariant violation: lumens not conserved at step {step}"
        );
    }

    fn structured(rng: &mut impl Rng, seeds: &[[u8; 32]]) -> OperationBody {
        let who = |rng: &mut dyn RngCore| {
            account_id_from_seed(&seeds[(rng.next_u32() as usize) % seeds.len()])
        };
        let amount = |rng: &mut dyn RngCore| -> i64 {
            match rng.next_u32() % 10 {
                0..=5 => 10_000_000 + (rng.next_u64() % 100_000_000) as i64,
                6 => (rng.next_u64() % 100_000_000_000) as i64,
                7 => -((rng.next_u64() % 1000) as i64),
                8 => 0,
                _ => i64::MAX - (rng.next_u64() % 10) as i64,
            }
        };
        let usdc = |issuer| AlphaNum4 {
            asset_code: AssetCode4(*b"USDC"),
            issuer,
        };
        match rng.gen_range(0..4) {
            0 => OperationBody::CreateAccount(CreateAccountOp {
                destination: who(rng),
                starting_balance: amount(rng),
            }),
            1 => OperationBody::Payment(PaymentOp {
                destination: MuxedAccount::Ed25519(Uint256(account_bytes(&who(rng)))),
                asset: Asset::Native,
                amount: amount(rng),
            }),
            2 => OperationBody::ChangeTrust(ChangeTrustOp {
                line: ChangeTrustAsset::CreditAlphanum4(usdc(who(rng))),
                limit: amount(rng),
            }),
            _ => OperationBody::Payment(PaymentOp {
                destination: MuxedAccount::Ed25519(Uint256(account_bytes(&who(rng)))),
                asset: Asset::CreditAlphanum4(usdc(who(rng))),
                amount: amount(rng),
            }),
        }
    }

    #[test]
    fn random_signed_transactions_conserve_lumens() {
        let seed: u64 = std::env::var("DEVNET_FUZZ_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(rand::random);
        let iters: usize = std::env::var("DEVNET_FUZZ_ITERS")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(1500)
            / 3;
        println!("DEVNET_FUZZ_SEED={seed}");
        let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
        let mut l = Ledger::genesis(NET, Settings::default());
        let root = root_seed(NET);
        let seeds: Vec<[u8; 32]> = (1..=5u8).map(|i| [i; 32]).chain([root]).collect();
        check_invariants(&l, 0);
        let (mut applied, mut successful) = (0usize, 0usize);
        for step in 1..=iters {
            let src = seeds[rng.gen_range(0..seeds.len())];
            let Some(seq) = seq_of(&l, &src) else {
                // Fund it from root so later steps have more live accounts.
                let op = OperationBody::CreateAccount(CreateAccountOp {
                    destination: account_id_from_seed(&src),
                    starting_balance: 10_000_000_000,
                });
                let t = tx(&root, seq_of(&l, &root).unwrap() + 1, 100, vec![op]);
                let env = sign(&l.network_id, t, &[root]);
                let _ = submit(&mut l, &env);
                check_invariants(&l, step);
                continue;
            };
            let n_ops = if rng.gen_bool(0.7) {
                1
            } else {
                rng.gen_range(2..=3)
            };
            let mut ops = Vec::new();
            for _ in 0..n_ops {
                if rng.gen_bool(0.2) {
                    let mut bytes = vec![0u8; rng.gen_range(8..512)];
                    rng.fill_bytes(&mut bytes);
                    if let Ok(body) = OperationBody::arbitrary(&mut Unstructured::new(&bytes)) {
                        ops.push(body);
                        continue;
                    }
                }
                ops.push(structured(&mut rng, &seeds));
            }
            let fee = if rng.gen_bool(0.9) {
                100 * ops.len() as u32 + rng.gen_range(0..1000)
            } else {
                rng.gen_range(0..100)
            };
            let seq = if rng.gen_bool(0.9) {
                seq + 1
            } else {
                seq + rng.gen_range(-2..3)
            };
            let signer = if rng.gen_bool(0.95) { src } else { [99; 32] };
            let t = tx(&src, seq, fee, ops);
            let env = sign(&l.network_id, t, &[signer]);
            if let Ok(hash) = submit(&mut l, &env) {
                applied += 1;
                successful += usize::from(l.txs[&hash].successful);
            }
            check_invariants(&l, step);
        }
        println!("applied {applied}, successful {successful} of {iters}");
        // The property is only meaningful if operations really ran.
        assert!(
            applied > iters / 2 && successful > iters / 20,
            "applied {applied}, successful {successful}"
        );
    }

    fn tx(src: &[u8; 32], seq: i64, fee: u32, ops: Vec<OperationBody>) -> Transaction {
        Transaction {
            source_account: MuxedAccount::Ed25519(Uint256(account_bytes(&account_id_from_seed(
                src,
            )))),
            fee,
            seq_num: SequenceNumber(seq),
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
}
