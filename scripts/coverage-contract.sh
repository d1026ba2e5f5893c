#!/usr/bin/env bash
# The contract's tests, once, instrumented for line and branch coverage; writes
# coverage/rust.json (llvm-cov's export summary, read by scripts/coverage-summary.ts).
#   build   only `stream` is instrumented (scripts/coverage-rustc.sh as cargo's workspace wrapper),
#           in the usual target directory: the dependencies are the plain build's, not rebuilt
#   report  Debian's llvm-profdata-N / llvm-cov-N, N = rustc's LLVM major (scripts/env.sh);
#           exclusions: scripts/coverage-exclusions.json ("rust")
# Used by `npm test` and `npm run coverage`. Extra arguments go to the test binary (a filter).
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
out="$ROOT/coverage"
rm -rf "$out/profraw" "$out/rust.json"
mkdir -p "$out/profraw"
export RUSTC_WORKSPACE_WRAPPER="$ROOT/scripts/coverage-rustc.sh"

# The instrumented test binaries (cargo prints each artifact as JSON; nothing runs yet).
mapfile -t exes < <(cargo test -p stream --no-run --quiet --message-format=json |
  sed -n 's/.*"executable":"\([^"]*\)".*/\1/p')
[ ${#exes[@]} -gt 0 ] || { log "coverage: cargo built no test binary for stream"; exit 1; }

LLVM_PROFILE_FILE="$out/profraw/stream-%p-%m.profraw" cargo test -p stream --quiet -- "$@"

"$LLVM_PROFDATA" merge -sparse "$out"/profraw/*.profraw -o "$out/stream.profdata"
objects=("${exes[0]}")
for exe in "${exes[@]:1}"; do objects+=(-object "$exe"); done
"$LLVM_COV" export -summary-only -instr-profile="$out/stream.profdata" \
  -ignore-filename-regex="$(node -p 'require("./scripts/coverage-exclusions.json").rust.map((e) => `(${e.pattern})`).join("|")')" \
  "${objects[@]}" > "$out/rust.json"
rm -rf "$out/profraw"
