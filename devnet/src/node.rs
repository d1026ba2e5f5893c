//! The running network: the ledger behind a lock, the transaction queue, and
//! the ledger closes that apply it (the interval ticker, `devnet_closeLedger`,
//! warps). `sendTransaction` only queues; a transaction is applied when the
//! ledger that includes it closes, as on the network (`queue`). Answers are
//! domain outcomes; `rpc` renders them as JSON.

use std::path::PathBuf;
use std::sync::{Condvar, Mutex, MutexGuard, OnceLock, RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::{Duration, Instant};

use soroban_env_host::xdr::{
    CreateAccountOp, Memo, MuxedAccount, Operation, OperationBody, Preconditions, SequenceNumber,
    Transaction, TransactionEnvelope, TransactionExt, TransactionResult, TransactionResultExt,
    TransactionResultResult, Uint256,
};

use crate::apply::{self, Prepared};
use crate::config;
use crate::ledger::keys::{account_bytes, account_id_from_seed, account_key, parse_account};
use crate::ledger::{friendbot_seed, Ledger};
use crate::persist;
use crate::queue::{LedgerLimits, Queue, QueuedTx, Refusal, SorobanResources};

pub struct Node {
    pub ledger: RwLock<Ledger>,
    queue: Mutex<Queue<Prepared>>,
    /// Number of ledgers closed, signalled on every close.
    closes: Mutex<u64>,
    closed: Condvar,
    friendbot_url: OnceLock<String>,
    pub state_file: Option<PathBuf>,
    /// Ledgers close on a timer (`--ledger-interval-ms` > 0); otherwise only on
    /// `devnet_closeLedger` and warps, and friendbot closes one itself.
    timer: bool,
    /// How long getTransaction waits for a queued transaction's ledger to close.
    pending_wait: Duration,
    /// Friendbot numbers its queued transactions one after another: building
    /// and queueing one is serialized.
    friendbot: Mutex<()>,
}

/// sendTransaction's answer, as stellar-core's transaction queue gives it.
#[derive(Debug, Clone, PartialEq)]
pub enum SendStatus {
    Pending,
    Duplicate,
    TryAgainLater,
    /// The rejection's result and, for Soroban transactions, why.
    Error(
        TransactionResult,
        Vec<soroban_env_host::xdr::DiagnosticEvent>,
    ),
}

#[derive(Debug, Clone, PartialEq)]
pub struct SendOutcome {
    pub hash: [u8; 32],
    pub status: SendStatus,
    pub latest_ledger: u32,
    pub latest_ledger_close_time: u64,
}

/// A closed ledger's sequence number and close time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClosedSummary {
    pub sequence: u32,
    pub close_time: u64,
    pub hash: [u8; 32],
    /// Transactions applied in it.
    pub transactions: u32,
}

/// A friendbot failure: HTTP status and what went wrong.
#[derive(Debug)]
pub struct FriendbotError {
    pub status: u16,
    pub detail: String,
}

/// A funding transaction that was applied.
#[derive(Debug, Clone)]
pub struct Funded {
    pub hash: [u8; 32],
    pub ledger: u32,
    pub envelope_xdr: Vec<u8>,
    pub result_xdr: Vec<u8>,
    pub meta_xdr: Vec<u8>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| {
        m.clear_poison();
        p.into_inner()
    })
}

/// A rejection as an `errorResultXdr`-shaped result with one transaction code.
fn tx_error(code: TransactionResultResult) -> SendStatus {
    SendStatus::Error(
        TransactionResult {
            fee_charged: 0,
            result: code,
            ext: TransactionResultExt::V0,
        },
        Vec::new(),
    )
}

impl Node {
    pub fn new(ledger: Ledger, state_file: Option<PathBuf>) -> Node {
        Node {
            ledger: RwLock::new(ledger),
            queue: Mutex::new(Queue::default()),
            closes: Mutex::new(0),
            closed: Condvar::new(),
            friendbot_url: OnceLock::new(),
            state_file,
            timer: false,
            pending_wait: Duration::ZERO,
            friendbot: Mutex::new(()),
        }
    }

    /// Ledgers close on a timer (so friendbot waits for it instead of closing one).
    pub fn with_timer(mut self, timer: bool) -> Node {
        self.timer = timer;
        self
    }

    /// getTransaction on a queued transaction waits up to `wait` for the ledger
    /// that includes it (0: answer NOT_FOUND at once, like stellar-rpc).
    pub fn with_pending_wait(mut self, wait: Duration) -> Node {
        self.pending_wait = wait;
        self
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

    /// Transactions waiting for a ledger.
    pub fn queued(&self) -> usize {
        lock(&self.queue).len()
    }

    /// sendTransaction: queue the envelope for the next ledger (`Pending`), or
    /// say why not: `Duplicate` (already queued), `TryAgainLater` (its source
    /// account has a transaction queued), `Error` (invalid now: bad sequence
    /// number, signatures, fee, balance...). Like stellar-core, an envelope
    /// that was already applied is invalid (`txBAD_SEQ`), not a duplicate.
    pub fn send(&self, env: &TransactionEnvelope) -> SendOutcome {
        self.enqueue(env, false)
    }

    fn enqueue(&self, env: &TransactionEnvelope, internal: bool) -> SendOutcome {
        let l = self.read();
        let hash = apply::envelope_hash(&l.network_id, env);
        let mut out = SendOutcome {
            hash,
            status: SendStatus::Pending,
            latest_ledger: l.seq(),
            latest_ledger_close_time: l.close_time(),
        };
        let mut q = lock(&self.queue);
        let (tx, _, _) = apply::normalize(env);
        let source = account_bytes(&crate::ledger::keys::muxed_to_account(&tx.source_account));
        match q.admits(&hash, &source, internal) {
            Err(Refusal::Duplicate) => {
                out.status = SendStatus::Duplicate;
                return out;
            }
            Err(Refusal::TryAgainLater) => {
                out.status = SendStatus::TryAgainLater;
                return out;
            }
            Ok(()) => {}
        }
        // Internal (friendbot) transactions follow queued ones of the same
        // account: validate their sequence number against the queue's tail.
        let queued_from_source = if internal {
            q.count_from(&source) as i64
        } else {
            0
        };
        let prepared = if queued_from_source > 0 {
            apply::check_valid_with_seq_offset(
                &l,
                env,
                l.seq() + 1,
                l.next_close_time(),
                queued_from_source,
            )
        } else {
            apply::check_valid(&l, env, l.seq() + 1, l.next_close_time())
        };
        let p = match prepared {
            Ok(p) => p,
            Err(rejected) => {
                out.status = SendStatus::Error(rejected.result, rejected.diagnostics);
                return out;
            }
        };
        // The fee source must afford everything it has queued (stellar-core's
        // `TransactionQueue::canAdd`).
        let fee_source = account_bytes(&p.fee_source);
        let queued_fees = q.queued_fees(&fee_source);
        if queued_fees > 0 {
            let payer =
                l.entries
                    .get(&account_key(&p.fee_source))
                    .and_then(|s| match &s.entry.data {
                        soroban_env_host::xdr::LedgerEntryData::Account(a) => Some(a.clone()),
                        _ => None,
                    });
            let affordable = payer.is_some_and(|a| {
                a.balance - apply::min_balance(&a, l.header.base_reserve) - p.fee_bid >= queued_fees
            });
            if !affordable {
                out.status = tx_error(TransactionResultResult::TxInsufficientBalance);
                return out;
            }
        }
        let soroban = soroban_resources(&l, &p);
        q.push(QueuedTx {
            hash,
            source,
            fee_source,
            fee_bid: p.fee_bid,
            inclusion_bid: p.inclusion_bid(),
            fee_ops: p.fee_ops,
            soroban,
            internal,
            arrival: 0,
            payload: p,
        });
        out
    }

    /// Closes the next ledger at `close_time`, `seq_advance` sequence numbers
    /// on, with the transaction set the queue yields.
    fn close(&self, close_time: Option<u64>, seq_advance: u32) -> ClosedSummary {
        let mut l = self.write();
        let summary = {
            let mut q = lock(&self.queue);
            let time = close_time.unwrap_or_else(|| l.next_close_time());
            let seq = l.seq().saturating_add(seq_advance.max(1));
            let s = &l.settings;
            let limits = LedgerLimits {
                classic_ops: u64::from(s.ledger_max_classic_ops),
                soroban_txs: u64::from(s.ledger_max_tx_count),
                soroban: SorobanResources {
                    instructions: s.ledger_max_instructions.max(0) as u64,
                    disk_read_entries: u64::from(s.ledger_max_disk_read_entries),
                    disk_read_bytes: u64::from(s.ledger_max_disk_read_bytes),
                    write_entries: u64::from(s.ledger_max_write_entries),
                    write_bytes: u64::from(s.ledger_max_write_bytes),
                    tx_size_bytes: u64::from(s.ledger_max_txs_size_bytes),
                },
            };
            let selection = q.select(&limits, i64::from(s.base_fee));
            let picked = q.take(&selection.included);
            let mut applied = Vec::new();
            for t in picked {
                // Valid when queued; checked again against the state this
                // ledger has reached (earlier transactions may have spent the
                // balance; time bounds may have passed).
                match apply::check_valid(&l, &t.payload.envelope, seq, time) {
                    Ok(mut p) => {
                        p.set_inclusion_fee(selection.inclusion_fee(
                            t.soroban.is_some(),
                            t.inclusion_bid,
                            t.fee_ops,
                        ));
                        let order = applied.len() as u32 + 1;
                        applied.push(apply::apply(&mut l, p, seq, time, order));
                    }
                    Err(_) if t.internal => q.push(t), // behind a friendbot predecessor
                    Err(_) => {} // dropped, as stellar-core trims invalid ones
                }
            }
            let transactions = applied.len() as u32;
            l.close_ledger(applied, time, seq_advance);
            ClosedSummary {
                sequence: l.seq(),
                close_time: l.close_time(),
                hash: l.header_hash,
                transactions,
            }
        };
        drop(l);
        *lock(&self.closes) += 1;
        self.closed.notify_all();
        summary
    }

    /// Moves time forward by `seconds` and closes one ledger whose sequence
    /// number is `ledgers` past the previous one (queued transactions go in it).
    pub fn warp(&self, seconds: u64, ledgers: u32) -> ClosedSummary {
        let close = {
            let mut l = self.write();
            let close = l.close_time().saturating_add(seconds);
            l.time_offset = close as i64 - crate::ledger::now_unix() as i64;
            close
        };
        self.close(Some(close), ledgers)
    }

    /// Closes a ledger now (devnet_closeLedger and the interval ticker).
    pub fn close_now(&self) -> ClosedSummary {
        self.close(None, 1)
    }

    /// Waits until the transaction `hash` has left the queue (applied or
    /// dropped), at most `timeout`. Answers whether it was applied.
    pub fn wait_applied(&self, hash: &[u8; 32], timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        let mut closes = lock(&self.closes);
        loop {
            if self.read().txs.contains_key(hash) {
                return true;
            }
            if !lock(&self.queue).contains(hash) {
                return false;
            }
            let now = Instant::now();
            if now >= deadline {
                return false;
            }
            closes = self
                .closed
                .wait_timeout(closes, deadline - now)
                .unwrap_or_else(|p| p.into_inner())
                .0;
        }
    }

    /// For getTransaction: a queued transaction is waited for up to the
    /// configured pending wait (a test-speed option; 0 by default).
    pub fn await_if_queued(&self, hash: &[u8; 32]) {
        if !self.pending_wait.is_zero() && lock(&self.queue).contains(hash) {
            self.wait_applied(hash, self.pending_wait);
        }
    }

    /// Friendbot. A `G...` account is created with `FRIENDBOT_STARTING_BALANCE`
    /// by a real, signed CreateAccount from the friendbot account; a `C...`
    /// contract gets the same amount through the native asset contract's
    /// `transfer` (deployed first if needed), simulated and applied like any
    /// Soroban transaction. Each transaction goes through the queue and the
    /// answer comes once its ledger closed.
    pub fn fund(&self, addr: &str) -> Result<Funded, FriendbotError> {
        let bad = |status: u16, detail: String| FriendbotError { status, detail };
        let hash = if let Some(dest) = parse_account(addr) {
            let op = OperationBody::CreateAccount(CreateAccountOp {
                destination: dest,
                starting_balance: config::FRIENDBOT_STARTING_BALANCE,
            });
            self.friendbot_submit(op).map_err(|e| bad(500, e))?
        } else if let Some(contract) = crate::ledger::keys::parse_contract(addr) {
            self.fund_contract(contract).map_err(|e| bad(500, e))?
        } else {
            return Err(bad(
                400,
                format!("invalid address {addr:?}: expected a G... account or C... contract"),
            ));
        };
        let l = self.read();
        let rec = l.txs.get(&hash).cloned().expect("just applied");
        if !rec.successful {
            return Err(bad(
                400,
                "createAccountAlreadyExist: the account is already funded".into(),
            ));
        }
        Ok(Funded {
            hash,
            ledger: rec.ledger,
            envelope_xdr: rec.envelope_xdr,
            result_xdr: rec.result_xdr,
            meta_xdr: rec.meta_xdr,
        })
    }

    /// Queues a friendbot transaction and waits for the ledger that applies it
    /// (closing one at once when no timer closes ledgers).
    fn friendbot_submit(&self, body: OperationBody) -> Result<[u8; 32], String> {
        let numbering = lock(&self.friendbot);
        let env = {
            let l = self.read();
            let queued = lock(&self.queue).count_from(&account_bytes(&account_id_from_seed(
                &friendbot_seed(&l.passphrase),
            )));
            friendbot_envelope(&l, body, queued as i64)?
        };
        let sent = self.enqueue(&env, true);
        drop(numbering);
        if let SendStatus::Error(r, _) = &sent.status {
            return Err(format!(
                "friendbot transaction was rejected: {:?}",
                r.result
            ));
        }
        if !self.timer {
            self.close_now();
        }
        // A generous bound: a friendbot transaction waits behind full ledgers.
        if !self.wait_applied(&sent.hash, Duration::from_secs(120)) {
            return Err("friendbot transaction was not included in a ledger".into());
        }
        Ok(sent.hash)
    }

    /// Sends XLM to a contract through the native asset contract.
    fn fund_contract(&self, contract: [u8; 32]) -> Result<[u8; 32], String> {
        use soroban_env_host::xdr::{
            Asset, ContractDataDurability, ContractExecutable, ContractId, ContractIdPreimage,
            CreateContractArgs, Hash, HostFunction, Int128Parts, InvokeContractArgs,
            InvokeHostFunctionOp, LedgerKey, LedgerKeyContractData, ScAddress, ScVal,
        };
        let (native, fb) = {
            let l = self.read();
            (
                crate::apply::events::asset_contract_id(&l.network_id, &Asset::Native),
                account_id_from_seed(&friendbot_seed(&l.passphrase)),
            )
        };
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
        if !self.read().entries.contains_key(&instance) {
            let deploy = HostFunction::CreateContract(CreateContractArgs {
                contract_id_preimage: ContractIdPreimage::Asset(Asset::Native),
                executable: ContractExecutable::StellarAsset,
            });
            let h = self.friendbot_submit(invoke(deploy))?;
            if !self.read().txs[&h].successful && !self.read().entries.contains_key(&instance) {
                return Err("deploying the native asset contract failed".into());
            }
        }
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
        self.friendbot_submit(invoke(transfer))
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

/// The ledger resources a validated Soroban transaction declares.
fn soroban_resources(l: &Ledger, p: &Prepared) -> Option<SorobanResources> {
    let TransactionExt::V1(data) = &p.tx.ext else {
        return None;
    };
    let r = apply::soroban::declared_resources(l, data, p.envelope_size);
    Some(SorobanResources {
        instructions: u64::from(r.instructions),
        disk_read_entries: u64::from(r.disk_read_entries),
        disk_read_bytes: u64::from(r.disk_read_bytes),
        write_entries: u64::from(r.write_entries),
        write_bytes: u64::from(r.write_bytes),
        tx_size_bytes: u64::from(r.transaction_size_bytes),
    })
}

/// Builds and signs one friendbot operation, `queued` transactions after the
/// friendbot's queued ones. Soroban operations are first simulated (as a
/// client would) and assembled with the simulated footprint, resources, auth
/// and fee.
fn friendbot_envelope(
    l: &Ledger,
    body: OperationBody,
    queued: i64,
) -> Result<TransactionEnvelope, String> {
    use soroban_env_host::xdr::InvokeHostFunctionOp;
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
        fee: l.settings.base_fee,
        seq_num: SequenceNumber(fb_seq + 1 + queued),
        cond: Preconditions::None,
        memo: Memo::None,
        operations: one(body.clone())?,
        ext: TransactionExt::V0,
    };
    if let OperationBody::InvokeHostFunction(op) = &body {
        let env = apply::sign(&l.network_id, tx.clone(), &[seed]);
        let opts = crate::simulate::Options {
            auth_mode: None,
            use_address_v2: false,
            instruction_leeway: None,
        };
        let sim = crate::simulate::simulate(l, &env, opts).map_err(|e| e.0)?;
        let crate::simulate::Simulation::Invoke { data, auth, .. } = sim else {
            return Err(format!("friendbot simulation failed: {sim:?}"));
        };
        let min_fee = data.resource_fee;
        tx.fee = u32::try_from(i64::from(l.settings.base_fee) + min_fee)
            .map_err(|_| "fee too large".to_string())?;
        tx.ext = TransactionExt::V1(data);
        tx.operations = one(OperationBody::InvokeHostFunction(InvokeHostFunctionOp {
            host_function: op.host_function.clone(),
            auth: auth.try_into().map_err(|_| "auth list".to_string())?,
        }))?;
    }
    Ok(apply::sign(&l.network_id, tx, &[seed]))
}
