//! `npm run fuzz:contract`: the contract's invariant driver (`stream::invariants`)
//! for millions of random operations across several tokens (one fee-on-transfer,
//! one turned hostile), every invariant checked after every step. Prints the steps
//! run, the rate, and what the run covered (Markdown, for docs/benchmarks/contract.md):
//! each operation's attempts and successes, per token kind, each contract error
//! seen, each status observed, streams created, checks run, the longest time span.
//!
//! Settings (environment): `FUZZ_STEPS` (default 10,000,000), `FUZZ_STEPS_PER_CASE`
//! (default 500: each case is a fresh world), `FUZZ_SHARDS` (threads, default 2,
//! the machine's cores; each runs its own hosts and cases), `FUZZ_SEED` (default
//! derived from the clock; printed so a failure can be replayed: case `c` of the
//! whole run uses seed `FUZZ_SEED + c`, whichever shard runs it).

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use stream::invariants::{self, Coverage};

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
        .unwrap_or(default)
}

fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

fn main() {
    let steps = env_u64("FUZZ_STEPS", 10_000_000);
    let per_case = env_u64("FUZZ_STEPS_PER_CASE", 500).max(1);
    let shards = env_u64("FUZZ_SHARDS", 2).max(1);
    let seed = env_u64(
        "FUZZ_SEED",
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(1),
    );
    let cases = steps.div_ceil(per_case);
    let load_before = loadavg();
    println!(
        "fuzz: seed {seed}, {cases} cases x {per_case} steps on {shards} threads, load average {load_before}"
    );
    let started = Instant::now();
    let done = AtomicU64::new(0);
    let next_case = AtomicU64::new(0);
    let mut total = Coverage::default();
    std::thread::scope(|s| {
        let workers: Vec<_> = (0..shards)
            .map(|_| {
                s.spawn(|| {
                    let mut cov = Coverage::default();
                    // Cases are handed out one at a time, so shards finish together
                    // and a failure names its case (seed + case).
                    loop {
                        let case = next_case.fetch_add(1, Ordering::Relaxed);
                        if case >= cases {
                            return cov;
                        }
                        let c = invariants::run(seed.wrapping_add(case), 1, per_case);
                        cov.merge(&c);
                        let n = done.fetch_add(c.steps, Ordering::Relaxed) + c.steps;
                        if case % 200 == 199 {
                            let secs = started.elapsed().as_secs_f64();
                            eprintln!(
                                "fuzz: {n} steps in {secs:.0} s ({:.0} steps/s), load average {}",
                                n as f64 / secs,
                                loadavg()
                            );
                        }
                    }
                })
            })
            .collect();
        for w in workers {
            total.merge(&w.join().expect("a fuzz shard failed (see the panic above)"));
        }
    });
    let secs = started.elapsed().as_secs_f64();
    println!(
        "\nfuzz: {} steps, {} cases, {:.0} s, {:.0} steps/s, seed {seed}, {shards} threads, \
         load average {load_before} at start and {} at the end: every invariant held\n",
        total.steps,
        total.cases,
        secs,
        total.steps as f64 / secs,
        loadavg()
    );
    println!(
        "streams created: {}; invariant checks: {} ({} stream-level); longest world: {:.1} days of ledger time\n",
        total.streams_created,
        total.checks,
        total.stream_checks,
        total.max_span_s as f64 / 86_400.0
    );
    println!("| operation | attempts | succeeded |\n|---|---:|---:|");
    for (op, (tried, ok)) in &total.ops {
        println!("| {op} | {tried} | {ok} |");
    }
    println!("\n| token kind targeted | attempts | succeeded |\n|---|---:|---:|");
    for (t, (tried, ok)) in &total.tokens {
        println!("| {t} | {tried} | {ok} |");
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
