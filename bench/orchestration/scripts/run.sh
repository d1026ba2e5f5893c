#!/usr/bin/env bash
# `npm run bench:orchestration`: the orchestration experiment (ADR 0002). Not part of `npm test`.
#   1. Node >= 22.12 and redis-server (scripts/bootstrap.sh redis);
#   2. the Temporal CLI built from source with `go install` into $TRIBUTARY_CACHE/go (never a
#      downloaded binary); if Go or the build fails, Temporal is reported as not run;
#   3. this folder's own dependencies (npm ci, skipped while package-lock.json is unchanged);
#   4. tsc, then the harness, which writes docs/benchmarks/orchestration.md;
#   5. for the `keeper-real` option (the real keeper + contract on the devnet): keeper/dist and
#      sdk/dist (scripts/bootstrap.sh), the devnet binary (cargo build -p devnet) and
#      artifacts/stream.wasm; its results go to docs/benchmarks/orchestration-keeper.md.
# ORCH_OPTIONS=keeper-real (comma-separated) runs only those options; the Temporal CLI is built only
# when a Temporal option is asked for, and orchestration.md is rewritten only when a mock-chain
# option runs.
# Everything heavy runs under `nice -n 15`: the machine is shared. The reports record the load average.
set -euo pipefail
source "$(dirname "$0")/../../../scripts/env.sh"
BENCH="$ROOT/bench/orchestration"
GO_CACHE="$TRIBUTARY_CACHE/go"
TEMPORAL_VERSION="v1.5.1" # later tags carry a `replace` directive that `go install` rejects
TEMPORAL_BIN="${TEMPORAL_BIN:-$GO_CACHE/bin/temporal-$TEMPORAL_VERSION}"
OUT="${BENCH_OUT:-$ROOT/docs/benchmarks/orchestration.md}"
KEEPER_OUT="${BENCH_KEEPER_OUT:-$ROOT/docs/benchmarks/orchestration-keeper.md}"

engines="${ORCH_OPTIONS:-temporal,temporal-settle,temporal-sweep,bullmq,bullmq-settle,bullmq-sweep,bullmq-dedup,keeper,keeper-real}"
not_run=()
wants() { [[ ",$engines," == *",$1,"* ]]; }
wants_bullmq() { [[ ",$engines," == *",bullmq"* ]]; }
if ! [ -x "$ROOT/node_modules/.bin/tsc" ] || { wants_bullmq && ! command -v redis-server >/dev/null; }; then
  bash "$ROOT/scripts/bootstrap.sh" redis
fi
source "$ROOT/scripts/env.sh"
drop_temporal() { engines="$(echo ",$engines," | sed -e 's/,temporal-sweep,/,/; s/,temporal-settle,/,/; s/,temporal,/,/; s/^,//; s/,$//')"; }
wants_temporal() { [[ ",$engines," == *",temporal"* ]]; }
if wants_temporal && [ ! -x "$TEMPORAL_BIN" ]; then
  if command -v go >/dev/null; then
    log "building the Temporal CLI $TEMPORAL_VERSION from the Go module proxy (takes minutes the first time)"
    mkdir -p "$GO_CACHE/bin"
    if GOBIN="$GO_CACHE/bin" GOPATH="$GO_CACHE/path" GOCACHE="$GO_CACHE/gocache" GOFLAGS=-mod=mod \
        nice -n 15 go install "github.com/temporalio/cli/cmd/temporal@$TEMPORAL_VERSION" >&2; then
      mv "$GO_CACHE/bin/temporal" "$TEMPORAL_BIN"
    else
      log "Temporal CLI build failed: the report will say Temporal did not run"
      drop_temporal
      not_run=(--not-run temporal,temporal-settle,temporal-sweep --not-run-reason "the Temporal CLI $TEMPORAL_VERSION did not build with go install")
    fi
  else
    log "no Go toolchain: the report will say Temporal did not run"
    drop_temporal
    not_run=(--not-run temporal,temporal-settle,temporal-sweep --not-run-reason "no Go toolchain to build the Temporal CLI")
  fi
fi

if wants keeper-real; then
  [ -f "$ROOT/keeper/dist/main.js" ] && [ -f "$ROOT/sdk/dist/index.js" ] || bash "$ROOT/scripts/bootstrap.sh"
  [ -f "$ROOT/artifacts/stream.wasm" ] || { log "artifacts/stream.wasm is missing: build the contract first"; exit 1; }
  log "building the devnet (cargo build -p devnet; a no-op when up to date)"
  (cd "$ROOT" && nice -n 10 cargo build -q -p devnet --bin devnet >&2)
  export DEVNET_BIN="${CARGO_TARGET_DIR:-$TRIBUTARY_CACHE/target}/debug/devnet"
fi

cd "$BENCH"
stamp="node_modules/.tributary-lock-sha"
want="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  log "npm ci (bench/orchestration)"
  nice -n 15 npm ci --no-audit --no-fund --loglevel=error >&2
  echo "$want" > "$stamp"
fi
rm -rf dist
"$ROOT/node_modules/.bin/tsc" -p tsconfig.json
SIZES="${BENCH_SIZES:-100,1000}"
log "running the orchestration experiment ($engines; $SIZES streams), about 1.5 minutes per option and size"
nice -n 15 node dist/harness.js --engines "$engines" --sizes "$SIZES" --temporal-bin "$TEMPORAL_BIN" \
  --out "$OUT" --keeper-out "$KEEPER_OUT" ${not_run[@]+"${not_run[@]}"} "$@"
