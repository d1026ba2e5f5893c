//! Wire helpers: base64 XDR in and out, typed params, time formats.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use serde::de::DeserializeOwned;
use serde_json::Value;
use soroban_env_host::xdr::{Limits, ReadXdr};

use super::RpcError;

/// Limits for XDR that comes from the network (depth and size bounded).
pub fn read_limits() -> Limits {
    Limits {
        depth: 500,
        len: 1 << 20,
    }
}

pub fn b64(bytes: &[u8]) -> String {
    B64.encode(bytes)
}

pub fn xdr_b64(v: &impl soroban_env_host::xdr::WriteXdr) -> String {
    b64(&crate::ledger::xdr_bytes(v))
}

/// Decodes base64 XDR of type `T`, rejecting trailing bytes.
pub fn decode<T: ReadXdr>(field: &str, s: &str) -> Result<T, RpcError> {
    let bytes = B64
        .decode(s.trim())
        .map_err(|_| RpcError::invalid_params(format!("{field}: invalid base64")))?;
    // `from_xdr` also rejects trailing bytes after the value.
    T::from_xdr(&bytes, read_limits())
        .map_err(|e| RpcError::invalid_params(format!("{field}: invalid XDR: {e}")))
}

pub fn params<T: DeserializeOwned>(v: Value) -> Result<T, RpcError> {
    serde_json::from_value(v).map_err(|e| RpcError::invalid_params(format!("invalid params: {e}")))
}

/// RFC 3339 UTC time of a unix timestamp (what getEvents' ledgerClosedAt uses).
pub fn rfc3339(unix: u64) -> String {
    let days = (unix / 86_400) as i64;
    let secs = unix % 86_400;
    // Civil-from-days (Howard Hinnant's algorithm), proleptic Gregorian.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        y,
        m,
        d,
        secs / 3600,
        (secs / 60) % 60,
        secs % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_formats_known_instants() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(rfc3339(1_795_219_200 + 3_723), "2026-11-21T01:02:03Z");
    }
}
