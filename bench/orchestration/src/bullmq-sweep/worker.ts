/**
 * One worker deployment of the expert BullMQ design. It never upserts the job scheduler (the
 * harness's deployment step did, once); a second deployment started by mistake is one more
 * consumer of the same queue.
 *
 * Env: REDIS_URL, CHAIN_URL, WORKER_NAME, MONTH_MS, INTERVAL_MS, BATCH_SIZE, MODE (sweep | dedup).
 */
import { type Job, Queue, Worker } from "bullmq";
import { Redis } from "ioredis";
import { decideSettlements, type StreamState } from "../accrual.js";
import { requireEnv } from "../env.js";
import type { StreamSpec } from "../scenario.js";
import { SWEEP_QUEUE, scaledBullSweepTiming, settleJob } from "./plan.js";

const env = requireEnv([
  "REDIS_URL",
  "CHAIN_URL",
  "WORKER_NAME",
  "MONTH_MS",
  "INTERVAL_MS",
  "BATCH_SIZE",
  "MODE",
]);
const timing = scaledBullSweepTiming(Number(env.MONTH_MS), Number(env.INTERVAL_MS));
const batchSize = Number(env.BATCH_SIZE);
const dedup = env.MODE === "dedup";
const headers = { "content-type": "application/json", "x-worker": env.WORKER_NAME! };
const connection = new Redis(env.REDIS_URL!, { maxRetriesPerRequest: null });
const queue = new Queue(SWEEP_QUEUE, { connection });

async function settleMany(ids: string[]): Promise<void> {
  const r = await fetch(`${env.CHAIN_URL}/settle_many`, {
    method: "POST",
    headers,
    body: JSON.stringify({ ids }),
  });
  if (!r.ok) throw new Error(`settle_many: ${r.status}`);
}

async function sweep(): Promise<number> {
  const res = await fetch(`${env.CHAIN_URL}/state`, { headers });
  if (!res.ok) throw new Error(`state: ${res.status}`);
  const body = (await res.json()) as { nowMs: number; streams: { spec: StreamSpec; paid: string }[] };
  const states: StreamState[] = body.streams.map((s) => ({ spec: s.spec, paid: BigInt(s.paid) }));
  const batches = decideSettlements(states, body.nowMs, batchSize);
  if (dedup) {
    const byId = new Map(states.map((s) => [s.spec.id, s.spec]));
    const jobs = batches.flat().map((id) => settleJob(byId.get(id)!, body.nowMs, timing));
    if (jobs.length > 0) await queue.addBulk(jobs);
    return jobs.length;
  }
  await Promise.all(batches.map(settleMany));
  return batches.length;
}

async function handle(job: Job<{ streamId?: string }>): Promise<number> {
  if (job.name === "sweep") return sweep();
  if (job.name === "settle" && job.data.streamId !== undefined) {
    await settleMany([job.data.streamId]);
    return 1;
  }
  throw new Error(`unexpected job ${job.name}`);
}

const worker = new Worker(SWEEP_QUEUE, handle, {
  connection: new Redis(env.REDIS_URL!, { maxRetriesPerRequest: null }),
  concurrency: 50,
  lockDuration: timing.lockDurationMs,
  stalledInterval: timing.stalledIntervalMs,
});
worker.on("error", (err) => process.stderr.write(`${env.WORKER_NAME} worker error: ${String(err)}\n`));
await worker.waitUntilReady();
process.stdout.write("READY\n");
