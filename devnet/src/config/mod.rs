//! Network settings: the devnet's limits, fees, TTL bounds and cost model,
//! loaded from a profile (`profile`, data in `devnet/profiles/`) and
//! optionally overridden by a settings file. `Settings::default()` is the
//! `pubnet` profile.
//!
//! A local devnet has a tiny state, so the rent write fee per KiB comes from
//! the devnet's own live Soroban state size, exactly as the network computes it
//! from its own size.

pub mod entries;
pub mod profile;

use serde::Deserialize;
use soroban_env_host::budget::Budget;
use soroban_env_host::fees::{
    compute_rent_write_fee_per_1kb, FeeConfiguration, RentFeeConfiguration,
    RentWriteFeeConfiguration,
};
use soroban_env_host::xdr::{
    ContractCostParamEntry, ContractCostParams, ContractCostType, ExtensionPoint,
};
use soroban_simulation::NetworkConfig;

pub use profile::Profile;

/// Protocol version the devnet reports and runs (soroban-env-host 27).
pub const PROTOCOL_VERSION: u32 = 27;
/// Default network passphrase (the one stellar-core's standalone mode uses).
pub const DEFAULT_PASSPHRASE: &str = "Standalone Network ; February 2017";
/// Total lumens in existence, stroops (100 billion XLM).
pub const TOTAL_COINS: i64 = 1_000_000_000_000_000_000;
/// Lumens friendbot gives a new account, stroops (10,000 XLM, like testnet).
pub const FRIENDBOT_STARTING_BALANCE: i64 = 100_000_000_000;
/// Number of ledgers kept for getTransactions/getEvents/getLedgers (the RPC
/// retention window; the real RPC defaults to about a day).
pub const RETENTION_LEDGERS: u32 = 17_280;

/// Network settings (one profile, with any overrides applied). Field names are
/// the profile's setting names.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Name of the profile these settings come from.
    pub profile: String,
    pub base_fee: u32,
    pub base_reserve: u32,
    pub ledger_close_ms: u64,
    pub ledger_max_classic_ops: u32,
    pub tx_max_instructions: i64,
    pub ledger_max_instructions: i64,
    pub tx_memory_limit: u32,
    pub fee_rate_per_instructions_increment: i64,
    pub tx_max_footprint_entries: u32,
    pub tx_max_disk_read_entries: u32,
    pub tx_max_disk_read_bytes: u32,
    pub tx_max_write_entries: u32,
    pub tx_max_write_bytes: u32,
    pub ledger_max_disk_read_entries: u32,
    pub ledger_max_disk_read_bytes: u32,
    pub ledger_max_write_entries: u32,
    pub ledger_max_write_bytes: u32,
    pub ledger_max_tx_count: u32,
    pub tx_max_size_bytes: u32,
    pub ledger_max_txs_size_bytes: u32,
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
    pub state_size_sample_period: u32,
    /// CPU cost model, `(const_term, linear_term)` per `ContractCostType`.
    pub cpu_cost_params: Vec<(i64, i64)>,
    /// Memory cost model, `(const_term, linear_term)` per `ContractCostType`.
    pub mem_cost_params: Vec<(i64, i64)>,
}

impl Default for Settings {
    /// The `pubnet` profile.
    fn default() -> Self {
        Settings::from_profile(
            &Profile::builtin(profile::DEFAULT_PROFILE).expect("built-in profile"),
        )
        .expect("built-in profile is valid")
    }
}

impl Settings {
    /// The settings of a resolved profile; a value of the wrong type or a cost
    /// model of the wrong length is an error naming it.
    pub fn from_profile(p: &Profile) -> Result<Settings, String> {
        let s: Settings =
            serde_json::from_value(p.values()).map_err(|e| format!("profile {}: {e}", p.name))?;
        let n = ContractCostType::variants().len();
        for (name, params) in [
            ("cpu_cost_params", &s.cpu_cost_params),
            ("mem_cost_params", &s.mem_cost_params),
        ] {
            if params.len() != n {
                return Err(format!(
                    "profile {}: {name} has {} entries; protocol {PROTOCOL_VERSION} has {n} cost types",
                    p.name,
                    params.len()
                ));
            }
        }
        if s.ledger_max_instructions < s.tx_max_instructions
            || s.ledger_max_write_entries < s.tx_max_write_entries
            || s.ledger_max_write_bytes < s.tx_max_write_bytes
            || s.ledger_max_disk_read_entries < s.tx_max_disk_read_entries
            || s.ledger_max_disk_read_bytes < s.tx_max_disk_read_bytes
            || s.ledger_max_txs_size_bytes < s.tx_max_size_bytes
        {
            return Err(format!(
                "profile {}: a per-ledger limit is below its per-transaction limit",
                p.name
            ));
        }
        Ok(s)
    }

    /// The cost model as the host takes it.
    pub fn cost_params(&self) -> (ContractCostParams, ContractCostParams) {
        let conv = |v: &[(i64, i64)]| {
            let entries: Vec<ContractCostParamEntry> = v
                .iter()
                .map(|&(c, l)| ContractCostParamEntry {
                    ext: ExtensionPoint::V0,
                    const_term: c,
                    linear_term: l,
                })
                .collect();
            ContractCostParams(entries.try_into().expect("cost type count fits"))
        };
        (conv(&self.cpu_cost_params), conv(&self.mem_cost_params))
    }

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
        let (cpu, mem) = self.cost_params();
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
        let (cpu, mem) = self.cost_params();
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

    const README: &str = include_str!("../../README.md");
    const TABLE_BEGIN: &str =
        "<!-- settings-table:begin (generated: cargo run -p devnet -- --settings-table) -->\n";
    const TABLE_END: &str = "<!-- settings-table:end -->";

    #[test]
    fn pubnet_profile_has_protocol_27_fees_and_limits() {
        let s = Settings::default();
        assert_eq!(s.profile, "pubnet");
        // SLP-4 fees.
        assert_eq!(
            (
                s.fee_rate_per_instructions_increment,
                s.fee_disk_read_ledger_entry,
                s.fee_disk_read_1kb
            ),
            (7, 1_563, 447)
        );
        assert_eq!((s.fee_write_ledger_entry, s.fee_write_1kb), (2_500, 875));
        assert_eq!(
            (
                s.fee_historical_1kb,
                s.fee_tx_size_1kb,
                s.fee_contract_events_1kb
            ),
            (4_059, 406, 5_000)
        );
        // SLP-4/5 per-transaction limits.
        assert_eq!(s.tx_max_instructions, 400_000_000);
        assert_eq!(
            (
                s.tx_max_footprint_entries,
                s.tx_max_disk_read_entries,
                s.tx_max_write_entries
            ),
            (400, 200, 200)
        );
        assert_eq!(s.contract_data_entry_size_bytes, 65_536);
        // Per ledger.
        assert_eq!(
            (s.ledger_max_instructions, s.ledger_max_tx_count),
            (580_000_000, 2_000)
        );
        // TTLs.
        assert_eq!(
            (s.min_persistent_ttl, s.min_temporary_ttl, s.max_entry_ttl),
            (2_073_600, 17_280, 3_110_400)
        );
    }

    #[test]
    fn pubnet_cost_model_is_the_networks_not_the_hosts_defaults() {
        let s = Settings::default();
        let (host_cpu, _) = default_cost_params();
        let val_deser = ContractCostType::ValDeser as usize;
        assert_eq!(s.cpu_cost_params[val_deser], (331, 4_369));
        assert_ne!(
            (
                host_cpu.0[val_deser].const_term,
                host_cpu.0[val_deser].linear_term
            ),
            s.cpu_cost_params[val_deser],
            "pubnet's ValDeser CPU cost differs from the host's built-in default"
        );
        // The budget accepts the profile's model.
        assert!(s.budget(1_000_000).is_ok());
    }

    #[test]
    fn testnet_extends_pubnet_with_shorter_ttls() {
        let pubnet = Profile::builtin("pubnet").unwrap();
        let testnet = Profile::builtin("testnet").unwrap();
        let differing: Vec<&String> = pubnet
            .entries
            .iter()
            .filter(|(k, e)| testnet.entries[*k].value != e.value)
            .map(|(k, _)| k)
            .collect();
        assert_eq!(
            differing,
            [
                "min_persistent_ttl",
                "min_temporary_ttl",
                "soroban_state_target_size_bytes"
            ]
        );
        let t = Settings::from_profile(&testnet).unwrap();
        assert_eq!(
            (
                t.profile.as_str(),
                t.min_persistent_ttl,
                t.min_temporary_ttl
            ),
            ("testnet", 120_960, 720)
        );
        assert_eq!(t.fee_write_1kb, 875);
        assert!(Profile::builtin("mainnet")
            .unwrap_err()
            .contains("pubnet, testnet"));
    }

    #[test]
    fn a_settings_file_overrides_any_value_and_names_unknown_ones() {
        let dir = std::env::temp_dir().join(format!("devnet-settings-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let good = dir.join("good.json");
        std::fs::write(
            &good,
            r#"{"tx_max_write_entries": 50, "fee_write_1kb": 3500}"#,
        )
        .unwrap();
        let p = Profile::builtin("pubnet")
            .unwrap()
            .with_overrides(&good)
            .unwrap();
        let s = Settings::from_profile(&p).unwrap();
        assert_eq!(
            (
                s.tx_max_write_entries,
                s.fee_write_1kb,
                s.tx_max_write_bytes
            ),
            (50, 3_500, 132_096)
        );
        assert!(p.entries["tx_max_write_entries"]
            .source
            .contains("good.json"));
        let bad = dir.join("bad.json");
        std::fs::write(&bad, r#"{"tx_max_writes": 50}"#).unwrap();
        let err = Profile::builtin("pubnet")
            .unwrap()
            .with_overrides(&bad)
            .unwrap_err();
        assert!(err.contains("unknown setting \"tx_max_writes\""), "{err}");
        let wrong_type = dir.join("type.json");
        std::fs::write(&wrong_type, r#"{"tx_max_write_entries": "many"}"#).unwrap();
        let p = Profile::builtin("pubnet")
            .unwrap()
            .with_overrides(&wrong_type)
            .unwrap();
        assert!(Settings::from_profile(&p).unwrap_err().contains("many"));
        let short = dir.join("short.json");
        std::fs::write(&short, r#"{"cpu_cost_params": [[1, 2]]}"#).unwrap();
        let p = Profile::builtin("pubnet")
            .unwrap()
            .with_overrides(&short)
            .unwrap();
        assert!(Settings::from_profile(&p)
            .unwrap_err()
            .contains("cpu_cost_params has 1 entries"));
    }

    #[test]
    fn the_readme_settings_table_is_generated_from_the_pubnet_profile() {
        let table = Profile::builtin("pubnet").unwrap().markdown_table();
        let start = README
            .find(TABLE_BEGIN)
            .expect("README has the settings-table markers")
            + TABLE_BEGIN.len();
        let end = README[start..].find(TABLE_END).expect("end marker") + start;
        assert_eq!(
            &README[start..end],
            table,
            "devnet/README.md's settings table is stale: replace it with `cargo run -p devnet -- --settings-table`"
        );
    }

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
