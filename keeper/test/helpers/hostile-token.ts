// The hostile SEP-41 token the keeper's devnet tests deploy: a real Rust contract
// (test/fixtures/hostile-token) built by scripts/build-contract.sh. It keeps honest
// balances for deposits, so the stream contract accepts a stream in it, and burns
// the host's budget on any smaller transfer (a settlement), failing any transaction
// that pays from it. It is run by the real Soroban host; only its behaviour is hostile.

import { readFileSync } from "node:fs";
import { resolve } from "node:path";

/** Deposits at least this large pass through (`PASS_AMOUNT` in the fixture's lib.rs). */
export const HOSTILE_PASS_AMOUNT = 1n << 60n;

export function hostileTokenWasm(): Buffer {
  return readFileSync(resolve(import.meta.dirname, "..", "..", "..", "artifacts", "hostile-token.wasm"));
}
