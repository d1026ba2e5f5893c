#!/usr/bin/env bash
# The devnet part of `npm start`: builds and starts the devnet on $DEVNET_PORT
# (default 8000; state in $DEVNET_STATE if set), deploys the demo (stream
# contract, native XLM contract, demo token TRIB) through the SDK, prints the
# RPC URL, passphrase and contract ids, and stays in the foreground until
# Ctrl-C (the devnet then saves its state and exits).
set -euo pipefail
source "$(dirname "$0")/../scripts/env.sh"
cd "$ROOT"
PORT="${DEVNET_PORT:-8000}"
log "building devnet"
nice -n 10 cargo build --quiet -p devnet --bin devnet
args=(--port "$PORT" --ledger-interval-ms "${DEVNET_LEDGER_INTERVAL_MS:-5000}")
[ -n "${DEVNET_STATE:-}" ] && args+=(--state "$DEVNET_STATE")
"$CARGO_TARGET_DIR/debug/devnet" "${args[@]}" &
pid=$!
trap 'kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true' EXIT
trap 'exit 0' INT TERM
url="http://127.0.0.1:$PORT"
for _ in $(seq 1 200); do
  node -e "fetch('$url/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))" && break
  kill -0 "$pid" 2>/dev/null || { log "devnet exited"; exit 1; }
  sleep 0.1
done
log "deploying the demo (stream contract, demo token)"
demo="$TRIBUTARY_CACHE/devnet-demo.json"
node devnet/demo/deploy.ts "$url/rpc" "$STREAM_WASM" > "$demo"
node -e '
const d = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
console.log(`
  RPC URL:             ${d.rpcUrl}
  network passphrase:  ${d.networkPassphrase}
  stream contract:     ${d.streamContractId}
  demo token (TRIB):   ${d.demoToken.contractId}
  native XLM contract: ${d.nativeTokenContractId}
  demo accounts and secrets: ${process.argv[1]}
`);' "$demo"
log "devnet running (Ctrl-C to stop)"
wait "$pid"
