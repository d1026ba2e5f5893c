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
pub mod envelope;
pub mod events;
pub mod soroban;
#[cfg(test)]
mod tests;
pub mod validate;
pub mod working;

use soroban_env_host::xdr::{
    AccountId, DiagnosticEvent, ExtensionPoint, Hash, InnerTransactionResult,
    InnerTransactionResultExt, InnerTransactionResultPair, InnerTransactionResultResult,
    LedgerEntryChanges, OperationBody, OperationMetaV2, OperationResult, ScVal,
    SorobanTransactionMetaExt, SorobanTransactionMetaExtV1, SorobanTransactionMetaV2, Transaction,
    TransactionEnvelope, TransactionEventStage, TransactionExt, TransactionMeta, TransactionMetaV4,
    TransactionResult, TransactionResultExt, TransactionResultMetaV1, TransactionResultPair,
    TransactionResultResult, VecM,
};

use crate::ledger::keys::muxed_to_account;
use crate::ledger::{xdr_bytes, AppliedTx, Ledger, TxRecord};

pub use envelope::{
    envelope_hash, fee_bump_hash, is_soroban_envelope, is_soroban_op, normalize, sign, tx_hash,
    Normalized,
};
use validate::soroban_fees;
pub use validate::{
    check_valid, check_valid_with_seq_offset, min_balance, Prepared, Rejected, TxCode,
};
pub use working::Working;

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
#[allow(clippy::result_large_err)] // see `validate`
pub fn submit(ledger: &mut Ledger, env: &TransactionEnvelope) -> Result<[u8; 32], Rejected> {
    let seq = ledger.seq() + 1;
    let time = ledger.next_close_time();
    let p = check_valid(ledger, env, seq, time)?;
    let hash = p.hash;
    let applied = apply(ledger, p, seq, time, 1);
    ledger.close_ledger(vec![applied], time, 1);
    Ok(hash)
}
