//! Unified events (CAP-67, protocol 23+) for what is not a contract call:
//! classic payments and account creation emit the Stellar Asset Contract's
//! `transfer`/`mint`/`burn` events under the asset's contract id (whether or
//! not that contract is deployed), and every transaction emits `fee` events
//! from the native asset contract (the charge before application, the refund
//! as a negative amount after).

use soroban_env_host::xdr::{
    AccountId, Asset, ContractEvent, ContractEventBody, ContractEventType, ContractEventV0,
    ContractId, ContractIdPreimage, ExtensionPoint, Hash, HashIdPreimage, HashIdPreimageContractId,
    Int128Parts, ScAddress, ScString, ScSymbol, ScVal, TransactionEvent, TransactionEventStage,
};

use crate::ledger::keys::strkey_account;
use crate::ledger::{sha256, xdr_bytes};

/// Contract id of an asset's Stellar Asset Contract on this network.
pub fn asset_contract_id(network_id: &[u8; 32], asset: &Asset) -> [u8; 32] {
    sha256(&xdr_bytes(&HashIdPreimage::ContractId(
        HashIdPreimageContractId {
            network_id: Hash(*network_id),
            contract_id_preimage: ContractIdPreimage::Asset(asset.clone()),
        },
    )))
}

/// SEP-11 name of an asset: `native` or `CODE:ISSUER`.
pub fn asset_name(asset: &Asset) -> String {
    let code = |bytes: &[u8]| {
        String::from_utf8_lossy(bytes)
            .trim_end_matches('\0')
            .to_string()
    };
    match asset {
        Asset::Native => "native".into(),
        Asset::CreditAlphanum4(a) => {
            format!("{}:{}", code(&a.asset_code.0), strkey_account(&a.issuer))
        }
        Asset::CreditAlphanum12(a) => {
            format!("{}:{}", code(&a.asset_code.0), strkey_account(&a.issuer))
        }
    }
}

fn symbol(s: &str) -> ScVal {
    ScVal::Symbol(ScSymbol(s.try_into().expect("short symbol")))
}

fn address(a: &AccountId) -> ScVal {
    ScVal::Address(ScAddress::Account(a.clone()))
}

fn i128(v: i64) -> ScVal {
    let v = i128::from(v);
    ScVal::I128(Int128Parts {
        hi: (v >> 64) as i64,
        lo: v as u64,
    })
}

fn event(network_id: &[u8; 32], asset: &Asset, topics: Vec<ScVal>, data: ScVal) -> ContractEvent {
    ContractEvent {
        ext: ExtensionPoint::V0,
        contract_id: Some(ContractId(Hash(asset_contract_id(network_id, asset)))),
        type_: ContractEventType::Contract,
        body: ContractEventBody::V0(ContractEventV0 {
            topics: topics.try_into().expect("few topics"),
            data,
        }),
    }
}

fn name(asset: &Asset) -> ScVal {
    ScVal::String(ScString(
        asset_name(asset).try_into().expect("asset names are short"),
    ))
}

/// The event a classic movement of `amount` of `asset` emits: `mint` when the
/// issuer pays, `burn` when the issuer is paid, `transfer` otherwise.
pub fn movement(
    network_id: &[u8; 32],
    asset: &Asset,
    from: &AccountId,
    to: &AccountId,
    amount: i64,
) -> ContractEvent {
    let issuer = match asset {
        Asset::Native => None,
        Asset::CreditAlphanum4(a) => Some(&a.issuer),
        Asset::CreditAlphanum12(a) => Some(&a.issuer),
    };
    if issuer == Some(from) {
        event(
            network_id,
            asset,
            vec![symbol("mint"), address(to), name(asset)],
            i128(amount),
        )
    } else if issuer == Some(to) {
        event(
            network_id,
            asset,
            vec![symbol("burn"), address(from), name(asset)],
            i128(amount),
        )
    } else {
        event(
            network_id,
            asset,
            vec![symbol("transfer"), address(from), address(to), name(asset)],
            i128(amount),
        )
    }
}

/// A `fee` event: `amount` charged (positive) or refunded (negative).
pub fn fee(
    network_id: &[u8; 32],
    payer: &AccountId,
    amount: i64,
    stage: TransactionEventStage,
) -> TransactionEvent {
    TransactionEvent {
        stage,
        event: event(
            network_id,
            &Asset::Native,
            vec![symbol("fee"), address(payer)],
            i128(amount),
        ),
    }
}

/// The asset contract's `clawback` event (CAP-67): the issuer took `amount` back from `from`.
pub fn clawback(
    network_id: &[u8; 32],
    asset: &Asset,
    from: &AccountId,
    amount: i64,
) -> ContractEvent {
    event(
        network_id,
        asset,
        vec![symbol("clawback"), address(from), name(asset)],
        i128(amount),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use soroban_env_host::xdr::{AlphaNum4, AssetCode4};

    #[test]
    fn native_contract_id_matches_the_well_known_testnet_address() {
        let testnet = sha256(b"Test SDF Network ; September 2015");
        let id = asset_contract_id(&testnet, &Asset::Native);
        assert_eq!(
            crate::ledger::keys::strkey_contract(&id),
            "CDLZFC3SYJYDZT7K67VZ75HPJVIEUVNIXF47ZG2FB2RMQQVU2HHGCYSC"
        );
    }

    #[test]
    fn asset_names_follow_sep_11() {
        let issuer = crate::ledger::keys::account_id_from_seed(&[1; 32]);
        let usdc = Asset::CreditAlphanum4(AlphaNum4 {
            asset_code: AssetCode4(*b"USD\0"),
            issuer: issuer.clone(),
        });
        assert_eq!(
            asset_name(&usdc),
            format!("USD:{}", strkey_account(&issuer))
        );
        assert_eq!(asset_name(&Asset::Native), "native");
    }
}
