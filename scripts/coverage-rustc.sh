#!/usr/bin/env bash
# RUSTC_WORKSPACE_WRAPPER of the Rust tests under coverage (scripts/coverage-contract.sh): adds
# LLVM's coverage instrumentation to each workspace crate it compiles (not build scripts). Cargo
# calls a workspace wrapper only for the workspace's own crates and hashes its path into their
# artifact names, so these builds sit next to plain ones in the same target directory, and every
# dependency (the Soroban host and the rest) is the plain build's, reused as it is.
# Branch coverage is still unstable in rustc (-Z coverage-options=branch, rust-lang/rust#79649):
# RUSTC_BOOTSTRAP for these crates only, as the Wasm build uses it for build-std.
rustc="$1"
shift
case " $* " in
  *" --crate-name build_script_build "* | *" --crate-name ___ "*) ;;
  *" --crate-name "*)
    RUSTC_BOOTSTRAP=1 exec "$rustc" "$@" -C instrument-coverage -Z coverage-options=branch
    ;;
esac
exec "$rustc" "$@"
