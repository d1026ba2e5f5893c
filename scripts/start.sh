#!/usr/bin/env bash
# `npm start`: the main job. For now: build the contract and say where it is.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
bash scripts/bootstrap.sh
log "contract Wasm: $STREAM_WASM"
# The devnet (local Stellar RPC) with the stream contract and a demo token
# deployed; prints the RPC URL, passphrase and contract ids; runs until Ctrl-C.
bash "$ROOT/devnet/start.sh"
