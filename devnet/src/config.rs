//! Network settings: the one place where the devnet's limits, fees and TTL
//! bounds are declared.
//!
//! Per-transaction limits and fee rates are pubnet's as published on
//! developers.stellar.org ("Resource Limits & Fees", protocol 23+): 100M
//! instructions, 40 MB memory, 100 footprint keys, disk reads 100 entries /
//! 200 KB, writes 50 entries / 132 KB, 132 KB transactions, 16 KB of events,
//! 250-byte keys, 128 KiB entries; 25 stroops per 10k instructions, 6,250 per
//! disk-read entry, 1,786 per disk-read KB, 10,000 per written entry, 3,500 per
//! written KB, 1,624 per KB of bandwidth, 16,235 per KB of history, 10,000 per
//! KB of events; TTLs of 120 days (persistent), 1 day (temporary), 6 months
//! (maximum). The rent-rate parameters (state-size target, low/high rent fee
//! per KB, rent denominators) are stellar-core's protocol 23 upgrade values
//! (3 GB target, -17,000 / 10,000 stroops per KB, denominators 1,215 / 2,430);
//! the growth factor follows `soroban-settings/pubnet_phase*.json`.
//! Ledger-wide limits are not modelled (one transaction per ledger).
//! Cost model parameters are the calibrated defaults built into
//! soroban-env-host, which the network configuration was set from. A local
//! devnet has a tiny state, so the rent write fee per KiB comes from the
//! devnet's own live Soroban state size, exactly as the network computes it
//! from its own size.

use soroban_env_host::budget::Budget;
use soroban_env_host::fees::{
    compute_rent_write_fee_per_1kb, FeeConfiguration, RentFeeConfiguration,
    RentWriteFeeConfiguration,
};
use soroban_env_host::xdr::{
    ContractCostParamEntry, ContractCostParams, ContractCostType, ExtensionPoint,
};
use soroban_simulation::NetworkConfig;

/// Protocol version the devnet reports and runs (soroban-env-host 27).
pub const PROTOCOL_VERSION: u32 = 27;
/// Default network passphrase (the one stellar-core's standalone mode uses).
pub const DEFAULT_PASSPHRASE: &str = "Standalone Network ; February 2017";
/// Classic base fee per operation, stroops.
pub const BASE_FEE: u32 = 100;
/// Base reserve, stroops (0.5 XLM).
pub const BASE_RESERVE: u32 = 5_000_000;
/// Total lumens in existence, stroops (100 billion XLM).
pub const TOTAL_COINS: i64 = 1_000_000_000_000_000_000;
/// Lumens friendbot gives a new account, stroops (10,000 XLM, like testnet).
pub const FRIENDBOT_STARTING_BALANCE: i64 = 100_000_000_000;
/// Number of ledgers kept for getTransactions/getEvents/getLedgers (the RPC
/// retention window; the real RPC defaults to about a day).
pub const RETENTION_LEDGERS: u32 = 17_280;
/// Ledgers between samples of the Soroban state size (pubnet's
/// `bucket_list_window_sample_period`).
pub const STATE_SIZE_SAMPLE_PERIOD: u32 = 64;
/// Average pubnet ledger close time, seconds: `devnet_warp` advances the
/// sequence number by `seconds / LEDGER_SECONDS` by default so TTLs (counted in
/// ledgers) lapse at the same pace as on the network.
pub const LEDGER_SECONDS: u64 = 5;

/// Soroban resource limits and fee rates (pubnet values).
#[derive(Clone, Debug)]
pub struct Settings {
    pub tx_max_instructions: i64,
    pub tx_memory_limit: u32,
    pub fee_rate_per_instructions_increment: i64,
    pub tx_max_disk_read_entries: u32,
    pub tx_max_disk_read_bytes: u32,
    pub tx_max_write_entries: u32,
    pub tx_max_write_bytes: u32,
    pub tx_max_footprint_entries: u32,
    pub tx_max_size_bytes: u32,
    pub tx_max_contract_events_size_bytes: u32,
    pub contract_max_size_bytes: u32,
    pub contract_data_key_size_bytes: u32,
    pub contract_data_entry_size_bytes: u32,
    pub fee_disk_read_ledger_entry: i64,
    pub fee_write_ledger_entry: i64,
    pub fee_disk_read_1kb: i64,
    pub fee_write_1kb: i64,
    pub fee_historical_1kb: i64,
    pub fee_contract_events_1kb: i64,
    pub fee_tx_size_1kb: i64,
    pub soroban_state_target_size_bytes: i64,
    pub rent_fee_1kb_state_size_low: i64,
    pub rent_fee_1kb_state_size_high: i64,
    pub soroban_state_rent_fee_growth_factor: u32,
    pub max_entry_ttl: u32,
    pub min_temporary_ttl: u32,
    pub min_persistent_ttl: u32,
    pub persistent_rent_rate_denominator: i64,
    pub temp_rent_rate_denominator: i64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            tx_max_instructions: 100_000_000,
            tx_memory_limit: 41_943_040,
            fee_rate_per_instructions_increment: 25,
            tx_max_disk_read_entries: 100,
            tx_max_disk_read_bytes: 200_000,
            tx_max_write_entries: 50,
            tx_max_write_bytes: 132_096,
            tx_max_footprint_entries: 100,
            tx_max_size_bytes: 132_096,
            tx_max_contract_events_size_bytes: 16_384,
            contract_max_size_bytes: 131_072,
            contract_data_key_size_bytes: 250,
            contract_data_entry_size_bytes: 131_072,
            fee_disk_read_ledger_entry: 6_250,
            fee_write_ledger_entry: 10_000,
            fee_disk_read_1kb: 1_786,
            fee_write_1kb: 3_500,
            fee_historical_1kb: 16_235,
            fee_contract_events_1kb: 10_000,
            fee_tx_size_1kb: 1_624,
            // stellar-core's protocol 23 upgrade (`Protcol23UpgradedConfig`): a 3 GB
            // target with a negative low end, so a small state pays the host's
            // minimum rent write fee (1,000 stroops per KB).
            soroban_state_target_size_bytes: 3_000_000_000,
            rent_fee_1kb_state_size_low: -17_000,
            rent_fee_1kb_state_size_high: 10_000,
            soroban_state_rent_fee_growth_factor: 5_000,
            max_entry_ttl: 3_110_400,
            min_temporary_ttl: 17_280,
            min_persistent_ttl: 2_073_600,
            persistent_rent_rate_denominator: 1_215,
            temp_rent_rate_denominator: 2_430,
        }
    }
}

impl Settings {
    pub fn fee_configuration(&self) -> FeeConfiguration {
        FeeConfiguration {
            fee_per_instruction_increment: self.fee_rate_per_instructions_increment,
            fee_per_disk_read_entry: self.fee_disk_read_ledger_entry,
            fee_per_write_entry: self.fee_write_ledger_entry,
            fee_per_disk_read_1kb: self.fee_disk_read_1kb,
            fee_per_write_1kb: self.fee_write_1kb,
            fee_per_historical_1kb: self.fee_historical_1kb,
            fee_per_contract_event_1kb: self.fee_contract_events_1kb,
            fee_per_transaction_size_1kb: self.fee_tx_size_1kb,
        }
    }

    /// Rent fee configuration for a Soroban state of `state_size_bytes`.
    pub fn rent_fee_configuration(&self, state_size_bytes: i64) -> RentFeeConfiguration {
        let write = RentWriteFeeConfiguration {
            state_target_size_bytes: self.soroban_state_target_size_bytes,
            rent_fee_1kb_state_size_low: self.rent_fee_1kb_state_size_low,
            rent_fee_1kb_state_size_high: self.rent_fee_1kb_state_size_high,
            state_size_rent_fee_growth_factor: self.soroban_state_rent_fee_growth_factor,
        };
        RentFeeConfiguration {
            fee_per_write_1kb: self.fee_write_1kb,
            fee_per_rent_1kb: compute_rent_write_fee_per_1kb(state_size_bytes, &write),
            fee_per_write_entry: self.fee_write_ledger_entry,
            persistent_rent_rate_denominator: self.persistent_rent_rate_denominator,
            temporary_rent_rate_denominator: self.temp_rent_rate_denominator,
        }
    }

    /// The configuration soroban-simulation needs, for a given state size.
    pub fn network_config(&self, state_size_bytes: i64) -> NetworkConfig {
        let (cpu, mem) = default_cost_params();
        NetworkConfig {
            fee_configuration: self.fee_configuration(),
            rent_fee_configuration: self.rent_fee_configuration(state_size_bytes),
            tx_max_instructions: self.tx_max_instructions,
            tx_memory_limit: self.tx_memory_limit,
            cpu_cost_params: cpu,
            memory_cost_params: mem,
            min_temp_entry_ttl: self.min_temporary_ttl,
            min_persistent_entry_ttl: self.min_persistent_ttl,
            max_entry_ttl: self.max_entry_ttl,
        }
    }

    /// A fresh budget with the per-transaction limits, for applying a
    /// transaction in enforcing mode (what stellar-core does).
    pub fn budget(&self, instructions: u32) -> Result<Budget, soroban_env_host::HostError> {
        let (cpu, mem) = default_cost_params();
        Budget::try_from_configs(
            u64::from(instructions),
            u64::from(self.tx_memory_limit),
            cpu,
            mem,
        )
    }
}

/// The host's built-in calibrated cost model parameters, as `ContractCostParams`.
///
/// The host does not expose them directly, so they are read back by charging a
/// default budget: for input 0 the cost is the constant term, and for input
/// 128 it is the constant term plus the linear term (which the host stores
/// scaled by 2^7, exactly the unit `ContractCostParamEntry::linear_term` uses).
pub fn default_cost_params() -> (ContractCostParams, ContractCostParams) {
    use std::sync::OnceLock;
    static PARAMS: OnceLock<(ContractCostParams, ContractCostParams)> = OnceLock::new();
    PARAMS
        .get_or_init(|| {
            let mut cpu = Vec::new();
            let mut mem = Vec::new();
            for ty in ContractCostType::variants() {
                // Cost of one charge: (cpu, mem, accepted). Constant-cost types
                // only accept `None` as input.
                let measure = |input: Option<u64>| -> (u64, u64, bool) {
                    let b = Budget::default();
                    let (c0, m0) = (
                        b.get_cpu_insns_consumed().unwrap_or(0),
                        b.get_mem_bytes_consumed().unwrap_or(0),
                    );
                    let ok = b.charge(ty, input).is_ok();
                    (
                        b.get_cpu_insns_consumed().unwrap_or(0).saturating_sub(c0),
                        b.get_mem_bytes_consumed().unwrap_or(0).saturating_sub(m0),
                        ok,
                    )
                };
                let (c_const, m_const, linear) = measure(Some(0));
                let (c_const, m_const, c_lin, m_lin) = if linear {
                    let (c_128, m_128, _) = measure(Some(128));
                    (
                        c_const,
                        m_const,
                        c_128.saturating_sub(c_const),
                        m_128.saturating_sub(m_const),
                    )
                } else {
                    let (c, m, _) = measure(None);
                    (c, m, 0, 0)
                };
                cpu.push(ContractCostParamEntry {
                    ext: ExtensionPoint::V0,
                    const_term: c_const as i64,
                    linear_term: c_lin as i64,
                });
                mem.push(ContractCostParamEntry {
                    ext: ExtensionPoint::V0,
                    const_term: m_const as i64,
                    linear_term: m_lin as i64,
                });
            }
            (
                ContractCostParams(cpu.try_into().expect("cost type count fits")),
                ContractCostParams(mem.try_into().expect("cost type count fits")),
            )
        })
        .clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cost_params_read_back_match_the_default_budget() {
        let (cpu, mem) = default_cost_params();
        assert_eq!(cpu.0.len(), ContractCostType::variants().len());
        let from_params = Budget::try_from_configs(u64::MAX / 4, u64::MAX / 4, cpu, mem).unwrap();
        let default = Budget::default();
        for ty in ContractCostType::variants() {
            for input in [
                None,
                Some(0u64),
                Some(1),
                Some(7),
                Some(128),
                Some(1000),
                Some(65_536),
            ] {
                let (a0, b0, am0, bm0) = (
                    from_params.get_cpu_insns_consumed().unwrap(),
                    default.get_cpu_insns_consumed().unwrap(),
                    from_params.get_mem_bytes_consumed().unwrap(),
                    default.get_mem_bytes_consumed().unwrap(),
                );
                let ok_a = from_params.charge(ty, input).is_ok();
                let ok_b = default.charge(ty, input).is_ok();
                if !ok_b {
                    continue; // the input kind this cost type does not take (or over its limit)
                }
                assert!(ok_a, "{ty:?} input {input:?}");
                assert_eq!(
                    from_params.get_cpu_insns_consumed().unwrap() - a0,
                    default.get_cpu_insns_consumed().unwrap() - b0,
                    "cpu {ty:?} input {input:?}"
                );
                assert_eq!(
                    from_params.get_mem_bytes_consumed().unwrap() - am0,
                    default.get_mem_bytes_consumed().unwrap() - bm0,
                    "mem {ty:?} input {input:?}"
                );
            }
        }
    }
}
