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
    features=(--enable-bulk-memory --enable-sign-ext --enable-mutable-globals)
    src="$raw"
    if command -v wasm-metadce >/dev/null && command -v wasm-dis >/dev/null; then
      # Drop the exports only the link step needs (`_`, which pins soroban-sdk's
      # spec and meta sections into the link, and the linker's `__data_end` and
      # `__heap_base`): the host charges every call about 2,300 instructions per
      # export. The custom sections stay. Roots: memory and every function export.
      graph="$WASM_TARGET_DIR/metadce-graph.json"
      wasm-dis "$raw" | sed -n 's/^ *(export "\([^"]*\)" (\(func\|memory\) .*/\1/p' |
        grep -v -x -e '_' -e '__data_end' -e '__heap_base' |
        awk 'BEGIN{printf "["} {printf "%s{\"name\":\"e%d\",\"root\":true,\"export\":\"%s\"}", (NR>1?",":""), NR, $0} END{print "]"}' >"$graph"
      wasm-metadce "${features[@]}" "$raw" --graph-file "$graph" -o "$STREAM_WASM.dce" >/dev/null
      src="$STREAM_WASM.dce"
    fi
    wasm-opt -Oz "${features[@]}" "$src" -o "$STREAM_WASM.tmp" && mv "$STREAM_WASM.tmp" "$STREAM_WASM"
    rm -f "$STREAM_WASM.dce"
  else
    cp "$raw" "$STREAM_WASM"
  fi
  log "contract: $STREAM_WASM ($(stat -c %s "$STREAM_WASM") bytes; unoptimized $(stat -c %s "$raw"))"
fi
# The keeper's devnet tests deploy a hostile token (test/fixtures/hostile-token): a
# real Wasm contract, unoptimized (its size does not matter).
RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 CARGO_TARGET_DIR="$WASM_TARGET_DIR" \
  /usr/bin/cargo build --quiet --release -p hostile-token --target wasm32v1-none \
  -Zbuild-std=core,alloc
cp -p "$WASM_TARGET_DIR/wasm32v1-none/release/hostile_token.wasm" "$ARTIFACTS_DIR/hostile-token.wasm"
# The SDK ships the same bytes (sdk/stream.wasm, not committed) for deployStreamContract.
cmp -s "$STREAM_WASM" "$ROOT/sdk/stream.wasm" || node "$ROOT/sdk/scripts/copy-wasm.mjs"
# The SDK's devnet tests deploy a contract that is not a token (test/fixtures/read-only-token:
# SEP-41's read functions, no transfer), unoptimized.
RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 CARGO_TARGET_DIR="$WASM_TARGET_DIR" \
  /usr/bin/cargo build --quiet --release -p read-only-token --target wasm32v1-none \
  -Zbuild-std=core,alloc
cp -p "$WASM_TARGET_DIR/wasm32v1-none/release/read_only_token.wasm" "$ARTIFACTS_DIR/read-only-token.wasm"
