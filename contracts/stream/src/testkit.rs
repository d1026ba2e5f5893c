//! Test and benchmark kit (feature `testutils`): a funded environment with a real
//! Stellar Asset Contract token, schedule builders, and cost measurement through
//! the host's own meter (`env.cost_estimate()`). Shared by the unit tests, the
//! property tests, the cost snapshot test and `bench/contract`.
extern crate std;

use soroban_sdk::testutils::EnvTestConfig;
use soroban_sdk::testutils::{Address as _, Ledger};
use soroban_sdk::token::{StellarAssetClient, TokenClient};
use soroban_sdk::xdr::{AccountId, PublicKey, ScAddress, Uint256};
use soroban_sdk::{Address, Env, TryFromVal, Vec};

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

    pub fn params(&self, schedule: ScheduleParams) -> CreateParams {
        CreateParams {
            sender: self.sender.clone(),
            recipient: self.recipient.clone(),
            token: self.token.address.clone(),
            schedule,
            cancelable: true,
            transferable: true,
        }
    }

    pub fn linear(&self, deposit: i128, start_ts: u64, cliff_ts: u64, end_ts: u64) -> CreateParams {
        self.params(ScheduleParams::Linear(LinearParams {
            start_ts,
            cliff_ts,
            end_ts,
            deposit,
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

impl Default for Kit {
    fn default() -> Self {
        Self::new()
    }
}
