#!/usr/bin/env bash
# `npm run fuzz:contract`: the stream contract's invariant driver for millions of
# steps (FUZZ_STEPS, default 10,000,000), release-built; prints what it covered.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
cargo run --quiet --release -p contract-bench --bin fuzz
