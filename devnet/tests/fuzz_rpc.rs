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
