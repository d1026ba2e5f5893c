//! `npm run fuzz:contract`: the contract's invariant driver (`stream::invariants`)
//! for millions of random operations across several tokens (one fee-on-transfer,
//! one turned hostile), every invariant checked after every step. Prints the steps
//! run, the rate, and what the run covered: each operation's attempts and
//! successes, each contract error seen, each status observed.
//!
//! Settings (environment): `FUZZ_STEPS` (default 10,000,000), `FUZZ_STEPS_PER_CASE`
//! (default 2,000), `FUZZ_SEED` (default derived from the clock; printed so a failure
//! can be replayed).

use std::time::Instant;

use stream::invariants::{self, Coverage};

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
        .unwrap_or(default)
}

fn main() {
    let steps = env_u64("FUZZ_STEPS", 10_000_000);
    let per_case = env_u64("FUZZ_STEPS_PER_CASE", 2_000).max(1);
    let seed = env_u64(
        "FUZZ_SEED",
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(1),
    );
    let cases = steps.div_ceil(per_case);
    println!("fuzz: seed {seed}, {cases} cases x {per_case} steps");
    let started = Instant::now();
    let mut total = Coverage::default();
    // One case per call so progress can be reported and a failure names its case.
    for case in 0..cases {
        let cov = invariants::run(seed.wrapping_add(case), 1, per_case);
        total.merge(&cov);
        if case % 50 == 49 || case + 1 == cases {
            let s = started.elapsed().as_secs_f64();
            eprintln!(
                "fuzz: {} steps in {:.0} s ({:.0} steps/s)",
                total.steps,
                s,
                total.steps as f64 / s
            );
        }
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "\nfuzz: {} steps, {} cases, {:.0} s, {:.0} steps/s, seed {seed}: every invariant held\n",
        total.steps,
        total.cases,
        secs,
        total.steps as f64 / secs
    );
    println!("| operation | attempts | succeeded |\n|---|---:|---:|");
    for (op, (tried, ok)) in &total.ops {
        println!("| {op} | {tried} | {ok} |");
    }
    println!("\n| contract error | times |\n|---|---:|");
    for (e, n) in &total.errors {
        println!("| {e} | {n} |");
    }
    println!("\n| status seen | times |\n|---|---:|");
    for (st, n) in &total.statuses {
        println!("| {st} | {n} |");
    }
}
