#!/usr/bin/env bash
# `npm run coverage`: `npm test` without the gate and the container: the Rust tests instrumented
# (scripts/coverage-contract.sh --workspace: the same build as npm test's), vitest with V8
# coverage, and the summary with its floors (scripts/coverage-summary.ts).
# Arguments go to vitest, e.g. `npm run coverage -- --project keeper` (the summary then fails
# for the packages that project does not measure).
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
bash scripts/bootstrap.sh
source scripts/env.sh
rm -rf coverage
log "cargo test (workspace), instrumented for coverage"
bash scripts/coverage-contract.sh --workspace
log "vitest, with V8 coverage"
vitest run --coverage "$@"
node scripts/coverage-summary.ts
