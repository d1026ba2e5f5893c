#!/usr/bin/env bash
# `npm test`: bootstrap what is missing, then the gate, then every test suite.
#   0. npm run check   rustfmt, clippy, Biome, tsc --noEmit (scripts/check.sh): fails fast on style/types
#   1. cargo test      contract (real Soroban host), drift checks of generated files and vectors, devnet
#   2. vitest          SDK, keeper, devnet integration, dApp (when present)
#   3. the keeper container (scripts/container-check.sh: podman build + run checks)
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
bash scripts/bootstrap.sh
# Again: on a fresh machine bootstrap has just installed Node 22, which this
# shell must now put on PATH.
source scripts/env.sh
bash scripts/check.sh
log "cargo test (workspace)"
cargo test --workspace --quiet
if ls vitest.config.* >/dev/null 2>&1; then
  log "vitest"
  vitest run
fi
# The keeper's container, built with podman from keeper/Dockerfile and checked running.
log "keeper container check"
bash scripts/container-check.sh
