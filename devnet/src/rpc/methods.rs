//! The Stellar RPC methods, with stellar-rpc's request and response shapes
//! (including which times are strings), plus `devnet_warp` and
//! `devnet_closeLedger`.

use serde::Deserialize;
use serde_json::{json, Value};
use soroban_env_host::xdr::{
    ContractEventType, LedgerEntryData, LedgerKey, ScVal, TransactionEnvelope,
};

use super::wire::{b64, decode, params, rfc3339, xdr_b64};
use super::{RpcError, METHOD_NOT_FOUND};
use crate::config;
use crate::ledger::keys::{is_soroban, parse_contract, strkey_contract};
use crate::ledger::{toid, EventRecord, Ledger, TxRecord};
use crate::node::{ClosedSummary, Node, SendOutcome, SendStatus};
use crate::simulate::{simulate, Options};

pub const MAX_LEDGER_ENTRY_KEYS: usize = 200;
/// getEvents' page size (stellar-rpc: at most 10,000, 100 by default).
pub const MAX_EVENTS_LIMIT: usize = 10_000;
pub const DEFAULT_EVENTS_LIMIT: usize = 100;
/// getTransactions' and getLedgers' page size (stellar-rpc: at most 200, 50 by default).
pub const MAX_PAGE_LIMIT: usize = 200;
pub const DEFAULT_PAGE_LIMIT: usize = 50;
/// Most ledgers one getEvents call scans (stellar-rpc's `LedgerScanLimit`).
pub const LEDGER_SCAN_LIMIT: u32 = 10_000;

pub fn dispatch(node: &Node, method: &str, p: Value) -> Result<Value, RpcError> {
    // Only base64 XDR is served; say so rather than ignore a request for JSON.
    match p.get("xdrFormat") {
        None | Some(Value::Null) => {}
        Some(Value::String(f)) if f.is_empty() || f == "base64" => {}
        Some(other) => {
            return Err(RpcError::invalid_params(format!(
                "xdrFormat {other} is not supported by the devnet; use \"base64\""
            )))
        }
    }
    match method {
        "getHealth" => read(node, get_health),
        "getNetwork" => read(node, |l| get_network(node, l)),
        "getVersionInfo" => Ok(get_version_info()),
        "getLatestLedger" => read(node, get_latest_ledger),
        "getFeeStats" => read(node, get_fee_stats),
        "getLedgerEntries" => {
            let p: LedgerEntriesParams = params(p)?;
            read(node, |l| get_ledger_entries(l, &p))
        }
        "simulateTransaction" => {
            let p: SimulateParams = params(p)?;
            let Ok(env) = decode::<TransactionEnvelope>("transaction", &p.transaction) else {
                // stellar-rpc's answer to an undecodable envelope.
                return Ok(json!({"error": "Could not unmarshal transaction", "latestLedger": 0}));
            };
            let opts = Options {
                auth_mode: p.auth_mode,
                use_address_v2: p.use_upgraded_auth.unwrap_or(false),
                instruction_leeway: p.resource_config.and_then(|r| r.instruction_leeway),
            };
            super::simulate::render(simulate(&node.read(), &env, opts))
        }
        "sendTransaction" => {
            let p: SendParams = params(p)?;
            let env: TransactionEnvelope = decode("transaction", &p.transaction)?;
            Ok(send_response(&node.send(&env)))
        }
        "getTransaction" => {
            let p: HashParams = params(p)?;
            let hash = parse_hash(&p.hash)?;
            node.await_if_queued(&hash);
            read(node, |l| get_transaction(l, &hash))
        }
        "getTransactions" => {
            let p: PageParams = params(p)?;
            read(node, |l| get_transactions(l, &p))
        }
        "getLedgers" => {
            let p: PageParams = params(p)?;
            read(node, |l| get_ledgers(l, &p))
        }
        "getEvents" => {
            let p: EventsParams = params(p)?;
            let q = EventQuery::parse(&p)?;
            read(node, |l| get_events(l, &q))
        }
        "devnet_warp" => {
            let p: WarpParams = params(p)?;
            if p.seconds > 100 * 365 * 86_400 {
                return Err(RpcError::invalid_params(
                    "seconds must be at most 100 years",
                ));
            }
            let ledgers = p.ledgers.unwrap_or_else(|| {
                (p.seconds
                    .div_ceil((node.read().settings.ledger_close_ms / 1000).max(1)))
                .max(1) as u32
            });
            if ledgers == 0 || ledgers > 10_000_000 {
                return Err(RpcError::invalid_params(
                    "ledgers must be between 1 and 10000000",
                ));
            }
            Ok(closed_response(&node.warp(p.seconds, ledgers)))
        }
        "devnet_closeLedger" => Ok(closed_response(&node.close_now())),
        _ => Err(RpcError {
            code: METHOD_NOT_FOUND,
            message: format!("method not found: {method}"),
        }),
    }
}

fn send_response(o: &SendOutcome) -> Value {
    let mut v = json!({
        "hash": hex::encode(o.hash),
        "latestLedger": o.latest_ledger,
        "latestLedgerCloseTime": o.latest_ledger_close_time.to_string(),
    });
    v["status"] = json!(match &o.status {
        SendStatus::Pending => "PENDING",
        SendStatus::Duplicate => "DUPLICATE",
        SendStatus::TryAgainLater => "TRY_AGAIN_LATER",
        SendStatus::Error(..) => "ERROR",
    });
    if let SendStatus::Error(result, diagnostics) = &o.status {
        v["errorResultXdr"] = json!(xdr_b64(result));
        if !diagnostics.is_empty() {
            v["diagnosticEventsXdr"] = json!(diagnostics.iter().map(xdr_b64).collect::<Vec<_>>());
        }
    }
    v
}

fn closed_response(c: &ClosedSummary) -> Value {
    json!({
        "sequence": c.sequence,
        "closeTime": c.close_time.to_string(),
        "id": hex::encode(c.hash),
        "transactionCount": c.transactions,
    })
}

fn read(
    node: &Node,
    f: impl FnOnce(&Ledger) -> Result<Value, RpcError>,
) -> Result<Value, RpcError> {
    f(&node.read())
}

fn parse_hash(s: &str) -> Result<[u8; 32], RpcError> {
    let bytes =
        hex::decode(s).map_err(|_| RpcError::invalid_params("hash: expected 64 hex characters"))?;
    bytes
        .try_into()
        .map_err(|_| RpcError::invalid_params("hash: expected 64 hex characters"))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LedgerEntriesParams {
    keys: Vec<String>,
    #[serde(rename = "xdrFormat")]
    _xdr_format: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ResourceConfig {
    instruction_leeway: Option<u64>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SimulateParams {
    transaction: String,
    resource_config: Option<ResourceConfig>,
    auth_mode: Option<String>,
    use_upgraded_auth: Option<bool>,
    #[serde(rename = "xdrFormat")]
    _xdr_format: Option<String>,
}

#[derive(Deserialize)]
struct SendParams {
    transaction: String,
    #[serde(rename = "xdrFormat")]
    _xdr_format: Option<String>,
}

#[derive(Deserialize)]
struct HashParams {
    hash: String,
    #[serde(rename = "xdrFormat")]
    _xdr_format: Option<String>,
}

#[derive(Deserialize, Default)]
struct Pagination {
    cursor: Option<String>,
    limit: Option<usize>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PageParams {
    start_ledger: Option<u32>,
    pagination: Option<Pagination>,
    #[serde(rename = "xdrFormat")]
    _xdr_format: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct EventsParams {
    start_ledger: Option<u32>,
    end_ledger: Option<u32>,
    #[serde(default)]
    filters: Vec<EventFilterParams>,
    pagination: Option<Pagination>,
    #[serde(rename = "xdrFormat")]
    _xdr_format: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct EventFilterParams {
    #[serde(rename = "type")]
    event_type: Option<String>,
    contract_ids: Option<Vec<String>>,
    topics: Option<Vec<Vec<String>>>,
}

#[derive(Deserialize)]
struct WarpParams {
    seconds: u64,
    ledgers: Option<u32>,
}

fn get_health(l: &Ledger) -> Result<Value, RpcError> {
    Ok(json!({
        "status": "healthy",
        "latestLedger": l.seq(),
        "oldestLedger": l.oldest().seq,
        "ledgerRetentionWindow": config::RETENTION_LEDGERS,
        "latestLedgerCloseTime": l.close_time().to_string(),
        "oldestLedgerCloseTime": l.oldest().close_time.to_string(),
    }))
}

fn get_network(node: &Node, l: &Ledger) -> Result<Value, RpcError> {
    Ok(json!({
        "friendbotUrl": node.friendbot_url(),
        "passphrase": l.passphrase,
        "protocolVersion": config::PROTOCOL_VERSION,
    }))
}

fn get_version_info() -> Value {
    let version = format!(
        "devnet {} (soroban-env-host 27.0.1)",
        env!("CARGO_PKG_VERSION")
    );
    json!({
        "version": version,
        "commitHash": "",
        "buildTimestamp": "",
        "captiveCoreVersion": "none (tributary devnet embeds soroban-env-host)",
        "protocolVersion": config::PROTOCOL_VERSION,
        "commit_hash": "",
        "build_timestamp": "",
        "captive_core_version": "none (tributary devnet embeds soroban-env-host)",
        "protocol_version": config::PROTOCOL_VERSION,
    })
}

fn get_latest_ledger(l: &Ledger) -> Result<Value, RpcError> {
    let latest = l.latest();
    Ok(json!({
        "id": hex::encode(latest.hash),
        "protocolVersion": config::PROTOCOL_VERSION,
        "sequence": latest.seq,
        "closeTime": latest.close_time.to_string(),
        "headerXdr": xdr_b64(&latest.header.header),
        "metadataXdr": b64(&latest.meta_xdr),
    }))
}

fn fee_distribution(fees: &[i64], ledgers: usize, base: i64) -> Value {
    let mut v: Vec<i64> = fees.to_vec();
    v.sort_unstable();
    let pct = |p: usize| -> String {
        if v.is_empty() {
            base.to_string()
        } else {
            v[((v.len() - 1) * p) / 100].to_string()
        }
    };
    let mode = if v.is_empty() {
        base
    } else {
        let mut best = (v[0], 0usize);
        let mut i = 0;
        while i < v.len() {
            let j = v[i..].iter().take_while(|x| **x == v[i]).count();
            if j > best.1 {
                best = (v[i], j);
            }
            i += j;
        }
        best.0
    };
    json!({
        "max": v.last().copied().unwrap_or(base).to_string(),
        "min": v.first().copied().unwrap_or(base).to_string(),
        "mode": mode.to_string(),
        "p10": pct(10), "p20": pct(20), "p30": pct(30), "p40": pct(40), "p50": pct(50),
        "p60": pct(60), "p70": pct(70), "p80": pct(80), "p90": pct(90), "p95": pct(95), "p99": pct(99),
        "transactionCount": v.len().to_string(),
        "ledgerCount": ledgers,
    })
}

/// stellar-rpc's default fee windows, in ledgers.
pub const SOROBAN_FEE_WINDOW: u32 = 50;
pub const CLASSIC_FEE_WINDOW: u32 = 10;

fn get_fee_stats(l: &Ledger) -> Result<Value, RpcError> {
    // Like stellar-rpc: the inclusion fee per operation each included
    // transaction was charged (the base fee, or the surge price of a full
    // ledger), over the last 50 ledgers for Soroban and 10 for classic.
    let window = |soroban: bool, ledgers: u32| -> (Vec<i64>, usize) {
        let fees = l
            .recent_fees
            .iter()
            .filter(|(seq, s, _)| *s == soroban && *seq + ledgers > l.seq())
            .map(|(_, _, fee)| *fee)
            .collect();
        let count = l
            .ledgers
            .iter()
            .rev()
            .take_while(|c| c.seq + ledgers > l.seq())
            .count();
        (fees, count)
    };
    let base = i64::from(l.settings.base_fee);
    let (soroban, soroban_ledgers) = window(true, SOROBAN_FEE_WINDOW);
    let (classic, classic_ledgers) = window(false, CLASSIC_FEE_WINDOW);
    Ok(json!({
        "sorobanInclusionFee": fee_distribution(&soroban, soroban_ledgers, base),
        "inclusionFee": fee_distribution(&classic, classic_ledgers, base),
        "latestLedger": l.seq(),
    }))
}

fn get_ledger_entries(l: &Ledger, p: &LedgerEntriesParams) -> Result<Value, RpcError> {
    if p.keys.is_empty() {
        return Err(RpcError::invalid_params("keys must not be empty"));
    }
    if p.keys.len() > MAX_LEDGER_ENTRY_KEYS {
        return Err(RpcError::invalid_params(format!(
            "key count ({}) exceeds maximum supported ({MAX_LEDGER_ENTRY_KEYS})",
            p.keys.len()
        )));
    }
    let mut out = Vec::new();
    for (i, k) in p.keys.iter().enumerate() {
        let key: LedgerKey = decode(&format!("keys[{i}]"), k)?;
        if let LedgerKey::Ttl(_) = key {
            return Err(RpcError::invalid_params(format!(
                "keys[{i}]: TTL keys are not supported; request the entry itself"
            )));
        }
        if let LedgerKey::ConfigSetting(c) = &key {
            // Network settings, from the profile (stellar-rpc serves them from the ledger).
            if let Some(entry) = config::entries::config_setting(&l.settings, c.config_setting_id) {
                out.push(json!({
                    "key": xdr_b64(&key),
                    "xdr": xdr_b64(&LedgerEntryData::ConfigSetting(entry)),
                    "lastModifiedLedgerSeq": 1,
                }));
            }
            continue;
        }
        let Some(stored) = l.entries.get(&key) else {
            continue;
        };
        if is_soroban(&key)
            && !crate::ledger::keys::is_persistent(&key)
            && stored.live_until.is_some_and(|x| x < l.seq())
        {
            continue; // expired temporary entries no longer exist
        }
        let mut e = json!({
            "key": xdr_b64(&key),
            "xdr": xdr_b64(&stored.entry.data),
            "lastModifiedLedgerSeq": stored.entry.last_modified_ledger_seq,
        });
        if let Some(live) = stored.live_until {
            e["liveUntilLedgerSeq"] = json!(live);
        }
        out.push(e);
    }
    Ok(json!({"entries": out, "latestLedger": l.seq()}))
}

fn tx_details(t: &TxRecord) -> Value {
    let mut v = json!({
        "status": if t.successful { "SUCCESS" } else { "FAILED" },
        "txHash": hex::encode(t.hash),
        "applicationOrder": t.application_order,
        "feeBump": t.fee_bump,
        "envelopeXdr": b64(&t.envelope_xdr),
        "resultXdr": b64(&t.result_xdr),
        "resultMetaXdr": b64(&t.meta_xdr),
        "ledger": t.ledger,
        "events": {
            "contractEventsXdr": t.contract_events_xdr.iter().map(|op| op.iter().map(|e| b64(e)).collect::<Vec<_>>()).collect::<Vec<_>>(),
            "transactionEventsXdr": t.tx_events_xdr.iter().map(|e| b64(e)).collect::<Vec<_>>(),
        },
    });
    if !t.diagnostic_events_xdr.is_empty() {
        let diag: Vec<String> = t.diagnostic_events_xdr.iter().map(|e| b64(e)).collect();
        // Like stellar-rpc: the top-level field only for failed transactions.
        if !t.successful {
            v["diagnosticEventsXdr"] = json!(diag);
        }
        v["events"]["diagnosticEventsXdr"] = json!(diag);
    }
    v
}

fn get_transaction(l: &Ledger, hash: &[u8; 32]) -> Result<Value, RpcError> {
    let mut v = json!({
        "status": "NOT_FOUND",
        "txHash": hex::encode(hash),
        "latestLedger": l.seq(),
        "latestLedgerCloseTime": l.close_time().to_string(),
        "oldestLedger": l.oldest().seq,
        "oldestLedgerCloseTime": l.oldest().close_time.to_string(),
    });
    if let Some(t) = l.txs.get(hash) {
        let d = tx_details(t);
        for (k, val) in d.as_object().expect("object").iter() {
            v[k] = val.clone();
        }
        v["createdAt"] = json!(t.close_time.to_string());
    }
    Ok(v)
}

/// Validates startLedger/cursor like stellar-rpc: exactly one of them.
fn page_start(l: &Ledger, p: &PageParams) -> Result<(u64, usize), RpcError> {
    let pg = p.pagination.as_ref();
    // 0 (or none) means the default, like stellar-rpc.
    let limit = pg
        .and_then(|x| x.limit)
        .filter(|l| *l != 0)
        .unwrap_or(DEFAULT_PAGE_LIMIT);
    if limit > MAX_PAGE_LIMIT {
        return Err(RpcError::invalid_params(format!(
            "limit must not exceed {MAX_PAGE_LIMIT}"
        )));
    }
    match (
        p.start_ledger.filter(|s| *s != 0),
        pg.and_then(|x| x.cursor.clone()).filter(|c| !c.is_empty()),
    ) {
        (Some(_), Some(_)) => Err(RpcError::invalid_params(
            "startLedger and cursor cannot both be set",
        )),
        (None, Some(c)) => {
            let c: u64 = c
                .parse()
                .map_err(|_| RpcError::invalid_params("cursor: expected a decimal number"))?;
            Ok((c.saturating_add(1), limit))
        }
        (Some(s), None) => {
            if s < l.oldest().seq || s > l.seq() {
                return Err(RpcError::invalid_params(format!(
                    "start ledger ({s}) must be between the oldest ledger: {} and the latest ledger: {} for this rpc instance",
                    l.oldest().seq,
                    l.seq()
                )));
            }
            Ok((toid(s, 0, 0), limit))
        }
        (None, None) => Err(RpcError::invalid_params(
            "startLedger or pagination.cursor is required",
        )),
    }
}

fn get_transactions(l: &Ledger, p: &PageParams) -> Result<Value, RpcError> {
    let (from, limit) = page_start(l, p)?;
    let mut out = Vec::new();
    let mut cursor = from.saturating_sub(1);
    for h in l.tx_order.iter() {
        let Some(t) = l.txs.get(h) else { continue };
        let id = toid(t.ledger, t.application_order, 0);
        if id < from {
            continue;
        }
        if out.len() == limit {
            break;
        }
        let mut d = tx_details(t);
        d["createdAt"] = json!(t.close_time);
        out.push(d);
        cursor = id;
    }
    if out.len() < limit {
        cursor = toid(l.seq() + 1, 0, 0).saturating_sub(1).max(cursor);
    }
    Ok(json!({
        "transactions": out,
        "latestLedger": l.seq(),
        "latestLedgerCloseTimestamp": l.close_time(),
        "oldestLedger": l.oldest().seq,
        "oldestLedgerCloseTimestamp": l.oldest().close_time,
        "cursor": cursor.to_string(),
    }))
}

fn get_ledgers(l: &Ledger, p: &PageParams) -> Result<Value, RpcError> {
    // getLedgers' cursor is a plain ledger sequence number (the last one served).
    let (from, limit) = page_start(l, p)?;
    let from_seq = match p
        .pagination
        .as_ref()
        .and_then(|x| x.cursor.as_deref())
        .filter(|c| !c.is_empty())
    {
        Some(_) => {
            u32::try_from(from).map_err(|_| RpcError::invalid_params("cursor: out of range"))?
        }
        None => (from >> 32) as u32,
    };
    let mut out = Vec::new();
    let mut last = from_seq.saturating_sub(1);
    for c in l.ledgers.iter().filter(|c| c.seq >= from_seq).take(limit) {
        out.push(json!({
            "hash": hex::encode(c.hash),
            "sequence": c.seq,
            "ledgerCloseTime": c.close_time.to_string(),
            "headerXdr": xdr_b64(&c.header),
            "metadataXdr": b64(&c.meta_xdr),
        }));
        last = c.seq;
    }
    Ok(json!({
        "ledgers": out,
        "latestLedger": l.seq(),
        "latestLedgerCloseTime": l.close_time(),
        "oldestLedger": l.oldest().seq,
        "oldestLedgerCloseTime": l.oldest().close_time,
        "cursor": last.to_string(),
    }))
}

enum Segment {
    One,
    Rest,
    Val(ScVal),
}

struct Filter {
    types: Vec<ContractEventType>,
    contracts: Vec<[u8; 32]>,
    topics: Vec<Vec<Segment>>,
}

struct EventQuery {
    start: Option<u32>,
    end: Option<u32>,
    cursor: Option<(u64, u32)>,
    limit: usize,
    filters: Vec<Filter>,
}

impl EventQuery {
    fn parse(p: &EventsParams) -> Result<EventQuery, RpcError> {
        let limit = p
            .pagination
            .as_ref()
            .and_then(|x| x.limit)
            .filter(|l| *l != 0)
            .unwrap_or(DEFAULT_EVENTS_LIMIT);
        if limit > MAX_EVENTS_LIMIT {
            return Err(RpcError::invalid_params(format!(
                "limit must not exceed {MAX_EVENTS_LIMIT}"
            )));
        }
        let cursor = match p
            .pagination
            .as_ref()
            .and_then(|x| x.cursor.as_deref())
            .filter(|c| !c.is_empty())
        {
            None => None,
            Some(c) => {
                let (a, b) = c.split_once('-').unwrap_or((c, "0"));
                let a: u64 = a
                    .parse()
                    .map_err(|_| RpcError::invalid_params("cursor: invalid"))?;
                let b: u32 = b
                    .parse()
                    .map_err(|_| RpcError::invalid_params("cursor: invalid"))?;
                Some((a, b))
            }
        };
        let start = p.start_ledger.filter(|s| *s != 0);
        if cursor.is_some() && (start.is_some() || p.end_ledger.is_some_and(|e| e != 0)) {
            return Err(RpcError::invalid_params(
                "ledger ranges and cursor cannot both be set",
            ));
        }
        if cursor.is_none() && start.is_none() {
            return Err(RpcError::invalid_params("startLedger must be positive"));
        }
        if p.filters.len() > 5 {
            return Err(RpcError::invalid_params("maximum 5 filters per request"));
        }
        let mut filters = Vec::new();
        for (i, f) in p.filters.iter().enumerate() {
            let mut types = Vec::new();
            if let Some(t) = f.event_type.as_deref().filter(|t| !t.is_empty()) {
                for part in t.split(',') {
                    types.push(match part {
                        "contract" => ContractEventType::Contract,
                        "system" => ContractEventType::System,
                        _ => return Err(RpcError::invalid_params(format!("filter {} invalid: filter type invalid: if set, type must be either 'system' or 'contract'", i + 1))),
                    });
                }
            }
            let ids = f.contract_ids.clone().unwrap_or_default();
            if ids.len() > 5 {
                return Err(RpcError::invalid_params(format!(
                    "filter {} invalid: maximum 5 contract IDs per filter",
                    i + 1
                )));
            }
            let mut contracts = Vec::new();
            for (j, id) in ids.iter().enumerate() {
                contracts.push(parse_contract(id).ok_or_else(|| {
                    RpcError::invalid_params(format!(
                        "filter {} invalid: contract ID {} invalid",
                        i + 1,
                        j + 1
                    ))
                })?);
            }
            let raw_topics = f.topics.clone().unwrap_or_default();
            if raw_topics.len() > 5 {
                return Err(RpcError::invalid_params(format!(
                    "filter {} invalid: maximum 5 topics per filter",
                    i + 1
                )));
            }
            let mut topics = Vec::new();
            for (j, t) in raw_topics.iter().enumerate() {
                let bad = |m: &str| {
                    RpcError::invalid_params(format!(
                        "filter {} invalid: topic {} invalid: {m}",
                        i + 1,
                        j + 1
                    ))
                };
                if t.is_empty() {
                    return Err(bad("topic must have at least 1 segment"));
                }
                let mut segs = Vec::new();
                for (n, s) in t.iter().enumerate() {
                    segs.push(match s.as_str() {
                        "*" => Segment::One,
                        "**" => {
                            if n != t.len() - 1 {
                                return Err(bad(
                                    "wildcard '**' is only allowed as the last segment",
                                ));
                            }
                            Segment::Rest
                        }
                        other => Segment::Val(
                            decode::<ScVal>("topic segment", other)
                                .map_err(|_| bad("invalid ScVal segment"))?,
                        ),
                    });
                }
                let fixed = segs.iter().filter(|s| !matches!(s, Segment::Rest)).count();
                if fixed > 4 {
                    return Err(bad("topic cannot have more than 4 segments"));
                }
                topics.push(segs);
            }
            filters.push(Filter {
                types,
                contracts,
                topics,
            });
        }
        Ok(EventQuery {
            start,
            end: p.end_ledger.filter(|e| *e != 0),
            cursor,
            limit,
            filters,
        })
    }

    fn matches(&self, e: &EventRecord) -> bool {
        if self.filters.is_empty() {
            return true;
        }
        self.filters.iter().any(|f| {
            (f.types.is_empty() || f.types.contains(&e.event.type_))
                && (f.contracts.is_empty()
                    || e.event
                        .contract_id
                        .as_ref()
                        .is_some_and(|c| f.contracts.contains(&c.0 .0)))
                && (f.topics.is_empty() || {
                    let soroban_env_host::xdr::ContractEventBody::V0(body) = &e.event.body;
                    f.topics.iter().any(|t| topic_matches(t, &body.topics))
                })
        })
    }
}

fn topic_matches(filter: &[Segment], topics: &[ScVal]) -> bool {
    let rest = matches!(filter.last(), Some(Segment::Rest));
    let fixed = if rest {
        &filter[..filter.len() - 1]
    } else {
        filter
    };
    if (rest && topics.len() < fixed.len()) || (!rest && topics.len() != fixed.len()) {
        return false;
    }
    fixed.iter().zip(topics).all(|(s, t)| match s {
        Segment::One | Segment::Rest => true,
        Segment::Val(v) => v == t,
    })
}

fn get_events(l: &Ledger, q: &EventQuery) -> Result<Value, RpcError> {
    if let Some(s) = q.start {
        if s < l.oldest().seq || s > l.seq() {
            return Err(RpcError::invalid_params(format!(
                "startLedger must be between the oldest ledger: {} and the latest ledger: {}",
                l.oldest().seq,
                l.seq()
            )));
        }
    }
    // The search window starts at `startLedger` or the cursor's ledger and
    // ends (exclusive) at most `LEDGER_SCAN_LIMIT` ledgers later, after the
    // latest ledger, or at `endLedger`, whichever is first (stellar-rpc).
    let start = q
        .start
        .or(q.cursor.map(|(t, _)| (t >> 32) as u32))
        .unwrap_or(0);
    let end = start
        .saturating_add(LEDGER_SCAN_LIMIT)
        .min(l.seq() + 1)
        .min(q.end.unwrap_or(u32::MAX));
    let mut out = Vec::new();
    let mut last_id: Option<String> = None;
    for e in l.events.iter() {
        if let Some((toid_c, idx)) = q.cursor {
            let t = toid(e.ledger, e.tx_index, e.op_index);
            if (t, e.event_index) <= (toid_c, idx) {
                continue;
            }
        } else if e.ledger < start {
            continue;
        }
        if e.ledger >= end {
            break;
        }
        if !q.matches(e) {
            continue;
        }
        if out.len() == q.limit {
            break;
        }
        let soroban_env_host::xdr::ContractEventBody::V0(body) = &e.event.body;
        let id = e.id();
        out.push(json!({
            "type": match e.event.type_ { ContractEventType::System => "system", ContractEventType::Contract => "contract", ContractEventType::Diagnostic => "diagnostic" },
            "ledger": e.ledger,
            "ledgerClosedAt": rfc3339(e.close_time),
            "contractId": e.event.contract_id.as_ref().map(|c| strkey_contract(&c.0 .0)).unwrap_or_default(),
            "id": id,
            "operationIndex": e.op_index,
            "transactionIndex": e.tx_index,
            "txHash": hex::encode(e.tx_hash),
            "inSuccessfulContractCall": true,
            "topic": body.topics.iter().map(xdr_b64).collect::<Vec<_>>(),
            "value": xdr_b64(&body.data),
        }));
        last_id = Some(id);
    }
    let cursor = if out.len() == q.limit {
        last_id.unwrap_or_default()
    } else {
        // End of the search window: the cursor points past its last ledger.
        let end_ledger = end;
        format!(
            "{:019}-{:010}",
            toid(end_ledger, 0, 0).saturating_sub(1),
            u32::MAX
        )
    };
    Ok(json!({
        "events": out,
        "cursor": cursor,
        "latestLedger": l.seq(),
        "oldestLedger": l.oldest().seq,
        "latestLedgerCloseTime": l.close_time().to_string(),
        "oldestLedgerCloseTime": l.oldest().close_time.to_string(),
    }))
}
