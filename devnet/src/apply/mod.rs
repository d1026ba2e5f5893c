//! Applying transactions the way the network does, in the parts users observe.
//!
//! `submit` = `check_valid` (envelope shape, time bounds, fee, source account,
//! sequence number, ed25519 signatures over the network id) and, when valid,
//! `apply` in the next ledger: charge the fee and bump the sequence (kept even
//! if an operation fails), run the operations on a copy-on-write view of the
//! state, commit the view only if every operation succeeded, refund the unused
//! refundable Soroban fee, and build `TransactionMetaV4`.
//!
//! Storage touched: account entries of the fee source and sources (fee, sequence),
//! plus whatever the operations touch (see `classic` and `soroban`).

pub mod classic;
pub mod events;
pub mod soroban;
#[cfg(test)]
mod tests;

use std::collections::BTreeSet;
use std::sync::Arc;

use ed25519_dalek::{Signature as EdSignature, Verifier, VerifyingKey};
use soroban_env_host::xdr::{
    AccountEntry, AccountId, DecoratedSignature, DiagnosticEvent, ExtensionPoint,
    FeeBumpTransaction, Hash, InnerTransactionResult, InnerTransactionResultExt,
    InnerTransactionResultPair, InnerTransactionResultResult, LedgerEntry, LedgerEntryChange,
    LedgerEntryChanges, LedgerEntryData, LedgerKey, LedgerKeyTtl, MuxedAccount, Operation,
    OperationBody, OperationMetaV2, OperationResult, Preconditions, ScVal, SignerKey,
    SorobanTransactionMetaExt, SorobanTransactionMetaExtV1, SorobanTransactionMetaV2, Transaction,
    TransactionEnvelope, TransactionEventStage, TransactionExt, TransactionMeta, TransactionMetaV4,
    TransactionResult, TransactionResultExt, TransactionResultMetaV1, TransactionResultPair,
    TransactionResultResult, TransactionSignaturePayload,
    TransactionSignaturePayloadTaggedTransaction, TransactionV1Envelope, TtlEntry, VecM,
};

use crate::ledger::keys::{account_bytes, account_key, muxed_to_account, ttl_key_hash};
use crate::ledger::{sha256, xdr_bytes, AppliedTx, EntryMap, Ledger, StoredEntry, TxRecord};

/// Transaction-level failure codes (shared by plain and inner transactions).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TxCode {
    TooEarly,
    TooLate,
    MissingOperation,
    BadSeq,
    BadAuth,
    InsufficientBalance,
    NoAccount,
    InsufficientFee,
    BadAuthExtra,
    NotSupported,
    Malformed,
    SorobanInvalid,
}

impl TxCode {
    fn outer(self) -> TransactionResultResult {
        use TransactionResultResult as R;
        match self {
            TxCode::TooEarly => R::TxTooEarly,
            TxCode::TooLate => R::TxTooLate,
            TxCode::MissingOperation => R::TxMissingOperation,
            TxCode::BadSeq => R::TxBadSeq,
            TxCode::BadAuth => R::TxBadAuth,
            TxCode::InsufficientBalance => R::TxInsufficientBalance,
            TxCode::NoAccount => R::TxNoAccount,
            TxCode::InsufficientFee => R::TxInsufficientFee,
            TxCode::BadAuthExtra => R::TxBadAuthExtra,
            TxCode::NotSupported => R::TxNotSupported,
            TxCode::Malformed => R::TxMalformed,
            TxCode::SorobanInvalid => R::TxSorobanInvalid,
        }
    }
    fn inner(self) -> InnerTransactionResultResult {
        use InnerTransactionResultResult as R;
        match self {
            TxCode::TooEarly => R::TxTooEarly,
            TxCode::TooLate => R::TxTooLate,
            TxCode::MissingOperation => R::TxMissingOperation,
            TxCode::BadSeq => R::TxBadSeq,
            TxCode::BadAuth => R::TxBadAuth,
            TxCode::InsufficientBalance => R::TxInsufficientBalance,
            TxCode::NoAccount => R::TxNoAccount,
            TxCode::InsufficientFee => R::TxInsufficientFee,
            TxCode::BadAuthExtra => R::TxBadAuthExtra,
            TxCode::NotSupported => R::TxNotSupported,
            TxCode::Malformed => R::TxMalformed,
            TxCode::SorobanInvalid => R::TxSorobanInvalid,
        }
    }
}

/// A transaction that passed validation, normalized to v1 form.
#[derive(Clone, Debug)]
pub struct Prepared {
    pub envelope: TransactionEnvelope,
    /// Hash of the envelope (the fee-bump hash for fee bumps).
    pub hash: [u8; 32],
    pub tx: Transaction,
    pub inner_hash: [u8; 32],
    pub fee_bump: Option<FeeBumpTransaction>,
    pub fee_source: AccountId,
    /// Fee charged up front: inclusion fee plus the declared Soroban resource
    /// fee. `check_valid` sets the base fee per operation; the ledger's
    /// transaction set may set a higher one (`set_inclusion_fee`).
    pub initial_fee: i64,
    pub inclusion_fee: i64,
    pub envelope_size: u32,
    /// The whole fee offered (the outer envelope's `fee`).
    pub fee_bid: i64,
    /// The declared Soroban resource fee (0 for classic).
    pub resource_fee: i64,
    /// Operations the inclusion fee is divided by (+1 for a fee bump).
    pub fee_ops: u32,
}

impl Prepared {
    /// The inclusion fee offered: the fee above the declared resource fee.
    pub fn inclusion_bid(&self) -> i64 {
        self.fee_bid - self.resource_fee
    }

    /// Charges `inclusion_fee` (what the transaction set decided) plus the
    /// resource fee.
    pub fn set_inclusion_fee(&mut self, inclusion_fee: i64) {
        self.inclusion_fee = inclusion_fee;
        self.initial_fee = inclusion_fee + self.resource_fee;
    }

    pub fn is_soroban(&self) -> bool {
        matches!(self.tx.ext, TransactionExt::V1(_))
    }
}

/// Why a submission was rejected: the hash and the `errorResultXdr` result.
#[derive(Debug)]
pub struct Rejected {
    pub hash: [u8; 32],
    pub result: TransactionResult,
    /// Why, for a Soroban transaction (sendTransaction's `diagnosticEventsXdr`).
    pub diagnostics: Vec<DiagnosticEvent>,
}

pub fn is_soroban_op(op: &Operation) -> bool {
    matches!(
        op.body,
        OperationBody::InvokeHostFunction(_)
            | OperationBody::ExtendFootprintTtl(_)
            | OperationBody::RestoreFootprint(_)
    )
}

pub fn is_soroban_envelope(env: &TransactionEnvelope) -> bool {
    normalize(env).0.operations.iter().any(is_soroban_op)
}

/// A v1 transaction, its signatures, and the fee bump around it (if any).
pub type Normalized = (
    Transaction,
    Vec<DecoratedSignature>,
    Option<(FeeBumpTransaction, Vec<DecoratedSignature>)>,
);

/// The v1 transaction, its signatures, and the fee bump around it (if any).
pub fn normalize(env: &TransactionEnvelope) -> Normalized {
    match env {
        TransactionEnvelope::TxV0(v0) => {
            let t = &v0.tx;
            let tx = Transaction {
                source_account: MuxedAccount::Ed25519(t.source_account_ed25519.clone()),
                fee: t.fee,
                seq_num: t.seq_num.clone(),
                cond: match &t.time_bounds {
                    Some(tb) => Preconditions::Time(tb.clone()),
                    None => Preconditions::None,
                },
                memo: t.memo.clone(),
                operations: t.operations.clone(),
                ext: TransactionExt::V0,
            };
            (tx, v0.signatures.to_vec(), None)
        }
        TransactionEnvelope::Tx(v1) => (v1.tx.clone(), v1.signatures.to_vec(), None),
        TransactionEnvelope::TxFeeBump(fb) => {
            let soroban_env_host::xdr::FeeBumpTransactionInnerTx::Tx(inner) = &fb.tx.inner_tx;
            (
                inner.tx.clone(),
                inner.signatures.to_vec(),
                Some((fb.tx.clone(), fb.signatures.to_vec())),
            )
        }
    }
}

pub fn tx_hash(network_id: &[u8; 32], tx: &Transaction) -> [u8; 32] {
    sha256(&xdr_bytes(&TransactionSignaturePayload {
        network_id: Hash(*network_id),
        tagged_transaction: TransactionSignaturePayloadTaggedTransaction::Tx(tx.clone()),
    }))
}

pub fn fee_bump_hash(network_id: &[u8; 32], fb: &FeeBumpTransaction) -> [u8; 32] {
    sha256(&xdr_bytes(&TransactionSignaturePayload {
        network_id: Hash(*network_id),
        tagged_transaction: TransactionSignaturePayloadTaggedTransaction::TxFeeBump(fb.clone()),
    }))
}

/// Hash of any envelope (what sendTransaction answers with).
pub fn envelope_hash(network_id: &[u8; 32], env: &TransactionEnvelope) -> [u8; 32] {
    let (tx, _, fb) = normalize(env);
    match fb {
        Some((fb, _)) => fee_bump_hash(network_id, &fb),
        None => tx_hash(network_id, &tx),
    }
}

fn get_account(entries: &EntryMap, id: &AccountId) -> Option<AccountEntry> {
    match entries.get(&account_key(id)).map(|s| &s.entry.data) {
        Some(LedgerEntryData::Account(a)) => Some(a.clone()),
        _ => None,
    }
}

/// Minimum balance of an account: (2 + subentries) base reserves.
pub fn min_balance(a: &AccountEntry, base_reserve: u32) -> i64 {
    (2 + i64::from(a.num_sub_entries)) * i64::from(base_reserve)
}

/// Weight of the valid signatures from `account`'s signers; marks used ones.
fn signature_weight(
    a: &AccountEntry,
    hash: &[u8; 32],
    sigs: &[DecoratedSignature],
    used: &mut [bool],
) -> u32 {
    let mut signers: Vec<([u8; 32], u32)> =
        vec![(account_bytes(&a.account_id), u32::from(a.thresholds.0[0]))];
    for s in a.signers.iter() {
        if let SignerKey::Ed25519(k) = &s.key {
            signers.push((k.0, s.weight));
        }
    }
    let mut weight = 0u32;
    for (pk, w) in signers {
        let Ok(vk) = VerifyingKey::from_bytes(&pk) else {
            continue;
        };
        for (i, sig) in sigs.iter().enumerate() {
            if sig.hint.0 != pk[28..32] {
                continue;
            }
            let Ok(bytes) = <[u8; 64]>::try_from(sig.signature.0.as_slice()) else {
                continue;
            };
            if vk.verify(hash, &EdSignature::from_bytes(&bytes)).is_ok() {
                used[i] = true;
                if w > 0 {
                    weight = weight.saturating_add(w);
                }
                break;
            }
        }
    }
    weight
}

/// Indices into `Thresholds` (master weight, low, medium, high).
const THRESHOLD_LOW: usize = 1;
const THRESHOLD_MEDIUM: usize = 2;
const THRESHOLD_HIGH: usize = 3;

/// The signature threshold an operation needs from its source account.
fn threshold_level(op: &Operation) -> usize {
    match &op.body {
        OperationBody::AllowTrust(_)
        | OperationBody::SetTrustLineFlags(_)
        | OperationBody::BumpSequence(_)
        | OperationBody::Inflation => THRESHOLD_LOW,
        OperationBody::AccountMerge(_) => THRESHOLD_HIGH,
        OperationBody::SetOptions(o)
            if o.master_weight.is_some()
                || o.low_threshold.is_some()
                || o.med_threshold.is_some()
                || o.high_threshold.is_some()
                || o.signer.is_some() =>
        {
            THRESHOLD_HIGH
        }
        _ => THRESHOLD_MEDIUM,
    }
}

/// Checks that `account` authorized `hash` at the medium threshold.
fn authorized(
    a: &AccountEntry,
    hash: &[u8; 32],
    sigs: &[DecoratedSignature],
    used: &mut [bool],
) -> bool {
    let needed = u32::from(a.thresholds.0[2]).max(1);
    signature_weight(a, hash, sigs, used) >= needed
}

/// Declared Soroban resources of a transaction: (resource fee, non-refundable part).
fn soroban_fees(ledger: &Ledger, tx: &Transaction, envelope_size: u32) -> Option<(i64, i64)> {
    let TransactionExt::V1(data) = &tx.ext else {
        return None;
    };
    let res = soroban::declared_resources(ledger, data, envelope_size);
    let (non_refundable, _) = soroban_env_host::fees::compute_transaction_resource_fee(
        &res,
        &ledger.settings.fee_configuration(),
    );
    Some((data.resource_fee, non_refundable))
}

/// Checks of the (inner) transaction for inclusion in ledger `at.0` closing at `at.1`.
fn check_inner(
    ledger: &Ledger,
    tx: &Transaction,
    hash: &[u8; 32],
    sigs: &[DecoratedSignature],
    at: (u32, u64),
    envelope_size: u32,
    fee_bumped: bool,
    seq_offset: i64,
) -> Result<(), TxCode> {
    let (seq, time) = at;
    if tx.operations.is_empty() {
        return Err(TxCode::MissingOperation);
    }
    let soroban_ops = tx.operations.iter().filter(|o| is_soroban_op(o)).count();
    if soroban_ops > 0 {
        if tx.operations.len() != 1 || !matches!(tx.ext, TransactionExt::V1(_)) {
            return Err(TxCode::Malformed);
        }
        soroban::validate_resources(ledger, tx, envelope_size)?;
    } else if matches!(tx.ext, TransactionExt::V1(_)) {
        return Err(TxCode::Malformed);
    }
    // Time and ledger bounds.
    let (time_bounds, ledger_bounds) = match &tx.cond {
        Preconditions::None => (None, None),
        Preconditions::Time(tb) => (Some(tb.clone()), None),
        Preconditions::V2(p) => (p.time_bounds.clone(), p.ledger_bounds.clone()),
    };
    // CAP-21 preconditions the devnet does not track (sequence age and ledger
    // gap need per-account history; only ed25519 extra signers are checked)
    // are refused rather than silently ignored.
    let (min_seq_num, extra_signers) = match &tx.cond {
        Preconditions::V2(p) => {
            if p.min_seq_age.0 != 0
                || p.min_seq_ledger_gap != 0
                || p.extra_signers
                    .iter()
                    .any(|k| !matches!(k, SignerKey::Ed25519(_)))
            {
                return Err(TxCode::NotSupported);
            }
            (p.min_seq_num.clone(), p.extra_signers.to_vec())
        }
        _ => (None, Vec::new()),
    };
    // NOTE: time bounds are checked against wall-clock time (the close time
    // minus the offset `devnet_warp` added), not the warped close time: clients
    // derive bounds from their own clock (the SDK's `setTimeout`), and a warp
    // must not make every later transaction `txTOO_LATE`.
    let wall = ledger.wall_time(time);
    if let Some(tb) = time_bounds {
        if tb.min_time.0 > wall {
            return Err(TxCode::TooEarly);
        }
        if tb.max_time.0 != 0 && tb.max_time.0 < wall {
            return Err(TxCode::TooLate);
        }
    }
    if let Some(lb) = ledger_bounds {
        if lb.min_ledger > seq {
            return Err(TxCode::TooEarly);
        }
        if lb.max_ledger != 0 && lb.max_ledger <= seq {
            return Err(TxCode::TooLate);
        }
    }
    // Fee: at least the base fee per operation on top of the resource fee.
    let ops = tx.operations.len() as i64;
    let resource_fee = match soroban_fees(ledger, tx, envelope_size) {
        Some((declared, non_refundable)) => {
            if declared < non_refundable {
                return Err(TxCode::InsufficientFee);
            }
            declared
        }
        None => 0,
    };
    if !fee_bumped && i64::from(tx.fee) < resource_fee + ops * i64::from(ledger.settings.base_fee) {
        return Err(TxCode::InsufficientFee);
    }
    let source_id = muxed_to_account(&tx.source_account);
    let Some(source) = get_account(&ledger.entries, &source_id) else {
        return Err(TxCode::NoAccount);
    };
    // With `minSeqNum` the sequence number may jump: any account sequence in
    // [minSeqNum, tx.seqNum) is accepted (CAP-21); otherwise it is exactly +1.
    let seq_ok = match &min_seq_num {
        Some(min) => source.seq_num.0 >= min.0 && source.seq_num.0 < tx.seq_num.0,
        None => tx.seq_num.0 == source.seq_num.0.wrapping_add(1 + seq_offset),
    };
    if !seq_ok {
        return Err(TxCode::BadSeq);
    }
    let mut used = vec![false; sigs.len()];
    for key in &extra_signers {
        let SignerKey::Ed25519(pk) = key else {
            continue;
        };
        let signer = AccountEntry {
            account_id: crate::ledger::keys::account_id(pk.0),
            thresholds: soroban_env_host::xdr::Thresholds([1, 0, 0, 0]),
            ..source.clone()
        };
        if signature_weight(&signer, hash, sigs, &mut used) == 0 {
            return Err(TxCode::BadAuth);
        }
    }
    // The transaction's source signs at its low threshold; each operation's
    // source at the operation's level (stellar-core's `getThresholdLevel`).
    let mut levels: std::collections::BTreeMap<[u8; 32], usize> = Default::default();
    levels.insert(account_bytes(&source_id), THRESHOLD_LOW);
    for op in tx.operations.iter() {
        let id = op
            .source_account
            .as_ref()
            .map(muxed_to_account)
            .unwrap_or_else(|| source_id.clone());
        let level = levels.entry(account_bytes(&id)).or_insert(THRESHOLD_LOW);
        *level = (*level).max(threshold_level(op));
    }
    for (bytes, level) in levels {
        // A missing operation source fails the operation (opNO_ACCOUNT) at apply.
        let Some(a) = get_account(&ledger.entries, &crate::ledger::keys::account_id(bytes)) else {
            continue;
        };
        let needed = u32::from(a.thresholds.0[level]).max(1);
        if signature_weight(&a, hash, sigs, &mut used) < needed {
            return Err(TxCode::BadAuth);
        }
    }
    if used.iter().any(|u| !u) {
        return Err(TxCode::BadAuthExtra);
    }
    if !fee_bumped {
        let fee = resource_fee + ops * i64::from(ledger.settings.base_fee);
        if source.balance - fee < min_balance(&source, ledger.header.base_reserve) {
            return Err(TxCode::InsufficientBalance);
        }
    }
    Ok(())
}

fn reject(
    hash: [u8; 32],
    inner_hash: [u8; 32],
    fee_bump: bool,
    code: TxCode,
    inner: bool,
) -> Rejected {
    let result = if fee_bump && inner {
        TransactionResultResult::TxFeeBumpInnerFailed(InnerTransactionResultPair {
            transaction_hash: Hash(inner_hash),
            result: InnerTransactionResult {
                fee_charged: 0,
                result: code.inner(),
                ext: InnerTransactionResultExt::V0,
            },
        })
    } else {
        code.outer()
    };
    Rejected {
        hash,
        result: TransactionResult {
            fee_charged: 0,
            result,
            ext: TransactionResultExt::V0,
        },
        diagnostics: Vec::new(),
    }
}

/// Validates an envelope for inclusion in ledger `seq` closing at `time`.
pub fn check_valid(
    ledger: &Ledger,
    env: &TransactionEnvelope,
    seq: u32,
    time: u64,
) -> Result<Prepared, Rejected> {
    check_valid_with_seq_offset(ledger, env, seq, time, 0)
}

/// `check_valid` for a transaction that follows `seq_offset` transactions of
/// the same source account applied before it in the same ledger.
pub fn check_valid_with_seq_offset(
    ledger: &Ledger,
    env: &TransactionEnvelope,
    seq: u32,
    time: u64,
    seq_offset: i64,
) -> Result<Prepared, Rejected> {
    let mut code = None;
    check_valid_inner(ledger, env, seq, time, seq_offset, &mut code).map_err(|mut r| {
        if let Some(c) = code {
            let (tx, _, _) = normalize(env);
            let size = xdr_bytes(env).len() as u32;
            r.diagnostics
                .extend(soroban::explain_rejection(ledger, &tx, size, c));
        }
        r
    })
}

fn check_valid_inner(
    ledger: &Ledger,
    env: &TransactionEnvelope,
    seq: u32,
    time: u64,
    seq_offset: i64,
    failed: &mut Option<TxCode>,
) -> Result<Prepared, Rejected> {
    let envelope_size = xdr_bytes(env).len() as u32;
    let (tx, sigs, fb) = normalize(env);
    let inner_hash = tx_hash(&ledger.network_id, &tx);
    let ops = tx.operations.len() as i64;
    let resource_fee = soroban_fees(ledger, &tx, envelope_size)
        .map(|f| f.0)
        .unwrap_or(0);
    match fb {
        None => {
            check_inner(
                ledger,
                &tx,
                &inner_hash,
                &sigs,
                (seq, time),
                envelope_size,
                false,
                seq_offset,
            )
            .map_err(|c| {
                *failed = Some(c);
                reject(inner_hash, inner_hash, false, c, false)
            })?;
            let inclusion_fee = ops * i64::from(ledger.settings.base_fee);
            Ok(Prepared {
                envelope: env.clone(),
                hash: inner_hash,
                fee_source: muxed_to_account(&tx.source_account),
                fee_bid: i64::from(tx.fee),
                tx,
                inner_hash,
                fee_bump: None,
                initial_fee: inclusion_fee + resource_fee,
                inclusion_fee,
                envelope_size,
                resource_fee,
                fee_ops: ops as u32,
            })
        }
        Some((fb, outer_sigs)) => {
            let hash = fee_bump_hash(&ledger.network_id, &fb);
            let fee_source = muxed_to_account(&fb.fee_source);
            let inclusion_fee = (ops + 1) * i64::from(ledger.settings.base_fee);
            if fb.fee < inclusion_fee + resource_fee {
                return Err(reject(
                    hash,
                    inner_hash,
                    true,
                    TxCode::InsufficientFee,
                    false,
                ));
            }
            let Some(payer) = get_account(&ledger.entries, &fee_source) else {
                return Err(reject(hash, inner_hash, true, TxCode::NoAccount, false));
            };
            let mut used = vec![false; outer_sigs.len()];
            if !authorized(&payer, &hash, &outer_sigs, &mut used) {
                return Err(reject(hash, inner_hash, true, TxCode::BadAuth, false));
            }
            if used.iter().any(|u| !u) {
                return Err(reject(hash, inner_hash, true, TxCode::BadAuthExtra, false));
            }
            if payer.balance - (inclusion_fee + resource_fee)
                < min_balance(&payer, ledger.header.base_reserve)
            {
                return Err(reject(
                    hash,
                    inner_hash,
                    true,
                    TxCode::InsufficientBalance,
                    false,
                ));
            }
            check_inner(
                ledger,
                &tx,
                &inner_hash,
                &sigs,
                (seq, time),
                envelope_size,
                true,
                seq_offset,
            )
            .map_err(|c| {
                *failed = Some(c);
                reject(hash, inner_hash, true, c, true)
            })?;
            Ok(Prepared {
                envelope: env.clone(),
                hash,
                tx,
                inner_hash,
                fee_bid: fb.fee,
                fee_bump: Some(fb),
                fee_source,
                initial_fee: inclusion_fee + resource_fee,
                inclusion_fee,
                envelope_size,
                resource_fee,
                fee_ops: ops as u32 + 1,
            })
        }
    }
}

/// Copy-on-write view of the state that records, per operation, which keys
/// changed and their state before, to build `LedgerEntryChanges`.
pub struct Working {
    pub map: EntryMap,
    pub seq: u32,
    touched: Vec<(LedgerKey, Option<StoredEntry>)>,
    seen: BTreeSet<LedgerKey>,
}

impl Working {
    pub fn new(map: EntryMap, seq: u32) -> Working {
        Working {
            map,
            seq,
            touched: Vec::new(),
            seen: BTreeSet::new(),
        }
    }
    pub fn get(&self, k: &LedgerKey) -> Option<&StoredEntry> {
        self.map.get(k)
    }
    fn touch(&mut self, k: &LedgerKey) {
        if self.seen.insert(k.clone()) {
            self.touched.push((k.clone(), self.map.get(k).cloned()));
        }
    }
    pub fn put(&mut self, k: LedgerKey, mut entry: LedgerEntry, live_until: Option<u32>) {
        self.touch(&k);
        entry.last_modified_ledger_seq = self.seq;
        self.map.insert(
            k,
            StoredEntry {
                entry: Arc::new(entry),
                live_until,
            },
        );
    }
    pub fn set_ttl(&mut self, k: &LedgerKey, live_until: u32) {
        if let Some(s) = self.map.get(k).cloned() {
            self.touch(k);
            self.map.insert(
                k.clone(),
                StoredEntry {
                    entry: s.entry,
                    live_until: Some(live_until),
                },
            );
        }
    }
    pub fn remove(&mut self, k: &LedgerKey) {
        self.touch(k);
        self.map.remove(k);
    }
    pub fn account(&self, id: &AccountId) -> Option<AccountEntry> {
        get_account(&self.map, id)
    }
    pub fn put_account(&mut self, a: AccountEntry) {
        let k = account_key(&a.account_id);
        let ext = self
            .map
            .get(&k)
            .map(|s| s.entry.ext.clone())
            .unwrap_or(soroban_env_host::xdr::LedgerEntryExt::V0);
        self.put(
            k,
            LedgerEntry {
                last_modified_ledger_seq: self.seq,
                data: LedgerEntryData::Account(a),
                ext,
            },
            None,
        );
    }
    /// The changes since the last call, in the order keys were first touched.
    pub fn take_changes(&mut self) -> LedgerEntryChanges {
        let seq = self.seq;
        let mut out = Vec::new();
        for (k, before) in std::mem::take(&mut self.touched) {
            let after = self.map.get(&k).cloned();
            if before == after {
                continue;
            }
            let archived_before = before
                .as_ref()
                .is_some_and(|b| crate::ledger::Ledger::is_archived(&k, b, seq));
            match (&before, &after) {
                (None, Some(a)) => {
                    out.push(LedgerEntryChange::Created((*a.entry).clone()));
                    if let Some(l) = a.live_until {
                        out.push(LedgerEntryChange::Created(ttl_entry(&k, l, seq)));
                    }
                }
                (Some(b), Some(a)) if archived_before => {
                    let _ = b;
                    out.push(LedgerEntryChange::Restored((*a.entry).clone()));
                    if let Some(l) = a.live_until {
                        out.push(LedgerEntryChange::Restored(ttl_entry(&k, l, seq)));
                    }
                }
                (Some(b), Some(a)) => {
                    if b.entry != a.entry {
                        out.push(LedgerEntryChange::State((*b.entry).clone()));
                        out.push(LedgerEntryChange::Updated((*a.entry).clone()));
                    }
                    if let (Some(lb), Some(la)) = (b.live_until, a.live_until) {
                        if lb != la {
                            out.push(LedgerEntryChange::State(ttl_entry(
                                &k,
                                lb,
                                b.entry.last_modified_ledger_seq,
                            )));
                            out.push(LedgerEntryChange::Updated(ttl_entry(&k, la, seq)));
                        }
                    }
                }
                (Some(b), None) => {
                    out.push(LedgerEntryChange::State((*b.entry).clone()));
                    out.push(LedgerEntryChange::Removed(k.clone()));
                    if let Some(lb) = b.live_until {
                        out.push(LedgerEntryChange::State(ttl_entry(
                            &k,
                            lb,
                            b.entry.last_modified_ledger_seq,
                        )));
                        out.push(LedgerEntryChange::Removed(LedgerKey::Ttl(LedgerKeyTtl {
                            key_hash: Hash(ttl_key_hash(&k)),
                        })));
                    }
                }
                (None, None) => {}
            }
        }
        self.seen.clear();
        out.try_into().unwrap_or_default()
    }
}

fn ttl_entry(k: &LedgerKey, live_until: u32, modified: u32) -> LedgerEntry {
    LedgerEntry {
        last_modified_ledger_seq: modified,
        data: LedgerEntryData::Ttl(TtlEntry {
            key_hash: Hash(ttl_key_hash(k)),
            live_until_ledger_seq: live_until,
        }),
        ext: soroban_env_host::xdr::LedgerEntryExt::V0,
    }
}

/// Result of one operation: its XDR result, whether it succeeded, and what a
/// Soroban operation produced.
pub struct OpOutcome {
    pub result: OperationResult,
    pub success: bool,
    pub events: Vec<soroban_env_host::xdr::ContractEvent>,
    pub diagnostics: Vec<DiagnosticEvent>,
    pub return_value: Option<ScVal>,
    /// Refundable resource fee consumed (rent and events), stroops.
    pub refundable_consumed: i64,
    /// The rent part of `refundable_consumed`, stroops.
    pub rent_fee: i64,
}

impl OpOutcome {
    pub fn classic(result: OperationResult, success: bool) -> OpOutcome {
        OpOutcome {
            result,
            success,
            events: vec![],
            diagnostics: vec![],
            return_value: None,
            refundable_consumed: 0,
            rent_fee: 0,
        }
    }
}

/// Context an operation runs in.
pub struct OpContext<'a> {
    pub ledger: &'a Ledger,
    pub tx: &'a Transaction,
    pub source: AccountId,
    pub seq: u32,
    pub time: u64,
    pub envelope_size: u32,
    pub tx_hash: [u8; 32],
    pub op_index: u32,
    /// Refundable fee still available to this operation, stroops.
    pub refundable_available: i64,
}

/// Applies a validated transaction in ledger `seq`, mutating `ledger.entries`.
pub fn apply(
    ledger: &mut Ledger,
    p: Prepared,
    seq: u32,
    time: u64,
    application_order: u32,
) -> AppliedTx {
    let mut fee_w = Working::new(ledger.entries.clone(), seq);
    // Fee processing: charge the fee source.
    let mut payer = fee_w
        .account(&p.fee_source)
        .expect("validated fee source exists");
    let charged = p.initial_fee.min(payer.balance);
    payer.balance -= charged;
    fee_w.put_account(payer);
    let fee_processing = fee_w.take_changes();
    // Sequence number bump (kept even when operations fail).
    let source_id = muxed_to_account(&p.tx.source_account);
    let mut source = fee_w.account(&source_id).expect("validated source exists");
    source.seq_num = p.tx.seq_num.clone();
    fee_w.put_account(source);
    let tx_changes_before = fee_w.take_changes();
    ledger.entries = fee_w.map.clone();

    let (declared_refundable, non_refundable) = match soroban_fees(ledger, &p.tx, p.envelope_size) {
        Some((declared, non_refundable)) => (declared - non_refundable, non_refundable),
        None => (0, 0),
    };
    let mut w = Working::new(ledger.entries.clone(), seq);
    let mut results = Vec::new();
    let mut op_metas = Vec::new();
    let mut all_ok = true;
    let mut diagnostics = Vec::new();
    let mut return_value = None;
    let mut refundable_consumed = 0i64;
    let mut rent_fee = 0i64;
    let mut event_list = Vec::new();
    for (i, op) in p.tx.operations.iter().enumerate() {
        let source = op
            .source_account
            .as_ref()
            .map(muxed_to_account)
            .unwrap_or_else(|| source_id.clone());
        let outcome = if w.account(&source).is_none() {
            OpOutcome::classic(OperationResult::OpNoAccount, false)
        } else {
            let ctx = OpContext {
                ledger,
                tx: &p.tx,
                source,
                seq,
                time,
                envelope_size: p.envelope_size,
                tx_hash: p.inner_hash,
                op_index: i as u32,
                refundable_available: declared_refundable - refundable_consumed,
            };
            match &op.body {
                OperationBody::CreateAccount(o) => classic::create_account(&mut w, &ctx, o),
                OperationBody::Payment(o) => classic::payment(&mut w, &ctx, o),
                OperationBody::ChangeTrust(o) => classic::change_trust(&mut w, &ctx, o),
                OperationBody::SetOptions(o) => classic::set_options(&mut w, &ctx, o),
                OperationBody::SetTrustLineFlags(o) => {
                    classic::set_trust_line_flags(&mut w, &ctx, o)
                }
                OperationBody::Clawback(o) => classic::clawback(&mut w, &ctx, o),
                OperationBody::InvokeHostFunction(o) => soroban::invoke(&mut w, &ctx, o),
                OperationBody::ExtendFootprintTtl(o) => soroban::extend_ttl(&mut w, &ctx, o),
                OperationBody::RestoreFootprint(_) => soroban::restore(&mut w, &ctx),
                _ => OpOutcome::classic(OperationResult::OpNotSupported, false),
            }
        };
        all_ok &= outcome.success;
        diagnostics.extend(outcome.diagnostics);
        refundable_consumed += outcome.refundable_consumed;
        rent_fee += outcome.rent_fee;
        if outcome.return_value.is_some() {
            return_value = outcome.return_value;
        }
        for (j, e) in outcome.events.iter().enumerate() {
            event_list.push((i as u32, j as u32, e.clone()));
        }
        results.push(outcome.result);
        op_metas.push(OperationMetaV2 {
            ext: ExtensionPoint::V0,
            changes: w.take_changes(),
            events: outcome.events.try_into().unwrap_or_default(),
        });
    }
    if all_ok {
        ledger.entries = w.map;
    } else {
        op_metas.clear();
        event_list.clear();
        refundable_consumed = 0;
        rent_fee = 0;
        return_value = None;
    }
    // Refund of the unused refundable Soroban fee.
    let soroban = matches!(p.tx.ext, TransactionExt::V1(_));
    let mut post_w = Working::new(ledger.entries.clone(), seq);
    let refund = if soroban {
        (declared_refundable - refundable_consumed).max(0)
    } else {
        0
    };
    if refund > 0 {
        let mut payer = post_w.account(&p.fee_source).expect("fee source exists");
        payer.balance += refund;
        post_w.put_account(payer);
    }
    let post_fee_processing = post_w.take_changes();
    ledger.entries = post_w.map;
    let fee_charged = charged - refund;
    let mut tx_events = vec![events::fee(
        &ledger.network_id,
        &p.fee_source,
        charged,
        TransactionEventStage::BeforeAllTxs,
    )];
    if refund > 0 {
        tx_events.push(events::fee(
            &ledger.network_id,
            &p.fee_source,
            -refund,
            TransactionEventStage::AfterAllTxs,
        ));
    }

    let op_results: VecM<OperationResult> = results.try_into().unwrap_or_default();
    let inner_result = if all_ok {
        InnerTransactionResultResult::TxSuccess(op_results.clone())
    } else {
        InnerTransactionResultResult::TxFailed(op_results.clone())
    };
    let result_code = match &p.fee_bump {
        None => {
            if all_ok {
                TransactionResultResult::TxSuccess(op_results)
            } else {
                TransactionResultResult::TxFailed(op_results)
            }
        }
        Some(_) => {
            let pair = InnerTransactionResultPair {
                transaction_hash: Hash(p.inner_hash),
                result: InnerTransactionResult {
                    fee_charged: 0,
                    result: inner_result,
                    ext: InnerTransactionResultExt::V0,
                },
            };
            if all_ok {
                TransactionResultResult::TxFeeBumpInnerSuccess(pair)
            } else {
                TransactionResultResult::TxFeeBumpInnerFailed(pair)
            }
        }
    };
    let result = TransactionResult {
        fee_charged,
        result: result_code,
        ext: TransactionResultExt::V0,
    };
    let soroban_meta = soroban.then(|| SorobanTransactionMetaV2 {
        ext: SorobanTransactionMetaExt::V1(SorobanTransactionMetaExtV1 {
            ext: ExtensionPoint::V0,
            total_non_refundable_resource_fee_charged: non_refundable,
            total_refundable_resource_fee_charged: refundable_consumed,
            rent_fee_charged: rent_fee,
        }),
        return_value: return_value.clone(),
    });
    let diagnostic_events: Vec<DiagnosticEvent> = diagnostics;
    let meta = TransactionMeta::V4(TransactionMetaV4 {
        ext: ExtensionPoint::V0,
        tx_changes_before,
        operations: op_metas.clone().try_into().unwrap_or_default(),
        tx_changes_after: LedgerEntryChanges::default(),
        soroban_meta,
        events: tx_events.clone().try_into().unwrap_or_default(),
        diagnostic_events: diagnostic_events.clone().try_into().unwrap_or_default(),
    });
    let record = TxRecord {
        hash: p.hash,
        ledger: seq,
        close_time: time,
        application_order,
        fee_bump: p.fee_bump.is_some(),
        successful: all_ok,
        envelope_xdr: xdr_bytes(&p.envelope),
        result_xdr: xdr_bytes(&result),
        meta_xdr: xdr_bytes(&meta),
        diagnostic_events_xdr: diagnostic_events.iter().map(xdr_bytes).collect(),
        contract_events_xdr: op_metas
            .iter()
            .map(|m| m.events.iter().map(xdr_bytes).collect())
            .collect(),
        tx_events_xdr: tx_events.iter().map(xdr_bytes).collect(),
    };
    let result_meta = TransactionResultMetaV1 {
        ext: ExtensionPoint::V0,
        result: TransactionResultPair {
            transaction_hash: Hash(p.hash),
            result,
        },
        fee_processing,
        tx_apply_processing: meta,
        post_tx_apply_fee_processing: post_fee_processing,
    };
    AppliedTx {
        record,
        envelope: p.envelope,
        result_meta,
        events: event_list,
        fee_charged,
        soroban,
        inclusion_fee_per_op: p.inclusion_fee / i64::from(p.fee_ops.max(1)),
    }
}

/// Validates and applies one transaction in a ledger of its own; answers the
/// hash, or the rejection (nothing changes then). For tests of the apply step
/// (Rust unit and integration tests); the running devnet goes through the
/// transaction queue (`node`).
pub fn submit(ledger: &mut Ledger, env: &TransactionEnvelope) -> Result<[u8; 32], Rejected> {
    let seq = ledger.seq() + 1;
    let time = ledger.next_close_time();
    let p = check_valid(ledger, env, seq, time)?;
    let hash = p.hash;
    let applied = apply(ledger, p, seq, time, 1);
    ledger.close_ledger(vec![applied], time, 1);
    Ok(hash)
}

/// Signs a transaction (used by friendbot and tests).
pub fn sign(network_id: &[u8; 32], tx: Transaction, seeds: &[[u8; 32]]) -> TransactionEnvelope {
    use ed25519_dalek::Signer;
    let hash = tx_hash(network_id, &tx);
    let signatures: Vec<DecoratedSignature> = seeds
        .iter()
        .map(|s| {
            let key = crate::ledger::keys::signing_key(s);
            let pk = key.verifying_key().to_bytes();
            DecoratedSignature {
                hint: soroban_env_host::xdr::SignatureHint([pk[28], pk[29], pk[30], pk[31]]),
                signature: soroban_env_host::xdr::Signature(
                    key.sign(&hash)
                        .to_bytes()
                        .to_vec()
                        .try_into()
                        .expect("64 bytes"),
                ),
            }
        })
        .collect();
    TransactionEnvelope::Tx(TransactionV1Envelope {
        tx,
        signatures: signatures.try_into().expect("few signatures"),
    })
}
