#!/usr/bin/env bash
# `npm test`: bootstrap what is missing, then the gate, then every test suite, each once.
#   0. npm run check   rustfmt, clippy, Biome, tsc --noEmit (scripts/check.sh): fails fast on style/types
#   1. cargo test      every crate, once, instrumented for coverage (scripts/coverage-contract.sh):
#                      the contract in the real Soroban host, drift checks of generated files and
#                      vectors, the devnet; the contract's coverage is kept
#   2. vitest          SDK, keeper, devnet integration, dApp, with V8 coverage on
#   3. coverage        lines and branches per package; fails below 95% of lines for the contract, the
#                      SDK or the keeper (scripts/coverage-summary.ts)
#   4. the keeper container (scripts/container-check.sh: podman build + run checks)
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
bash scripts/bootstrap.sh
# Again: on a fresh machine bootstrap has just installed Node 22, which this
# shell must now put on PATH.
source scripts/env.sh
bash scripts/check.sh
rm -rf coverage
log "cargo test (workspace), instrumented for coverage"
bash scripts/coverage-contract.sh --workspace
log "vitest, with V8 coverage"
vitest run --coverage
node scripts/coverage-summary.ts
# The keeper's container, built with podman from keeper/Dockerfile and checked running.
log "keeper container check"
bash scripts/container-check.sh
