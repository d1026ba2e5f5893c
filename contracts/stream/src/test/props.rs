//! Invariants over random operation sequences at random times, in several tokens
//! (one fee-on-transfer, one turned hostile), through every entry point: the driver
//! and the numbered invariants are in `crate::invariants`. `npm test` runs at least
//! 100,000 steps here; `npm run fuzz:contract` runs millions.
extern crate std;

use crate::invariants::{self, Rng, Tok, World};
use crate::testkit::DAY;

/// Steps per world: long enough for streams to run dry, be paused, canceled, voided
/// and transferred several times; short enough that each case's host state stays small.
const STEPS_PER_CASE: u64 = 125;

#[test]
fn invariants_hold_over_random_operation_sequences() {
    let steps: u64 = std::env::var("INVARIANT_STEPS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let cases = steps.div_ceil(STEPS_PER_CASE);
    let started = std::time::Instant::now();
    // Two threads (the machine's cores), each with its own hosts and seeds.
    let halves = [cases / 2, cases - cases / 2];
    let mut cov = invariants::Coverage::default();
    std::thread::scope(|s| {
        let runs: std::vec::Vec<_> = halves
            .iter()
            .enumerate()
            .map(|(i, n)| {
                s.spawn(move || invariants::run(0x7472_6962 + i as u64, *n, STEPS_PER_CASE))
            })
            .collect();
        for r in runs {
            cov.merge(&r.join().expect("invariant run"));
        }
    });
    std::eprintln!(
        "invariants: {} steps in {} cases, {:.1} s\nops {:?}\nerrors {:?}\nstatuses {:?}",
        cov.steps,
        cov.cases,
        started.elapsed().as_secs_f64(),
        cov.ops,
        cov.errors,
        cov.statuses
    );
    assert!(cov.steps >= steps, "ran {} steps", cov.steps);
    // The run must have reached every operation, and succeeded at each at least once.
    for (op, (tried, ok)) in &cov.ops {
        assert!(
            *tried > 0 && *ok > 0,
            "{op}: never succeeded ({tried} tries)"
        );
    }
    assert!(
        cov.ops.len() >= 24,
        "operations covered: {:?}",
        cov.ops.keys()
    );
    for status in ["Streaming", "Paused", "Insolvent", "Canceled", "Voided"] {
        assert!(cov.statuses.contains_key(status), "never saw {status}");
    }
}

/// Finding 6: the old driver drained after a fixed 500 days while its generator
/// allowed 12 tranches of up to 60 days; the drain now waits for the latest end.
#[test]
fn drain_waits_for_the_latest_schedule_in_the_world() {
    let mut rng = Rng(6);
    let mut w = World::new(&mut rng);
    let t0 = w.k.now();
    let tranches: std::vec::Vec<(u64, i128)> =
        (1..=12).map(|m| (t0 + m * (60 * DAY + 1), 7)).collect();
    let p = w.k.tranched(t0, &tranches);
    w.add(Tok::Sac, p);
    w.drain_and_check();
}
