#!/usr/bin/env bash
# `npm run fuzz:contract`: the stream contract's invariant driver for millions of
# steps (FUZZ_STEPS, default 10,000,000); prints what it covered. Built in the dev
# profile, whose dependencies (the Soroban host, where the time goes) are already
# optimized (Cargo.toml) and shared with `cargo test`: a release build of the whole
# host would cost more time than it saves.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
cargo run --quiet -p contract-bench --bin fuzz
