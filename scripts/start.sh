#!/usr/bin/env bash
# `npm start`: the main job, on the embedded devnet.
#   1. the devnet (local Stellar RPC on the real Soroban host) with the stream
#      contract and a demo token deployed (devnet/start.sh),
#   2. demo streams of every shape (keeper/demo/streams.ts, through the SDK),
#   3. the dApp (app/, built by Vite) served on $APP_PORT (default 5173) with the
#      devnet's addresses and the demo accounts in its devnet test wallet,
#   4. the keeper settling them every 15 seconds (keeper/dist/main.js).
# Ctrl-C stops the keeper (it drains its in-flight run) and then the devnet.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
bash scripts/bootstrap.sh
# Again: on a fresh machine bootstrap has just installed Node 22, which this
# shell must now put on PATH.
source scripts/env.sh
log "contract Wasm: $STREAM_WASM"

demo="$TRIBUTARY_CACHE/devnet-demo.json"
rm -f "$demo"
bash devnet/start.sh &
devnet_job=$!
trap 'kill -TERM "$devnet_job" 2>/dev/null || true; wait "$devnet_job" 2>/dev/null || true' EXIT

# The devnet script writes the demo file once the contract and token are deployed.
for _ in $(seq 1 1200); do
  if [ -s "$demo" ] && node -e 'JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))' "$demo" 2>/dev/null; then
    break
  fi
  kill -0 "$devnet_job" 2>/dev/null || { log "the devnet stopped before the demo was deployed"; exit 1; }
  sleep 0.5
done

log "creating demo streams (linear, tranched, open-ended)"
streams="$TRIBUTARY_CACHE/demo-streams.json"
node keeper/demo/streams.ts "$demo" > "$streams"
node -e '
const s = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
console.log(`
  demo streams:  ${s.streams.join(", ")}  (recipients: alice, bob, carol in ${process.argv[1]})
  keeper:        runs every 15 s, settles what has waited a minute; its logs follow
`);' "$streams"

log "building the dApp"
(cd app && VITE_NETWORK=devnet node ../node_modules/vite/bin/vite.js build --logLevel warn) >&2
APP_PORT="${APP_PORT:-5173}"
node app/scripts/serve.ts --port "$APP_PORT" --demo "$demo" --streams "$streams" &
app_pid=$!
trap 'kill -TERM "$app_pid" 2>/dev/null || true; kill -TERM "$devnet_job" 2>/dev/null || true; wait "$devnet_job" 2>/dev/null || true' EXIT
echo "
  dApp:          http://127.0.0.1:$APP_PORT  (devnet test wallet: pick alice, bob or carol and withdraw)
"

KEEPER_RPC_URL="$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1])).rpcUrl)' "$demo")"
KEEPER_CONTRACT_ID="$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1])).streamContractId)' "$demo")"
KEEPER_SECRET="$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1])).keeper.secret)' "$streams")"
KEEPER_TOKENS="$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1])).demoToken.contractId)' "$demo")"
export KEEPER_RPC_URL KEEPER_CONTRACT_ID KEEPER_SECRET KEEPER_TOKENS
# The demo settles a stream once its oldest unpaid unit is a minute old (production default: daily).
export KEEPER_PAY_INTERVAL="${KEEPER_PAY_INTERVAL:-60s}"
export KEEPER_SCHEDULE="${KEEPER_SCHEDULE:-*/15 * * * * *}" KEEPER_HEALTH_PORT="${KEEPER_HEALTH_PORT:-0}"
# In the background so a TERM or INT to this script reaches the keeper too (Ctrl-C
# signals the whole process group anyway); the EXIT trap then stops the devnet.
node keeper/dist/main.js &
keeper_pid=$!
trap 'kill -TERM "$keeper_pid" 2>/dev/null || true' TERM INT
wait "$keeper_pid" || true
wait "$keeper_pid" 2>/dev/null || true
