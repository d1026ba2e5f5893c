#!/usr/bin/env bash
# `npm run coverage`: line and branch coverage of the contract, the SDK and the keeper, a summary
# per package, and a failure when one of them is below 95% of lines (scripts/coverage-summary.ts).
#   contract   cargo llvm-cov runs the contract's tests once, instrumented, in its own target dir
#              ($CARGO_TARGET_DIR/llvm-cov-target) where only the workspace's crates are
#              instrumented; LLVM's tools are Debian's llvm-N matching rustc's LLVM (scripts/env.sh)
#   SDK, keeper  vitest's V8 provider over every TypeScript suite (exclusions: vitest.config.ts)
# Reports: coverage/rust.json, coverage/ts/coverage-summary.json.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
bash scripts/bootstrap.sh
source scripts/env.sh
rm -rf coverage
mkdir -p coverage

# Not measured: test-only code (compiled only under cfg(test) or the `testutils` feature).
log "cargo llvm-cov: the contract's tests, instrumented"
cargo llvm-cov clean --profraw-only
cargo llvm-cov test --no-clean -p stream --quiet --json --summary-only \
  --ignore-filename-regex 'contracts/stream/src/(test/|testkit\.rs$|costs\.rs$)' \
  --output-path coverage/rust.json

log "vitest with V8 coverage of the SDK and the keeper"
vitest run --coverage

node scripts/coverage-summary.ts
