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

    /// Friendbot. A `G...` account is created with `FRIENDBOT_STARTING_BALANCE`
    /// by a real, signed CreateAccount from the friendbot account; a `C...`
    /// contract gets the same amount through the native asset contract's
    /// `transfer` (deployed first if needed), simulated and applied like any
    /// Soroban transaction.
    pub fn fund(&self, addr: &str) -> Result<Value, FriendbotError> {
        let bad = |status: u16, detail: String| FriendbotError {
            status,
            body: json!({"status": status, "title": "Bad Request", "detail": detail}),
        };
        let mut l = self.write();
        let hash = if let Some(dest) = parse_account(addr) {
            let op = OperationBody::CreateAccount(CreateAccountOp {
                destination: dest,
                starting_balance: config::FRIENDBOT_STARTING_BALANCE,
            });
            friendbot_submit(&mut l, op).map_err(|e| bad(500, e))?
        } else if let Some(contract) = crate::ledger::keys::parse_contract(addr) {
            fund_contract(&mut l, contract).map_err(|e| bad(500, e))?
        } else {
            return Err(bad(
                400,
                format!("invalid address {addr:?}: expected a G... account or C... contract"),
            ));
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

/// Signs and applies one friendbot operation. Soroban operations are first
/// simulated (as a client would) and assembled with the simulated footprint,
/// resources, auth and fee.
fn friendbot_submit(l: &mut Ledger, body: OperationBody) -> Result<[u8; 32], String> {
    use soroban_env_host::xdr::{
        InvokeHostFunctionOp, ReadXdr, SorobanAuthorizationEntry, SorobanTransactionData,
    };
    let seed = friendbot_seed(&l.passphrase);
    let fb = account_id_from_seed(&seed);
    let fb_seq = match l
        .entries
        .get(&crate::ledger::keys::account_key(&fb))
        .map(|s| &s.entry.data)
    {
        Some(soroban_env_host::xdr::LedgerEntryData::Account(a)) => a.seq_num.0,
        _ => return Err("friendbot account is missing".into()),
    };
    let one = |body: OperationBody| -> Result<soroban_env_host::xdr::VecM<Operation, 100>, String> {
        vec![Operation {
            source_account: None,
            body,
        }]
        .try_into()
        .map_err(|_| "operation list".to_string())
    };
    let mut tx = Transaction {
        source_account: MuxedAccount::Ed25519(Uint256(account_bytes(&fb))),
        fee: config::BASE_FEE,
        seq_num: SequenceNumber(fb_seq + 1),
        cond: Preconditions::None,
        memo: Memo::None,
        operations: one(body.clone())?,
        ext: TransactionExt::V0,
    };
    if let OperationBody::InvokeHostFunction(op) = &body {
        let env = apply::sign(&l.network_id, tx.clone(), &[seed]);
        let opts = crate::rpc::simulate::Options {
            auth_mode: None,
            use_address_v2: false,
            instruction_leeway: None,
        };
        let sim = crate::rpc::simulate::simulate(l, &env, opts).map_err(|e| e.message)?;
        if let Some(err) = sim.get("error") {
            return Err(format!("friendbot simulation failed: {err}"));
        }
        let decode = |v: &Value| -> Result<Vec<u8>, String> {
            use base64::Engine;
            base64::engine::general_purpose::STANDARD
                .decode(v.as_str().unwrap_or_default())
                .map_err(|e| e.to_string())
        };
        let data = SorobanTransactionData::from_xdr(
            decode(&sim["transactionData"])?,
            soroban_env_host::xdr::Limits::none(),
        )
        .map_err(|e| e.to_string())?;
        let auth: Vec<SorobanAuthorizationEntry> = sim["results"][0]["auth"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|x| decode(x).ok())
                    .filter_map(|b| {
                        SorobanAuthorizationEntry::from_xdr(
                            b,
                            soroban_env_host::xdr::Limits::none(),
                        )
                        .ok()
                    })
                    .collect()
            })
            .unwrap_or_default();
        let min_fee: i64 = sim["minResourceFee"]
            .as_str()
            .unwrap_or("0")
            .parse()
            .map_err(|_| "minResourceFee".to_string())?;
        tx.fee = u32::try_from(i64::from(config::BASE_FEE) + min_fee)
            .map_err(|_| "fee too large".to_string())?;
        tx.ext = TransactionExt::V1(data);
        tx.operations = one(OperationBody::InvokeHostFunction(InvokeHostFunctionOp {
            host_function: op.host_function.clone(),
            auth: auth.try_into().map_err(|_| "auth list".to_string())?,
        }))?;
    }
    let env = apply::sign(&l.network_id, tx, &[seed]);
    apply::submit(l, &env)
        .map_err(|r| format!("friendbot transaction was rejected: {:?}", r.result.result))
}

/// Sends XLM to a contract through the native asset contract.
fn fund_contract(l: &mut Ledger, contract: [u8; 32]) -> Result<[u8; 32], String> {
    use soroban_env_host::xdr::{
        Asset, ContractDataDurability, ContractExecutable, ContractId, ContractIdPreimage,
        CreateContractArgs, Hash, HostFunction, Int128Parts, InvokeContractArgs,
        InvokeHostFunctionOp, LedgerKey, LedgerKeyContractData, ScAddress, ScVal,
    };
    let native = crate::apply::events::asset_contract_id(&l.network_id, &Asset::Native);
    let native_addr = ScAddress::Contract(ContractId(Hash(native)));
    let instance = LedgerKey::ContractData(LedgerKeyContractData {
        contract: native_addr.clone(),
        key: ScVal::LedgerKeyContractInstance,
        durability: ContractDataDurability::Persistent,
    });
    let invoke = |f: HostFunction| {
        OperationBody::InvokeHostFunction(InvokeHostFunctionOp {
            host_function: f,
            auth: Default::default(),
        })
    };
    if !l.entries.contains_key(&instance) {
        let deploy = HostFunction::CreateContract(CreateContractArgs {
            contract_id_preimage: ContractIdPreimage::Asset(Asset::Native),
            executable: ContractExecutable::StellarAsset,
        });
        let h = friendbot_submit(l, invoke(deploy))?;
        if !l.txs[&h].successful {
            return Err("deploying the native asset contract failed".into());
        }
    }
    let fb = account_id_from_seed(&friendbot_seed(&l.passphrase));
    let amount = i128::from(config::FRIENDBOT_STARTING_BALANCE);
    let transfer = HostFunction::InvokeContract(InvokeContractArgs {
        contract_address: native_addr,
        function_name: "transfer".try_into().map_err(|_| "symbol".to_string())?,
        args: vec![
            ScVal::Address(ScAddress::Account(fb)),
            ScVal::Address(ScAddress::Contract(ContractId(Hash(contract)))),
            ScVal::I128(Int128Parts {
                hi: (amount >> 64) as i64,
                lo: amount as u64,
            }),
        ]
        .try_into()
        .map_err(|_| "args".to_string())?,
    });
    friendbot_submit(l, invoke(transfer))
}
