//! Ledger keys and account ids: derivation, classification and strkeys.

use ed25519_dalek::SigningKey;
use soroban_env_host::xdr::{
    AccountId, ContractDataDurability, Hash, LedgerEntry, LedgerEntryData, LedgerKey,
    LedgerKeyAccount, LedgerKeyConfigSetting, LedgerKeyContractCode, LedgerKeyContractData,
    LedgerKeyTrustLine, LedgerKeyTtl, MuxedAccount, PublicKey, Uint256,
};

use super::{sha256, xdr_bytes};

pub fn signing_key(seed: &[u8; 32]) -> SigningKey {
    SigningKey::from_bytes(seed)
}

pub fn account_id_from_seed(seed: &[u8; 32]) -> AccountId {
    account_id(signing_key(seed).verifying_key().to_bytes())
}

pub fn account_id(public_key: [u8; 32]) -> AccountId {
    AccountId(PublicKey::PublicKeyTypeEd25519(Uint256(public_key)))
}

pub fn account_bytes(id: &AccountId) -> [u8; 32] {
    let AccountId(PublicKey::PublicKeyTypeEd25519(Uint256(b))) = id;
    *b
}

pub fn muxed_to_account(m: &MuxedAccount) -> AccountId {
    match m {
        MuxedAccount::Ed25519(k) => AccountId(PublicKey::PublicKeyTypeEd25519(k.clone())),
        MuxedAccount::MuxedEd25519(m) => {
            AccountId(PublicKey::PublicKeyTypeEd25519(m.ed25519.clone()))
        }
    }
}

pub fn account_key(id: &AccountId) -> LedgerKey {
    LedgerKey::Account(LedgerKeyAccount {
        account_id: id.clone(),
    })
}

pub fn strkey_account(id: &AccountId) -> String {
    stellar_strkey::ed25519::PublicKey(account_bytes(id)).to_string()
}

pub fn parse_account(s: &str) -> Option<AccountId> {
    stellar_strkey::ed25519::PublicKey::from_string(s)
        .ok()
        .map(|p| account_id(p.0))
}

pub fn strkey_contract(id: &[u8; 32]) -> String {
    stellar_strkey::Contract(*id).to_string()
}

pub fn parse_contract(s: &str) -> Option<[u8; 32]> {
    stellar_strkey::Contract::from_string(s).ok().map(|c| c.0)
}

/// The key of a stored entry.
pub fn entry_key(e: &LedgerEntry) -> LedgerKey {
    match &e.data {
        LedgerEntryData::Account(a) => account_key(&a.account_id),
        LedgerEntryData::Trustline(t) => LedgerKey::Trustline(LedgerKeyTrustLine {
            account_id: t.account_id.clone(),
            asset: t.asset.clone(),
        }),
        LedgerEntryData::ContractData(d) => LedgerKey::ContractData(LedgerKeyContractData {
            contract: d.contract.clone(),
            key: d.key.clone(),
            durability: d.durability,
        }),
        LedgerEntryData::ContractCode(c) => LedgerKey::ContractCode(LedgerKeyContractCode {
            hash: c.hash.clone(),
        }),
        LedgerEntryData::Ttl(t) => LedgerKey::Ttl(LedgerKeyTtl {
            key_hash: t.key_hash.clone(),
        }),
        LedgerEntryData::ConfigSetting(c) => LedgerKey::ConfigSetting(LedgerKeyConfigSetting {
            config_setting_id: c.discriminant(),
        }),
        // The devnet never stores offers, data entries, claimable balances or pools.
        _ => LedgerKey::Ttl(LedgerKeyTtl {
            key_hash: Hash(sha256(&xdr_bytes(e))),
        }),
    }
}

pub fn is_soroban(k: &LedgerKey) -> bool {
    matches!(k, LedgerKey::ContractData(_) | LedgerKey::ContractCode(_))
}

pub fn is_persistent(k: &LedgerKey) -> bool {
    match k {
        LedgerKey::ContractData(d) => d.durability == ContractDataDurability::Persistent,
        LedgerKey::ContractCode(_) => true,
        _ => false,
    }
}

/// The TTL entry key hash of a Soroban key.
pub fn ttl_key_hash(k: &LedgerKey) -> [u8; 32] {
    sha256(&xdr_bytes(k))
}
