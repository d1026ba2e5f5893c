//! simulateTransaction: preflight with soroban-simulation against a snapshot
//! of the ledger, shaped like stellar-rpc's preflight (recorded or enforced
//! auth, resource leeway, automatic restore of archived entries, state changes).

use std::rc::Rc;

use serde_json::{json, Value};
use soroban_env_host::e2e_invoke::RecordingInvocationAuthMode;
use soroban_env_host::xdr::{OperationBody, TransactionEnvelope, TransactionExt};
use soroban_simulation::simulation::{
    simulate_extend_ttl_op, simulate_invoke_host_function_op, simulate_restore_op,
    SimulationAdjustmentConfig,
};

use super::wire::xdr_b64;
use super::RpcError;
use crate::apply::normalize;
use crate::ledger::keys::{entry_key, muxed_to_account};
use crate::ledger::Ledger;

pub struct Options {
    pub auth_mode: Option<String>,
    pub use_address_v2: bool,
    pub instruction_leeway: Option<u64>,
}

pub fn simulate(
    ledger: &Ledger,
    env: &TransactionEnvelope,
    opts: Options,
) -> Result<Value, RpcError> {
    let latest = ledger.seq();
    let (tx, _, _) = normalize(env);
    // Requests stellar-rpc refuses before simulating answer `error` (and
    // `latestLedger` 0), with its messages.
    let refuse = |m: String| Ok(json!({"error": m, "latestLedger": 0}));
    if tx.operations.len() != 1 {
        return refuse("Transaction contains more than one operation".into());
    }
    let op = &tx.operations[0];
    let auth_mode = opts.auth_mode.as_deref().unwrap_or("");
    if !["", "enforce", "record", "record_allow_nonroot"].contains(&auth_mode) {
        return refuse(
            "optional 'authMode' must be one of enforce,record,record_allow_nonroot when included"
                .into(),
        );
    }
    match &op.body {
        OperationBody::InvokeHostFunction(ihf)
            if !ihf.auth.is_empty() && auth_mode.starts_with("record") =>
        {
            return refuse(format!(
                "cannot set authMode to '{auth_mode}' with an auth footprint"
            ));
        }
        OperationBody::InvokeHostFunction(_) => {}
        OperationBody::ExtendFootprintTtl(_) | OperationBody::RestoreFootprint(_) => {
            if !auth_mode.is_empty() {
                return refuse("cannot set authMode with non-InvokeHostFunction operations".into());
            }
            if !matches!(tx.ext, TransactionExt::V1(_)) {
                return refuse("To perform a SimulateTransaction for ExtendFootprintTtl or RestoreFootprint operations, SorobanTransactionData must be provided".into());
            }
        }
        other => {
            return refuse(format!(
                "transaction contains unsupported operation type: OperationType{}",
                other.name()
            ))
        }
    }
    let source = op
        .source_account
        .as_ref()
        .map(muxed_to_account)
        .unwrap_or_else(|| muxed_to_account(&tx.source_account));
    // Like stellar-rpc: the next ledger's sequence number (so the effects of
    // the latest ledger are visible) at the latest ledger's close time, never
    // the wall clock, so a simulation is a pure function of the closed state.
    let seq = latest + 1;
    let info = ledger.ledger_info(seq, ledger.close_time());
    let network = ledger.settings.network_config(ledger.state_size);
    let snapshot = Rc::new(ledger.snapshot(seq));
    let mut adjust = SimulationAdjustmentConfig::default_adjustment();
    if let Some(l) = opts.instruction_leeway {
        let l = u32::try_from(l)
            .map_err(|_| RpcError::invalid_params("instructionLeeway is too large"))?;
        adjust.instructions.additive_factor = adjust.instructions.additive_factor.max(l);
    }
    match &op.body {
        OperationBody::InvokeHostFunction(ihf) => {
            let auth_mode = match opts.auth_mode.as_deref() {
                Some("enforce") => RecordingInvocationAuthMode::Enforcing(ihf.auth.to_vec()),
                Some("record") => RecordingInvocationAuthMode::recording(true, opts.use_address_v2),
                Some("record_allow_nonroot") => {
                    RecordingInvocationAuthMode::recording(false, opts.use_address_v2)
                }
                Some("") | None => {
                    if ihf.auth.is_empty() {
                        RecordingInvocationAuthMode::recording(true, opts.use_address_v2)
                    } else {
                        RecordingInvocationAuthMode::Enforcing(ihf.auth.to_vec())
                    }
                }
                Some(other) => {
                    return Err(RpcError::invalid_params(format!(
                        "invalid authMode: {other}"
                    )))
                }
            };
            let seed: [u8; 32] = rand::random();
            let r = simulate_invoke_host_function_op(
                snapshot,
                &network,
                &adjust,
                &info,
                ihf.host_function.clone(),
                auth_mode,
                &source,
                seed,
                true,
            );
            let r = match r {
                Ok(r) => r,
                Err(e) => return Ok(json!({"error": format!("{e:?}"), "latestLedger": latest})),
            };
            let events: Vec<String> = r.diagnostic_events.iter().map(xdr_b64).collect();
            let cost = json!({"cpuInsns": r.simulated_instructions.to_string(), "memBytes": r.simulated_memory.to_string()});
            match (&r.invoke_result, &r.transaction_data) {
                (Ok(retval), Some(data)) => {
                    let state_changes: Vec<Value> = r
                        .modified_entries
                        .iter()
                        .filter_map(|d| {
                            let (kind, key) = match (&d.state_before, &d.state_after) {
                                (None, Some(a)) => ("created", entry_key(a)),
                                (Some(b), None) => ("deleted", entry_key(b)),
                                (Some(_), Some(a)) => ("updated", entry_key(a)),
                                (None, None) => return None,
                            };
                            Some(json!({
                                "type": kind,
                                "key": xdr_b64(&key),
                                "before": d.state_before.as_ref().map(xdr_b64),
                                "after": d.state_after.as_ref().map(xdr_b64),
                            }))
                        })
                        .collect();
                    Ok(json!({
                        "latestLedger": latest,
                        "minResourceFee": data.resource_fee.to_string(),
                        "transactionData": xdr_b64(data),
                        "results": [{"auth": r.auth.iter().map(xdr_b64).collect::<Vec<_>>(), "xdr": xdr_b64(retval)}],
                        "events": events,
                        "cost": cost,
                        "stateChanges": state_changes,
                    }))
                }
                (Err(e), _) => Ok(
                    json!({"error": format!("HostError: {e:?}"), "events": events, "latestLedger": latest}),
                ),
                (Ok(_), None) => Ok(
                    json!({"error": "simulation produced no transaction data", "events": events, "latestLedger": latest}),
                ),
            }
        }
        OperationBody::ExtendFootprintTtl(op) => {
            let TransactionExt::V1(d) = &tx.ext else {
                return Ok(
                    json!({"error": "ExtendFootprintTtl needs the footprint in the transaction's SorobanTransactionData", "latestLedger": latest}),
                );
            };
            let keys = d.resources.footprint.read_only.to_vec();
            match simulate_extend_ttl_op(
                snapshot.as_ref(),
                &network,
                &adjust,
                &info,
                &keys,
                op.extend_to,
            ) {
                Ok(r) => Ok(json!({
                    "latestLedger": latest,
                    "minResourceFee": r.transaction_data.resource_fee.to_string(),
                    "transactionData": xdr_b64(&r.transaction_data),
                    "events": [],
                })),
                Err(e) => Ok(json!({"error": e.to_string(), "latestLedger": latest})),
            }
        }
        OperationBody::RestoreFootprint(_) => {
            let TransactionExt::V1(d) = &tx.ext else {
                return Ok(
                    json!({"error": "RestoreFootprint needs the footprint in the transaction's SorobanTransactionData", "latestLedger": latest}),
                );
            };
            let keys = d.resources.footprint.read_write.to_vec();
            match simulate_restore_op(snapshot.as_ref(), &network, &adjust, &info, &keys) {
                Ok(r) => Ok(json!({
                    "latestLedger": latest,
                    "minResourceFee": r.transaction_data.resource_fee.to_string(),
                    "transactionData": xdr_b64(&r.transaction_data),
                    "events": [],
                })),
                Err(e) => Ok(json!({"error": e.to_string(), "latestLedger": latest})),
            }
        }
        other => Ok(json!({
            "error": format!("Transaction contains unsupported operation type: {}", other.name()),
            "latestLedger": latest,
        })),
    }
}
