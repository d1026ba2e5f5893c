/**
 * One worker deployment of the expert Temporal design. It never creates or updates the Schedule
 * (the harness's deployment step did, once); at boot it only checks that the Schedule exists, so a
 * second deployment started by mistake is just one more poller on the task queue.
 *
 * Env: TEMPORAL_ADDRESS, CHAIN_URL, WORKER_NAME, WORKFLOW_BUNDLE, MONTH_MS.
 */
import { Client, Connection } from "@temporalio/client";
import { DefaultLogger, NativeConnection, Runtime, Worker } from "@temporalio/worker";
import { requireEnv } from "../env.js";
import { createSweepActivities } from "./activities.js";
import { SWEEP_SCHEDULE_ID, SWEEP_TASK_QUEUE } from "./plan.js";

const env = requireEnv(["TEMPORAL_ADDRESS", "CHAIN_URL", "WORKER_NAME", "WORKFLOW_BUNDLE", "MONTH_MS"]);
Runtime.install({ logger: new DefaultLogger("WARN") });

const connection = await Connection.connect({ address: env.TEMPORAL_ADDRESS! });
const client = new Client({ connection });
await client.schedule.getHandle(SWEEP_SCHEDULE_ID).describe(); // throws if the deployment step did not run
process.stdout.write(`${env.WORKER_NAME}: schedule ${SWEEP_SCHEDULE_ID} found\n`);

const worker = await Worker.create({
  connection: await NativeConnection.connect({ address: env.TEMPORAL_ADDRESS! }),
  taskQueue: SWEEP_TASK_QUEUE,
  workflowBundle: { codePath: env.WORKFLOW_BUNDLE! },
  activities: createSweepActivities(env.CHAIN_URL!, env.WORKER_NAME!),
  identity: env.WORKER_NAME!,
  // NOTE: scaled time, as in the per-stream prototype: a dead worker's sticky queue is abandoned
  // after a quarter of a month instead of the default 10 s.
  stickyQueueScheduleToStartTimeout: Math.round(Number(env.MONTH_MS) / 4),
});
process.stdout.write("READY\n");
await worker.run();
