//! Tributary devnet: a local Stellar RPC on the real Soroban host.
//!
//! - `config`: network settings, loaded from a profile (`pubnet`, `testnet`).
//! - `ledger`: state, clock, TTL/archival, history.
//! - `apply`: signature, sequence, fee checks; classic and Soroban operations.
//! - `queue`: the transaction queue and each ledger's transaction set (surge pricing).
//! - `simulate`: preflight with stellar-rpc's semantics (domain outcomes).
//! - `node`: the running network (queue, closes, friendbot); domain outcomes.
//! - `rpc`: the JSON-RPC methods with stellar-rpc's shapes (the only JSON-RPC rendering).
//! - `server`, `persist`: HTTP and the state file.

pub mod apply;
pub mod config;
pub mod ledger;
pub mod node;
pub mod persist;
pub mod queue;
pub mod rpc;
pub mod server;
pub mod simulate;
