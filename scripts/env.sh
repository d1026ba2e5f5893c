# Sourced by every script: one place for paths and the toolchain on PATH.
# Caches live outside the clone so a fresh clone (CI) reuses what this machine
# already built, while a new machine still builds everything from scratch.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export TRIBUTARY_CACHE="${TRIBUTARY_CACHE:-$HOME/.cache/tributary}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$TRIBUTARY_CACHE/target}"
export WASM_TARGET_DIR="${WASM_TARGET_DIR:-$TRIBUTARY_CACHE/wasm-target}"
export ARTIFACTS_DIR="$ROOT/artifacts"
export STREAM_WASM="$ARTIFACTS_DIR/stream.wasm"
NODE_PREFIX="$TRIBUTARY_CACHE/node22"
if [ -x "$NODE_PREFIX/node_modules/.bin/node" ]; then
  export PATH="$NODE_PREFIX/node_modules/.bin:$PATH"
fi
[ -d "$HOME/.cargo/bin" ] && export PATH="$HOME/.cargo/bin:$PATH"
export PATH="$ROOT/node_modules/.bin:$PATH"
# The contract coverage's LLVM tools (scripts/coverage-contract.sh): Debian's, of the same major
# version as rustc's LLVM, which writes the profiles they read (rustup cannot
# download its llvm-tools component here). Bootstrap installs the package llvm-$LLVM_MAJOR.
if command -v rustc >/dev/null; then
  LLVM_MAJOR="$(rustc -vV | sed -n 's/^LLVM version: \([0-9]*\).*/\1/p')"
  export LLVM_COV="${LLVM_COV:-/usr/bin/llvm-cov-$LLVM_MAJOR}"
  export LLVM_PROFDATA="${LLVM_PROFDATA:-/usr/bin/llvm-profdata-$LLVM_MAJOR}"
fi

log() { printf '\033[1m[tributary]\033[0m %s\n' "$*" >&2; }
