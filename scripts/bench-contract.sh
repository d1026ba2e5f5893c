#!/usr/bin/env bash
# `npm run bench:contract`: per-entry-point costs of the release Wasm and the largest
# settle_many batch within pubnet's limits -> docs/benchmarks/contract.md.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
bash scripts/build-contract.sh
cargo run --quiet -p contract-bench
