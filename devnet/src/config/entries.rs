//! The network settings as the `ConfigSetting` ledger entries stellar-rpc serves
//! through `getLedgerEntries`, so clients read the limits from the network (as
//! they must on testnet and pubnet) rather than hard-coding them.

use soroban_env_host::xdr::{
    ConfigSettingContractBandwidthV0, ConfigSettingContractComputeV0,
    ConfigSettingContractEventsV0, ConfigSettingContractExecutionLanesV0,
    ConfigSettingContractHistoricalDataV0, ConfigSettingContractLedgerCostExtV0,
    ConfigSettingContractLedgerCostV0, ConfigSettingEntry, ConfigSettingId,
};

use super::Settings;

/// The entry for `id`, for the settings the devnet models; `None` for the others
/// (cost parameters, archival, SCP timing, ...), which a client then finds absent.
pub fn config_setting(s: &Settings, id: ConfigSettingId) -> Option<ConfigSettingEntry> {
    Some(match id {
        ConfigSettingId::ContractMaxSizeBytes => {
            ConfigSettingEntry::ContractMaxSizeBytes(s.contract_max_size_bytes)
        }
        ConfigSettingId::ContractComputeV0 => {
            ConfigSettingEntry::ContractComputeV0(ConfigSettingContractComputeV0 {
                ledger_max_instructions: s.ledger_max_instructions,
                tx_max_instructions: s.tx_max_instructions,
                fee_rate_per_instructions_increment: s.fee_rate_per_instructions_increment,
                tx_memory_limit: s.tx_memory_limit,
            })
        }
        ConfigSettingId::ContractLedgerCostV0 => {
            ConfigSettingEntry::ContractLedgerCostV0(ConfigSettingContractLedgerCostV0 {
                ledger_max_disk_read_entries: s.ledger_max_disk_read_entries,
                ledger_max_disk_read_bytes: s.ledger_max_disk_read_bytes,
                ledger_max_write_ledger_entries: s.ledger_max_write_entries,
                ledger_max_write_bytes: s.ledger_max_write_bytes,
                tx_max_disk_read_entries: s.tx_max_disk_read_entries,
                tx_max_disk_read_bytes: s.tx_max_disk_read_bytes,
                tx_max_write_ledger_entries: s.tx_max_write_entries,
                tx_max_write_bytes: s.tx_max_write_bytes,
                fee_disk_read_ledger_entry: s.fee_disk_read_ledger_entry,
                fee_write_ledger_entry: s.fee_write_ledger_entry,
                fee_disk_read1_kb: s.fee_disk_read_1kb,
                soroban_state_target_size_bytes: s.soroban_state_target_size_bytes,
                rent_fee1_kb_soroban_state_size_low: s.rent_fee_1kb_state_size_low,
                rent_fee1_kb_soroban_state_size_high: s.rent_fee_1kb_state_size_high,
                soroban_state_rent_fee_growth_factor: s.soroban_state_rent_fee_growth_factor,
            })
        }
        ConfigSettingId::ContractEventsV0 => {
            ConfigSettingEntry::ContractEventsV0(ConfigSettingContractEventsV0 {
                tx_max_contract_events_size_bytes: s.tx_max_contract_events_size_bytes,
                fee_contract_events1_kb: s.fee_contract_events_1kb,
            })
        }
        ConfigSettingId::ContractBandwidthV0 => {
            ConfigSettingEntry::ContractBandwidthV0(ConfigSettingContractBandwidthV0 {
                ledger_max_txs_size_bytes: s.ledger_max_txs_size_bytes,
                tx_max_size_bytes: s.tx_max_size_bytes,
                fee_tx_size1_kb: s.fee_tx_size_1kb,
            })
        }
        ConfigSettingId::ContractHistoricalDataV0 => {
            ConfigSettingEntry::ContractHistoricalDataV0(ConfigSettingContractHistoricalDataV0 {
                fee_historical1_kb: s.fee_historical_1kb,
            })
        }
        ConfigSettingId::ContractDataKeySizeBytes => {
            ConfigSettingEntry::ContractDataKeySizeBytes(s.contract_data_key_size_bytes)
        }
        ConfigSettingId::ContractDataEntrySizeBytes => {
            ConfigSettingEntry::ContractDataEntrySizeBytes(s.contract_data_entry_size_bytes)
        }
        ConfigSettingId::ContractExecutionLanes => {
            ConfigSettingEntry::ContractExecutionLanes(ConfigSettingContractExecutionLanesV0 {
                ledger_max_tx_count: s.ledger_max_tx_count,
            })
        }
        ConfigSettingId::ContractLedgerCostExtV0 => {
            ConfigSettingEntry::ContractLedgerCostExtV0(ConfigSettingContractLedgerCostExtV0 {
                tx_max_footprint_entries: s.tx_max_footprint_entries,
                fee_write1_kb: s.fee_write_1kb,
            })
        }
        _ => return None,
    })
}
