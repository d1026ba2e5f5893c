/**
 * One deployment of the Temporal prototype: on boot it starts the fleet workflow (a second boot
 * is rejected by the deterministic workflow id), then polls the task queue.
 *
 * Env: TEMPORAL_ADDRESS, CHAIN_URL, WORKER_NAME, STREAMS_FILE, WORKFLOW_BUNDLE, MONTH_MS;
 * optional SETTLE_MODE=settle (call the idempotent settle_many instead of transferring a tick).
 */
import { Client, Connection, WorkflowExecutionAlreadyStartedError } from "@temporalio/client";
import { DefaultLogger, NativeConnection, Runtime, Worker } from "@temporalio/worker";
import { readStreams, requireEnv } from "../env.js";
import { createActivities } from "./activities.js";
import { FLEET_WORKFLOW_ID, TASK_QUEUE } from "./plan.js";
import { timingFor } from "./timing.js";

const env = requireEnv([
  "TEMPORAL_ADDRESS",
  "CHAIN_URL",
  "WORKER_NAME",
  "STREAMS_FILE",
  "WORKFLOW_BUNDLE",
  "MONTH_MS",
]);
const streams = readStreams(env.STREAMS_FILE!);
const timing = timingFor(Number(env.MONTH_MS));

Runtime.install({ logger: new DefaultLogger("WARN") });

const connection = await Connection.connect({ address: env.TEMPORAL_ADDRESS! });
const client = new Client({ connection });
try {
  await client.workflow.start("fleetWorkflow", {
    workflowId: FLEET_WORKFLOW_ID,
    taskQueue: TASK_QUEUE,
    args: [streams, timing],
  });
  process.stdout.write(`${env.WORKER_NAME} started ${FLEET_WORKFLOW_ID}\n`);
} catch (err) {
  if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  process.stdout.write(`${env.WORKER_NAME}: ${FLEET_WORKFLOW_ID} already running, joining\n`);
}

const worker = await Worker.create({
  connection: await NativeConnection.connect({ address: env.TEMPORAL_ADDRESS! }),
  taskQueue: TASK_QUEUE,
  workflowBundle: { codePath: env.WORKFLOW_BUNDLE! },
  activities: createActivities(
    env.CHAIN_URL!,
    env.WORKER_NAME!,
    process.env.SETTLE_MODE === "settle" ? "settle" : "transfer",
  ),
  identity: env.WORKER_NAME!,
  // as many settlements in flight as the BullMQ worker's concurrency, so neither is the bottleneck
  maxConcurrentActivityTaskExecutions: 1_000,
  // NOTE: scaled time. A dead worker's sticky queue is abandoned after this long; the default
  // (10 s) is a rounding error against a real month but 2.5 scaled months here. Shorter than
  // ~1 s makes a busy worker lose its sticky tasks and replay whole histories.
  stickyQueueScheduleToStartTimeout: timing.startToCloseMs,
});
process.stdout.write("READY\n");
await worker.run();
