//! The invariant driver (feature `testutils`): random operations on streams in
//! several tokens at random times, with every invariant checked after every step.
//! `src/test/props.rs` runs it in `cargo test` (at least 100,000 steps across
//! cases); `npm run fuzz:contract` (bench/contract's `fuzz` binary) runs it for
//! millions of steps and prints what it covered.
//!
//! Tokens: the kit's Stellar Asset Contract, an honest test token, a test token that
//! the driver turns hostile (its transfers panic, or exhaust the budget) and back,
//! and a fee-on-transfer token that every creation must refuse.
//!
//! Invariants (failure messages start with "Invariant violation:"):
//!  1. Conservation, per token: the contract's balance equals the sum over that
//!     token's streams of `deposited - withdrawn - refunded`.
//!  2. Nobody is paid more than has accrued: `withdrawn <= accrued`.
//!  3. Accrual never decreases.
//!  4. No operation changes what has accrued at the instant it runs.
//!  5. Accrual equals an independent model: the closed form for fixed streams, the
//!     exact rational ideal (floored) for open-ended streams, frozen by pause,
//!     cancel and void (void: at what was funded).
//!  6. Recipients received exactly what the records say was withdrawn, per token.
//!  7. A creation in the fee-on-transfer token fails and changes nothing.
//!
//! At the end, after every fixed schedule has ended and everything is withdrawn,
//! each fixed stream paid exactly its deposit (recipient plus refund): no dust.
extern crate std;

use soroban_sdk::testutils::Address as _;
use soroban_sdk::{Address, Vec};
use std::collections::BTreeMap;
use std::format;
use std::string::String;
use std::vec::Vec as StdVec;

use crate::math;
use crate::testkit::peek;
use crate::testkit::tokens::{Behaviour, TestTokenClient};
use crate::testkit::{Kit, DAY};
use crate::types::{
    Amounts, CreateParams, LinearInParams, LinearParams, Schedule, ScheduleParams, Status, Stream,
    StreamStatus,
};
use crate::StreamError;

/// splitmix64: fixed, dependency-free, reproducible from a seed.
#[derive(Clone, Debug)]
pub struct Rng(pub u64);
impl Rng {
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }
    fn amount(&mut self, max: i128) -> i128 {
        1 + (self.next_u64() as i128 % max)
    }
}

/// Which token a stream moves.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Tok {
    Sac,
    Honest,
    Hostile,
}

const TOKS: [Tok; 3] = [Tok::Sac, Tok::Honest, Tok::Hostile];

/// The model of an open-ended stream's accrual: the exact ideal as a rational
/// `num / period`, advanced segment by segment; `frozen` once stopped for good.
#[derive(Clone, Debug)]
struct OpenModel {
    rate: i128,
    period: u64,
    start: u64,
    running: bool,
    ideal_num: u128,
    frozen: Option<i128>,
}

impl OpenModel {
    fn accrued(&self) -> i128 {
        self.frozen
            .unwrap_or((self.ideal_num / self.period as u128) as i128)
    }
}

struct Tracked {
    id: u64,
    tok: Tok,
    recipient: Address,
    open: Option<OpenModel>,
    /// A tranched stream's unlocks (written once at creation).
    tranches: StdVec<(u64, i128)>,
    last_accrued: i128,
}

/// What one probe read: amounts and records per tracked stream, and per token the
/// contract's and the sender's balances.
struct Snapshot {
    amounts: StdVec<Amounts>,
    records: StdVec<Stream>,
    balances: BTreeMap<Tok, (i128, i128)>,
}

/// What the run exercised, for the fuzz report.
#[derive(Clone, Debug, Default)]
pub struct Coverage {
    pub steps: u64,
    pub cases: u64,
    /// Per operation: (attempts, successes).
    pub ops: BTreeMap<&'static str, (u64, u64)>,
    /// Every contract error seen, by name.
    pub errors: BTreeMap<String, u64>,
    /// Statuses observed at invariant checks.
    pub statuses: BTreeMap<String, u64>,
    /// Per token kind an operation targeted: (attempts, successes).
    pub tokens: BTreeMap<&'static str, (u64, u64)>,
    /// Streams created (worlds' initial streams and `create_relative`).
    pub streams_created: u64,
    /// Invariant checks run (each checks every invariant on every stream of its world).
    pub checks: u64,
    /// Stream-level checks (a check times the streams it covered).
    pub stream_checks: u64,
    /// The longest ledger-time span a world covered, in seconds.
    pub max_span_s: u64,
    /// The token kind the current operation targets (see `World::step`).
    cur_tok: &'static str,
}

impl Coverage {
    fn op(&mut self, name: &'static str, ok: bool) {
        let e = self.ops.entry(name).or_default();
        e.0 += 1;
        e.1 += ok as u64;
        let t = self.tokens.entry(self.cur_tok).or_default();
        t.0 += 1;
        t.1 += ok as u64;
    }
    fn err<T: core::fmt::Debug>(
        &mut self,
        r: &Result<T, Result<StreamError, soroban_sdk::InvokeError>>,
    ) {
        if let Err(e) = r {
            let k = match e {
                Ok(se) => format!("{se:?}"),
                Err(_) => String::from("host or token error"),
            };
            *self.errors.entry(k).or_default() += 1;
        }
    }
    pub fn merge(&mut self, o: &Coverage) {
        self.steps += o.steps;
        self.cases += o.cases;
        for (k, v) in &o.ops {
            let e = self.ops.entry(k).or_default();
            e.0 += v.0;
            e.1 += v.1;
        }
        for (k, v) in &o.errors {
            *self.errors.entry(k.clone()).or_default() += v;
        }
        for (k, v) in &o.statuses {
            *self.statuses.entry(k.clone()).or_default() += v;
        }
        for (k, v) in &o.tokens {
            let e = self.tokens.entry(k).or_default();
            e.0 += v.0;
            e.1 += v.1;
        }
        self.streams_created += o.streams_created;
        self.checks += o.checks;
        self.stream_checks += o.stream_checks;
        self.max_span_s = self.max_span_s.max(o.max_span_s);
    }
}

pub struct World {
    pub k: Kit,
    honest: TestTokenClient<'static>,
    hostile: TestTokenClient<'static>,
    fee: TestTokenClient<'static>,
    streams: StdVec<Tracked>,
    /// Every tracked stream's amounts at the last check (the state before the next operation).
    last: StdVec<Amounts>,
    /// Minted to the sender per token (the sender is the only other holder).
    minted: BTreeMap<Tok, i128>,
    /// The latest instant any fixed schedule ends.
    ends_by: u64,
    /// Addresses streams are transferred to (a small pool: every new holder is a new
    /// ledger entry, and the test host's metering cost grows with the entries).
    heirs: [Address; 3],
    /// When the world began (for the time span it covered).
    t0: u64,
    /// Whether the hostile token's transfers panic right now.
    hostile_panics: bool,
    pub cov: Coverage,
}

const MAX_STREAMS: usize = 10;
const SUPPLY: i128 = 1i128 << 100;

impl World {
    /// A world with six streams (linear with unlocks, tranched and open-ended in
    /// the SAC; open-ended in the honest token; linear and open-ended in the
    /// hostile token), timed from `rng`.
    pub fn new(rng: &mut Rng) -> Self {
        let k = Kit::with_mode(crate::testkit::Mode::Native);
        // Host setup for speed: no per-call auth snapshots (auth is mocked and not
        // under test here), and no debug mode: the test Env records diagnostic
        // events and, at every frame (each call and each `as_contract` probe),
        // snapshots storage for invocation metering, about a fifth of a step's time.
        // Nothing here reads either; contract events and the budget are unaffected.
        k.env.mock_all_auths();
        k.env.host().set_invocation_hook(None).expect("no hook");
        k.env
            .host()
            .set_diagnostic_level(soroban_env_host::DiagnosticLevel::None)
            .expect("diagnostics off");
        k.mint(&k.sender, SUPPLY);
        let mk = |b| {
            let a = k.env.register(crate::testkit::tokens::TestToken, (b,));
            let t = TestTokenClient::new(&k.env, &a);
            t.mint(&k.sender, &SUPPLY);
            t
        };
        let honest = mk(Behaviour::Honest);
        let hostile = mk(Behaviour::Honest);
        let fee = mk(Behaviour::FeeOnTransfer);
        let k_env = k.env.clone();
        let mut w = World {
            k,
            honest,
            hostile,
            fee,
            streams: StdVec::new(),
            last: StdVec::new(),
            minted: TOKS.iter().map(|t| (*t, SUPPLY)).collect(),
            ends_by: 0,
            heirs: [0, 1, 2].map(|_| Address::generate(&k_env)),
            t0: 0,
            hostile_panics: false,
            cov: Coverage::default(),
        };
        let t0 = w.k.now();
        w.t0 = t0;
        let deposit = rng.amount(1i128 << 90);
        let unlock = |r: &mut Rng| {
            if r.below(3) == 0 {
                0
            } else {
                deposit / (2 + r.below(5) as i128)
            }
        };
        let (s_u, c_u) = (unlock(rng), unlock(rng));
        let start = t0 + rng.below(30 * DAY);
        let dur = 1 + rng.below(400 * DAY);
        let cliff = start + rng.below(dur + 1).min(rng.below(100 * DAY));
        let linear = w.params(
            Tok::Sac,
            ScheduleParams::Linear(LinearParams {
                start_ts: start,
                cliff_ts: cliff,
                end_ts: start + dur,
                deposit,
                start_unlock: s_u,
                cliff_unlock: c_u,
            }),
        );
        w.add(Tok::Sac, linear);
        let mut ts = t0;
        let tranches: StdVec<(u64, i128)> = (0..1 + rng.below(12))
            .map(|_| {
                ts += 1 + rng.below(60 * DAY);
                (ts, rng.amount(1_000_000_000))
            })
            .collect();
        let p = w.k.tranched(t0, &tranches);
        w.add(Tok::Sac, p);
        for tok in [Tok::Sac, Tok::Honest, Tok::Hostile] {
            let p = w.k.open_ended(
                rng.amount(1_000_000),
                1 + rng.below(31 * DAY),
                rng.amount(10_000_000),
            );
            let p = CreateParams {
                token: w.token(tok),
                ..p
            };
            w.add(tok, p);
        }
        let p =
            w.k.linear(rng.amount(1 << 60), t0, t0, t0 + 1 + rng.below(200 * DAY));
        let p = CreateParams {
            token: w.token(Tok::Hostile),
            ..p
        };
        w.add(Tok::Hostile, p);
        w
    }

    fn token(&self, tok: Tok) -> Address {
        match tok {
            Tok::Sac => self.k.token.address.clone(),
            Tok::Honest => self.honest.address.clone(),
            Tok::Hostile => self.hostile.address.clone(),
        }
    }

    fn params(&self, tok: Tok, schedule: ScheduleParams) -> CreateParams {
        CreateParams {
            token: self.token(tok),
            ..self.k.params(schedule)
        }
    }

    /// Creates and tracks a stream with its own recipient.
    pub fn add(&mut self, tok: Tok, mut p: CreateParams) {
        let r = Address::generate(&self.k.env);
        p.recipient = r.clone();
        let id = self.k.client.create(&p);
        let s = self.k.client.get(&id);
        let open = match &s.schedule {
            Schedule::OpenEnded(rate) => Some(OpenModel {
                rate: rate.amount_per_period,
                period: rate.period_s,
                start: rate.snapshot_ts,
                running: true,
                ideal_num: 0,
                frozen: None,
            }),
            Schedule::Linear(l) => {
                self.ends_by = self.ends_by.max(l.end_ts);
                None
            }
            Schedule::LinearUnlock(l) => {
                self.ends_by = self.ends_by.max(l.end_ts);
                None
            }
            Schedule::Tranched(t) => {
                self.ends_by = self.ends_by.max(t.end_ts);
                None
            }
        };
        let tranches = self
            .k
            .client
            .get_tranches(&id)
            .iter()
            .map(|x| (x.unlock_ts, x.amount))
            .collect();
        self.cov.streams_created += 1;
        self.streams.push(Tracked {
            id,
            tok,
            recipient: r,
            open,
            tranches,
            last_accrued: 0,
        });
    }

    /// Reads everything the invariants need straight from the host's storage
    /// (`testkit::peek::Stored`), outside any contract frame.
    fn snapshot(&self) -> Snapshot {
        let env = &self.k.env;
        let stored = peek::Stored::read(env, &self.k.contract);
        let now = self.k.now();
        let (records, amounts) = self
            .streams
            .iter()
            .map(|t| stored.stream(env, t.id, now))
            .unzip();
        let balances = TOKS
            .iter()
            .map(|t| {
                let token = self.token(*t);
                let held = |h: &Address| stored.balance(&token, h);
                (*t, (held(&self.k.contract), held(&self.k.sender)))
            })
            .collect();
        Snapshot {
            amounts,
            records,
            balances,
        }
    }

    fn warp(&mut self, dt: u64) {
        let (from, to) = (self.k.now(), self.k.now() + dt);
        for m in self.streams.iter_mut().filter_map(|s| s.open.as_mut()) {
            if m.running && m.frozen.is_none() {
                let e = to.max(m.start) - from.max(m.start);
                m.ideal_num += m.rate as u128 * e as u128;
            }
        }
        self.k.warp(dt);
    }

    fn stop_open(&mut self, i: usize, frozen: Option<i128>) {
        if let Some(m) = self.streams[i].open.as_mut() {
            m.running = false;
            if frozen.is_some() {
                m.frozen = frozen;
            }
        }
    }

    /// One random operation, then every invariant.
    pub fn step(&mut self, rng: &mut Rng) {
        let n = self.streams.len();
        let i = rng.below(n as u64) as usize;
        let id = self.streams[i].id;
        let before = self.last.clone();
        let c = &self.k.client;
        let frac = |r: &mut Rng, v: i128| math::mul_div_floor(v, r.below(256), 255).unwrap_or(0);
        let mut roll = rng.below(100);
        // Operations that stop a stream for good run a quarter as often as drawn, so
        // streams live long enough for everything else to happen to them.
        if matches!(roll, 45..=49 | 69..=70) && rng.below(4) != 0 {
            roll = 20;
        }
        // Each budget-exhausting call burns a whole invocation budget (slow in the
        // test host): a few per case are enough to show they change nothing.
        if roll == 85 && rng.below(20) != 0 {
            roll = 83;
        }
        // The token kind the operation targets, for the coverage report.
        self.cov.cur_tok = match roll {
            0..=19 => "(time only)",
            28..=35 | 48..=49 | 85 => "batch (several tokens)",
            83..=84 => "Hostile (toggled)",
            86..=88 => "FeeOnTransfer",
            89.. => "(create)",
            _ => match self.streams[i].tok {
                Tok::Sac => "SAC",
                Tok::Honest => "Honest",
                Tok::Hostile if self.hostile_panics => "Hostile (panicking)",
                Tok::Hostile => "Hostile (honest)",
            },
        };
        match roll {
            0..=19 => {
                let dt = if rng.below(4) == 0 {
                    rng.below(600)
                } else {
                    1 + rng.below(40 * DAY)
                };
                self.warp(dt);
                self.cov.op("warp", true);
                self.cov.steps += 1;
                self.check();
                return;
            }
            20..=27 => {
                let r = c.try_settle(&id);
                self.cov.err(&r);
                self.cov.op("settle", r.is_ok());
            }
            28..=35 => {
                let mut v = Vec::new(&self.k.env);
                for _ in 0..1 + rng.below(6) {
                    let j = rng.below(n as u64 + 1) as usize;
                    v.push_back(self.streams.get(j).map_or(9_999, |s| s.id));
                }
                let r = c.try_settle_many(&v);
                self.cov.err(&r);
                self.cov.op("settle_many", r.is_ok());
            }
            36..=41 => {
                let w = before[i].withdrawable;
                let r = c.try_withdraw(&id, &self.streams[i].recipient, &frac(rng, w));
                self.cov.err(&r);
                self.cov.op("withdraw", r.is_ok());
            }
            42..=44 => {
                let r = c.try_withdraw_max(&id, &self.streams[i].recipient);
                self.cov.err(&r);
                self.cov.op("withdraw_max", r.is_ok());
            }
            45..=47 => {
                let r = c.try_cancel(&id);
                self.cov.err(&r);
                self.cov.op("cancel", r.is_ok());
                if r.is_ok() {
                    self.stop_open(i, None);
                }
            }
            48..=49 => {
                let mut v = Vec::new(&self.k.env);
                let mut picked = StdVec::new();
                for _ in 0..1 + rng.below(3) {
                    let j = rng.below(n as u64) as usize;
                    v.push_back(self.streams[j].id);
                    picked.push(j);
                }
                let r = c.try_cancel_many(&v);
                self.cov.err(&r);
                self.cov.op("cancel_many", r.is_ok());
                for j in picked {
                    if self.k.client.get(&self.streams[j].id).status == Status::Canceled {
                        self.stop_open(j, None);
                    }
                }
            }
            50..=55 => {
                let r = c.try_top_up(&id, &self.k.sender, &rng.amount(1_000_000));
                self.cov.err(&r);
                self.cov.op("top_up", r.is_ok());
            }
            56..=58 => {
                let r = c.try_pause(&id);
                self.cov.err(&r);
                self.cov.op("pause", r.is_ok());
                if r.is_ok() {
                    self.stop_open(i, None);
                }
            }
            59..=61 => {
                let r = c.try_resume(&id);
                self.cov.err(&r);
                self.cov.op("resume", r.is_ok());
                if r.is_ok() {
                    if let Some(m) = self.streams[i].open.as_mut() {
                        m.running = true;
                    }
                }
            }
            62..=64 => {
                let a = rng.amount(1_000_000);
                let r = c.try_set_rate(&id, &a);
                self.cov.err(&r);
                self.cov.op("set_rate", r.is_ok());
                if r.is_ok() {
                    if let Some(m) = self.streams[i].open.as_mut() {
                        m.rate = a;
                    }
                }
            }
            65..=67 => {
                let r = c.try_refund(&id, &frac(rng, before[i].refundable));
                self.cov.err(&r);
                self.cov.op("refund", r.is_ok());
            }
            68 => {
                let r = c.try_refund_max(&id);
                self.cov.err(&r);
                self.cov.op("refund_max", r.is_ok());
            }
            69..=70 => {
                let caller = if rng.below(2) == 0 {
                    self.k.sender.clone()
                } else {
                    self.streams[i].recipient.clone()
                };
                let r = c.try_void(&id, &caller);
                self.cov.err(&r);
                self.cov.op("void", r.is_ok());
                if r.is_ok() {
                    self.stop_open(i, Some(before[i].accrued - before[i].debt));
                }
            }
            71..=73 => {
                let heir = self.heirs[rng.below(3) as usize].clone();
                let r = c.try_transfer(&id, &heir);
                self.cov.err(&r);
                self.cov.op("transfer", r.is_ok());
                if r.is_ok() {
                    self.streams[i].recipient = heir;
                }
            }
            74..=76 => {
                let heir = self.heirs[rng.below(3) as usize].clone();
                let r = c.try_withdraw_max_and_transfer(&id, &heir);
                self.cov.err(&r);
                self.cov.op("withdraw_max_and_transfer", r.is_ok());
                if r.is_ok() {
                    self.streams[i].recipient = heir;
                }
            }
            77..=78 => {
                let r = c.try_renounce(&id);
                self.cov.err(&r);
                self.cov.op("renounce", r.is_ok());
                if r.is_ok() {
                    if let Some(m) = self.streams[i].open.as_mut() {
                        // A paused stream is resumed by renounce.
                        m.running =
                            m.frozen.is_none() && self.k.client.get(&id).status == Status::Active;
                    }
                }
            }
            79..=82 => {
                // Views must agree with each other.
                let st = c.status(&id).status;
                *self.cov.statuses.entry(format!("{st:?}")).or_default() += 1;
                let d = c.status(&id).depletion_ts;
                let s = c.get(&id);
                if st == StreamStatus::Insolvent {
                    assert!(
                        d.is_some_and(|d| d <= self.k.now()),
                        "Invariant violation: insolvent stream {id} depletes in the future"
                    );
                }
                if d.is_some() {
                    assert!(
                        matches!(s.schedule, Schedule::OpenEnded(_)) && s.status == Status::Active,
                        "Invariant violation: depletion_ts for a stream that cannot deplete"
                    );
                }
                self.cov.op("status+depletion_ts", true);
            }
            83..=84 => {
                let panics = rng.below(2) == 0;
                self.hostile_panics = panics;
                self.hostile.set_behaviour(if panics {
                    &Behaviour::Panics
                } else {
                    &Behaviour::Honest
                });
                self.cov.op(
                    if panics {
                        "hostile: panics"
                    } else {
                        "hostile: honest"
                    },
                    true,
                );
            }
            85 => {
                // A budget-exhausting token fails the whole batch it is in (the host
                // cannot recover): the batch changes nothing. Restored at once, since
                // every such call burns a whole budget.
                let hostile = self.streams.iter().position(|s| s.tok == Tok::Hostile);
                let v = Vec::from_array(
                    &self.k.env,
                    [self.streams[0].id, self.streams[hostile.unwrap_or(0)].id],
                );
                self.hostile.set_behaviour(&Behaviour::ExhaustsBudget);
                // The test host escalates an exhausted budget to a panic (the network
                // fails the transaction); either way the batch must change nothing.
                let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    c.try_settle_many(&v)
                }));
                self.k.env.cost_estimate().budget().reset_default();
                self.hostile.set_behaviour(&Behaviour::Honest);
                match r {
                    Ok(r) => self.cov.err(&r),
                    Err(_) => {
                        *self
                            .cov
                            .errors
                            .entry(String::from("budget exceeded"))
                            .or_default() += 1
                    }
                }
                // Success here is that the failed batch changed nothing (checked below).
                self.cov
                    .op("settle_many with a budget-exhausting token", true);
            }
            86..=88 => {
                // A creation in the fee-on-transfer token must fail and change nothing.
                let count = self.k.env.as_contract(&self.k.contract, || {
                    crate::storage::read_stream_count(&self.k.env)
                });
                let p = CreateParams {
                    token: self.fee.address.clone(),
                    ..self
                        .k
                        .linear(1 + rng.amount(1 << 40), 0, 0, self.k.now() + DAY)
                };
                let r = c.try_create(&p);
                assert!(
                    matches!(r, Err(Ok(StreamError::TransferShortfall))),
                    "Invariant violation: a fee-on-transfer deposit was accepted: {r:?}"
                );
                let after = self.k.env.as_contract(&self.k.contract, || {
                    crate::storage::read_stream_count(&self.k.env)
                });
                assert_eq!(
                    after, count,
                    "Invariant violation: a refused creation took an id"
                );
                assert_eq!(
                    peek::test_token_balance(&self.k.env, &self.fee.address, &self.k.contract),
                    0,
                    "Invariant violation: fee token balance"
                );
                self.cov.err(&r);
                self.cov.op("create (fee-on-transfer, refused)", true);
            }
            _ => {
                if self.streams.len() >= MAX_STREAMS {
                    self.cov.op("create_relative (full)", true);
                } else {
                    let tok = TOKS[rng.below(2) as usize];
                    self.cov.cur_tok = if tok == Tok::Sac { "SAC" } else { "Honest" };
                    let dur = 1 + rng.below(100 * DAY);
                    let deposit = rng.amount(1 << 50);
                    let p = self.params(
                        tok,
                        ScheduleParams::LinearIn(LinearInParams {
                            start_in_s: rng.below(2) * rng.below(10 * DAY),
                            cliff_s: rng.below(dur + 1) / 2,
                            duration_s: dur,
                            deposit,
                            start_unlock: deposit / (1 + rng.below(10) as i128) / 4,
                            cliff_unlock: deposit / (1 + rng.below(10) as i128) / 4,
                        }),
                    );
                    self.add(tok, p);
                    self.cov.op("create_relative", true);
                }
                self.cov.steps += 1;
                self.check();
                return;
            }
        }
        let snap = self.snapshot();
        for (j, (b, a)) in before.iter().zip(&snap.amounts).enumerate() {
            // Void is the one operation that lowers accrual, by exactly the debt it forfeits.
            let voided =
                a.accrued == b.accrued - b.debt && snap.records[j].status == Status::Voided;
            assert!(
                a.accrued == b.accrued || voided,
                "Invariant violation: an operation changed stream {j}'s accrual ({} -> {})",
                b.accrued,
                a.accrued
            );
        }
        self.cov.steps += 1;
        self.check_with(snap);
    }

    pub fn check(&mut self) {
        let snap = self.snapshot();
        self.check_with(snap);
    }

    fn check_with(&mut self, snap: Snapshot) {
        self.cov.checks += 1;
        self.cov.stream_checks += snap.records.len() as u64;
        let mut held: BTreeMap<Tok, i128> = BTreeMap::new();
        let mut withdrawn: BTreeMap<Tok, i128> = BTreeMap::new();
        let now = self.k.now();
        for (i, (a, s)) in snap.amounts.iter().zip(&snap.records).enumerate() {
            let t = &mut self.streams[i];
            let label = match s.status {
                Status::Active if a.debt > 0 => "Insolvent",
                Status::Active if a.accrued == s.deposited && t.open.is_none() => "Finished",
                Status::Active => "Streaming",
                Status::Paused => "Paused",
                Status::Canceled => "Canceled",
                Status::Voided => "Voided",
            };
            *self.cov.statuses.entry(String::from(label)).or_default() += 1;
            *held.entry(t.tok).or_default() += s.deposited - s.withdrawn - s.refunded;
            *withdrawn.entry(t.tok).or_default() += s.withdrawn;
            assert!(
                s.withdrawn <= a.accrued,
                "Invariant violation: stream {i} paid {} > accrued {}",
                s.withdrawn,
                a.accrued
            );
            // Void lowers what counts as accrued to what was funded; otherwise accrual only grows.
            assert!(
                a.accrued >= t.last_accrued || s.status == Status::Voided,
                "Invariant violation: stream {i} accrual decreased"
            );
            t.last_accrued = a.accrued;
            let want = match (&s.schedule, &t.open) {
                (Schedule::OpenEnded(_), Some(m)) => m.accrued(),
                _ => {
                    let at = if s.status == Status::Canceled {
                        s.canceled_ts.min(now)
                    } else {
                        now
                    };
                    match &s.schedule {
                        Schedule::Linear(l) => {
                            math::linear_accrued(s.deposited, l.start_ts, l.cliff_ts, l.end_ts, at)
                        }
                        Schedule::LinearUnlock(l) => math::linear_unlock_accrued(
                            s.deposited,
                            l.start_unlock,
                            l.cliff_unlock,
                            l.start_ts,
                            l.cliff_ts,
                            l.end_ts,
                            at,
                        ),
                        _ => t.tranches.iter().filter(|x| x.0 <= at).map(|x| x.1).sum(),
                    }
                }
            };
            assert_eq!(
                a.accrued, want,
                "Invariant violation: stream {i} accrual differs from its model"
            );
        }
        for tok in TOKS {
            let h = held.get(&tok).copied().unwrap_or(0);
            let (contract, sender) = snap.balances[&tok];
            assert_eq!(contract, h, "Invariant violation: conservation in {tok:?}");
            let received = self.minted[&tok] - sender - contract;
            assert_eq!(
                received,
                withdrawn.get(&tok).copied().unwrap_or(0),
                "Invariant violation: recipients received != withdrawn in {tok:?}"
            );
        }
        self.last = snap.amounts;
    }

    /// After every fixed schedule has ended (and the hostile token is honest again):
    /// withdraw everything and check no fixed stream left dust.
    pub fn drain_and_check(&mut self) {
        self.hostile.set_behaviour(&Behaviour::Honest);
        self.hostile_panics = false;
        let end = self.ends_by;
        self.warp(end.saturating_sub(self.k.now()) + 1);
        for i in 0..self.streams.len() {
            let _ = self
                .k
                .client
                .try_withdraw_max(&self.streams[i].id, &self.streams[i].recipient);
        }
        self.check();
        self.cov.max_span_s = self.cov.max_span_s.max(self.k.now() - self.t0);
        for (i, t) in self.streams.iter().enumerate() {
            let s = self.k.client.get(&t.id);
            if matches!(s.schedule, Schedule::OpenEnded(_)) {
                continue;
            }
            assert_eq!(
                s.withdrawn + s.refunded,
                s.deposited,
                "Invariant violation: fixed stream {i} left dust"
            );
            if s.status != Status::Canceled {
                assert_eq!(s.refunded, 0);
            }
        }
    }
}

std::thread_local! {
    static QUIET: core::cell::Cell<bool> = const { core::cell::Cell::new(false) };
}

/// Host setup for speed: in the test host every failed contract call (about half
/// of the driver's calls are meant to fail) is a caught panic, and the default panic
/// hook captures a backtrace for each when `RUST_BACKTRACE` is set. While the driver
/// runs on this thread, panics raised outside the driver itself are not reported
/// (they are expected and caught); the driver's own assertions still are.
fn quiet_expected_panics() {
    static INSTALL: std::sync::Once = std::sync::Once::new();
    INSTALL.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(std::boxed::Box::new(move |info| {
            let own = info.location().is_some_and(|l| {
                l.file().ends_with("invariants.rs") || l.file().ends_with("props.rs")
            });
            if QUIET.with(|q| q.get()) && !own {
                return;
            }
            default(info)
        }));
    });
}

/// Runs `cases` worlds of `steps` operations each from `seed`; returns the coverage.
pub fn run(seed: u64, cases: u64, steps: u64) -> Coverage {
    quiet_expected_panics();
    QUIET.with(|q| q.set(true));
    let total = run_quietly(seed, cases, steps);
    QUIET.with(|q| q.set(false));
    total
}

fn run_quietly(seed: u64, cases: u64, steps: u64) -> Coverage {
    let mut total = Coverage::default();
    for case in 0..cases {
        let mut rng = Rng(seed ^ case.wrapping_mul(0xA076_1D64_78BD_642F));
        let mut w = World::new(&mut rng);
        w.check();
        for _ in 0..steps {
            w.step(&mut rng);
        }
        w.drain_and_check();
        w.cov.cases = 1;
        total.merge(&w.cov);
    }
    total
}
