//! simulateTransaction's JSON, rendered from the domain outcome of
//! `crate::simulate`, in stellar-rpc's shape.

use serde_json::{json, Value};

use super::wire::xdr_b64;
use super::RpcError;
use crate::simulate::{ChangeKind, Simulation};

pub fn render(sim: Result<Simulation, crate::simulate::InvalidRequest>) -> Result<Value, RpcError> {
    let sim = sim.map_err(|e| RpcError::invalid_params(e.0))?;
    Ok(match sim {
        Simulation::Refused(error) => json!({"error": error, "latestLedger": 0}),
        Simulation::Failed {
            error,
            events,
            latest,
        } => json!({
            "error": error,
            "events": events.iter().map(xdr_b64).collect::<Vec<_>>(),
            "latestLedger": latest,
        }),
        Simulation::Invoke {
            latest,
            result,
            auth,
            data,
            events,
            cpu_insns,
            mem_bytes,
            state_changes,
        } => json!({
            "latestLedger": latest,
            "minResourceFee": data.resource_fee.to_string(),
            "transactionData": xdr_b64(&data),
            "results": [{"auth": auth.iter().map(xdr_b64).collect::<Vec<_>>(), "xdr": xdr_b64(&result)}],
            "events": events.iter().map(xdr_b64).collect::<Vec<_>>(),
            "cost": {"cpuInsns": cpu_insns.to_string(), "memBytes": mem_bytes.to_string()},
            "stateChanges": state_changes.iter().map(|c| json!({
                "type": match c.kind {
                    ChangeKind::Created => "created",
                    ChangeKind::Updated => "updated",
                    ChangeKind::Deleted => "deleted",
                },
                "key": xdr_b64(&c.key),
                "before": c.before.as_ref().map(xdr_b64),
                "after": c.after.as_ref().map(xdr_b64),
            })).collect::<Vec<_>>(),
        }),
        Simulation::Footprint { latest, data } => json!({
            "latestLedger": latest,
            "minResourceFee": data.resource_fee.to_string(),
            "transactionData": xdr_b64(&data),
            "events": [],
        }),
    })
}
