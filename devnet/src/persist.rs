//! The `--state FILE` format: a versioned JSON document holding the last
//! ledger header, the warp offset and every ledger entry (base64 XDR) with its
//! live-until ledger. History (transactions, events, older ledgers) is not
//! kept across restarts. Written atomically (temp file, fsync, rename);
//! a corrupted or incompatible file is an error, never a silent reset.

use std::path::Path;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use soroban_env_host::xdr::{LedgerEntry, LedgerHeader};

use crate::config::{self, Settings};
use crate::ledger::keys::entry_key;
use crate::ledger::{sha256, xdr_bytes, EntryMap, Ledger, StoredEntry};
use crate::rpc::wire::{b64, decode};

pub const FORMAT: &str = "tributary-devnet-state";
pub const VERSION: u32 = 1;

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SavedEntry {
    pub entry: String,
    pub live_until: Option<u32>,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Saved {
    pub format: String,
    pub version: u32,
    pub protocol_version: u32,
    pub passphrase: String,
    pub header: String,
    pub time_offset: i64,
    pub entries: Vec<SavedEntry>,
}

impl Saved {
    pub fn from_ledger(l: &Ledger) -> Saved {
        Saved {
            format: FORMAT.into(),
            version: VERSION,
            protocol_version: config::PROTOCOL_VERSION,
            passphrase: l.passphrase.clone(),
            header: b64(&xdr_bytes(&l.header)),
            time_offset: l.time_offset,
            entries: l
                .entries
                .values()
                .map(|s| SavedEntry {
                    entry: b64(&xdr_bytes(s.entry.as_ref())),
                    live_until: s.live_until,
                })
                .collect(),
        }
    }

    /// Rebuilds a ledger; `passphrase` must match the one the state was made with.
    pub fn into_ledger(self, passphrase: &str, settings: Settings) -> Result<Ledger, String> {
        if self.format != FORMAT {
            return Err(format!(
                "not a devnet state file (format {:?}, expected {FORMAT:?})",
                self.format
            ));
        }
        if self.version != VERSION || self.protocol_version != config::PROTOCOL_VERSION {
            return Err(format!(
                "incompatible state file: version {} protocol {}, this devnet reads version {VERSION} protocol {}",
                self.version,
                self.protocol_version,
                config::PROTOCOL_VERSION
            ));
        }
        if self.passphrase != passphrase {
            return Err(format!(
                "state file belongs to network {:?}, not {passphrase:?}",
                self.passphrase
            ));
        }
        let header: LedgerHeader = decode("header", &self.header)
            .map_err(|e| format!("corrupted state file: {}", e.message))?;
        let mut entries = EntryMap::new();
        for (i, e) in self.entries.into_iter().enumerate() {
            let entry: LedgerEntry = decode(&format!("entries[{i}]"), &e.entry)
                .map_err(|e| format!("corrupted state file: {}", e.message))?;
            entries.insert(
                entry_key(&entry),
                StoredEntry {
                    entry: Arc::new(entry),
                    live_until: e.live_until,
                },
            );
        }
        let mut l = Ledger::genesis(passphrase, settings);
        l.entries = entries;
        l.header_hash = sha256(&xdr_bytes(&header));
        l.header = header;
        l.time_offset = self.time_offset;
        l.ledgers.clear();
        l.state_size = l.soroban_state_size();
        l.cache_all_modules();
        // Record the restored ledger as the oldest (and latest) one served.
        let t = l.close_time();
        l.close_ledger(Vec::new(), t, 1);
        Ok(l)
    }
}

pub fn write_atomic(path: &Path, saved: &Saved) -> Result<(), String> {
    use std::io::Write;
    let tmp = path.with_extension(format!("tmp-{}", std::process::id()));
    let body = serde_json::to_vec(saved).map_err(|e| e.to_string())?;
    let mut f =
        std::fs::File::create(&tmp).map_err(|e| format!("cannot write {}: {e}", tmp.display()))?;
    f.write_all(&body)
        .and_then(|_| f.sync_all())
        .map_err(|e| format!("cannot write {}: {e}", tmp.display()))?;
    std::fs::rename(&tmp, path)
        .map_err(|e| format!("cannot rename {} to {}: {e}", tmp.display(), path.display()))
}

pub fn load(path: &Path, passphrase: &str, settings: Settings) -> Result<Option<Ledger>, String> {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("cannot read state file {}: {e}", path.display())),
    };
    let saved: Saved = serde_json::from_slice(&bytes)
        .map_err(|e| format!("corrupted state file {}: {e}", path.display()))?;
    saved
        .into_ledger(passphrase, settings)
        .map(Some)
        .map_err(|e| format!("{}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::keys::account_id_from_seed;

    const NET: &str = "Persist Test ; 2026";

    fn tmp(name: &str) -> std::path::PathBuf {
        std::env::temp_dir().join(format!("devnet-persist-{}-{name}.json", std::process::id()))
    }

    #[test]
    fn state_round_trips_through_the_file_and_the_chain_continues() {
        let mut l = Ledger::genesis(NET, Settings::default());
        let root = crate::ledger::root_seed(NET);
        let t = soroban_env_host::xdr::Transaction {
            source_account: soroban_env_host::xdr::MuxedAccount::Ed25519(
                soroban_env_host::xdr::Uint256(crate::ledger::keys::account_bytes(
                    &account_id_from_seed(&root),
                )),
            ),
            fee: 100,
            seq_num: soroban_env_host::xdr::SequenceNumber(1),
            cond: soroban_env_host::xdr::Preconditions::None,
            memo: soroban_env_host::xdr::Memo::None,
            operations: vec![soroban_env_host::xdr::Operation {
                source_account: None,
                body: soroban_env_host::xdr::OperationBody::CreateAccount(
                    soroban_env_host::xdr::CreateAccountOp {
                        destination: account_id_from_seed(&[4; 32]),
                        starting_balance: 50_000_000,
                    },
                ),
            }]
            .try_into()
            .unwrap(),
            ext: soroban_env_host::xdr::TransactionExt::V0,
        };
        let env = crate::apply::sign(&l.network_id, t, &[root]);
        crate::apply::submit(&mut l, &env).unwrap();
        l.time_offset = 1234;
        let path = tmp("roundtrip");
        write_atomic(&path, &Saved::from_ledger(&l)).unwrap();
        let back = load(&path, NET, Settings::default())
            .unwrap()
            .expect("file exists");
        assert_eq!(back.entries, l.entries);
        assert_eq!(back.time_offset, 1234);
        assert_eq!(
            back.seq(),
            l.seq() + 1,
            "the restored chain continues with a new ledger"
        );
        assert_eq!(back.header.previous_ledger_hash.0, l.header_hash);
        std::fs::remove_file(&path).ok();
    }

    fn load_err(path: &Path, passphrase: &str) -> String {
        match load(path, passphrase, Settings::default()) {
            Ok(_) => panic!("expected an error"),
            Err(e) => e,
        }
    }

    #[test]
    fn a_missing_file_starts_a_new_network() {
        assert!(load(&tmp("missing"), NET, Settings::default())
            .unwrap()
            .is_none());
    }

    #[test]
    fn corrupted_or_incompatible_files_are_errors_not_resets() {
        let l = Ledger::genesis(NET, Settings::default());
        let path = tmp("bad");
        std::fs::write(
            &path,
            b"{\"format\": \"tributary-devnet-state\", \"version\": 1",
        )
        .unwrap();
        assert!(load_err(&path, NET).contains("corrupted state file"));

        let mut saved = Saved::from_ledger(&l);
        saved.version = 99;
        write_atomic(&path, &saved).unwrap();
        assert!(load_err(&path, NET).contains("incompatible state file"));

        write_atomic(&path, &Saved::from_ledger(&l)).unwrap();
        assert!(load_err(&path, "Other Network").contains("belongs to network"));

        let mut saved = Saved::from_ledger(&l);
        saved.entries[0].entry = "AAAA".into();
        write_atomic(&path, &saved).unwrap();
        assert!(load_err(&path, NET).contains("corrupted state file"));
        std::fs::remove_file(&path).ok();
    }
}
