//! Contract tests in the real Soroban host (soroban-sdk testutils).
//! unit: entry points and errors; auth: who must sign what; ttl: entry lifetime;
//! props: invariants over random operation sequences; vectors: the shared
//! accrual vectors; costs: pinned resource costs of the release Wasm; features and
//! findings: the issue-8 entry points and review findings; generated: the
//! SDK's error classes and limits and the README's error table, written from this crate.

/// Asserts a `try_*` call failed with this contract error.
macro_rules! assert_err {
    ($call:expr, $err:expr) => {
        match $call {
            Err(Ok(e)) => assert_eq!(e, $err),
            other => panic!("expected {:?}, got {:?}", $err, other),
        }
    };
}

mod auth;
mod costs;
mod features;
mod findings;
mod generated;
mod props;
mod ttl;
mod unit;
mod vectors;
