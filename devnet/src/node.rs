//! The running network: the ledger behind a lock, and the actions that close
//! ledgers (submitting a transaction, friendbot, warps, the interval ticker).
//! Each accepted transaction is applied in a ledger of its own, closed at
//! once, so `getTransaction` finds it on the first poll.

use std::path::PathBuf;
use std::sync::{OnceLock, RwLock, RwLockReadGuard, RwLockWriteGuard};

use serde_json::{json, Value};
use soroban_env_host::xdr::{
    CreateAccountOp, Memo, MuxedAccount, Operation, OperationBody, Preconditions, SequenceNumber,
    Transaction, TransactionEnvelope, TransactionExt, Uint256,
};

use crate::apply;
use crate::config;
use crate::ledger::keys::{account_bytes, account_id_from_seed, parse_account};
use crate::ledger::{friendbot_seed, Ledger};
use crate::persist;
use crate::rpc::wire::{b64, xdr_b64};
use crate::rpc::RpcError;

pub struct Node {
    pub ledger: RwLock<Ledger>,
    friendbot_url: OnceLock<String>,
    pub state_file: Option<PathBuf>,
}

/// A friendbot failure: HTTP status and body.
pub struct FriendbotError {
    pub status: u16,
    pub body: Value,
}

impl Node {
    pub fn new(ledger: Ledger, state_file: Option<PathBuf>) -> Node {
        Node {
            ledger: RwLock::new(ledger),
            friendbot_url: OnceLock::new(),
            state_file,
        }
    }

    pub fn set_friendbot_url(&self, url: String) {
        let _ = self.friendbot_url.set(url);
    }

    pub fn friendbot_url(&self) -> String {
        self.friendbot_url.get().cloned().unwrap_or_default()
    }

    /// Read access to the ledger. A panic while the lock was held (a bug)
    /// must not brick the node: the poison is cleared and serving goes on.
    pub fn read(&self) -> RwLockReadGuard<'_, Ledger> {
        self.ledger.read().unwrap_or_else(|p| {
            self.ledger.clear_poison();
            p.into_inner()
        })
    }

    /// Write access to the ledger, recovering from poisoning like `read`.
    pub fn write(&self) -> RwLockWriteGuard<'_, Ledger> {
        self.ledger.write().unwrap_or_else(|p| {
            self.ledger.clear_poison();
            p.into_inner()
        })
    }

    /// sendTransaction: PENDING (and applied in the next ledger), DUPLICATE,
    /// or ERROR with the `errorResultXdr` of a rejected transaction.
    pub fn send(&self, env: &TransactionEnvelope) -> Result<Value, RpcError> {
        let mut l = self.write();
        let (latest, latest_time) = (l.seq(), l.close_time());
        let hash = apply::envelope_hash(&l.network_id, env);
        let mut v = json!({
            "hash": hex::encode(hash),
            "latestLedger": latest,
            "latestLedgerCloseTime": latest_time.to_string(),
        });
        if l.txs.contains_key(&hash) {
            v["status"] = json!("DUPLICATE");
            return Ok(v);
        }
        match apply::submit(&mut l, env) {
            Ok(_) => v["status"] = json!("PENDING"),
            Err(rejected) => {
                v["status"] = json!("ERROR");
                v["errorResultXdr"] = json!(xdr_b64(&rejected.result));
            }
        }
        Ok(v)
    }

    fn ledger_summary(l: &Ledger) -> Value {
        json!({"sequence": l.seq(), "closeTime": l.close_time().to_string(), "id": hex::encode(l.header_hash)})
    }

    /// Moves time forward by `seconds` and closes one ledger whose sequence
    /// number is `ledgers` past the previous one.
    pub fn warp(&self, seconds: u64, ledgers: u32) -> Result<Value, RpcError> {
        let mut l = self.write();
        let close = l.close_time().saturating_add(seconds);
        l.time_offset = close as i64 - crate::ledger::now_unix() as i64;
        l.close_ledger(Vec::new(), close, ledgers);
        Ok(Self::ledger_summary(&l))
    }

    pub fn close_now(&self) -> Result<Value, RpcError> {
        let mut l = self.write();
        let t = l.next_close_time();
        l.close_ledger(Vec::new(), t, 1);
        Ok(Self::ledger_summary(&l))
    }

    /// Funds a new account with `FRIENDBOT_STARTING_BALANCE` through a real,
    /// signed CreateAccount transaction from the friendbot account.
    pub fn fund(&self, addr: &str) -> Result<Value, FriendbotError> {
        let bad = |status: u16, detail: String| FriendbotError {
            status,
            body: json!({"status": status, "title": "Bad Request", "detail": detail}),
        };
        let Some(dest) = parse_account(addr) else {
            return Err(bad(
                400,
                format!("invalid address {addr:?}: friendbot funds G... accounts"),
            ));
        };
        let mut l = self.write();
        let seed = friendbot_seed(&l.passphrase);
        let fb = account_id_from_seed(&seed);
        let fb_seq = match l
            .entries
            .get(&crate::ledger::keys::account_key(&fb))
            .map(|s| &s.entry.data)
        {
            Some(soroban_env_host::xdr::LedgerEntryData::Account(a)) => a.seq_num.0,
            _ => return Err(bad(500, "friendbot account is missing".into())),
        };
        let tx = Transaction {
            source_account: MuxedAccount::Ed25519(Uint256(account_bytes(&fb))),
            fee: config::BASE_FEE,
            seq_num: SequenceNumber(fb_seq + 1),
            cond: Preconditions::None,
            memo: Memo::None,
            operations: vec![Operation {
                source_account: None,
                body: OperationBody::CreateAccount(CreateAccountOp {
                    destination: dest,
                    starting_balance: config::FRIENDBOT_STARTING_BALANCE,
                }),
            }]
            .try_into()
            .expect("one operation"),
            ext: TransactionExt::V0,
        };
        let env = apply::sign(&l.network_id, tx, &[seed]);
        let hash = match apply::submit(&mut l, &env) {
            Ok(h) => h,
            Err(_) => return Err(bad(500, "friendbot transaction was rejected".into())),
        };
        let rec = l.txs.get(&hash).cloned().expect("just applied");
        if !rec.successful {
            return Err(bad(
                400,
                "createAccountAlreadyExist: the account is already funded".into(),
            ));
        }
        Ok(json!({
            "hash": hex::encode(hash),
            "successful": true,
            "ledger": rec.ledger,
            "envelope_xdr": b64(&rec.envelope_xdr),
            "result_xdr": b64(&rec.result_xdr),
            "result_meta_xdr": b64(&rec.meta_xdr),
        }))
    }

    /// Closes an empty ledger (the interval ticker).
    pub fn tick(&self) {
        let mut l = self.write();
        let t = l.next_close_time();
        l.close_ledger(Vec::new(), t, 1);
    }

    /// Writes the state file (if configured) atomically.
    pub fn save(&self) -> Result<(), String> {
        let Some(path) = &self.state_file else {
            return Ok(());
        };
        let snapshot = {
            let l = self.read();
            persist::Saved::from_ledger(&l)
        };
        persist::write_atomic(path, &snapshot)
    }
}
