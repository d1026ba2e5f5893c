/**
 * One deployment of the BullMQ prototype: on boot it upserts one job scheduler per stream
 * (repeatable job, every month), then processes jobs: each job asks the chain to transfer one
 * tick's amount, like a cron-era "pay this month" job.
 *
 * Env: REDIS_URL, CHAIN_URL, WORKER_NAME, STREAMS_FILE, MONTH_MS; optional SETTLE_MODE=settle.
 */
import { type Job, Queue, Worker } from "bullmq";
import { Redis } from "ioredis";
import { readStreams, requireEnv } from "../env.js";
import { QUEUE_NAME, repeatOptions, schedulerId, tickOfJob } from "./schedule.js";

const env = requireEnv(["REDIS_URL", "CHAIN_URL", "WORKER_NAME", "STREAMS_FILE", "MONTH_MS"]);
const streams = readStreams(env.STREAMS_FILE!);
const byId = new Map(streams.map((s) => [s.id, s]));
const monthMs = Number(env.MONTH_MS);
// SETTLE_MODE=settle: call the idempotent settle_many instead of transferring one tick's amount
const settleMode = process.env.SETTLE_MODE === "settle";

const connection = new Redis(env.REDIS_URL!, { maxRetriesPerRequest: null });
const queue = new Queue(QUEUE_NAME, { connection });
for (const spec of streams) {
  await queue.upsertJobScheduler(schedulerId(spec.id), repeatOptions(spec), {
    name: "settle",
    data: { streamId: spec.id, amount: spec.amountPerTick },
  });
}
process.stdout.write(`${env.WORKER_NAME} upserted ${streams.length} job schedulers\n`);

async function settle(job: Job<{ streamId: string; amount: string }>): Promise<void> {
  const spec = byId.get(job.data.streamId);
  if (spec === undefined) throw new Error(`unknown stream ${job.data.streamId}`);
  const tick = tickOfJob(spec, job.id);
  const headers = { "content-type": "application/json", "x-worker": env.WORKER_NAME! };
  const res = settleMode
    ? await fetch(`${env.CHAIN_URL}/settle_many`, {
        method: "POST",
        headers,
        body: JSON.stringify({ ids: [spec.id] }),
      })
    : await fetch(`${env.CHAIN_URL}/transfer`, {
        method: "POST",
        headers,
        body: JSON.stringify({
          streamId: spec.id,
          amount: job.data.amount,
          tick,
          attempt: job.attemptsMade + 1,
        }),
      });
  if (!res.ok) throw new Error(`chain answered ${res.status} for ${spec.id}`);
}

// NOTE: scaled time. The lock (default 30 s) and stalled check (default 30 s) are shrunk with
// the month so a dead worker's job is recovered within the same scaled window as Temporal's
// start-to-close timeout (a quarter of a month).
const worker = new Worker(QUEUE_NAME, settle, {
  connection: new Redis(env.REDIS_URL!, { maxRetriesPerRequest: null }),
  concurrency: 1_000, // as many settlements in flight as the Temporal worker allows
  lockDuration: Math.round(monthMs / 4),
  stalledInterval: Math.round(monthMs / 8),
});
worker.on("error", (err) => process.stderr.write(`${env.WORKER_NAME} worker error: ${String(err)}\n`));
await worker.waitUntilReady();
process.stdout.write("READY\n");
