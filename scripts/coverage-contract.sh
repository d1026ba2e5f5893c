#!/usr/bin/env bash
# Rust tests, once, instrumented for line and branch coverage; writes coverage/rust.json, the
# contract's summary (llvm-cov export, read by scripts/coverage-summary.ts).
#   usage   scripts/coverage-contract.sh [CARGO SELECTION] [-- TEST FILTER]
#           npm test: `--workspace` (every crate's tests in one cargo invocation, so features
#           resolve exactly as for a plain `cargo test --workspace`); default `-p stream`
#   build   scripts/coverage-rustc.sh, cargo's workspace wrapper, instruments the workspace's
#           crates in the usual target directory: dependencies are the plain build's, not rebuilt
#   report  the contract's test binary only; Debian's llvm-profdata-N / llvm-cov-N, N = rustc's
#           LLVM major (scripts/env.sh); exclusions: scripts/coverage-exclusions.json ("rust")
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
selection=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do selection+=("$1"); shift; done
[ $# -gt 0 ] && shift # --
[ ${#selection[@]} -gt 0 ] || selection=(-p stream)
out="$ROOT/coverage"
rm -rf "$out/profraw" "$out/rust.json"
mkdir -p "$out/profraw"
export RUSTC_WORKSPACE_WRAPPER="$ROOT/scripts/coverage-rustc.sh"

# The contract's instrumented test binary (cargo prints each artifact as JSON; nothing runs yet).
exe="$(cargo test "${selection[@]}" --no-run --quiet --message-format=json | node -e '
  const lines = require("node:fs").readFileSync(0, "utf8").split("\n").filter((l) => l.startsWith("{"));
  for (const m of lines.map((l) => JSON.parse(l)))
    if (m.executable && m.profile?.test && m.target?.name === "stream") console.log(m.executable);
')"
[ -n "$exe" ] && [ "$(wc -l <<< "$exe")" -eq 1 ] || { log "coverage: expected one test binary of stream, got: $exe"; exit 1; }

LLVM_PROFILE_FILE="$out/profraw/%p-%m.profraw" cargo test "${selection[@]}" --quiet -- "$@"

"$LLVM_PROFDATA" merge -sparse "$out"/profraw/*.profraw -o "$out/rust.profdata"
"$LLVM_COV" export -summary-only -instr-profile="$out/rust.profdata" \
  -ignore-filename-regex="$(node -p 'require("./scripts/coverage-exclusions.json").rust.map((e) => `(${e.pattern})`).join("|")')" \
  "$exe" > "$out/rust.json"
rm -rf "$out/profraw"
