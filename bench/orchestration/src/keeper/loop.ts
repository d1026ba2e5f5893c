/**
 * The `keeper` option: the stateless keeper's loop against the mock chain, so it compares like for
 * like with the Temporal and BullMQ options (the real keeper, `keeper/`, against the contract on
 * the devnet is the `keeper-real` option in `src/keeper-real/`). Each run reads every stream's
 * schedule and paid amount from the chain, computes which ones owe something with the pure
 * `decideSettlements`, and calls the idempotent `settle_many` in batches. It keeps nothing between
 * runs, so a crash, a restart or a second copy changes nothing but the number of calls.
 *
 * Env: CHAIN_URL, WORKER_NAME, POLL_MS, BATCH_SIZE.
 */
import { decideSettlements, type StreamState } from "../accrual.js";
import { requireEnv } from "../env.js";
import type { StreamSpec } from "../scenario.js";

const env = requireEnv(["CHAIN_URL", "WORKER_NAME", "POLL_MS", "BATCH_SIZE"]);
const pollMs = Number(env.POLL_MS);
const batchSize = Number(env.BATCH_SIZE);
const headers = { "content-type": "application/json", "x-worker": env.WORKER_NAME! };

let stopping = false;
process.on("SIGTERM", () => {
  stopping = true;
});

async function runOnce(): Promise<void> {
  const res = await fetch(`${env.CHAIN_URL}/state`, { headers });
  if (!res.ok) throw new Error(`state: ${res.status}`);
  const body = (await res.json()) as { nowMs: number; streams: { spec: StreamSpec; paid: string }[] };
  const states: StreamState[] = body.streams.map((s) => ({ spec: s.spec, paid: BigInt(s.paid) }));
  // Batches go out together (a real keeper submits them with consecutive sequence numbers).
  const batches = decideSettlements(states, body.nowMs, batchSize);
  await Promise.all(
    batches.map(async (ids) => {
      const r = await fetch(`${env.CHAIN_URL}/settle_many`, {
        method: "POST",
        headers,
        body: JSON.stringify({ ids }),
      });
      if (!r.ok) throw new Error(`settle_many: ${r.status}`);
    }),
  );
}

process.stdout.write("READY\n");
while (!stopping) {
  const started = Date.now();
  try {
    await runOnce();
  } catch (err) {
    // retryable by construction: the next run re-reads the chain
    process.stderr.write(`${env.WORKER_NAME}: ${String(err)}\n`);
  }
  await new Promise((r) => setTimeout(r, Math.max(0, pollMs - (Date.now() - started))));
}
