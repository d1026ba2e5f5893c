//! The shared accrual vectors, `test/vectors/accrual.json`, written from this
//! crate's `math` so the TypeScript mirror can be checked against it.
//!
//! `cargo test -p stream vectors` regenerates the `generated` section in memory and
//! fails if the committed file differs (drift); `UPDATE_VECTORS=1` rewrites it. The
//! `curated` section holds hand-picked edge cases with hand-computed expectations:
//! the generator never touches it, and this test checks Rust agrees with every one.
extern crate std;

use serde_json::{json, Value};
use std::string::{String, ToString};
use std::vec::Vec;
use std::{format, vec};

use crate::math;

const PATH: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../test/vectors/accrual.json"
);

/// splitmix64: a fixed, dependency-free sequence, so the file is reproducible.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    /// A positive i128 from a mix of extremes, round numbers and random magnitudes.
    fn amount(&mut self) -> i128 {
        match self.below(6) {
            0 => [1, 2, 3, 7, 10, 999_999_999][self.below(6) as usize],
            1 => i128::MAX - self.below(3) as i128,
            2 => (1i128 << (1 + self.below(125))) + self.below(3) as i128 - 1,
            3 => 10i128.pow(self.below(38) as u32),
            _ => {
                let bits = 1 + self.below(126);
                let v = ((self.next() as u128) << 64 | self.next() as u128) >> (128 - bits);
                (v as i128).max(1)
            }
        }
    }
    fn duration(&mut self) -> u64 {
        match self.below(5) {
            0 => 1 + self.below(10),
            1 => math::MAX_DURATION_S - self.below(2),
            2 => [60, 3_600, 86_400, 2_592_000, 2_629_746, 31_557_600][self.below(6) as usize],
            _ => 1 + self.below(math::MAX_DURATION_S),
        }
    }
    fn timestamp(&mut self) -> u64 {
        match self.below(4) {
            0 => 0,
            1 => u64::MAX - 2 * math::MAX_DURATION_S - self.below(1000),
            _ => 1_700_000_000 + self.below(1 << 32),
        }
    }
}

fn s<T: ToString>(v: T) -> Value {
    Value::String(v.to_string())
}

fn linear_case(r: &mut Rng) -> Value {
    let deposit = r.amount();
    let start = r.timestamp();
    let dur = r.duration();
    let end = start + dur;
    let cliff = if r.below(2) == 0 {
        start
    } else {
        start + r.below(dur + 1)
    };
    let t = match r.below(5) {
        0 => start.saturating_sub(r.below(100)),
        1 => end + r.below(100),
        2 => cliff,
        _ => start + r.below(dur + 1),
    };
    let accrued = math::linear_accrued(deposit, start, cliff, end, t);
    json!({"deposit": s(deposit), "start_ts": s(start), "cliff_ts": s(cliff), "end_ts": s(end), "t": s(t), "accrued": s(accrued)})
}

fn tranched_case(r: &mut Rng) -> Value {
    let n = if r.below(20) == 0 {
        120
    } else {
        1 + r.below(12)
    };
    let mut ts = r.timestamp();
    let start = ts;
    let mut total: i128 = 0;
    let mut tranches = vec![];
    for _ in 0..n {
        ts += 1 + r.below(40 * 86_400);
        // Keep the sum within i128, as creation does.
        let a = (r.amount() / n as i128).max(1);
        total += a;
        tranches.push((ts, a));
    }
    let t = start + r.below(ts - start + 86_400);
    let accrued = math::tranched_accrued(tranches.iter().copied(), t).expect("sum fits");
    debug_assert!(accrued <= total);
    let list: Vec<Value> = tranches.iter().map(|(u, a)| json!([s(u), s(a)])).collect();
    json!({"tranches": list, "t": s(t), "accrued": s(accrued)})
}

fn rate_case(r: &mut Rng) -> Value {
    let period = r.duration();
    let amount = match r.below(3) {
        0 => 1 + r.below(1_000_000) as i128,
        1 => r.amount() / (math::MAX_DURATION_S as i128) + 1,
        _ => r.amount(),
    };
    let snapshot_acc = if r.below(3) == 0 { 0 } else { r.amount() / 2 };
    let remainder = r.below(period);
    let snapshot_ts = r.timestamp();
    let back = r.below(2) * r.below(100);
    let horizon = r.duration();
    let t = snapshot_ts.saturating_sub(back) + r.below(horizon);
    let out = math::rate_accrued(snapshot_acc, remainder, amount, period, snapshot_ts, t);
    json!({
        "accrued_at_snapshot": s(snapshot_acc), "remainder": s(remainder),
        "amount_per_period": s(amount), "period_s": s(period), "snapshot_ts": s(snapshot_ts), "t": s(t),
        "accrued": s(out.accrued), "remainder_out": s(out.remainder),
        "within_bounds": math::rate_within_bounds(snapshot_acc, amount, period)
    })
}

fn funds_case(r: &mut Rng) -> Value {
    let accrued = r.amount() / 2;
    let withdrawn = if r.below(3) == 0 {
        0
    } else {
        accrued / (1 + r.below(5) as i128)
    };
    let balance = match r.below(3) {
        0 => accrued - withdrawn,
        1 => r.amount() / 2,
        _ => (accrued - withdrawn) / 2,
    };
    json!({
        "accrued": s(accrued), "withdrawn": s(withdrawn), "balance": s(balance),
        "covered": s(math::covered(accrued, withdrawn, balance)),
        "debt": s(math::debt(accrued, withdrawn, balance)),
        "refundable": s(math::refundable(accrued, withdrawn, balance)),
    })
}

fn time_to_reach_case(r: &mut Rng) -> Value {
    let period = [1, 60, 3_600, 86_400, 2_592_000][r.below(5) as usize];
    let amount = 1 + r.below(1 << 40) as i128;
    let acc = r.below(1 << 40) as i128;
    let remainder = r.below(period);
    let snapshot_ts = 1_700_000_000 + r.below(1 << 30);
    let target = acc + r.below(1 << 50) as i128;
    let out = math::rate_time_to_reach(acc, remainder, amount, period, snapshot_ts, target);
    json!({
        "accrued_at_snapshot": s(acc), "remainder": s(remainder), "amount_per_period": s(amount),
        "period_s": s(period), "snapshot_ts": s(snapshot_ts), "target": s(target),
        "t": out.map(s).unwrap_or(Value::Null),
    })
}

fn mul_div_case(r: &mut Rng) -> Value {
    let a = r.amount();
    let b = if r.below(2) == 0 {
        r.next()
    } else {
        r.duration()
    };
    let d = if r.below(2) == 0 {
        r.next().max(1)
    } else {
        r.duration()
    };
    let out = math::mul_div_floor(a, b, d).ok();
    json!({"a": s(a), "b": s(b), "d": s(d), "result": out.map(s).unwrap_or(Value::Null)})
}

fn linear_unlock_case(r: &mut Rng) -> Value {
    let deposit = r.amount();
    let start = r.timestamp();
    let dur = r.duration();
    let end = start + dur;
    let cliff = if r.below(3) == 0 {
        start
    } else {
        start + r.below(dur + 1)
    };
    let su = if r.below(3) == 0 {
        0
    } else {
        deposit / (1 + r.below(8) as i128) / 2
    };
    let cu = if r.below(3) == 0 {
        0
    } else {
        (deposit - su) / (1 + r.below(8) as i128)
    };
    let t = match r.below(6) {
        0 => start.saturating_sub(r.below(100)),
        1 => end + r.below(100),
        2 => cliff,
        3 => cliff.saturating_sub(1),
        _ => start + r.below(dur + 1),
    };
    let accrued = math::linear_unlock_accrued(deposit, su, cu, start, cliff, end, t);
    json!({"deposit": s(deposit), "start_unlock": s(su), "cliff_unlock": s(cu), "start_ts": s(start),
           "cliff_ts": s(cliff), "end_ts": s(end), "t": s(t), "accrued": s(accrued)})
}

const PHASES: [math::Phase; 4] = [
    math::Phase::Active,
    math::Phase::Paused,
    math::Phase::Canceled,
    math::Phase::Voided,
];
const STATUS_NAMES: [&str; 7] = [
    "pending",
    "streaming",
    "paused",
    "insolvent",
    "canceled",
    "voided",
    "finished",
];

/// The stream-level composition (`math::stream_amounts` and `math::stream_status`):
/// what the `amounts` and `status` views return for a record at an instant, for
/// every shape and status. Records are consistent: withdrawals never exceed what
/// had accrued, refunds only what had not.
fn amounts_case(r: &mut Rng) -> Value {
    let shape = r.below(3);
    let t = 1_700_000_000 + r.below(1 << 28);
    let around = |r: &mut Rng| t - (1 << 27) + r.below(1 << 28);
    let (curve, deposited, mut fields) = match shape {
        0 => {
            let start = around(r);
            let dur = 1 + r.below(1 << 28);
            let cliff = start + r.below(dur + 1) * r.below(2);
            let deposit = r.amount() / 4 + 1;
            let su = if r.below(2) == 0 { 0 } else { deposit / 10 };
            let cu = if r.below(2) == 0 { 0 } else { deposit / 5 };
            (
                math::Curve::Linear {
                    start_ts: start,
                    cliff_ts: cliff,
                    end_ts: start + dur,
                    start_unlock: su,
                    cliff_unlock: cu,
                },
                deposit,
                json!({"shape": "linear", "start_ts": s(start), "cliff_ts": s(cliff), "end_ts": s(start + dur),
                       "start_unlock": s(su), "cliff_unlock": s(cu)}),
            )
        }
        1 => {
            let start = around(r);
            let mut ts = start;
            let tr: Vec<(u64, i128)> = (0..1 + r.below(12))
                .map(|_| {
                    ts += 1 + r.below(1 << 24);
                    (ts, 1 + (r.next() >> 8) as i128)
                })
                .collect();
            let dep = tr.iter().map(|x| x.1).sum();
            let list: Vec<Value> = tr.iter().map(|(u, a)| json!([s(u), s(a)])).collect();
            (
                math::Curve::Tranched {
                    start_ts: start,
                    tranches: tr,
                },
                dep,
                json!({"shape": "tranched", "start_ts": s(start), "tranches": list}),
            )
        }
        _ => {
            let period = [1, 60, 86_400, 2_592_000][r.below(4) as usize];
            let a = 1 + r.below(1 << 40) as i128;
            let acc = r.below(1 << 50) as i128;
            let rem = r.below(period);
            let snap = around(r);
            (
                math::Curve::Rate {
                    amount_per_period: a,
                    period_s: period,
                    snapshot_ts: snap,
                    accrued_at_snapshot: acc,
                    remainder: rem,
                },
                1 + r.below(1 << 52) as i128,
                json!({"shape": "open_ended", "amount_per_period": s(a), "period_s": s(period),
                       "snapshot_ts": s(snap), "accrued_at_snapshot": s(acc), "remainder": s(rem)}),
            )
        }
    };
    let phase = match (shape, r.below(4)) {
        (2, p) => PHASES[p as usize],
        (_, p) if p % 2 == 0 => math::Phase::Active,
        _ => math::Phase::Canceled,
    };
    let canceled_ts = if phase == math::Phase::Canceled {
        around(r)
    } else {
        0
    };
    let ledger0 = math::Ledger {
        phase,
        canceled_ts,
        deposited,
        withdrawn: 0,
        refunded: 0,
    };
    // Withdrawn: part of what had accrued (and was funded) by an earlier instant.
    let earlier = t - r.below(1 << 20);
    let accrued_then = math::stream_accrued(curve.clone(), &ledger0, earlier).expect("fits");
    let withdrawn = accrued_then.min(deposited) / (1 + r.below(4) as i128);
    let refunded = if phase == math::Phase::Active {
        0
    } else {
        (deposited - accrued_then.max(withdrawn)).max(0) / (1 + r.below(3) as i128)
    };
    let l = math::Ledger {
        withdrawn,
        refunded,
        ..ledger0
    };
    let a = math::stream_amounts(curve.clone(), &l, t).expect("fits");
    let st = math::stream_status(&curve, &l, &a, t);
    let o = fields.as_object_mut().unwrap();
    for (k, v) in [
        ("status", json!(phase as u32)),
        ("canceled_ts", s(canceled_ts)),
        ("deposited", s(deposited)),
        ("withdrawn", s(withdrawn)),
        ("refunded", s(refunded)),
        ("t", s(t)),
        ("accrued", s(a.accrued)),
        ("withdrawable", s(a.withdrawable)),
        ("debt", s(a.debt)),
        ("refundable", s(a.refundable)),
        ("balance", s(a.balance)),
        ("status_view", json!(STATUS_NAMES[st as usize])),
    ] {
        o.insert(k.into(), v);
    }
    fields
}

fn generated() -> Value {
    let mut r = Rng(0x7472_6962_7574_6172); // "tributar"
    let mut section = |n: usize, f: fn(&mut Rng) -> Value| -> Value {
        Value::Array((0..n).map(|_| f(&mut r)).collect())
    };
    json!({
        "linear": section(1500, linear_case),
        "tranched": section(400, tranched_case),
        "rate": section(1500, rate_case),
        "funds": section(500, funds_case),
        "time_to_reach": section(300, time_to_reach_case),
        "mul_div_floor": section(500, mul_div_case),
        "linear_unlock": section(600, linear_unlock_case),
        "amounts": section(1200, amounts_case),
    })
}

/// One case per line keeps the file diffable and small.
fn render(curated: &Value, generated: &Value) -> String {
    let mut out = String::from("{\n");
    out += "  \"about\": \"Accrual vectors from contracts/stream/src/math.rs. Integers are decimal strings. Regenerate: UPDATE_VECTORS=1 cargo test -p stream vectors. 'curated' is hand-written and never overwritten.\",\n";
    out += &format!(
        "  \"curated\": {},\n",
        serde_json::to_string_pretty(curated)
            .unwrap()
            .replace('\n', "\n  ")
    );
    out += "  \"generated\": {\n";
    let obj = generated.as_object().unwrap();
    let n = obj.len();
    for (i, (name, cases)) in obj.iter().enumerate() {
        out += &format!("    \"{name}\": [\n");
        let arr = cases.as_array().unwrap();
        for (j, c) in arr.iter().enumerate() {
            out += &format!(
                "      {}{}\n",
                serde_json::to_string(c).unwrap(),
                if j + 1 < arr.len() { "," } else { "" }
            );
        }
        out += &format!("    ]{}\n", if i + 1 < n { "," } else { "" });
    }
    out += "  }\n}\n";
    out
}

fn int(v: &Value) -> i128 {
    v.as_str()
        .expect("decimal string")
        .parse()
        .expect("integer")
}

fn uint(v: &Value) -> u64 {
    v.as_str()
        .expect("decimal string")
        .parse()
        .expect("integer")
}

#[test]
fn vectors_file_is_current_and_curated_cases_hold() {
    let text = std::fs::read_to_string(PATH).expect("test/vectors/accrual.json");
    let current: Value = serde_json::from_str(&text).expect("valid JSON");
    let curated = current["curated"].clone();
    let want = render(&curated, &generated());
    if std::env::var("UPDATE_VECTORS").is_ok() {
        std::fs::write(PATH, &want).unwrap();
    } else {
        assert!(text == want, "test/vectors/accrual.json drifted from math.rs: run UPDATE_VECTORS=1 cargo test -p stream vectors and review the diff");
    }

    let mut checked = 0;
    for c in curated["linear"].as_array().unwrap() {
        let got = math::linear_accrued(
            int(&c["deposit"]),
            uint(&c["start_ts"]),
            uint(&c["cliff_ts"]),
            uint(&c["end_ts"]),
            uint(&c["t"]),
        );
        assert_eq!(got, int(&c["accrued"]), "curated linear {c}");
        checked += 1;
    }
    for c in curated["tranched"].as_array().unwrap() {
        let tr: Vec<(u64, i128)> = c["tranches"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| (uint(&p[0]), int(&p[1])))
            .collect();
        assert_eq!(
            math::tranched_accrued(tr, uint(&c["t"])).unwrap(),
            int(&c["accrued"]),
            "curated tranched {c}"
        );
        checked += 1;
    }
    for c in curated["rate"].as_array().unwrap() {
        let out = math::rate_accrued(
            int(&c["accrued_at_snapshot"]),
            uint(&c["remainder"]),
            int(&c["amount_per_period"]),
            uint(&c["period_s"]),
            uint(&c["snapshot_ts"]),
            uint(&c["t"]),
        );
        assert_eq!(out.accrued, int(&c["accrued"]), "curated rate {c}");
        assert_eq!(out.remainder, uint(&c["remainder_out"]), "curated rate {c}");
        checked += 1;
    }
    assert!(checked >= 10, "the curated section lost its cases");
}
