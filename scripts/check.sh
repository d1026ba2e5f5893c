#!/usr/bin/env bash
# `npm run check`: the style and type gate, run first by `npm test` (and so by CI).
#   1. rustfmt        cargo fmt --all --check (config: rustfmt.toml)
#   2. Biome          lint + format of every TypeScript/JSON file (config: biome.jsonc)
#   3. tsc --noEmit   every package including tests, benches and demos (tsconfig.check.json;
#                     bench/orchestration/tsconfig.check.json; app/tsconfig.json, with bench/app)
#   4. clippy         every crate, every target, warnings are errors
# `npm run fix` applies what can be fixed automatically (formatting, import order, safe lints).
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
if [ ! -x node_modules/.bin/biome ] || [ ! -d bench/orchestration/node_modules ]; then
  bash scripts/bootstrap.sh
  source scripts/env.sh
fi

log "check: cargo fmt"
cargo fmt --all --check

log "check: biome (lint + format)"
biome check . --error-on-warnings

log "check: tsc --noEmit (sdk, keeper, tests, benches, demos; bench/orchestration; app)"
pids=()
tsc -p tsconfig.check.json & pids+=($!)
tsc -p bench/orchestration/tsconfig.check.json & pids+=($!)
tsc -p app/tsconfig.json & pids+=($!)
failed=0
for p in "${pids[@]}"; do wait "$p" || failed=1; done
[ "$failed" -eq 0 ] || { log "tsc found type errors (above)"; exit 1; }

log "check: cargo clippy (-D warnings)"
cargo clippy --workspace --all-targets --quiet -- -D warnings
log "check: clean"
