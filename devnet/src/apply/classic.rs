//! Classic operations enough for real tokens and their failure modes:
//! CreateAccount, Payment (native and issued assets, including mint from and
//! burn to the issuer), ChangeTrust, SetOptions (flags, thresholds, ed25519
//! signers), SetTrustLineFlags (freeze / unfreeze) and Clawback. Storage:
//! account and trustline entries (no TTL).
//! Sponsorship, liabilities from offers and pool shares are not modelled:
//! pool-share trustlines answer opNOT_SUPPORTED.

use soroban_env_host::xdr::{
    AccountEntry, AccountId, Asset, ChangeTrustAsset, ChangeTrustOp, ChangeTrustResult,
    CreateAccountOp, CreateAccountResult, LedgerEntry, LedgerEntryData, LedgerEntryExt, LedgerKey,
    LedgerKeyTrustLine, OperationResult, OperationResultTr, PaymentOp, PaymentResult,
    TrustLineAsset, TrustLineEntry, TrustLineEntryExt,
};

use super::{events, min_balance, OpContext, OpOutcome, Working};
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
    if op.starting_balance < 2 * i64::from(ctx.ledger.header.base_reserve) {
        return fail(CreateAccountResult::LowReserve);
    }
    let mut src = w.account(&ctx.source).expect("checked by caller");
    if src.balance - op.starting_balance < min_balance(&src, ctx.ledger.header.base_reserve) {
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
            if src.balance - op.amount < min_balance(&src, ctx.ledger.header.base_reserve) {
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
            if src.balance < min_balance(&src, ctx.ledger.header.base_reserve) {
                return fail(ChangeTrustResult::LowReserve);
            }
            w.put_account(src);
            let mut flags = if issuer_account.flags & AUTH_REQUIRED_FLAG == 0 {
                TRUSTLINE_AUTHORIZED_FLAG
            } else {
                0
            };
            if issuer_account.flags & AUTH_CLAWBACK_ENABLED_FLAG != 0 {
                flags |= TRUSTLINE_CLAWBACK_ENABLED_FLAG;
            }
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

/// Account flags (`AccountFlags`).
pub const AUTH_REVOCABLE_FLAG: u32 = 2;
pub const AUTH_IMMUTABLE_FLAG: u32 = 4;
pub const AUTH_CLAWBACK_ENABLED_FLAG: u32 = 8;
const ALL_ACCOUNT_FLAGS: u32 =
    AUTH_REQUIRED_FLAG | AUTH_REVOCABLE_FLAG | AUTH_IMMUTABLE_FLAG | AUTH_CLAWBACK_ENABLED_FLAG;
/// Trustline flags (`TrustLineFlags`).
pub const TRUSTLINE_MAINTAIN_LIABILITIES_FLAG: u32 = 2;
pub const TRUSTLINE_CLAWBACK_ENABLED_FLAG: u32 = 4;
/// Most signers an account may have besides its master key.
const MAX_SIGNERS: usize = 20;

/// SetOptions: account flags (auth required / revocable / immutable /
/// clawback enabled), master weight, thresholds, home domain and ed25519
/// signers, with stellar-core's result codes. Other signer kinds answer
/// opNOT_SUPPORTED (the devnet checks only ed25519 signatures).
pub fn set_options(
    w: &mut Working,
    ctx: &OpContext,
    op: &soroban_env_host::xdr::SetOptionsOp,
) -> OpOutcome {
    use soroban_env_host::xdr::{SetOptionsResult as R, SignerKey};
    let fail = |c| tr(OperationResultTr::SetOptions(c), false);
    let mut a = w.account(&ctx.source).expect("checked by caller");
    let set = op.set_flags.unwrap_or(0);
    let clear = op.clear_flags.unwrap_or(0);
    if (set | clear) & !ALL_ACCOUNT_FLAGS != 0 {
        return fail(R::UnknownFlag);
    }
    if set & clear != 0 {
        return fail(R::BadFlags);
    }
    for t in [
        op.master_weight,
        op.low_threshold,
        op.med_threshold,
        op.high_threshold,
    ]
    .into_iter()
    .flatten()
    {
        if t > 255 {
            return fail(R::ThresholdOutOfRange);
        }
    }
    if let Some(s) = &op.signer {
        if s.weight > 255 {
            return fail(R::BadSigner);
        }
        match &s.key {
            SignerKey::Ed25519(k) if k.0 == crate::ledger::keys::account_bytes(&ctx.source) => {
                return fail(R::BadSigner)
            }
            SignerKey::Ed25519(_) => {}
            _ => return OpOutcome::classic(OperationResult::OpNotSupported, false),
        }
    }
    if let Some(dest) = &op.inflation_dest {
        if w.account(dest).is_none() {
            return fail(R::InvalidInflation);
        }
        a.inflation_dest = Some(dest.clone());
    }
    if (set | clear) != 0 && a.flags & AUTH_IMMUTABLE_FLAG != 0 {
        return fail(R::CantChange);
    }
    a.flags = (a.flags | set) & !clear;
    if a.flags & AUTH_CLAWBACK_ENABLED_FLAG != 0 && a.flags & AUTH_REVOCABLE_FLAG == 0 {
        return fail(R::AuthRevocableRequired);
    }
    let mut th = a.thresholds.0;
    if let Some(v) = op.master_weight {
        th[0] = v as u8;
    }
    if let Some(v) = op.low_threshold {
        th[1] = v as u8;
    }
    if let Some(v) = op.med_threshold {
        th[2] = v as u8;
    }
    if let Some(v) = op.high_threshold {
        th[3] = v as u8;
    }
    a.thresholds = soroban_env_host::xdr::Thresholds(th);
    if let Some(d) = &op.home_domain {
        a.home_domain = d.clone();
    }
    if let Some(s) = &op.signer {
        let mut signers = a.signers.to_vec();
        let pos = signers.iter().position(|x| x.key == s.key);
        match (pos, s.weight) {
            (Some(i), 0) => {
                signers.remove(i);
                a.num_sub_entries = a.num_sub_entries.saturating_sub(1);
            }
            (Some(i), weight) => signers[i].weight = weight,
            (None, 0) => {}
            (None, _) => {
                if signers.len() >= MAX_SIGNERS {
                    return fail(R::TooManySigners);
                }
                a.num_sub_entries += 1;
                if a.balance < min_balance(&a, ctx.ledger.header.base_reserve) {
                    return fail(R::LowReserve);
                }
                signers.push(s.clone());
                signers.sort_by(|x, y| x.key.cmp(&y.key));
            }
        }
        a.signers = signers.try_into().expect("at most 20 signers");
    }
    w.put_account(a);
    tr(OperationResultTr::SetOptions(R::Success), true)
}

/// SetTrustLineFlags (CAP-35): the issuer authorizes, freezes (clears
/// AUTHORIZED) or limits a holder's trustline; revoking needs the issuer's
/// AUTH_REVOCABLE flag.
pub fn set_trust_line_flags(
    w: &mut Working,
    ctx: &OpContext,
    op: &soroban_env_host::xdr::SetTrustLineFlagsOp,
) -> OpOutcome {
    use soroban_env_host::xdr::SetTrustLineFlagsResult as R;
    let fail = |c| tr(OperationResultTr::SetTrustLineFlags(c), false);
    let allowed = TRUSTLINE_AUTHORIZED_FLAG
        | TRUSTLINE_MAINTAIN_LIABILITIES_FLAG
        | TRUSTLINE_CLAWBACK_ENABLED_FLAG;
    let Some((issuer, tl_asset)) = asset_issuer(&op.asset) else {
        return fail(R::Malformed);
    };
    if issuer != &ctx.source
        || op.trustor == ctx.source
        || op.set_flags & op.clear_flags != 0
        || (op.set_flags | op.clear_flags) & !allowed != 0
        || op.set_flags & TRUSTLINE_CLAWBACK_ENABLED_FLAG != 0
    {
        return fail(R::Malformed);
    }
    let key = trustline_key(&op.trustor, tl_asset);
    let Some(mut t) = trustline(w, &key) else {
        return fail(R::NoTrustLine);
    };
    let auth_bits = TRUSTLINE_AUTHORIZED_FLAG | TRUSTLINE_MAINTAIN_LIABILITIES_FLAG;
    let new_flags = (t.flags | op.set_flags) & !op.clear_flags;
    if new_flags & auth_bits == auth_bits {
        return fail(R::InvalidState);
    }
    // Any loss of authorization is a revocation.
    let revoking = (t.flags & TRUSTLINE_AUTHORIZED_FLAG != 0
        && new_flags & TRUSTLINE_AUTHORIZED_FLAG == 0)
        || (t.flags & auth_bits != 0 && new_flags & auth_bits == 0);
    let issuer_account = w.account(&ctx.source).expect("checked by caller");
    if revoking && issuer_account.flags & AUTH_REVOCABLE_FLAG == 0 {
        return fail(R::CantRevoke);
    }
    t.flags = new_flags;
    put_trustline(w, key, t);
    tr(OperationResultTr::SetTrustLineFlags(R::Success), true)
}

/// Clawback (CAP-35): the issuer burns `amount` from a holder whose trustline
/// has clawback enabled (set at creation when the issuer had
/// AUTH_CLAWBACK_ENABLED).
pub fn clawback(
    w: &mut Working,
    ctx: &OpContext,
    op: &soroban_env_host::xdr::ClawbackOp,
) -> OpOutcome {
    use soroban_env_host::xdr::ClawbackResult as R;
    let fail = |c| tr(OperationResultTr::Clawback(c), false);
    let from = muxed_to_account(&op.from);
    let Some((issuer, tl_asset)) = asset_issuer(&op.asset) else {
        return fail(R::Malformed);
    };
    if op.amount <= 0 || issuer != &ctx.source || from == ctx.source {
        return fail(R::Malformed);
    }
    let key = trustline_key(&from, tl_asset);
    let Some(mut t) = trustline(w, &key) else {
        return fail(R::NoTrust);
    };
    if t.flags & TRUSTLINE_CLAWBACK_ENABLED_FLAG == 0 {
        return fail(R::NotClawbackEnabled);
    }
    if t.balance < op.amount {
        return fail(R::Underfunded);
    }
    t.balance -= op.amount;
    put_trustline(w, key, t);
    let mut o = tr(OperationResultTr::Clawback(R::Success), true);
    o.events = vec![events::clawback(
        &ctx.ledger.network_id,
        &op.asset,
        &from,
        op.amount,
    )];
    o
}
