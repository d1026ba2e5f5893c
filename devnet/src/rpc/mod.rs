//! JSON-RPC 2.0 front: request envelope parsing, batching, error codes and
//! method dispatch. Every input problem becomes a JSON-RPC error; nothing in
//! here panics on user input.

pub mod methods;
pub mod simulate;
pub mod wire;

use serde_json::{json, Value};

use crate::node::Node;

pub const PARSE_ERROR: i64 = -32700;
pub const INVALID_REQUEST: i64 = -32600;
pub const METHOD_NOT_FOUND: i64 = -32601;
pub const INVALID_PARAMS: i64 = -32602;
pub const INTERNAL_ERROR: i64 = -32603;

/// Most requests a batch may hold.
pub const MAX_BATCH: usize = 100;

#[derive(Debug, Clone, PartialEq)]
pub struct RpcError {
    pub code: i64,
    pub message: String,
}

impl RpcError {
    pub fn invalid_params(message: impl Into<String>) -> RpcError {
        RpcError {
            code: INVALID_PARAMS,
            message: message.into(),
        }
    }
    pub fn internal(message: impl Into<String>) -> RpcError {
        RpcError {
            code: INTERNAL_ERROR,
            message: message.into(),
        }
    }
}

fn error_response(id: Value, e: &RpcError) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "error": {"code": e.code, "message": e.message}})
}

/// Handles a raw request body; returns the response body (None for a batch
/// of notifications only, per JSON-RPC 2.0).
pub fn handle_body(node: &Node, body: &[u8]) -> Option<Value> {
    let parsed: Value = match serde_json::from_slice(body) {
        Ok(v) => v,
        Err(e) => {
            return Some(error_response(
                Value::Null,
                &RpcError {
                    code: PARSE_ERROR,
                    message: format!("parse error: {e}"),
                },
            ))
        }
    };
    match parsed {
        Value::Array(items) => {
            if items.is_empty() {
                return Some(error_response(
                    Value::Null,
                    &RpcError {
                        code: INVALID_REQUEST,
                        message: "empty batch".into(),
                    },
                ));
            }
            if items.len() > MAX_BATCH {
                return Some(error_response(
                    Value::Null,
                    &RpcError {
                        code: INVALID_REQUEST,
                        message: format!("batch holds more than {MAX_BATCH} requests"),
                    },
                ));
            }
            let out: Vec<Value> = items
                .into_iter()
                .filter_map(|r| handle_one(node, r))
                .collect();
            if out.is_empty() {
                None
            } else {
                Some(Value::Array(out))
            }
        }
        other => handle_one(node, other),
    }
}

fn handle_one(node: &Node, req: Value) -> Option<Value> {
    let Value::Object(mut obj) = req else {
        return Some(error_response(
            Value::Null,
            &RpcError {
                code: INVALID_REQUEST,
                message: "request must be an object".into(),
            },
        ));
    };
    let id = obj.remove("id");
    let is_notification = id.is_none();
    let id = match id {
        None => Value::Null,
        Some(v @ (Value::Null | Value::Number(_) | Value::String(_))) => v,
        Some(_) => {
            return Some(error_response(
                Value::Null,
                &RpcError {
                    code: INVALID_REQUEST,
                    message: "id must be a string, number or null".into(),
                },
            ))
        }
    };
    if obj.get("jsonrpc") != Some(&Value::String("2.0".into())) {
        return Some(error_response(
            id,
            &RpcError {
                code: INVALID_REQUEST,
                message: "jsonrpc must be \"2.0\"".into(),
            },
        ));
    }
    let Some(Value::String(method)) = obj.remove("method") else {
        return Some(error_response(
            id,
            &RpcError {
                code: INVALID_REQUEST,
                message: "method must be a string".into(),
            },
        ));
    };
    let params = obj.remove("params").unwrap_or(Value::Null);
    let params = match params {
        Value::Null => Value::Object(Default::default()),
        Value::Object(_) => params,
        Value::Array(a) if a.is_empty() => Value::Object(Default::default()),
        _ => {
            return Some(error_response(
                id,
                &RpcError::invalid_params("params must be an object"),
            ));
        }
    };
    let result = methods::dispatch(node, &method, params);
    if is_notification {
        return None;
    }
    Some(match result {
        Ok(v) => json!({"jsonrpc": "2.0", "id": id, "result": v}),
        Err(e) => error_response(id, &e),
    })
}
