#!/usr/bin/env bash
# `npm run coverage`: the coverage part of `npm test` alone (no gate, no devnet cargo tests, no
# container): the contract's tests instrumented (scripts/coverage-contract.sh), vitest with V8
# coverage, and the summary with its floors (scripts/coverage-summary.ts).
# Arguments go to vitest, e.g. `npm run coverage -- --project keeper` (the summary then fails
# for the packages that project does not measure).
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
bash scripts/bootstrap.sh
source scripts/env.sh
rm -rf coverage
log "cargo test -p stream, instrumented for coverage"
bash scripts/coverage-contract.sh
log "vitest, with V8 coverage"
vitest run --coverage "$@"
node scripts/coverage-summary.ts
