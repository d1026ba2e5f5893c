//! Pins each entry point's resource costs (release Wasm, host meter) to
//! `contracts/stream/costs.snap`, so a cost regression is a reviewed diff.
//! Entries, bytes and event sizes follow from the contract's logic and must match
//! exactly; instructions, memory and fee also depend on the compiler that built the
//! Wasm, so they may move within 10% before the test fails.
//! `UPDATE_COSTS=1 cargo test -p stream costs` rewrites the snapshot.
extern crate std;

use std::format;
use std::string::String;
use std::vec::Vec;

use crate::costs::{per_entry_point, Cost};
use crate::testkit::release_wasm;

const PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/costs.snap");

fn line(c: &Cost) -> String {
    format!(
        "{} | instructions {} | mem {} | footprint {} | writes {} | disk_read_bytes {} | write_bytes {} | events {} | fee {}",
        c.name, c.instructions, c.mem_bytes, c.footprint_entries, c.write_entries, c.disk_read_bytes, c.write_bytes, c.events_bytes, c.fee_stroops
    )
}

fn fields(l: &str) -> Vec<(String, String)> {
    l.split(" | ")
        .skip(1)
        .map(|f| {
            let (k, v) = f.split_once(' ').expect("key value");
            (k.into(), v.into())
        })
        .collect()
}

#[test]
fn costs_match_the_snapshot() {
    let measured: Vec<String> = per_entry_point(&release_wasm()).iter().map(line).collect();
    if std::env::var("UPDATE_COSTS").is_ok() {
        std::fs::write(PATH, measured.join("\n") + "\n").unwrap();
        return;
    }
    let snap = std::fs::read_to_string(PATH)
        .expect("costs.snap: run UPDATE_COSTS=1 cargo test -p stream costs");
    let pinned: Vec<&str> = snap.lines().collect();
    assert_eq!(
        pinned.len(),
        measured.len(),
        "entry points were added or removed: update the snapshot"
    );
    for (want, got) in pinned.iter().zip(&measured) {
        assert_eq!(want.split(" | ").next(), got.split(" | ").next());
        for ((k, w), (_, g)) in fields(want).into_iter().zip(fields(got)) {
            let (w, g): (f64, f64) = (w.parse().unwrap(), g.parse().unwrap());
            let tolerance = if matches!(k.as_str(), "instructions" | "mem" | "fee") {
                0.10
            } else {
                0.0
            };
            assert!(
                (g - w).abs() <= w * tolerance,
                "cost regression in `{got}`: {k} was {w}, now {g} (UPDATE_COSTS=1 to accept)"
            );
        }
    }
}
