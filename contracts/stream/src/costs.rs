//! Resource costs of every entry point, measured by the host's own meter on the
//! release Wasm (feature `testutils`). Used by `bench/contract` (the report in
//! docs/benchmarks/contract.md) and by the cost snapshot test, so a regression shows
//! up as a reviewed diff.
extern crate std;

use soroban_sdk::testutils::Address as _;
use soroban_sdk::xdr::{Limits, ScVal, WriteXdr};
use soroban_sdk::{Address, Env, IntoVal, TryFromVal, Val, Vec};
use std::string::{String, ToString};

use crate::testkit::{Kit, Mode, DAY, T0};

/// Pubnet's per-transaction limits at protocol 27 (the values soroban-sdk 27's
/// `InvocationResourceLimits::mainnet()` carries).
pub mod pubnet {
    pub const INSTRUCTIONS: i64 = 400_000_000;
    pub const MEM_BYTES: i64 = 41_943_040;
    pub const DISK_READ_ENTRIES: u32 = 200;
    pub const WRITE_ENTRIES: u32 = 200;
    /// Footprint: every entry read or written.
    pub const LEDGER_ENTRIES: u32 = 400;
    pub const DISK_READ_BYTES: u32 = 200_000;
    pub const WRITE_BYTES: u32 = 132_096;
    /// Events and the return value together.
    pub const EVENTS_BYTES: u32 = 16_384;
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cost {
    pub name: String,
    pub instructions: i64,
    pub mem_bytes: i64,
    /// Every ledger entry the call reads or writes (its footprint).
    pub footprint_entries: u32,
    pub disk_read_entries: u32,
    pub write_entries: u32,
    pub disk_read_bytes: u32,
    pub write_bytes: u32,
    pub events_bytes: u32,
    /// The encoded return value, which stellar-core counts against the same budget
    /// as events (`EVENTS_BYTES`); the host's meter does not include it.
    pub return_bytes: u32,
    /// Estimated resource fee in stroops, at pubnet's fee schedule.
    pub fee_stroops: i64,
}

impl Cost {
    /// The pubnet limit this call exceeds first, by the largest ratio of use to limit.
    pub fn binding_limit(&self) -> (&'static str, f64) {
        let ratios = [
            (
                "instructions",
                self.instructions as f64 / pubnet::INSTRUCTIONS as f64,
            ),
            ("memory", self.mem_bytes as f64 / pubnet::MEM_BYTES as f64),
            (
                "footprint entries",
                self.footprint_entries as f64 / pubnet::LEDGER_ENTRIES as f64,
            ),
            (
                "disk read entries",
                self.disk_read_entries as f64 / pubnet::DISK_READ_ENTRIES as f64,
            ),
            (
                "write entries",
                self.write_entries as f64 / pubnet::WRITE_ENTRIES as f64,
            ),
            (
                "disk read bytes",
                self.disk_read_bytes as f64 / pubnet::DISK_READ_BYTES as f64,
            ),
            (
                "write bytes",
                self.write_bytes as f64 / pubnet::WRITE_BYTES as f64,
            ),
            (
                "events + return value bytes",
                (self.events_bytes + self.return_bytes) as f64 / pubnet::EVENTS_BYTES as f64,
            ),
        ];
        ratios
            .into_iter()
            .fold(("none", 0.0), |best, r| if r.1 > best.1 { r } else { best })
    }

    pub fn fits_pubnet(&self) -> bool {
        self.binding_limit().1 <= 1.0
    }
}

/// The XDR size of a returned value.
pub fn encoded_len<T: IntoVal<Env, Val>>(k: &Kit, v: T) -> u32 {
    let val: Val = v.into_val(&k.env);
    let sc = ScVal::try_from_val(&k.env, &val).expect("ScVal");
    sc.to_xdr(Limits::none()).expect("xdr").len() as u32
}

/// Reads the meter after the kit's last invocation, which returned `returned` bytes.
pub fn measure_returning(k: &Kit, name: &str, returned: u32) -> Cost {
    Cost {
        return_bytes: returned,
        ..measure(k, name)
    }
}

/// Reads the meter after the kit's last invocation.
pub fn measure(k: &Kit, name: &str) -> Cost {
    let est = k.env.cost_estimate();
    let r = est.resources();
    Cost {
        name: name.to_string(),
        instructions: r.instructions,
        mem_bytes: r.mem_bytes,
        footprint_entries: r.disk_read_entries + r.memory_read_entries + r.write_entries,
        disk_read_entries: r.disk_read_entries,
        write_entries: r.write_entries,
        disk_read_bytes: r.disk_read_bytes,
        write_bytes: r.write_bytes,
        events_bytes: r.contract_events_size_bytes,
        return_bytes: 0,
        fee_stroops: est.fee().total,
    }
}

fn kit(wasm: &[u8]) -> Kit {
    let k = Kit::with_mode(Mode::Wasm(wasm.to_vec()));
    k.env.mock_all_auths();
    // Measure against the real limits, not the test defaults.
    k.env.cost_estimate().disable_resource_limits();
    k.mint(&k.sender, i128::MAX / 4);
    // Steady state: the keeper keeps the instance and code at the maximum TTL, so a
    // call's own touch-extensions of them are no-ops (otherwise the first call of a
    // fresh deployment pays the code's rent and dwarfs everything else).
    k.client.extend_ttl(&Vec::new(&k.env));
    k
}

/// One measured call per entry point (and per shape where the shape matters).
pub fn per_entry_point(wasm: &[u8]) -> std::vec::Vec<Cost> {
    let mut out = std::vec::Vec::new();
    let mut run = |name: &str, f: &dyn Fn(&Kit)| {
        let k = kit(wasm);
        // The test host's default budget is a test limit, not pubnet's: measure, do not enforce.
        k.env.cost_estimate().budget().reset_unlimited();
        f(&k);
        out.push(measure(&k, name));
    };
    run("create (linear)", &|k| {
        k.client
            .create(&k.linear(1_000_000, T0, T0, T0 + 365 * DAY));
    });
    run("create (tranched, 12)", &|k| {
        k.client.create(&k.monthly(T0, 12, 1_000));
    });
    run("create (tranched, 120)", &|k| {
        k.client.create(&k.monthly(T0, 120, 1_000));
    });
    run("create (tranched, 240 = MAX_TRANCHES)", &|k| {
        k.client.create(&k.monthly(T0, crate::MAX_TRANCHES, 1_000));
    });
    run("create (open-ended)", &|k| {
        k.client.create(&k.open_ended(1_000, 30 * DAY, 10_000));
    });
    run("create_batch (10 linear)", &|k| {
        let mut v = Vec::new(&k.env);
        for _ in 0..10 {
            v.push_back(k.linear(1_000_000, T0, T0, T0 + 365 * DAY));
        }
        k.client.create_batch(&v);
    });
    let linear_at_half = |k: &Kit| {
        let id = k
            .client
            .create(&k.linear(1_000_000, T0, T0, T0 + 100 * DAY));
        k.warp(50 * DAY);
        id
    };
    run("withdraw", &|k| {
        let id = linear_at_half(k);
        k.client.withdraw(&id, &k.recipient, &1_000);
    });
    run("withdraw_max", &|k| {
        let id = linear_at_half(k);
        k.client.withdraw_max(&id, &k.recipient);
    });
    run("settle (linear)", &|k| {
        let id = linear_at_half(k);
        k.client.settle(&id);
    });
    run("settle (tranched, 120)", &|k| {
        let id = k.client.create(&k.monthly(T0, 120, 1_000));
        k.warp(365 * DAY);
        k.client.settle(&id);
    });
    run("settle (open-ended)", &|k| {
        let id = k.client.create(&k.open_ended(1_000, 30 * DAY, 100_000));
        k.warp(45 * DAY);
        k.client.settle(&id);
    });
    run("settle (nothing due)", &|k| {
        let id = k
            .client
            .create(&k.linear(1_000_000, T0 + DAY, T0 + DAY, T0 + 100 * DAY));
        k.client.settle(&id);
    });
    run("cancel (linear)", &|k| {
        let id = linear_at_half(k);
        k.client.cancel(&id);
    });
    let open = |k: &Kit| {
        let id = k.client.create(&k.open_ended(1_000, 30 * DAY, 100_000));
        k.warp(10 * DAY);
        id
    };
    run("top_up", &|k| {
        let id = open(k);
        k.client.top_up(&id, &k.sender, &5_000);
    });
    run("pause", &|k| {
        let id = open(k);
        k.client.pause(&id);
    });
    run("resume", &|k| {
        let id = open(k);
        k.client.pause(&id);
        k.warp(DAY);
        k.client.resume(&id);
    });
    run("set_rate", &|k| {
        let id = open(k);
        k.client.set_rate(&id, &2_000);
    });
    run("refund", &|k| {
        let id = open(k);
        k.client.refund(&id, &1_000);
    });
    run("transfer", &|k| {
        let id = linear_at_half(k);
        k.client.transfer(&id, &Address::generate(&k.env));
    });
    run("renounce", &|k| {
        let id = linear_at_half(k);
        k.client.renounce(&id);
    });
    run("extend_ttl (10)", &|k| {
        let ids: Vec<u64> = (0..10)
            .map(|_| k.client.create(&k.linear(1_000, T0, T0, T0 + DAY)))
            .fold(Vec::new(&k.env), |mut v, id| {
                v.push_back(id);
                v
            });
        k.client.extend_ttl(&ids);
    });
    run("withdraw_max_and_transfer", &|k| {
        let id = linear_at_half(k);
        k.client
            .withdraw_max_and_transfer(&id, &Address::generate(&k.env));
    });
    run("cancel_many (10 linear)", &|k| {
        let ids: Vec<u64> = (0..10)
            .map(|_| {
                k.client
                    .create(&k.linear(1_000_000, T0, T0, T0 + 100 * DAY))
            })
            .fold(Vec::new(&k.env), |mut v, id| {
                v.push_back(id);
                v
            });
        k.warp(50 * DAY);
        k.client.cancel_many(&ids);
    });
    run("void", &|k| {
        let id = open(k);
        k.client.void(&id, &k.sender);
    });
    run("get", &|k| {
        let id = linear_at_half(k);
        k.client.get(&id);
    });
    run("amounts", &|k| {
        let id = linear_at_half(k);
        k.client.amounts(&id);
    });
    run("amounts_many (10 linear)", &|k| {
        let ids: Vec<u64> = (0..10)
            .map(|_| {
                k.client
                    .create(&k.linear(1_000_000, T0, T0, T0 + 100 * DAY))
            })
            .fold(Vec::new(&k.env), |mut v, id| {
                v.push_back(id);
                v
            });
        k.warp(50 * DAY);
        k.client.amounts_many(&ids);
    });
    run("status (open-ended)", &|k| {
        let id = open(k);
        k.client.status(&id);
    });

    out
}

/// Stream shapes for the batch-settlement sweep.
#[derive(Clone, Copy, Debug)]
pub enum Shape {
    Linear,
    Tranched120,
    OpenEnded,
}

/// `settle_many` over `n` due streams, each with its own recipient: a distinct
/// classic G-account with a trustline (its balance is a trustline entry, and its
/// address in the token's `transfer` event is the larger account form).
pub fn settle_many(wasm: &[u8], n: u32, shape: Shape) -> Cost {
    let k = kit(wasm);
    let mut ids = Vec::new(&k.env);
    for _ in 0..n {
        let mut p = match shape {
            Shape::Linear => k.linear(1_000_000, T0, T0, T0 + 100 * DAY),
            Shape::Tranched120 => k.monthly(T0, 120, 1_000),
            Shape::OpenEnded => k.open_ended(1_000, 30 * DAY, 100_000),
        };
        p.recipient = k.account_with_trustline(ids.len());
        ids.push_back(k.client.create(&p));
    }
    k.warp(50 * DAY);
    // The test host's default budget is below pubnet's 400M instructions: lift it so
    // the sweep can cross the real limit and report which one binds.
    k.env.cost_estimate().budget().reset_unlimited();
    let total = k.client.settle_many(&ids);
    let returned = encoded_len(&k, total);
    measure_returning(&k, &std::format!("settle_many ({n}, {shape:?})"), returned)
}

/// The largest batch of `shape` streams whose `settle_many` fits pubnet's limits,
/// with its cost and the cost of one more.
pub fn largest_settle_batch(wasm: &[u8], shape: Shape) -> (u32, Cost, Cost) {
    let (mut lo, mut hi) = (1u32, 256u32);
    while lo + 1 < hi {
        let mid = (lo + hi) / 2;
        if settle_many(wasm, mid, shape).fits_pubnet() {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    (
        lo,
        settle_many(wasm, lo, shape),
        settle_many(wasm, lo + 1, shape),
    )
}
