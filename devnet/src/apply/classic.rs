//! Classic operations enough for real tokens: CreateAccount, Payment (native
//! and issued assets, including mint from and burn to the issuer) and
//! ChangeTrust. Storage: account and trustline entries (no TTL).
//! Sponsorship, liabilities from offers and pool shares are not modelled:
//! pool-share trustlines answer opNOT_SUPPORTED.

use soroban_env_host::xdr::{
    AccountEntry, AccountId, Asset, ChangeTrustAsset, ChangeTrustOp, ChangeTrustResult,
    CreateAccountOp, CreateAccountResult, LedgerEntry, LedgerEntryData, LedgerEntryExt, LedgerKey,
    LedgerKeyTrustLine, OperationResult, OperationResultTr, PaymentOp, PaymentResult,
    TrustLineAsset, TrustLineEntry, TrustLineEntryExt,
};

use super::{events, min_balance, OpContext, OpOutcome, Working};
use crate::config;
use crate::ledger::keys::muxed_to_account;

const AUTH_REQUIRED_FLAG: u32 = 1;
const TRUSTLINE_AUTHORIZED_FLAG: u32 = 1;

fn tr(r: OperationResultTr, success: bool) -> OpOutcome {
    OpOutcome::classic(OperationResult::OpInner(r), success)
}

pub fn create_account(w: &mut Working, ctx: &OpContext, op: &CreateAccountOp) -> OpOutcome {
    let fail = |c| tr(OperationResultTr::CreateAccount(c), false);
    if op.starting_balance <= 0 || op.destination == ctx.source {
        return fail(CreateAccountResult::Malformed);
    }
    if w.account(&op.destination).is_some() {
        return fail(CreateAccountResult::AlreadyExist);
    }
    if op.starting_balance < 2 * i64::from(config::BASE_RESERVE) {
        return fail(CreateAccountResult::LowReserve);
    }
    let mut src = w.account(&ctx.source).expect("checked by caller");
    if src.balance - op.starting_balance < min_balance(&src) {
        return fail(CreateAccountResult::Underfunded);
    }
    src.balance -= op.starting_balance;
    w.put_account(src);
    // New accounts start at sequence (ledger << 32), as on the network.
    let mut created = crate::ledger::account_entry(
        &[0; 32],
        op.starting_balance,
        i64::from(ctx.seq) << 32,
        ctx.seq,
    );
    if let LedgerEntryData::Account(a) = &mut created.data {
        a.account_id = op.destination.clone();
        w.put_account(a.clone());
    }
    let mut o = tr(
        OperationResultTr::CreateAccount(CreateAccountResult::Success),
        true,
    );
    o.events = vec![events::movement(
        &ctx.ledger.network_id,
        &Asset::Native,
        &ctx.source,
        &op.destination,
        op.starting_balance,
    )];
    o
}

fn trustline_key(account: &AccountId, asset: TrustLineAsset) -> LedgerKey {
    LedgerKey::Trustline(LedgerKeyTrustLine {
        account_id: account.clone(),
        asset,
    })
}

fn asset_issuer(asset: &Asset) -> Option<(&AccountId, TrustLineAsset)> {
    match asset {
        Asset::Native => None,
        Asset::CreditAlphanum4(a) => Some((&a.issuer, TrustLineAsset::CreditAlphanum4(a.clone()))),
        Asset::CreditAlphanum12(a) => {
            Some((&a.issuer, TrustLineAsset::CreditAlphanum12(a.clone())))
        }
    }
}

fn trustline(w: &Working, key: &LedgerKey) -> Option<TrustLineEntry> {
    match w.get(key).map(|s| &s.entry.data) {
        Some(LedgerEntryData::Trustline(t)) => Some(t.clone()),
        _ => None,
    }
}

fn put_trustline(w: &mut Working, key: LedgerKey, t: TrustLineEntry) {
    let seq = w.seq;
    w.put(
        key,
        LedgerEntry {
            last_modified_ledger_seq: seq,
            data: LedgerEntryData::Trustline(t),
            ext: LedgerEntryExt::V0,
        },
        None,
    );
}

pub fn payment(w: &mut Working, ctx: &OpContext, op: &PaymentOp) -> OpOutcome {
    let fail = |c| tr(OperationResultTr::Payment(c), false);
    let ok = || tr(OperationResultTr::Payment(PaymentResult::Success), true);
    let moved = || {
        let mut o = ok();
        let to = muxed_to_account(&op.destination);
        o.events = vec![events::movement(
            &ctx.ledger.network_id,
            &op.asset,
            &ctx.source,
            &to,
            op.amount,
        )];
        o
    };
    if op.amount <= 0 {
        return fail(PaymentResult::Malformed);
    }
    let dest = muxed_to_account(&op.destination);
    let Some(dest_account) = w.account(&dest) else {
        return fail(PaymentResult::NoDestination);
    };
    match asset_issuer(&op.asset) {
        None => {
            if dest == ctx.source {
                return ok();
            }
            let mut src = w.account(&ctx.source).expect("checked by caller");
            if src.balance - op.amount < min_balance(&src) {
                return fail(PaymentResult::Underfunded);
            }
            let mut dest_account = dest_account;
            let Some(new_balance) = dest_account.balance.checked_add(op.amount) else {
                return fail(PaymentResult::LineFull);
            };
            src.balance -= op.amount;
            w.put_account(src);
            dest_account.balance = new_balance;
            w.put_account(dest_account);
            moved()
        }
        Some((issuer, tl_asset)) => {
            let issuer = issuer.clone();
            // Debit the source unless it is the issuer (which mints).
            if ctx.source != issuer {
                let key = trustline_key(&ctx.source, tl_asset.clone());
                let Some(mut t) = trustline(w, &key) else {
                    return fail(PaymentResult::SrcNoTrust);
                };
                if t.flags & TRUSTLINE_AUTHORIZED_FLAG == 0 {
                    return fail(PaymentResult::SrcNotAuthorized);
                }
                if t.balance < op.amount {
                    return fail(PaymentResult::Underfunded);
                }
                if dest == ctx.source {
                    return ok();
                }
                t.balance -= op.amount;
                put_trustline(w, key, t);
            }
            // Credit the destination unless it is the issuer (which burns).
            if dest != issuer {
                let key = trustline_key(&dest, tl_asset);
                let Some(mut t) = trustline(w, &key) else {
                    return fail(PaymentResult::NoTrust);
                };
                if t.flags & TRUSTLINE_AUTHORIZED_FLAG == 0 {
                    return fail(PaymentResult::NotAuthorized);
                }
                match t.balance.checked_add(op.amount) {
                    Some(b) if b <= t.limit => t.balance = b,
                    _ => return fail(PaymentResult::LineFull),
                }
                put_trustline(w, key, t);
            }
            moved()
        }
    }
}

pub fn change_trust(w: &mut Working, ctx: &OpContext, op: &ChangeTrustOp) -> OpOutcome {
    let fail = |c| tr(OperationResultTr::ChangeTrust(c), false);
    let (issuer, tl_asset) = match &op.line {
        ChangeTrustAsset::Native => return fail(ChangeTrustResult::Malformed),
        ChangeTrustAsset::PoolShare(_) => {
            return OpOutcome::classic(OperationResult::OpNotSupported, false)
        }
        ChangeTrustAsset::CreditAlphanum4(a) => {
            (a.issuer.clone(), TrustLineAsset::CreditAlphanum4(a.clone()))
        }
        ChangeTrustAsset::CreditAlphanum12(a) => (
            a.issuer.clone(),
            TrustLineAsset::CreditAlphanum12(a.clone()),
        ),
    };
    if op.limit < 0 {
        return fail(ChangeTrustResult::Malformed);
    }
    if issuer == ctx.source {
        return fail(ChangeTrustResult::Malformed);
    }
    let key = trustline_key(&ctx.source, tl_asset.clone());
    let mut src: AccountEntry = w.account(&ctx.source).expect("checked by caller");
    match trustline(w, &key) {
        Some(mut t) => {
            if op.limit == 0 {
                if t.balance != 0 {
                    return fail(ChangeTrustResult::InvalidLimit);
                }
                w.remove(&key);
                src.num_sub_entries = src.num_sub_entries.saturating_sub(1);
                w.put_account(src);
            } else {
                if op.limit < t.balance {
                    return fail(ChangeTrustResult::InvalidLimit);
                }
                t.limit = op.limit;
                put_trustline(w, key, t);
            }
        }
        None => {
            if op.limit == 0 {
                return fail(ChangeTrustResult::InvalidLimit);
            }
            let Some(issuer_account) = w.account(&issuer) else {
                return fail(ChangeTrustResult::NoIssuer);
            };
            src.num_sub_entries += 1;
            if src.balance < min_balance(&src) {
                return fail(ChangeTrustResult::LowReserve);
            }
            w.put_account(src);
            let flags = if issuer_account.flags & AUTH_REQUIRED_FLAG == 0 {
                TRUSTLINE_AUTHORIZED_FLAG
            } else {
                0
            };
            put_trustline(
                w,
                key,
                TrustLineEntry {
                    account_id: ctx.source.clone(),
                    asset: tl_asset,
                    balance: 0,
                    limit: op.limit,
                    flags,
                    ext: TrustLineEntryExt::V0,
                },
            );
        }
    }
    tr(
        OperationResultTr::ChangeTrust(ChangeTrustResult::Success),
        true,
    )
}
