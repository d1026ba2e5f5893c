//! Validation of a transaction for inclusion in a ledger, as stellar-core's
//! `checkValid` does in the parts users observe: envelope and Soroban shape,
//! time and ledger bounds, fee, source account, sequence number, ed25519
//! signatures weighed against each source's thresholds, balance.

// A rejection is built once per refused submission; boxing it buys nothing.
#![allow(clippy::result_large_err)]

use ed25519_dalek::{Signature as EdSignature, Verifier, VerifyingKey};
use soroban_env_host::xdr::{
    AccountEntry, AccountId, DecoratedSignature, DiagnosticEvent, FeeBumpTransaction, Hash,
    InnerTransactionResult, InnerTransactionResultExt, InnerTransactionResultPair,
    InnerTransactionResultResult, LedgerEntryData, Operation, OperationBody, Preconditions,
    SignerKey, Transaction, TransactionEnvelope, TransactionExt, TransactionResult,
    TransactionResultExt, TransactionResultResult,
};

use super::envelope::{fee_bump_hash, is_soroban_op, normalize, tx_hash};
use super::soroban;
use crate::ledger::keys::{account_bytes, account_key, muxed_to_account};
use crate::ledger::{xdr_bytes, EntryMap, Ledger};

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

pub(crate) fn get_account(entries: &EntryMap, id: &AccountId) -> Option<AccountEntry> {
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
pub(crate) fn soroban_fees(
    ledger: &Ledger,
    tx: &Transaction,
    envelope_size: u32,
) -> Option<(i64, i64)> {
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
#[allow(clippy::too_many_arguments)] // the envelope's parts, each used once
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
