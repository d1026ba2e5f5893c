#![no_std]
//! Tributary stream contract: token streams whose balances are a pure function of
//! the schedule and the ledger timestamp, with permissionless batch settlement.
//!
//! Modules: `math` (accrual, pure), `types` (public types and the stored record),
//! `storage` (keys, reads/writes, TTL policy), `events`, `errors`, `contract`
//! (entry points). See contracts/stream/README.md for the interface, the storage
//! layout, the invariants and the error table.

pub mod contract;
pub mod errors;
pub mod events;
pub mod math;
pub mod storage;
pub mod types;

pub use contract::{StreamContract, StreamContractClient, MAX_BATCH, MAX_TRANCHES};
pub use errors::StreamError;
pub use types::*;

#[cfg(any(test, feature = "testutils"))]
pub mod costs;
#[cfg(any(test, feature = "testutils"))]
pub mod testkit;

#[cfg(test)]
mod test;
