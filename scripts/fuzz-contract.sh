#!/usr/bin/env bash
# `npm run fuzz:contract`: the stream contract's invariant driver for millions of
# steps (FUZZ_STEPS, default 10,000,000; FUZZ_SHARDS threads, default 2; FUZZ_SEED
# to replay); prints what it covered as Markdown. Built in the dev profile, whose
# dependencies (the Soroban host) and the stream crate are optimized (Cargo.toml)
# and shared with `cargo test`; overflow checks and panics that unwind (failed
# contract calls are caught panics in the test host) stay on. Runs under nice: the
# machine is shared.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
cargo build --quiet -p contract-bench --bin fuzz
exec nice -n 10 "$CARGO_TARGET_DIR/debug/fuzz"
