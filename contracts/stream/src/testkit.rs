//! Test and benchmark kit (feature `testutils`): a funded environment with a real
//! Stellar Asset Contract token, schedule builders, and cost measurement through
//! the host's own meter (`env.cost_estimate()`). Shared by the unit tests, the
//! property tests, the cost snapshot test and `bench/contract`.
extern crate std;

use soroban_sdk::testutils::EnvTestConfig;
use soroban_sdk::testutils::{Address as _, Ledger};
use soroban_sdk::token::{StellarAssetClient, TokenClient};
use soroban_sdk::xdr::{AccountId, PublicKey, ScAddress, Uint256};
use soroban_sdk::{Address, Bytes, Env, TryFromVal, Vec};

use crate::contract::StreamContractClient;
use crate::types::{
    CreateParams, LinearParams, OpenEndedParams, ScheduleParams, Tranche, TranchedParams,
};
use crate::StreamContract;

/// Ledger time the kit starts at (2026-01-01T00:00:00Z).
pub const T0: u64 = 1_767_225_600;
pub const DAY: u64 = 86_400;

/// How the contract under test is registered.
pub enum Mode {
    /// Compiled into the test binary: fast, full Rust backtraces; CPU costs are
    /// not representative of Wasm.
    Native,
    /// The release Wasm (`artifacts/stream.wasm`): what the network runs, so
    /// the host meters real Wasm instructions.
    Wasm(std::vec::Vec<u8>),
}

/// Reads the release Wasm built by `scripts/build-contract.sh`.
pub fn release_wasm() -> std::vec::Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../artifacts/stream.wasm");
    std::fs::read(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; run scripts/build-contract.sh (npm test does) first",
            path.display()
        )
    })
}

pub struct Kit {
    pub env: Env,
    pub contract: Address,
    pub client: StreamContractClient<'static>,
    pub token: TokenClient<'static>,
    pub token_admin: StellarAssetClient<'static>,
    pub sender: Address,
    pub recipient: Address,
}

impl Kit {
    /// A kit whose auth is mocked (for tests that are not about auth) and whose
    /// sender holds `i128::MAX / 4` tokens.
    pub fn new() -> Self {
        let kit = Self::with_mode(Mode::Native);
        kit.env.mock_all_auths();
        kit.mint(&kit.sender, i128::MAX / 4);
        kit
    }

    /// A kit with no auth mocked and no funds: for auth tests and benchmarks.
    pub fn with_mode(mode: Mode) -> Self {
        // No per-test ledger snapshot files: the tests assert what matters.
        let env = Env::new_with_config(EnvTestConfig {
            capture_snapshot_at_drop: false,
        });
        env.ledger().set_timestamp(T0);
        let issuer = Address::generate(&env);
        let sac = env.register_stellar_asset_contract_v2(issuer);
        // Revocable, so tests can freeze a recipient (`set_authorized(.., false)`).
        sac.issuer()
            .set_flag(soroban_sdk::testutils::IssuerFlags::RevocableFlag);
        let contract = match mode {
            Mode::Native => env.register(StreamContract, ()),
            Mode::Wasm(bytes) => env.register(bytes.as_slice(), ()),
        };
        let client = StreamContractClient::new(&env, &contract);
        let token = TokenClient::new(&env, &sac.address());
        let token_admin = StellarAssetClient::new(&env, &sac.address());
        let sender = Address::generate(&env);
        let recipient = Address::generate(&env);
        Kit {
            env,
            contract,
            client,
            token,
            token_admin,
            sender,
            recipient,
        }
    }

    pub fn mint(&self, to: &Address, amount: i128) {
        self.token_admin.mock_all_auths().mint(to, &amount);
    }

    pub fn now(&self) -> u64 {
        self.env.ledger().timestamp()
    }

    pub fn set_time(&self, t: u64) {
        self.env.ledger().set_timestamp(t);
    }

    pub fn warp(&self, seconds: u64) {
        self.set_time(self.now() + seconds);
    }

    /// What the recipient of `id` can withdraw now (`amounts(id).withdrawable`).
    pub fn withdrawable(&self, id: &u64) -> i128 {
        self.client.amounts(id).withdrawable
    }

    /// Sum of what the contract owes to or holds for every stream: the
    /// conservation invariant compares it with the contract's token balance.
    pub fn contract_balance(&self) -> i128 {
        self.token.balance(&self.contract)
    }

    /// A G-address that has no account and so no trustline: SAC payments to it fail.
    pub fn account_without_trustline(&self, seed: u8) -> Address {
        let id = AccountId(PublicKey::PublicKeyTypeEd25519(Uint256([seed; 32])));
        Address::try_from_val(&self.env, &ScAddress::Account(id)).expect("valid account address")
    }

    /// A G-address whose account exists and trusts the kit's asset: a classic
    /// account recipient, as most payroll recipients are (`seed` makes it distinct).
    pub fn account_with_trustline(&self, seed: u32) -> Address {
        use soroban_sdk::xdr::{
            AccountEntry, AccountEntryExt, LedgerEntry, LedgerEntryData, LedgerEntryExt, LedgerKey,
            LedgerKeyAccount, SequenceNumber, Thresholds,
        };
        let mut key = [0xA5u8; 32];
        key[..4].copy_from_slice(&seed.to_be_bytes());
        let id = AccountId(PublicKey::PublicKeyTypeEd25519(Uint256(key)));
        let k = std::rc::Rc::new(LedgerKey::Account(LedgerKeyAccount {
            account_id: id.clone(),
        }));
        let v = std::rc::Rc::new(LedgerEntry {
            data: LedgerEntryData::Account(AccountEntry {
                account_id: id.clone(),
                balance: 10_000_000,
                flags: 0,
                home_domain: Default::default(),
                inflation_dest: None,
                num_sub_entries: 0,
                seq_num: SequenceNumber(0),
                thresholds: Thresholds([1; 4]),
                signers: Default::default(),
                ext: AccountEntryExt::V0,
            }),
            last_modified_ledger_seq: 0,
            ext: LedgerEntryExt::V0,
        });
        self.env
            .host()
            .add_ledger_entry(&k, &v, None)
            .expect("account entry");
        let a = Address::try_from_val(&self.env, &ScAddress::Account(id)).expect("account address");
        self.token_admin.mock_all_auths().trust(&a);
        a
    }

    pub fn params(&self, schedule: ScheduleParams) -> CreateParams {
        CreateParams {
            sender: self.sender.clone(),
            recipient: self.recipient.clone(),
            token: self.token.address.clone(),
            schedule,
            cancelable: true,
            transferable: true,
            reference: Bytes::new(&self.env),
        }
    }

    pub fn linear(&self, deposit: i128, start_ts: u64, cliff_ts: u64, end_ts: u64) -> CreateParams {
        self.params(ScheduleParams::Linear(LinearParams {
            start_ts,
            cliff_ts,
            end_ts,
            deposit,
            start_unlock: 0,
            cliff_unlock: 0,
        }))
    }

    pub fn tranched(&self, start_ts: u64, tranches: &[(u64, i128)]) -> CreateParams {
        let mut v = Vec::new(&self.env);
        for (unlock_ts, amount) in tranches {
            v.push_back(Tranche {
                unlock_ts: *unlock_ts,
                amount: *amount,
            });
        }
        self.params(ScheduleParams::Tranched(TranchedParams {
            start_ts,
            tranches: v,
        }))
    }

    /// `count` monthly tranches of `amount` each, 30 days apart from `start_ts`.
    pub fn monthly(&self, start_ts: u64, count: u32, amount: i128) -> CreateParams {
        let t: std::vec::Vec<(u64, i128)> = (1..=count as u64)
            .map(|m| (start_ts + m * 30 * DAY, amount))
            .collect();
        self.tranched(start_ts, &t)
    }

    pub fn open_ended(
        &self,
        amount_per_period: i128,
        period_s: u64,
        deposit: i128,
    ) -> CreateParams {
        self.params(ScheduleParams::OpenEnded(OpenEndedParams {
            amount_per_period,
            period_s,
            start_ts: 0,
            deposit,
        }))
    }
}

impl Kit {
    /// Registers a [`tokens::TestToken`] with `behaviour`; the sender holds `i128::MAX / 4` of it.
    pub fn test_token(&self, behaviour: tokens::Behaviour) -> tokens::TestTokenClient<'static> {
        let address = self.env.register(tokens::TestToken, (behaviour,));
        let t = tokens::TestTokenClient::new(&self.env, &address);
        t.mint(&self.sender, &(i128::MAX / 4));
        t
    }
}

impl Default for Kit {
    fn default() -> Self {
        Self::new()
    }
}

/// Test tokens for hostile-token tests: a minimal SEP-41 subset (`mint`,
/// `balance`, `transfer`) whose behaviour is set per instance.
pub mod tokens {
    use soroban_sdk::{contract, contractimpl, contracttype, symbol_short, Address, Bytes, Env};

    /// How a [`TestToken`] misbehaves.
    #[contracttype]
    #[derive(Clone, Copy, Debug, Eq, PartialEq)]
    #[repr(u32)]
    pub enum Behaviour {
        /// An honest token.
        Honest = 0,
        /// Keeps 1% (at least 1 unit) of every transfer: the receiver gets less than sent.
        FeeOnTransfer = 1,
        /// Every transfer panics.
        Panics = 2,
        /// Every transfer burns the whole budget (the host cannot recover from that).
        ExhaustsBudget = 3,
        /// Every transfer emits an event of several KiB.
        HugeEvents = 4,
    }

    #[contracttype]
    pub enum Key {
        Behaviour,
        Balance(Address),
    }

    #[contract]
    pub struct TestToken;

    #[contractimpl]
    impl TestToken {
        pub fn __constructor(env: Env, behaviour: Behaviour) {
            env.storage().instance().set(&Key::Behaviour, &behaviour);
        }

        pub fn set_behaviour(env: Env, behaviour: Behaviour) {
            env.storage().instance().set(&Key::Behaviour, &behaviour);
        }

        pub fn mint(env: Env, to: Address, amount: i128) {
            let b = Self::balance(env.clone(), to.clone());
            env.storage()
                .persistent()
                .set(&Key::Balance(to), &(b + amount));
        }

        pub fn balance(env: Env, id: Address) -> i128 {
            env.storage()
                .persistent()
                .get(&Key::Balance(id))
                .unwrap_or(0)
        }

        pub fn decimals(_env: Env) -> u32 {
            7
        }

        pub fn transfer(env: Env, from: Address, to: Address, amount: i128) {
            from.require_auth();
            let behaviour: Behaviour = env
                .storage()
                .instance()
                .get(&Key::Behaviour)
                .unwrap_or(Behaviour::Honest);
            let fee = match behaviour {
                Behaviour::Honest => 0,
                Behaviour::FeeOnTransfer => (amount / 100).max(1),
                Behaviour::Panics => panic!("hostile token"),
                Behaviour::ExhaustsBudget => {
                    let mut x: u64 = 0;
                    loop {
                        x = x.wrapping_add(env.ledger().sequence() as u64);
                        env.storage().instance().set(&symbol_short!("x"), &x);
                    }
                }
                Behaviour::HugeEvents => {
                    #[allow(deprecated)] // a raw event of chosen size is the point here
                    env.events().publish(
                        (symbol_short!("spam"),),
                        Bytes::from_array(&env, &[7u8; 8192]),
                    );
                    0
                }
            };
            let fb = Self::balance(env.clone(), from.clone());
            if fb < amount || amount < 0 {
                panic!("insufficient balance");
            }
            env.storage()
                .persistent()
                .set(&Key::Balance(from), &(fb - amount));
            let tb = Self::balance(env.clone(), to.clone());
            env.storage()
                .persistent()
                .set(&Key::Balance(to), &(tb + amount - fee));
        }
    }
}

/// Reads what the invariant driver checks after every step straight from the
/// contracts' storage (`env.as_contract`), not through invocations: the test host
/// meters every invocation, nested ones included, by encoding the storage it
/// touched, which would make 100,000 checked steps take many minutes.
pub mod peek {
    use super::std::collections::BTreeMap;
    use soroban_sdk::xdr::{LedgerEntryData, ScAddress, ScVal};
    use soroban_sdk::{contracttype, Address, Env, TryFromVal, Val, Vec};

    use crate::accrual;
    use crate::storage;
    use crate::types::{Amounts, Stream, Tranche};

    /// A Stellar Asset Contract's balance entry for a contract address (the SAC's
    /// storage layout: key `["Balance", address]`, value `{amount, authorized, clawback}`).
    #[contracttype]
    pub enum SacKey {
        Balance(Address),
    }

    #[contracttype]
    pub struct SacBalance {
        pub amount: i128,
        pub authorized: bool,
        pub clawback: bool,
    }

    /// A stream's record and its amounts now, as the contract's views compute them.
    pub fn stream(env: &Env, contract: &Address, id: u64) -> (Stream, Amounts) {
        env.as_contract(contract, || {
            let s = storage::read_stream(env, id).expect("stream exists");
            let a = accrual::amounts_at(env, id, &s, env.ledger().timestamp()).expect("amounts");
            (s, a)
        })
    }

    /// The contract-data entries the invariant driver checks, read straight from
    /// the host's storage map (`Host::get_stored_entries`): no contract frame, so
    /// none of the per-frame work of the test host (a budget reset, a storage copy
    /// for invocation metering, a scan of all storage for contracts to cache) and
    /// no metered lookups. Decoding into contract types still goes through the host.
    pub struct Stored {
        /// The stream contract's `Stream(id)` and `Tranches(id)` values.
        streams: BTreeMap<u64, ScVal>,
        tranches: BTreeMap<u64, ScVal>,
        /// `Balance(holder)` entries of every other contract (tokens), by (token, holder).
        balances: BTreeMap<(ScAddress, ScAddress), i128>,
    }

    fn variant<'a>(key: &'a ScVal, name: &str) -> Option<&'a ScVal> {
        match key {
            ScVal::Vec(Some(v)) if v.len() == 2 => match &v[0] {
                ScVal::Symbol(s) if s.0.as_slice() == name.as_bytes() => Some(&v[1]),
                _ => None,
            },
            _ => None,
        }
    }

    fn int(v: &ScVal) -> Option<i128> {
        match v {
            ScVal::I128(p) => Some(((p.hi as i128) << 64) | p.lo as i128),
            // A Stellar Asset Contract's balance: `{amount, authorized, clawback}`.
            ScVal::Map(Some(m)) => m
                .iter()
                .find(|e| matches!(&e.key, ScVal::Symbol(s) if s.0.as_slice() == b"amount"))
                .and_then(|e| int(&e.val)),
            _ => None,
        }
    }

    impl Stored {
        pub fn read(env: &Env, contract: &Address) -> Self {
            let me = ScAddress::from(contract);
            let mut out = Stored {
                streams: BTreeMap::new(),
                tranches: BTreeMap::new(),
                balances: BTreeMap::new(),
            };
            let entries = env.host().get_stored_entries().expect("storage");
            for (_, entry) in entries {
                let Some((entry, _)) = entry else { continue };
                let LedgerEntryData::ContractData(cd) = &entry.data else {
                    continue;
                };
                if cd.contract == me {
                    for (name, into) in [
                        ("Stream", &mut out.streams),
                        ("Tranches", &mut out.tranches),
                    ] {
                        if let Some(ScVal::U64(id)) = variant(&cd.key, name) {
                            into.insert(*id, cd.val.clone());
                        }
                    }
                } else if let Some(ScVal::Address(holder)) = variant(&cd.key, "Balance") {
                    if let Some(b) = int(&cd.val) {
                        out.balances
                            .insert((cd.contract.clone(), holder.clone()), b);
                    }
                }
            }
            out
        }

        /// A stream's record and its amounts at `t`, as the contract's views compute them.
        pub fn stream(&self, env: &Env, id: u64, t: u64) -> (Stream, Amounts) {
            let decode = |v: &ScVal| Val::try_from_val(env, v).expect("a value");
            let s = Stream::try_from_val(env, &decode(&self.streams[&id])).expect("stream exists");
            let tranches = self
                .tranches
                .get(&id)
                .map(|v| Vec::<Tranche>::try_from_val(env, &decode(v)).expect("tranches"));
            let a = accrual::amounts_with_tranches(&s, tranches, t).expect("amounts");
            (s, a)
        }

        /// `holder`'s balance in `token` (a SAC or a test token; 0 if it has none).
        pub fn balance(&self, token: &Address, holder: &Address) -> i128 {
            self.balances
                .get(&(ScAddress::from(token), ScAddress::from(holder)))
                .copied()
                .unwrap_or(0)
        }
    }

    /// A contract address's balance in a Stellar Asset Contract.
    pub fn sac_balance(env: &Env, sac: &Address, holder: &Address) -> i128 {
        env.as_contract(sac, || {
            env.storage()
                .persistent()
                .get::<_, SacBalance>(&SacKey::Balance(holder.clone()))
                .map_or(0, |b| b.amount)
        })
    }

    /// A balance in a [`super::tokens::TestToken`].
    pub fn test_token_balance(env: &Env, token: &Address, holder: &Address) -> i128 {
        env.as_contract(token, || {
            env.storage()
                .persistent()
                .get::<_, i128>(&super::tokens::Key::Balance(holder.clone()))
                .unwrap_or(0)
        })
    }
}
