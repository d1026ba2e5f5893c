//! A copy-on-write view of the state that records, per operation, which keys
//! changed and their state before, to build `LedgerEntryChanges`.

use std::collections::BTreeSet;
use std::sync::Arc;

use soroban_env_host::xdr::{
    AccountEntry, AccountId, Hash, LedgerEntry, LedgerEntryChange, LedgerEntryChanges,
    LedgerEntryData, LedgerKey, LedgerKeyTtl, TtlEntry,
};

use super::validate::get_account;
use crate::ledger::keys::{account_key, ttl_key_hash};
use crate::ledger::{EntryMap, StoredEntry};

/// Copy-on-write view of the state that records, per operation, which keys
/// changed and their state before, to build `LedgerEntryChanges`.
pub struct Working {
    pub map: EntryMap,
    pub seq: u32,
    touched: Vec<(LedgerKey, Option<StoredEntry>)>,
    seen: BTreeSet<LedgerKey>,
}

impl Working {
    pub fn new(map: EntryMap, seq: u32) -> Working {
        Working {
            map,
            seq,
            touched: Vec::new(),
            seen: BTreeSet::new(),
        }
    }
    pub fn get(&self, k: &LedgerKey) -> Option<&StoredEntry> {
        self.map.get(k)
    }
    fn touch(&mut self, k: &LedgerKey) {
        if self.seen.insert(k.clone()) {
            self.touched.push((k.clone(), self.map.get(k).cloned()));
        }
    }
    pub fn put(&mut self, k: LedgerKey, mut entry: LedgerEntry, live_until: Option<u32>) {
        self.touch(&k);
        entry.last_modified_ledger_seq = self.seq;
        self.map.insert(
            k,
            StoredEntry {
                entry: Arc::new(entry),
                live_until,
            },
        );
    }
    pub fn set_ttl(&mut self, k: &LedgerKey, live_until: u32) {
        if let Some(s) = self.map.get(k).cloned() {
            self.touch(k);
            self.map.insert(
                k.clone(),
                StoredEntry {
                    entry: s.entry,
                    live_until: Some(live_until),
                },
            );
        }
    }
    pub fn remove(&mut self, k: &LedgerKey) {
        self.touch(k);
        self.map.remove(k);
    }
    pub fn account(&self, id: &AccountId) -> Option<AccountEntry> {
        get_account(&self.map, id)
    }
    pub fn put_account(&mut self, a: AccountEntry) {
        let k = account_key(&a.account_id);
        let ext = self
            .map
            .get(&k)
            .map(|s| s.entry.ext.clone())
            .unwrap_or(soroban_env_host::xdr::LedgerEntryExt::V0);
        self.put(
            k,
            LedgerEntry {
                last_modified_ledger_seq: self.seq,
                data: LedgerEntryData::Account(a),
                ext,
            },
            None,
        );
    }
    /// The changes since the last call, in the order keys were first touched.
    pub fn take_changes(&mut self) -> LedgerEntryChanges {
        let seq = self.seq;
        let mut out = Vec::new();
        for (k, before) in std::mem::take(&mut self.touched) {
            let after = self.map.get(&k).cloned();
            if before == after {
                continue;
            }
            let archived_before = before
                .as_ref()
                .is_some_and(|b| crate::ledger::Ledger::is_archived(&k, b, seq));
            match (&before, &after) {
                (None, Some(a)) => {
                    out.push(LedgerEntryChange::Created((*a.entry).clone()));
                    if let Some(l) = a.live_until {
                        out.push(LedgerEntryChange::Created(ttl_entry(&k, l, seq)));
                    }
                }
                (Some(b), Some(a)) if archived_before => {
                    let _ = b;
                    out.push(LedgerEntryChange::Restored((*a.entry).clone()));
                    if let Some(l) = a.live_until {
                        out.push(LedgerEntryChange::Restored(ttl_entry(&k, l, seq)));
                    }
                }
                (Some(b), Some(a)) => {
                    if b.entry != a.entry {
                        out.push(LedgerEntryChange::State((*b.entry).clone()));
                        out.push(LedgerEntryChange::Updated((*a.entry).clone()));
                    }
                    if let (Some(lb), Some(la)) = (b.live_until, a.live_until) {
                        if lb != la {
                            out.push(LedgerEntryChange::State(ttl_entry(
                                &k,
                                lb,
                                b.entry.last_modified_ledger_seq,
                            )));
                            out.push(LedgerEntryChange::Updated(ttl_entry(&k, la, seq)));
                        }
                    }
                }
                (Some(b), None) => {
                    out.push(LedgerEntryChange::State((*b.entry).clone()));
                    out.push(LedgerEntryChange::Removed(k.clone()));
                    if let Some(lb) = b.live_until {
                        out.push(LedgerEntryChange::State(ttl_entry(
                            &k,
                            lb,
                            b.entry.last_modified_ledger_seq,
                        )));
                        out.push(LedgerEntryChange::Removed(LedgerKey::Ttl(LedgerKeyTtl {
                            key_hash: Hash(ttl_key_hash(&k)),
                        })));
                    }
                }
                (None, None) => {}
            }
        }
        self.seen.clear();
        out.try_into().unwrap_or_default()
    }
}

fn ttl_entry(k: &LedgerKey, live_until: u32, modified: u32) -> LedgerEntry {
    LedgerEntry {
        last_modified_ledger_seq: modified,
        data: LedgerEntryData::Ttl(TtlEntry {
            key_hash: Hash(ttl_key_hash(k)),
            live_until_ledger_seq: live_until,
        }),
        ext: soroban_env_host::xdr::LedgerEntryExt::V0,
    }
}
