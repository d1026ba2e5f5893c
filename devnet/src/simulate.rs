//! Preflight with soroban-simulation against a snapshot of the ledger, with
//! stellar-rpc's semantics: the next ledger's sequence number at the latest
//! closed ledger's close time; recorded or enforced auth, resource leeway,
//! automatic restore of archived entries, state changes. Requests stellar-rpc
//! refuses before simulating are `Refused` with its messages. Answers a domain
//! outcome; `rpc::simulate` renders it.

use std::rc::Rc;

use soroban_env_host::e2e_invoke::RecordingInvocationAuthMode;
use soroban_env_host::xdr::{
    DiagnosticEvent, LedgerEntry, LedgerKey, OperationBody, ScVal, SorobanAuthorizationEntry,
    SorobanTransactionData, TransactionEnvelope, TransactionExt,
};
use soroban_simulation::simulation::{
    simulate_extend_ttl_op, simulate_invoke_host_function_op, simulate_restore_op,
    SimulationAdjustmentConfig,
};

use crate::apply::normalize;
use crate::ledger::keys::{entry_key, muxed_to_account};
use crate::ledger::Ledger;

pub struct Options {
    pub auth_mode: Option<String>,
    pub use_address_v2: bool,
    pub instruction_leeway: Option<u64>,
}

/// How an entry would change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    Created,
    Updated,
    Deleted,
}

#[derive(Debug, Clone)]
pub struct StateChange {
    pub kind: ChangeKind,
    pub key: LedgerKey,
    pub before: Option<LedgerEntry>,
    pub after: Option<LedgerEntry>,
}

/// What a simulation found.
#[derive(Debug, Clone)]
pub enum Simulation {
    /// Refused before simulating (stellar-rpc answers these with `latestLedger` 0).
    Refused(String),
    /// Simulated, and the invocation or the footprint operation failed.
    Failed {
        error: String,
        events: Vec<DiagnosticEvent>,
        latest: u32,
    },
    /// An invocation that succeeded.
    Invoke {
        latest: u32,
        result: ScVal,
        auth: Vec<SorobanAuthorizationEntry>,
        data: SorobanTransactionData,
        events: Vec<DiagnosticEvent>,
        cpu_insns: u64,
        mem_bytes: u64,
        state_changes: Vec<StateChange>,
    },
    /// ExtendFootprintTtl or RestoreFootprint.
    Footprint {
        latest: u32,
        data: SorobanTransactionData,
    },
}

/// A request that is invalid as a whole (a JSON-RPC parameter error).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidRequest(pub String);

pub fn simulate(
    ledger: &Ledger,
    env: &TransactionEnvelope,
    opts: Options,
) -> Result<Simulation, InvalidRequest> {
    let latest = ledger.seq();
    let (tx, _, _) = normalize(env);
    let refuse = |m: String| Ok(Simulation::Refused(m));
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
            .map_err(|_| InvalidRequest("instructionLeeway is too large".into()))?;
        adjust.instructions.additive_factor = adjust.instructions.additive_factor.max(l);
    }
    let footprint = |r: Result<SorobanTransactionData, String>| {
        Ok(match r {
            Ok(data) => Simulation::Footprint { latest, data },
            Err(error) => Simulation::Failed {
                error,
                events: vec![],
                latest,
            },
        })
    };
    match &op.body {
        OperationBody::InvokeHostFunction(ihf) => {
            let auth = match auth_mode {
                "enforce" => RecordingInvocationAuthMode::Enforcing(ihf.auth.to_vec()),
                "record" => RecordingInvocationAuthMode::recording(true, opts.use_address_v2),
                "record_allow_nonroot" => {
                    RecordingInvocationAuthMode::recording(false, opts.use_address_v2)
                }
                _ if ihf.auth.is_empty() => {
                    RecordingInvocationAuthMode::recording(true, opts.use_address_v2)
                }
                _ => RecordingInvocationAuthMode::Enforcing(ihf.auth.to_vec()),
            };
            let r = match simulate_invoke_host_function_op(
                snapshot,
                &network,
                &adjust,
                &info,
                ihf.host_function.clone(),
                auth,
                &source,
                rand::random(),
                true,
            ) {
                Ok(r) => r,
                Err(e) => {
                    return Ok(Simulation::Failed {
                        error: format!("{e:?}"),
                        events: vec![],
                        latest,
                    })
                }
            };
            match (r.invoke_result, r.transaction_data) {
                (Ok(result), Some(data)) => {
                    let state_changes = r
                        .modified_entries
                        .into_iter()
                        .filter_map(|d| {
                            let (kind, key) = match (&d.state_before, &d.state_after) {
                                (None, Some(a)) => (ChangeKind::Created, entry_key(a)),
                                (Some(b), None) => (ChangeKind::Deleted, entry_key(b)),
                                (Some(_), Some(a)) => (ChangeKind::Updated, entry_key(a)),
                                (None, None) => return None,
                            };
                            Some(StateChange {
                                kind,
                                key,
                                before: d.state_before,
                                after: d.state_after,
                            })
                        })
                        .collect();
                    Ok(Simulation::Invoke {
                        latest,
                        result,
                        auth: r.auth,
                        data,
                        events: r.diagnostic_events,
                        cpu_insns: u64::from(r.simulated_instructions),
                        mem_bytes: u64::from(r.simulated_memory),
                        state_changes,
                    })
                }
                (Err(e), _) => Ok(Simulation::Failed {
                    error: format!("HostError: {e:?}"),
                    events: r.diagnostic_events,
                    latest,
                }),
                (Ok(_), None) => Ok(Simulation::Failed {
                    error: "simulation produced no transaction data".into(),
                    events: r.diagnostic_events,
                    latest,
                }),
            }
        }
        OperationBody::ExtendFootprintTtl(op) => {
            let TransactionExt::V1(d) = &tx.ext else {
                unreachable!("checked above");
            };
            let keys = d.resources.footprint.read_only.to_vec();
            footprint(
                simulate_extend_ttl_op(
                    snapshot.as_ref(),
                    &network,
                    &adjust,
                    &info,
                    &keys,
                    op.extend_to,
                )
                .map(|r| r.transaction_data)
                .map_err(|e| e.to_string()),
            )
        }
        OperationBody::RestoreFootprint(_) => {
            let TransactionExt::V1(d) = &tx.ext else {
                unreachable!("checked above");
            };
            let keys = d.resources.footprint.read_write.to_vec();
            footprint(
                simulate_restore_op(snapshot.as_ref(), &network, &adjust, &info, &keys)
                    .map(|r| r.transaction_data)
                    .map_err(|e| e.to_string()),
            )
        }
        _ => unreachable!("refused above"),
    }
}
