#![no_std]
//! Tributary stream contract: token streams whose balances are a pure function of
//! the schedule and the ledger timestamp, with permissionless batch settlement.
//!
//! Modules: `math` (accrual and the `amounts`/`status` composition, pure), `types`
//! (public types and the stored record), `validate` (creation parameters),
//! `accrual` (a stored stream's accrual through `math`), `storage` (keys,
//! reads/writes, TTL policy), `events`, `errors`, `contract` (entry points and guards). See contracts/stream/README.md for the interface, the storage
//! layout, the invariants and the error table.

pub mod accrual;
pub mod contract;
pub mod errors;
pub mod events;
pub mod math;
pub mod storage;
pub mod types;
pub mod validate;

pub use contract::{StreamContract, StreamContractClient, MAX_BATCH};
pub use errors::StreamError;
pub use types::*;
pub use validate::MAX_TRANCHES;

#[cfg(any(test, feature = "testutils"))]
pub mod costs;
#[cfg(any(test, feature = "testutils"))]
pub mod invariants;
#[cfg(any(test, feature = "testutils"))]
pub mod testkit;

#[cfg(test)]
mod test;
