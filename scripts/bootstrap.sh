#!/usr/bin/env bash
# Installs whatever a fresh machine lacks, and nothing twice:
#   Node >= 22.12 (from the npm registry's `node` package when the machine's is older),
#   Debian's rustc-web toolchain for wasm32v1-none (see docs/toolchain.md), Chromium, and the
#   the contract's coverage tools (Debian's llvm-N, N = rustc's LLVM major),
#   the npm workspaces (npm ci, skipped while package-lock.json is unchanged) and
#   bench/orchestration's own dependencies (type-checked by the gate),
#   the SDK and keeper builds (tsc, skipped while their sources are unchanged),
#   the release contract Wasm (scripts/build-contract.sh; cargo is incremental).
# Optional extras by argument: `redis` (redis-server).
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
mkdir -p "$TRIBUTARY_CACHE"

node_ok() {
  node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>22||(a===22&&b>=12)?0:1)' 2>/dev/null
}
if ! node_ok; then
  log "Node $(node --version 2>/dev/null || echo none) is older than 22.12: installing node@22 from the npm registry"
  npm install --prefix "$NODE_PREFIX" --no-save --no-audit --no-fund --loglevel=error node@22 >&2
  source "$ROOT/scripts/env.sh"
  node_ok || { log "could not get Node >= 22.12"; exit 1; }
fi

apt_need=()
# chromium: the SDK's browser tests drive Debian's Chromium (never a downloaded browser).
# llvm-N: llvm-cov and llvm-profdata for the contract's coverage (scripts/coverage-contract.sh).
for pkg in rustc-web cargo-web rust-web-src rust-web-llvm lld-22 binaryen chromium ${LLVM_MAJOR:+"llvm-$LLVM_MAJOR"} "$@"; do
  case "$pkg" in redis) pkg=redis-server ;; esac
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || apt_need+=("$pkg")
done
if [ ${#apt_need[@]} -gt 0 ]; then
  log "installing Debian packages: ${apt_need[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${apt_need[@]}" >&2
fi

stamp="node_modules/.tributary-lock-sha"
want="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  log "npm ci"
  npm ci --no-audit --no-fund --loglevel=error >&2
  echo "$want" > "$stamp"
fi

# bench/orchestration is a package of its own (Temporal, BullMQ), installed apart from the
# workspaces; the gate (scripts/check.sh) type-checks it, so it is installed here too.
orch_stamp="bench/orchestration/node_modules/.tributary-lock-sha"
orch_want="$(sha256sum bench/orchestration/package-lock.json | cut -d' ' -f1)"
if [ ! -f "$orch_stamp" ] || [ "$(cat "$orch_stamp")" != "$orch_want" ]; then
  log "npm ci (bench/orchestration)"
  (cd bench/orchestration && npm ci --no-audit --no-fund --loglevel=error >&2)
  echo "$orch_want" > "$orch_stamp"
fi

# The SDK and the keeper run from dist/ (npm start, the container); rebuild them
# only when their sources or configs changed.
ts_stamp="node_modules/.tributary-ts-sha"
ts_want="$(cat tsconfig.json sdk/tsconfig*.json sdk/package.json keeper/tsconfig*.json keeper/package.json \
  $(find sdk/src keeper/src -name '*.ts' | sort) | sha256sum | cut -d' ' -f1)"
if [ ! -f "$ts_stamp" ] || [ "$(cat "$ts_stamp")" != "$ts_want" ] || [ ! -f sdk/dist/index.js ] || [ ! -f keeper/dist/main.js ]; then
  log "building the SDK and the keeper (tsc)"
  node node_modules/typescript/bin/tsc -p sdk/tsconfig.build.json
  node node_modules/typescript/bin/tsc -p keeper/tsconfig.build.json
  echo "$ts_want" > "$ts_stamp"
fi

bash "$ROOT/scripts/build-contract.sh"
