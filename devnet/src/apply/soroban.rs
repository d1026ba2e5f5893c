//! Soroban operations: InvokeHostFunction (through the host's enforcing-mode
//! entry point `e2e_invoke::invoke_host_function`, the one stellar-core uses),
//! ExtendFootprintTtl and RestoreFootprint, with the declared footprint and
//! resources enforced and refundable fees (rent, events) accounted.
//!
//! Storage: contract data and code entries with their live-until ledger;
//! accounts and trustlines when a contract (e.g. the Stellar Asset Contract)
//! touches them.

use soroban_env_host::budget::Budget;
use soroban_env_host::e2e_invoke::{
    entry_size_for_rent, extract_rent_changes, invoke_host_function,
};
use soroban_env_host::fees::{
    compute_rent_fee, compute_transaction_resource_fee, LedgerEntryRentChange, TransactionResources,
};
use soroban_env_host::xdr::{
    ContractEvent, ExtendFootprintTtlOp, ExtendFootprintTtlResult, Hash, InvokeHostFunctionOp,
    InvokeHostFunctionResult, InvokeHostFunctionSuccessPreImage, LedgerEntry, LedgerKey, Limits,
    OperationBody, OperationResult, OperationResultTr, ReadXdr, RestoreFootprintResult,
    ScErrorCode, ScErrorType, ScVal, SorobanTransactionData, SorobanTransactionDataExt,
    Transaction, TransactionExt, TtlEntry,
};

use super::{OpContext, OpOutcome, TxCode, Working};
use crate::ledger::keys::{is_persistent, is_soroban, ttl_key_hash};
use crate::ledger::{sha256, xdr_bytes, Ledger, StoredEntry};

fn data(tx: &Transaction) -> Option<&SorobanTransactionData> {
    match &tx.ext {
        TransactionExt::V1(d) => Some(d),
        TransactionExt::V0 => None,
    }
}

fn restored_indices(d: &SorobanTransactionData) -> Vec<u32> {
    match &d.ext {
        SorobanTransactionDataExt::V1(e) => e.archived_soroban_entries.to_vec(),
        SorobanTransactionDataExt::V0 => vec![],
    }
}

/// The resources a transaction declares, as the fee schedule counts them.
/// Disk reads are classic entries plus archived entries being restored (live
/// Soroban state is in memory since protocol 23).
pub fn declared_resources(
    _ledger: &Ledger,
    d: &SorobanTransactionData,
    envelope_size: u32,
) -> TransactionResources {
    let fp = &d.resources.footprint;
    let classic = fp
        .read_only
        .iter()
        .chain(fp.read_write.iter())
        .filter(|k| !is_soroban(k))
        .count() as u32;
    TransactionResources {
        instructions: d.resources.instructions,
        disk_read_entries: classic + restored_indices(d).len() as u32,
        write_entries: fp.read_write.len() as u32,
        disk_read_bytes: d.resources.disk_read_bytes,
        write_bytes: d.resources.write_bytes,
        contract_events_size_bytes: 0,
        transaction_size_bytes: envelope_size,
    }
}

/// Network limits and footprint shape, checked before a transaction is accepted.
pub fn validate_resources(
    ledger: &Ledger,
    tx: &Transaction,
    envelope_size: u32,
) -> Result<(), TxCode> {
    let s = &ledger.settings;
    let d = data(tx).ok_or(TxCode::Malformed)?;
    if d.resource_fee < 0 || d.resource_fee > i64::from(u32::MAX) * 1000 {
        return Err(TxCode::Malformed);
    }
    let fp = &d.resources.footprint;
    let mut seen = std::collections::BTreeSet::new();
    for k in fp.read_only.iter().chain(fp.read_write.iter()) {
        if !matches!(
            k,
            LedgerKey::Account(_)
                | LedgerKey::Trustline(_)
                | LedgerKey::ContractData(_)
                | LedgerKey::ContractCode(_)
        ) {
            return Err(TxCode::Malformed);
        }
        if !seen.insert(k.clone()) {
            return Err(TxCode::Malformed);
        }
        if let LedgerKey::ContractData(cd) = k {
            if xdr_bytes(&cd.key).len() as u32 > s.contract_data_key_size_bytes {
                return Err(TxCode::SorobanInvalid);
            }
        }
    }
    let restored = restored_indices(d);
    let mut last: Option<u32> = None;
    for &i in &restored {
        if i as usize >= fp.read_write.len()
            || last.is_some_and(|l| l >= i)
            || !is_persistent(&fp.read_write[i as usize])
        {
            return Err(TxCode::Malformed);
        }
        last = Some(i);
    }
    let res = declared_resources(ledger, d, envelope_size);
    if i64::from(res.instructions) > s.tx_max_instructions
        || res.disk_read_bytes > s.tx_max_disk_read_bytes
        || res.write_bytes > s.tx_max_write_bytes
        || (fp.read_only.len() + fp.read_write.len()) as u32 > s.tx_max_footprint_entries
        || res.write_entries > s.tx_max_write_entries
        || res.disk_read_entries > s.tx_max_disk_read_entries
        || envelope_size > s.tx_max_size_bytes
    {
        return Err(TxCode::SorobanInvalid);
    }
    match tx.operations.first().map(|o| &o.body) {
        Some(OperationBody::ExtendFootprintTtl(_))
            if !fp.read_write.is_empty() || fp.read_only.iter().any(|k| !is_soroban(k)) =>
        {
            Err(TxCode::Malformed)
        }
        Some(OperationBody::RestoreFootprint(_))
            if !fp.read_only.is_empty() || fp.read_write.iter().any(|k| !is_persistent(k)) =>
        {
            Err(TxCode::Malformed)
        }
        _ => Ok(()),
    }
}

fn invoke_result(r: InvokeHostFunctionResult, success: bool) -> OpOutcome {
    OpOutcome::classic(
        OperationResult::OpInner(OperationResultTr::InvokeHostFunction(r)),
        success,
    )
}

fn events_fee(ctx: &OpContext, bytes: u32) -> i64 {
    let res = TransactionResources {
        instructions: 0,
        disk_read_entries: 0,
        write_entries: 0,
        disk_read_bytes: 0,
        write_bytes: 0,
        contract_events_size_bytes: bytes,
        transaction_size_bytes: 0,
    };
    compute_transaction_resource_fee(&res, &ctx.ledger.settings.fee_configuration()).1
}

fn rent_config(ctx: &OpContext) -> soroban_env_host::fees::RentFeeConfiguration {
    ctx.ledger
        .settings
        .rent_fee_configuration(ctx.ledger.state_size)
}

fn size_for_rent(entry: &LedgerEntry) -> u32 {
    let xdr_size = xdr_bytes(entry).len() as u32;
    entry_size_for_rent(&Budget::default(), entry, xdr_size).unwrap_or(xdr_size)
}

pub fn invoke(w: &mut Working, ctx: &OpContext, op: &InvokeHostFunctionOp) -> OpOutcome {
    let d = data(ctx.tx).expect("validated Soroban transaction").clone();
    let seq = ctx.seq;
    let restored = restored_indices(&d);
    let fp = &d.resources.footprint;
    let mut entries_xdr: Vec<Vec<u8>> = Vec::new();
    let mut ttls_xdr: Vec<Vec<u8>> = Vec::new();
    let mut disk_read = 0u32;
    let keys = fp.read_only.iter().map(|k| (k, None)).chain(
        fp.read_write
            .iter()
            .enumerate()
            .map(|(i, k)| (k, Some(i as u32))),
    );
    for (key, rw_index) in keys {
        let Some(stored) = w.get(key).cloned() else {
            continue;
        };
        let mut live_until = stored.live_until;
        if is_soroban(key) {
            if stored.live_until.is_some_and(|l| l < seq) {
                if !is_persistent(key) {
                    continue; // an expired temporary entry does not exist
                }
                if rw_index.is_some_and(|i| restored.contains(&i)) {
                    live_until = Some(seq);
                    disk_read =
                        disk_read.saturating_add(xdr_bytes(stored.entry.as_ref()).len() as u32);
                } else {
                    return invoke_result(InvokeHostFunctionResult::EntryArchived, false);
                }
            }
        } else {
            disk_read = disk_read.saturating_add(xdr_bytes(stored.entry.as_ref()).len() as u32);
        }
        entries_xdr.push(xdr_bytes(stored.entry.as_ref()));
        ttls_xdr.push(match live_until {
            Some(l) => xdr_bytes(&TtlEntry {
                key_hash: Hash(ttl_key_hash(key)),
                live_until_ledger_seq: l,
            }),
            None => vec![],
        });
    }
    if disk_read > d.resources.disk_read_bytes {
        return invoke_result(InvokeHostFunctionResult::ResourceLimitExceeded, false);
    }
    let budget = match ctx.ledger.settings.budget(d.resources.instructions) {
        Ok(b) => b,
        Err(_) => return invoke_result(InvokeHostFunctionResult::ResourceLimitExceeded, false),
    };
    let mut seed_input = ctx.tx_hash.to_vec();
    seed_input.extend_from_slice(&ctx.op_index.to_be_bytes());
    let seed = sha256(&seed_input);
    let auth: Vec<Vec<u8>> = op.auth.iter().map(xdr_bytes).collect();
    let mut diagnostics = Vec::new();
    let source = xdr_bytes(&ctx.source);
    let host_fn = xdr_bytes(&op.host_function);
    let resources = xdr_bytes(&d.resources);
    let seed = seed.to_vec();
    let outcome = invoke_host_function(
        &budget,
        true, // diagnostic events, as stellar-core with diagnostics enabled
        &host_fn,
        &resources,
        &restored,
        &source,
        auth.iter(),
        ctx.ledger.ledger_info(seq, ctx.time),
        entries_xdr.iter(),
        ttls_xdr.iter(),
        &seed,
        &mut diagnostics,
        None,
        Some(ctx.ledger.module_cache.clone()),
    );
    let failure = |e: &soroban_env_host::HostError,
                   diagnostics: Vec<soroban_env_host::xdr::DiagnosticEvent>| {
        let code = if e.error.is_type(ScErrorType::Budget)
            && e.error.is_code(ScErrorCode::ExceededLimit)
        {
            InvokeHostFunctionResult::ResourceLimitExceeded
        } else {
            InvokeHostFunctionResult::Trapped
        };
        let mut o = invoke_result(code, false);
        o.diagnostics = diagnostics;
        o
    };
    let r = match outcome {
        Ok(r) => r,
        Err(e) => return failure(&e, diagnostics),
    };
    let ret_bytes = match &r.encoded_invoke_result {
        Ok(b) => b.clone(),
        Err(e) => return failure(e, diagnostics),
    };
    let Ok(return_value) = ScVal::from_xdr(&ret_bytes, Limits::none()) else {
        return failure(
            &soroban_env_host::HostError::from((ScErrorType::Value, ScErrorCode::InvalidInput)),
            diagnostics,
        );
    };
    let events: Vec<ContractEvent> = r
        .encoded_contract_events
        .iter()
        .filter_map(|b| ContractEvent::from_xdr(b, Limits::none()).ok())
        .collect();
    // Counted as stellar-core counts them (`InvokeHostFunctionOpFrame`):
    // every read-write entry the host returns is written, unchanged or not;
    // contract events first, then the return value, against one limit.
    let write_bytes: u32 = r
        .ledger_changes
        .iter()
        .filter(|c| !c.read_only)
        .filter_map(|c| c.encoded_new_value.as_ref().map(|v| v.len() as u32))
        .sum();
    let contract_events_size: u32 = r
        .encoded_contract_events
        .iter()
        .map(|e| e.len() as u32)
        .sum();
    let events_size = contract_events_size + ret_bytes.len() as u32;
    let max_events = ctx.ledger.settings.tx_max_contract_events_size_bytes;
    // stellar-core's `validateContractLedgerEntry`: written contract data and
    // code must fit the network's entry size limits.
    let oversized = r.ledger_changes.iter().filter(|c| !c.read_only).any(|c| {
        let Some(v) = &c.encoded_new_value else {
            return false;
        };
        match LedgerEntry::from_xdr(v, Limits::none()).map(|e| e.data) {
            Ok(soroban_env_host::xdr::LedgerEntryData::ContractData(_)) => {
                v.len() as u32 > ctx.ledger.settings.contract_data_entry_size_bytes
            }
            Ok(soroban_env_host::xdr::LedgerEntryData::ContractCode(code)) => {
                code.code.len() as u32 > ctx.ledger.settings.contract_max_size_bytes
            }
            _ => false,
        }
    });
    let exceeded = if oversized {
        Some(("ledger entry size exceeds the network's maximum", 0, 0))
    } else if write_bytes > d.resources.write_bytes {
        Some((
            "operation byte-write resources exceeds amount specified",
            write_bytes,
            d.resources.write_bytes,
        ))
    } else if contract_events_size > max_events {
        Some((
            "total events size exceeds network config maximum",
            contract_events_size,
            max_events,
        ))
    } else if events_size > max_events {
        Some((
            "return value pushes events size above network config maximum",
            events_size,
            max_events,
        ))
    } else {
        None
    };
    if let Some((message, used, limit)) = exceeded {
        let mut o = invoke_result(InvokeHostFunctionResult::ResourceLimitExceeded, false);
        diagnostics.push(diagnostic_error(
            ScErrorType::Budget,
            ScErrorCode::ExceededLimit,
            message,
            vec![ScVal::U64(u64::from(used)), ScVal::U64(u64::from(limit))],
        ));
        o.diagnostics = diagnostics;
        return o;
    }
    let rent = compute_rent_fee(
        &extract_rent_changes(&r.ledger_changes),
        &rent_config(ctx),
        seq,
    );
    let refundable = rent + events_fee(ctx, events_size);
    if refundable > ctx.refundable_available {
        let mut o = invoke_result(InvokeHostFunctionResult::InsufficientRefundableFee, false);
        o.diagnostics = diagnostics;
        return o;
    }
    for c in &r.ledger_changes {
        let Ok(key) = LedgerKey::from_xdr(&c.encoded_key, Limits::none()) else {
            continue;
        };
        let new_live = c.ttl_change.as_ref().map(|t| t.new_live_until_ledger);
        if c.read_only {
            if let (Some(t), Some(stored)) = (&c.ttl_change, w.get(&key)) {
                if stored
                    .live_until
                    .is_some_and(|l| t.new_live_until_ledger > l)
                {
                    w.set_ttl(&key, t.new_live_until_ledger);
                }
            }
            continue;
        }
        match &c.encoded_new_value {
            Some(v) => {
                let Ok(entry) = LedgerEntry::from_xdr(v, Limits::none()) else {
                    continue;
                };
                if let soroban_env_host::xdr::LedgerEntryData::ContractCode(code) = &entry.data {
                    ctx.ledger.cache_module(code);
                }
                let unchanged = w.get(&key).is_some_and(|s: &StoredEntry| {
                    s.live_until == new_live
                        && s.entry.data == entry.data
                        && s.entry.ext == entry.ext
                });
                if !unchanged {
                    w.put(key, entry, new_live);
                }
            }
            None => {
                if w.get(&key).is_some() {
                    w.remove(&key);
                }
            }
        }
    }
    let hash = sha256(&xdr_bytes(&InvokeHostFunctionSuccessPreImage {
        return_value: return_value.clone(),
        events: events.clone().try_into().unwrap_or_default(),
    }));
    OpOutcome {
        result: OperationResult::OpInner(OperationResultTr::InvokeHostFunction(
            InvokeHostFunctionResult::Success(Hash(hash)),
        )),
        success: true,
        events,
        diagnostics,
        return_value: Some(return_value),
        refundable_consumed: refundable,
        rent_fee: rent,
    }
}

pub fn extend_ttl(w: &mut Working, ctx: &OpContext, op: &ExtendFootprintTtlOp) -> OpOutcome {
    let result = |r: ExtendFootprintTtlResult, ok: bool| {
        OpOutcome::classic(
            OperationResult::OpInner(OperationResultTr::ExtendFootprintTtl(r)),
            ok,
        )
    };
    let s = &ctx.ledger.settings;
    if op.extend_to > s.max_entry_ttl - 1 {
        return result(ExtendFootprintTtlResult::Malformed, false);
    }
    let d = data(ctx.tx).expect("validated Soroban transaction");
    let new_live = ctx.seq.saturating_add(op.extend_to);
    let (mut keys, mut rent_changes) = (Vec::new(), Vec::new());
    for key in d.resources.footprint.read_only.iter() {
        let Some(stored) = w.get(key).cloned() else {
            continue;
        };
        let Some(old) = stored.live_until else {
            continue;
        };
        if old < ctx.seq || old >= new_live {
            continue; // archived or expired entries are not extended; long-lived ones need nothing
        }
        let size = size_for_rent(&stored.entry);
        keys.push(key.clone());
        rent_changes.push(LedgerEntryRentChange {
            is_persistent: is_persistent(key),
            is_code_entry: matches!(key, LedgerKey::ContractCode(_)),
            old_size_bytes: size,
            new_size_bytes: size,
            old_live_until_ledger: old,
            new_live_until_ledger: new_live,
        });
    }
    let fee = compute_rent_fee(&rent_changes, &rent_config(ctx), ctx.seq);
    if fee > ctx.refundable_available {
        return result(ExtendFootprintTtlResult::InsufficientRefundableFee, false);
    }
    for key in keys {
        w.set_ttl(&key, new_live);
    }
    let mut o = result(ExtendFootprintTtlResult::Success, true);
    o.refundable_consumed = fee;
    o.rent_fee = fee;
    o
}

pub fn restore(w: &mut Working, ctx: &OpContext) -> OpOutcome {
    let result = |r: RestoreFootprintResult, ok: bool| {
        OpOutcome::classic(
            OperationResult::OpInner(OperationResultTr::RestoreFootprint(r)),
            ok,
        )
    };
    let d = data(ctx.tx).expect("validated Soroban transaction");
    let new_live = ctx
        .seq
        .saturating_add(ctx.ledger.settings.min_persistent_ttl - 1);
    let (mut keys, mut rent_changes) = (Vec::new(), Vec::new());
    let (mut read, mut written) = (0u32, 0u32);
    for key in d.resources.footprint.read_write.iter() {
        let Some(stored) = w.get(key).cloned() else {
            continue;
        };
        if !Ledger::is_archived(key, &stored, ctx.seq) {
            continue;
        }
        let xdr_size = xdr_bytes(stored.entry.as_ref()).len() as u32;
        read = read.saturating_add(xdr_size);
        written = written.saturating_add(xdr_size);
        keys.push(key.clone());
        rent_changes.push(LedgerEntryRentChange {
            is_persistent: true,
            is_code_entry: matches!(key, LedgerKey::ContractCode(_)),
            old_size_bytes: 0,
            new_size_bytes: size_for_rent(&stored.entry),
            old_live_until_ledger: 0,
            new_live_until_ledger: new_live,
        });
    }
    if read > d.resources.disk_read_bytes || written > d.resources.write_bytes {
        return result(RestoreFootprintResult::ResourceLimitExceeded, false);
    }
    let fee = compute_rent_fee(&rent_changes, &rent_config(ctx), ctx.seq);
    if fee > ctx.refundable_available {
        return result(RestoreFootprintResult::InsufficientRefundableFee, false);
    }
    for key in keys {
        w.set_ttl(&key, new_live);
    }
    let mut o = result(RestoreFootprintResult::Success, true);
    o.refundable_consumed = fee;
    o.rent_fee = fee;
    o
}

/// A diagnostic error event as stellar-core emits one (`pushError`): topics
/// `["error", Error(type, code)]`, data `[message, args...]`.
pub fn diagnostic_error(
    ty: ScErrorType,
    code: ScErrorCode,
    message: &str,
    args: Vec<ScVal>,
) -> soroban_env_host::xdr::DiagnosticEvent {
    use soroban_env_host::xdr::{
        ContractEventBody, ContractEventType, ContractEventV0, DiagnosticEvent, ExtensionPoint,
        ScError, ScString, ScSymbol, ScVec,
    };
    let error = match ty {
        ScErrorType::Budget => ScError::Budget(code),
        ScErrorType::Value => ScError::Value(code),
        ScErrorType::Storage => ScError::Storage(code),
        _ => ScError::Context(code),
    };
    let mut data = vec![ScVal::String(ScString(
        message.as_bytes().to_vec().try_into().unwrap_or_default(),
    ))];
    data.extend(args);
    DiagnosticEvent {
        in_successful_contract_call: false,
        event: ContractEvent {
            ext: ExtensionPoint::V0,
            contract_id: None,
            type_: ContractEventType::Diagnostic,
            body: ContractEventBody::V0(ContractEventV0 {
                topics: vec![
                    ScVal::Symbol(ScSymbol("error".try_into().expect("short symbol"))),
                    ScVal::Error(error),
                ]
                .try_into()
                .expect("two topics"),
                data: ScVal::Vec(Some(ScVec(data.try_into().unwrap_or_default()))),
            }),
        },
    }
}

/// Why a Soroban transaction was refused at submission, as a diagnostic
/// event (stellar-core returns one with `txSOROBAN_INVALID` and friends, and
/// stellar-rpc passes it on as `diagnosticEventsXdr`).
pub fn explain_rejection(
    ledger: &Ledger,
    tx: &Transaction,
    envelope_size: u32,
    code: TxCode,
) -> Option<soroban_env_host::xdr::DiagnosticEvent> {
    let d = data(tx)?;
    let s = &ledger.settings;
    let u = |v: u64| ScVal::U64(v);
    match code {
        TxCode::InsufficientFee => {
            let res = declared_resources(ledger, d, envelope_size);
            let (non_refundable, _) =
                compute_transaction_resource_fee(&res, &s.fee_configuration());
            Some(diagnostic_error(
                ScErrorType::Storage,
                ScErrorCode::InvalidInput,
                "transaction's declared resource fee is below the non-refundable fee its resources cost, or its fee is below that plus the inclusion fee",
                vec![u(d.resource_fee.max(0) as u64), u(non_refundable.max(0) as u64)],
            ))
        }
        TxCode::SorobanInvalid => {
            let res = declared_resources(ledger, d, envelope_size);
            let fp = &d.resources.footprint;
            let checks: [(&str, u64, u64); 8] = [
                ("instructions", u64::from(res.instructions), s.tx_max_instructions.max(0) as u64),
                ("disk read bytes", u64::from(res.disk_read_bytes), u64::from(s.tx_max_disk_read_bytes)),
                ("write bytes", u64::from(res.write_bytes), u64::from(s.tx_max_write_bytes)),
                ("footprint entries", (fp.read_only.len() + fp.read_write.len()) as u64, u64::from(s.tx_max_footprint_entries)),
                ("write entries", u64::from(res.write_entries), u64::from(s.tx_max_write_entries)),
                ("disk read entries", u64::from(res.disk_read_entries), u64::from(s.tx_max_disk_read_entries)),
                ("transaction size", u64::from(envelope_size), u64::from(s.tx_max_size_bytes)),
                ("contract data key size", 0, 0),
            ];
            let (what, declared, limit) = checks
                .iter()
                .find(|(_, v, l)| v > l)
                .copied()
                .unwrap_or(("contract data key size", 0, u64::from(s.contract_data_key_size_bytes)));
            Some(diagnostic_error(
                ScErrorType::Budget,
                ScErrorCode::ExceededLimit,
                &format!("transaction {what} exceed the network's per-transaction limit"),
                vec![u(declared), u(limit)],
            ))
        }
        TxCode::Malformed => Some(diagnostic_error(
            ScErrorType::Value,
            ScErrorCode::InvalidInput,
            "malformed Soroban transaction: one Soroban operation with SorobanTransactionData, a footprint of distinct data/code/account/trustline keys, valid archived-entry indices",
            vec![],
        )),
        _ => None,
    }
}
