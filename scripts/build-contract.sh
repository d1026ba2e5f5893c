#!/usr/bin/env bash
# Builds the release contract for Soroban's target (wasm32v1-none) with Debian's
# rustc-web and -Zbuild-std (rustup cannot add targets here), shrinks it with
# wasm-opt, and leaves it at artifacts/stream.wasm. Incremental: a second run
# with no source change takes about a second.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
mkdir -p "$ARTIFACTS_DIR"
RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 CARGO_TARGET_DIR="$WASM_TARGET_DIR" \
  /usr/bin/cargo build --quiet --release -p stream --target wasm32v1-none \
  -Zbuild-std=core,alloc
raw="$WASM_TARGET_DIR/wasm32v1-none/release/stream.wasm"
if [ ! -f "$STREAM_WASM" ] || [ "$raw" -nt "$STREAM_WASM" ]; then
  if command -v wasm-opt >/dev/null; then
    wasm-opt -Oz --enable-bulk-memory --enable-sign-ext --enable-mutable-globals \
      "$raw" -o "$STREAM_WASM.tmp" && mv "$STREAM_WASM.tmp" "$STREAM_WASM"
  else
    cp "$raw" "$STREAM_WASM"
  fi
  log "contract: $STREAM_WASM ($(stat -c %s "$STREAM_WASM") bytes; unoptimized $(stat -c %s "$raw"))"
fi
# The SDK ships the same bytes (sdk/stream.wasm, not committed) for deployStreamContract.
cmp -s "$STREAM_WASM" "$ROOT/sdk/stream.wasm" || node "$ROOT/sdk/scripts/copy-wasm.mjs"
