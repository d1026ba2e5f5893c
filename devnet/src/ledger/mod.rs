//! Ledger state, clock and history of the devnet.
//!
//! - `entries`: every live ledger entry (accounts, trustlines, contract data and
//!   code) with its live-until ledger for Soroban entries. An immutable ordered
//!   map, so a snapshot for simulation is an O(1) clone taken under the lock.
//! - TTL policy (protocol 23+ semantics, observable through the RPC):
//!   temporary entries whose live-until ledger has passed are deleted at ledger
//!   close; persistent entries whose TTL lapsed stay in place as *archived*
//!   (returned by getLedgerEntries with a past `liveUntilLedgerSeq`), cannot be
//!   used by a transaction until restored (RestoreFootprint, or the automatic
//!   restore an invocation declares in `SorobanResourcesExtV0`).
//! - History (closed ledgers, transactions, events) is kept for the last
//!   `RETENTION_LEDGERS` closed ledgers, like the RPC's retention window.
//! - Clock: close time is wall-clock time plus the offset accumulated by
//!   `devnet_warp`, never decreasing.

pub mod keys;

use std::collections::{HashMap, VecDeque};
use std::rc::Rc;
use std::sync::Arc;

use imbl::OrdMap;
use sha2::{Digest, Sha256};
use soroban_env_host::budget::Budget;
use soroban_env_host::storage::Storage;
use soroban_env_host::storage::{EntryWithLiveUntil, SnapshotSource};
use soroban_env_host::vm::{ModuleCache, VersionedContractCodeCostInputs};
use soroban_env_host::xdr::{
    AccountEntry, AccountEntryExt, ContractEvent, GeneralizedTransactionSet, Hash, LedgerCloseMeta,
    LedgerCloseMetaExt, LedgerCloseMetaV2, LedgerEntry, LedgerEntryData, LedgerEntryExt,
    LedgerHeader, LedgerHeaderExt, LedgerHeaderHistoryEntry, LedgerHeaderHistoryEntryExt,
    LedgerKey, Limits, SequenceNumber, StellarValue, StellarValueExt, String32, Thresholds,
    TimePoint, TransactionEnvelope, TransactionPhase, TransactionResultMetaV1, TransactionSetV1,
    TxSetComponent, TxSetComponentTxsMaybeDiscountedFee, VecM, WriteXdr,
};
use soroban_env_host::xdr::{ContractCodeEntry, ContractCodeEntryExt};
use soroban_env_host::{Host, HostError, LedgerInfo};

use crate::config::{self, Settings};
use keys::{account_id_from_seed, entry_key, is_persistent, is_soroban};

/// A ledger entry as stored: the entry and, for Soroban entries, the last
/// ledger it is live in.
#[derive(Clone, Debug, PartialEq)]
pub struct StoredEntry {
    pub entry: Arc<LedgerEntry>,
    pub live_until: Option<u32>,
}

pub type EntryMap = OrdMap<LedgerKey, StoredEntry>;

/// Read-only view of the state for the Soroban host (simulation and apply).
/// `seq` is the ledger the transaction runs in: temporary entries that are no
/// longer live at `seq` do not exist.
pub struct Snapshot {
    pub entries: EntryMap,
    pub seq: u32,
}

impl SnapshotSource for Snapshot {
    fn get(&self, key: &Rc<LedgerKey>) -> Result<Option<EntryWithLiveUntil>, HostError> {
        Ok(self.entries.get(key.as_ref()).and_then(|s| {
            if !is_persistent(key) && s.live_until.is_some_and(|l| l < self.seq) {
                None
            } else {
                Some((Rc::new((*s.entry).clone()), s.live_until))
            }
        }))
    }
}

/// One closed ledger as the RPC serves it.
#[derive(Clone, Debug)]
pub struct ClosedLedger {
    pub seq: u32,
    pub hash: [u8; 32],
    pub close_time: u64,
    pub header: LedgerHeaderHistoryEntry,
    pub meta_xdr: Arc<Vec<u8>>,
}

/// One applied transaction as the RPC serves it (all XDR pre-encoded).
#[derive(Clone, Debug)]
pub struct TxRecord {
    pub hash: [u8; 32],
    pub ledger: u32,
    pub close_time: u64,
    pub application_order: u32,
    pub fee_bump: bool,
    pub successful: bool,
    pub envelope_xdr: Vec<u8>,
    pub result_xdr: Vec<u8>,
    pub meta_xdr: Vec<u8>,
    pub diagnostic_events_xdr: Vec<Vec<u8>>,
    pub contract_events_xdr: Vec<Vec<Vec<u8>>>,
    pub tx_events_xdr: Vec<Vec<u8>>,
}

/// One contract event, indexed for getEvents.
#[derive(Clone, Debug)]
pub struct EventRecord {
    pub ledger: u32,
    pub close_time: u64,
    /// 1-based application order of the transaction in its ledger.
    pub tx_index: u32,
    pub op_index: u32,
    pub event_index: u32,
    pub tx_hash: [u8; 32],
    pub event: ContractEvent,
}

impl EventRecord {
    /// The RPC's event id: TOID (ledger, tx, op) and the event's index.
    pub fn id(&self) -> String {
        format!(
            "{:019}-{:010}",
            toid(self.ledger, self.tx_index, self.op_index),
            self.event_index
        )
    }
}

/// Total order id of an operation, as Horizon and the RPC define it.
pub fn toid(ledger: u32, tx_index: u32, op_index: u32) -> u64 {
    (u64::from(ledger) << 32) | (u64::from(tx_index & 0xF_FFFF) << 12) | u64::from(op_index & 0xFFF)
}

/// What the apply step hands to `close_ledger` for each transaction.
pub struct AppliedTx {
    pub record: TxRecord,
    pub envelope: TransactionEnvelope,
    pub result_meta: TransactionResultMetaV1,
    pub events: Vec<(u32, u32, ContractEvent)>,
    pub fee_charged: i64,
    /// Whether it is a Soroban transaction (fee statistics count them apart).
    pub soroban: bool,
    /// Inclusion fee charged per operation (what getFeeStats reports).
    pub inclusion_fee_per_op: i64,
}

pub struct Ledger {
    pub passphrase: String,
    pub network_id: [u8; 32],
    pub settings: Settings,
    pub entries: EntryMap,
    pub header: LedgerHeader,
    pub header_hash: [u8; 32],
    /// Seconds added to wall-clock time by warps.
    pub time_offset: i64,
    /// Ledger time moves only by warps (`--frozen-clock`): every ledger closes
    /// at the previous close time. Deterministic tests use it so a simulation
    /// (at the latest close time) and the application see the same time.
    pub frozen_clock: bool,
    pub ledgers: VecDeque<ClosedLedger>,
    pub txs: HashMap<[u8; 32], TxRecord>,
    pub tx_order: VecDeque<[u8; 32]>,
    pub events: VecDeque<EventRecord>,
    /// (ledger, Soroban?, inclusion fee charged per operation) of recently
    /// included transactions, for getFeeStats.
    pub recent_fees: VecDeque<(u32, bool, i64)>,
    /// Bytes of live Soroban state, measured at each close (drives rent fees).
    pub state_size: i64,
    closed_since_sample: u32,
    /// Parsed contract modules, kept complete like stellar-core's cache: every
    /// uploaded Wasm is parsed once and instantiated from here on apply.
    pub module_cache: ModuleCache,
}

pub fn sha256(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

pub fn xdr_bytes(v: &impl WriteXdr) -> Vec<u8> {
    v.to_xdr(Limits::none())
        .expect("in-memory XDR values always encode")
}

pub fn now_unix() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// The network's root account seed: SHA-256 of the passphrase, as in
/// stellar-core's standalone mode.
pub fn root_seed(passphrase: &str) -> [u8; 32] {
    sha256(passphrase.as_bytes())
}

/// Friendbot's seed, derived from the passphrase so every devnet with the same
/// passphrase has the same friendbot (a local test network holds no value).
pub fn friendbot_seed(passphrase: &str) -> [u8; 32] {
    sha256(format!("tributary devnet friendbot\n{passphrase}").as_bytes())
}

pub fn account_entry(seed: &[u8; 32], balance: i64, seq: i64, ledger: u32) -> LedgerEntry {
    LedgerEntry {
        last_modified_ledger_seq: ledger,
        data: LedgerEntryData::Account(AccountEntry {
            account_id: account_id_from_seed(seed),
            balance,
            seq_num: SequenceNumber(seq),
            num_sub_entries: 0,
            inflation_dest: None,
            flags: 0,
            home_domain: String32::default(),
            thresholds: Thresholds([1, 0, 0, 0]),
            signers: VecM::default(),
            ext: AccountEntryExt::V0,
        }),
        ext: LedgerEntryExt::V0,
    }
}

impl Ledger {
    /// A new network at ledger 1 whose root account holds every lumen but
    /// what friendbot was given.
    pub fn genesis(passphrase: &str, settings: Settings) -> Ledger {
        let network_id = sha256(passphrase.as_bytes());
        let close_time = now_unix();
        let friendbot_balance = config::TOTAL_COINS / 2;
        let mut entries = EntryMap::new();
        for e in [
            account_entry(
                &root_seed(passphrase),
                config::TOTAL_COINS - friendbot_balance,
                0,
                1,
            ),
            account_entry(&friendbot_seed(passphrase), friendbot_balance, 0, 1),
        ] {
            entries.insert(
                entry_key(&e),
                StoredEntry {
                    entry: Arc::new(e),
                    live_until: None,
                },
            );
        }
        let header = LedgerHeader {
            ledger_version: config::PROTOCOL_VERSION,
            previous_ledger_hash: Hash([0; 32]),
            scp_value: StellarValue {
                tx_set_hash: Hash([0; 32]),
                close_time: TimePoint(close_time),
                upgrades: VecM::default(),
                ext: StellarValueExt::Basic,
            },
            tx_set_result_hash: Hash([0; 32]),
            bucket_list_hash: Hash([0; 32]),
            ledger_seq: 1,
            total_coins: config::TOTAL_COINS,
            fee_pool: 0,
            inflation_seq: 0,
            id_pool: 0,
            base_fee: settings.base_fee,
            base_reserve: settings.base_reserve,
            max_tx_set_size: 1000,
            skip_list: [Hash([0; 32]), Hash([0; 32]), Hash([0; 32]), Hash([0; 32])],
            ext: LedgerHeaderExt::V0,
        };
        let header_hash = sha256(&xdr_bytes(&header));
        let mut ledger = Ledger {
            passphrase: passphrase.to_string(),
            network_id,
            settings,
            entries,
            header,
            header_hash,
            time_offset: 0,
            frozen_clock: false,
            ledgers: VecDeque::new(),
            txs: HashMap::new(),
            tx_order: VecDeque::new(),
            events: VecDeque::new(),
            recent_fees: VecDeque::new(),
            state_size: 0,
            closed_since_sample: 0,
            module_cache: new_module_cache(),
        };
        ledger.record_ledger(Vec::new(), Vec::new(), Vec::new());
        ledger
    }

    /// The wall-clock time clients derive time bounds from, for a ledger
    /// closing at `close_time`: the close time without the warp offset (or the
    /// real clock when the ledger clock is frozen).
    pub fn wall_time(&self, close_time: u64) -> u64 {
        if self.frozen_clock {
            now_unix()
        } else {
            (close_time as i64 - self.time_offset).max(0) as u64
        }
    }

    pub fn seq(&self) -> u32 {
        self.header.ledger_seq
    }

    pub fn close_time(&self) -> u64 {
        self.header.scp_value.close_time.0
    }

    pub fn oldest(&self) -> &ClosedLedger {
        self.ledgers
            .front()
            .expect("the genesis ledger is always recorded")
    }

    pub fn latest(&self) -> &ClosedLedger {
        self.ledgers
            .back()
            .expect("the genesis ledger is always recorded")
    }

    /// Close time the next ledger gets: wall clock plus warp offset, never
    /// earlier than the last close.
    pub fn next_close_time(&self) -> u64 {
        if self.frozen_clock {
            return self.close_time();
        }
        let wall = now_unix() as i64 + self.time_offset;
        (wall.max(0) as u64).max(self.close_time())
    }

    pub fn snapshot(&self, seq: u32) -> Snapshot {
        Snapshot {
            entries: self.entries.clone(),
            seq,
        }
    }

    /// LedgerInfo for running a transaction in ledger `seq` closing at `time`.
    pub fn ledger_info(&self, seq: u32, time: u64) -> LedgerInfo {
        LedgerInfo {
            protocol_version: config::PROTOCOL_VERSION,
            sequence_number: seq,
            timestamp: time,
            network_id: self.network_id,
            base_reserve: self.header.base_reserve,
            min_temp_entry_ttl: self.settings.min_temporary_ttl,
            min_persistent_entry_ttl: self.settings.min_persistent_ttl,
            max_entry_ttl: self.settings.max_entry_ttl,
        }
    }

    /// Size of the live Soroban state in bytes (drives the rent fee rate).
    pub fn soroban_state_size(&self) -> i64 {
        self.entries
            .iter()
            .filter(|(k, _)| is_soroban(k))
            .map(|(_, v)| xdr_bytes(v.entry.as_ref()).len() as i64)
            .sum()
    }

    /// Closes the next ledger with the given applied transactions.
    /// `seq_advance` (>= 1) lets a warp skip sequence numbers so TTLs lapse.
    pub fn close_ledger(&mut self, applied: Vec<AppliedTx>, close_time: u64, seq_advance: u32) {
        let seq = self.seq().saturating_add(seq_advance.max(1));
        let mut envelopes = Vec::new();
        let mut processing = Vec::new();
        let mut result_pairs = Vec::new();
        for (i, a) in applied.into_iter().enumerate() {
            self.header.fee_pool = self.header.fee_pool.saturating_add(a.fee_charged);
            self.recent_fees
                .push_back((seq, a.soroban, a.inclusion_fee_per_op));
            for (op_index, event_index, event) in a.events {
                self.events.push_back(EventRecord {
                    ledger: seq,
                    close_time,
                    tx_index: i as u32 + 1,
                    op_index,
                    event_index,
                    tx_hash: a.record.hash,
                    event,
                });
            }
            result_pairs.push(a.result_meta.result.clone());
            processing.push(a.result_meta);
            envelopes.push(a.envelope);
            self.tx_order.push_back(a.record.hash);
            self.txs.insert(a.record.hash, a.record);
        }
        while self.recent_fees.len() > 100_000 {
            self.recent_fees.pop_front();
        }
        // Temporary entries die when their TTL lapses; persistent ones stay archived.
        let expired: Vec<LedgerKey> = self
            .entries
            .iter()
            .filter(|(k, v)| {
                is_soroban(k) && !is_persistent(k) && v.live_until.is_some_and(|l| l < seq)
            })
            .map(|(k, _)| k.clone())
            .collect();
        for k in &expired {
            self.entries.remove(k);
        }
        let prev_hash = self.header_hash;
        self.header.ledger_seq = seq;
        self.header.previous_ledger_hash = Hash(prev_hash);
        self.header.scp_value.close_time = TimePoint(close_time);
        self.header.tx_set_result_hash = Hash(sha256(&xdr_bytes(
            &VecM::<_, { u32::MAX }>::try_from(result_pairs).unwrap_or_default(),
        )));
        self.header.bucket_list_hash = Hash(sha256(&seq.to_be_bytes()));
        self.record_ledger(envelopes, processing, expired);
        // Like the network, sample the Soroban state size every
        // `STATE_SIZE_SAMPLE_PERIOD` ledgers (it sets the rent rate).
        self.closed_since_sample += 1;
        if self.closed_since_sample >= self.settings.state_size_sample_period {
            self.closed_since_sample = 0;
            self.state_size = self.soroban_state_size();
        }
        self.prune();
    }

    fn record_ledger(
        &mut self,
        envelopes: Vec<TransactionEnvelope>,
        processing: Vec<TransactionResultMetaV1>,
        evicted: Vec<LedgerKey>,
    ) {
        let tx_set = GeneralizedTransactionSet::V1(TransactionSetV1 {
            previous_ledger_hash: self.header.previous_ledger_hash.clone(),
            phases: vec![TransactionPhase::V0(
                vec![TxSetComponent::TxsetCompTxsMaybeDiscountedFee(
                    TxSetComponentTxsMaybeDiscountedFee {
                        base_fee: Some(i64::from(self.settings.base_fee)),
                        txs: envelopes.try_into().unwrap_or_default(),
                    },
                )]
                .try_into()
                .unwrap_or_default(),
            )]
            .try_into()
            .unwrap_or_default(),
        });
        self.header.scp_value.tx_set_hash = Hash(sha256(&xdr_bytes(&tx_set)));
        self.header_hash = sha256(&xdr_bytes(&self.header));
        let history = LedgerHeaderHistoryEntry {
            hash: Hash(self.header_hash),
            header: self.header.clone(),
            ext: LedgerHeaderHistoryEntryExt::V0,
        };
        let meta = LedgerCloseMeta::V2(LedgerCloseMetaV2 {
            ext: LedgerCloseMetaExt::V0,
            ledger_header: history.clone(),
            tx_set,
            tx_processing: processing.try_into().unwrap_or_default(),
            upgrades_processing: VecM::default(),
            scp_info: VecM::default(),
            total_byte_size_of_live_soroban_state: self.state_size.max(0) as u64,
            evicted_keys: evicted.try_into().unwrap_or_default(),
        });
        self.ledgers.push_back(ClosedLedger {
            seq: self.header.ledger_seq,
            hash: self.header_hash,
            close_time: self.close_time(),
            header: history,
            meta_xdr: Arc::new(xdr_bytes(&meta)),
        });
    }

    /// Keeps the last `RETENTION_LEDGERS` closed ledgers. Counted in closed
    /// ledgers, not sequence numbers, so a warp that skips sequence numbers
    /// does not wipe the history written before it.
    fn prune(&mut self) {
        while self.ledgers.len() > config::RETENTION_LEDGERS as usize {
            self.ledgers.pop_front();
        }
        let oldest = self.oldest().seq;
        while let Some(h) = self.tx_order.front() {
            if self.txs.get(h).is_some_and(|t| t.ledger >= oldest) {
                break;
            }
            let h = *h;
            self.tx_order.pop_front();
            self.txs.remove(&h);
        }
        while self.events.front().is_some_and(|e| e.ledger < oldest) {
            self.events.pop_front();
        }
    }

    /// Durability-aware liveness of a stored Soroban entry at ledger `seq`.
    pub fn is_archived(key: &LedgerKey, stored: &StoredEntry, seq: u32) -> bool {
        is_persistent(key) && stored.live_until.is_some_and(|l| l < seq)
    }
}

/// A host used only as the compilation context for parsing modules, with a
/// budget large enough for any Wasm the network accepts (parsing outside a
/// transaction is not charged to anyone, as in stellar-core).
fn compilation_host() -> Host {
    let (cpu, mem) = config::default_cost_params();
    // Parsing is not charged to anyone, so the host's built-in model is fine here.
    let budget =
        Budget::try_from_configs(u64::MAX / 4, u64::MAX / 4, cpu, mem).expect("valid cost params");
    Host::with_storage_and_budget(Storage::default(), budget)
}

pub fn new_module_cache() -> ModuleCache {
    ModuleCache::new(&compilation_host()).expect("module cache")
}

impl Ledger {
    /// Parses `code` into the module cache (no-op when already there).
    pub fn cache_module(&self, code: &ContractCodeEntry) {
        let inputs = match &code.ext {
            ContractCodeEntryExt::V0 => VersionedContractCodeCostInputs::V0 {
                wasm_bytes: code.code.len(),
            },
            ContractCodeEntryExt::V1(v1) => {
                VersionedContractCodeCostInputs::V1(v1.cost_inputs.clone())
            }
        };
        let host = compilation_host();
        if let Err(e) = self.module_cache.parse_and_cache_module(
            &host,
            config::PROTOCOL_VERSION,
            &code.hash,
            code.code.as_slice(),
            inputs,
        ) {
            eprintln!(
                "devnet: cannot cache contract module {}: {e:?}",
                hex::encode(code.hash.0)
            );
        }
    }

    /// Caches every stored contract code entry (after loading a state file).
    pub fn cache_all_modules(&self) {
        for (_, s) in self.entries.iter() {
            if let LedgerEntryData::ContractCode(c) = &s.entry.data {
                self.cache_module(c);
            }
        }
    }
}
