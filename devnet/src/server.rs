//! HTTP front: JSON-RPC at `POST /rpc` (also `/soroban/rpc` and `/`),
//! friendbot at `/friendbot?addr=G...` (GET or POST, as the SDK POSTs),
//! liveness at `GET /health`; CORS open to any origin for browser dApps. Request bodies are capped at `MAX_BODY_BYTES`;
//! RPC work runs on the blocking pool so the Soroban host never stalls the
//! reactor.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use axum::body::{to_bytes, Body};
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde_json::{json, Value};

use crate::node::Node;
use crate::rpc;

/// Largest request body accepted: a maximum-size transaction (132 KiB)
/// base64-encoded, with room for a batch of a few.
pub const MAX_BODY_BYTES: usize = 1 << 20;

fn json_response(status: StatusCode, v: &Value) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        v.to_string(),
    )
        .into_response()
}

async fn rpc_handler(State(node): State<Arc<Node>>, body: Body) -> Response {
    let bytes = match to_bytes(body, MAX_BODY_BYTES).await {
        Ok(b) => b,
        Err(_) => {
            return json_response(
                StatusCode::PAYLOAD_TOO_LARGE,
                &json!({"jsonrpc": "2.0", "id": null, "error": {"code": rpc::INVALID_REQUEST, "message": format!("request body larger than {MAX_BODY_BYTES} bytes")}}),
            )
        }
    };
    let out = tokio::task::spawn_blocking(move || rpc::handle_body(&node, &bytes)).await;
    match out {
        Ok(Some(v)) => json_response(StatusCode::OK, &v),
        Ok(None) => StatusCode::NO_CONTENT.into_response(),
        Err(_) => json_response(
            StatusCode::OK,
            &json!({"jsonrpc": "2.0", "id": null, "error": {"code": rpc::INTERNAL_ERROR, "message": "internal error"}}),
        ),
    }
}

async fn friendbot_handler(
    State(node): State<Arc<Node>>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let Some(addr) = q.get("addr").cloned() else {
        return json_response(
            StatusCode::BAD_REQUEST,
            &json!({"status": 400, "detail": "missing addr query parameter"}),
        );
    };
    let out = tokio::task::spawn_blocking(move || node.fund(&addr)).await;
    match out {
        Ok(Ok(f)) => json_response(
            StatusCode::OK,
            &json!({
                "hash": hex::encode(f.hash),
                "successful": true,
                "ledger": f.ledger,
                "envelope_xdr": rpc::wire::b64(&f.envelope_xdr),
                "result_xdr": rpc::wire::b64(&f.result_xdr),
                "result_meta_xdr": rpc::wire::b64(&f.meta_xdr),
            }),
        ),
        Ok(Err(e)) => json_response(
            StatusCode::from_u16(e.status).unwrap_or(StatusCode::BAD_REQUEST),
            &json!({"status": e.status, "title": "Bad Request", "detail": e.detail}),
        ),
        Err(_) => json_response(
            StatusCode::INTERNAL_SERVER_ERROR,
            &json!({"status": 500, "detail": "internal error"}),
        ),
    }
}

async fn health_handler(State(node): State<Arc<Node>>) -> Response {
    let latest = node.read().seq();
    json_response(
        StatusCode::OK,
        &json!({"status": "healthy", "latestLedger": latest}),
    )
}

/// CORS for browser dApps on another origin (any origin, like stellar-rpc;
/// the SDK sends its own `X-Client-*` headers, hence the wildcard).
async fn cors(mut res: Response) -> Response {
    use axum::http::HeaderValue;
    let h = res.headers_mut();
    h.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    h.insert(
        header::ACCESS_CONTROL_ALLOW_METHODS,
        HeaderValue::from_static("GET, POST, OPTIONS"),
    );
    h.insert(
        header::ACCESS_CONTROL_ALLOW_HEADERS,
        HeaderValue::from_static("*"),
    );
    h.insert(
        header::ACCESS_CONTROL_MAX_AGE,
        HeaderValue::from_static("86400"),
    );
    res
}

async fn preflight() -> StatusCode {
    StatusCode::NO_CONTENT
}

pub fn router(node: Arc<Node>) -> Router {
    Router::new()
        .route("/", post(rpc_handler).options(preflight))
        .route("/rpc", post(rpc_handler).options(preflight))
        .route("/soroban/rpc", post(rpc_handler).options(preflight))
        .route(
            "/friendbot",
            get(friendbot_handler)
                .post(friendbot_handler)
                .options(preflight),
        )
        .route("/health", get(health_handler))
        .layer(axum::middleware::map_response(cors))
        .with_state(node)
}

/// Closes a ledger every `interval` (applying the queue) and saves the state
/// file when the ledger changed, at most once a second.
pub async fn ticker(node: Arc<Node>, interval: Option<Duration>) {
    let period = interval.unwrap_or(Duration::from_millis(1000));
    let mut tick = tokio::time::interval(period);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    tick.tick().await;
    let mut last_saved = (0u32, std::time::Instant::now());
    loop {
        tick.tick().await;
        let n = node.clone();
        let saved = last_saved;
        let out = tokio::task::spawn_blocking(move || {
            if interval.is_some() {
                n.close_now();
            }
            let seq = n.read().seq();
            if seq != saved.0 && saved.1.elapsed() >= Duration::from_secs(1) {
                if let Err(e) = n.save() {
                    eprintln!("devnet: saving state failed: {e}");
                }
                return (seq, std::time::Instant::now());
            }
            saved
        })
        .await;
        if let Ok(s) = out {
            last_saved = s;
        }
    }
}
