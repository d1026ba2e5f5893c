/**
 * The experiment's driver: runs the common scenario against each option and writes the report.
 *
 * Usage: node dist/harness.js --out <report.md> [--keeper-out <report.md>]
 *        [--engines temporal,temporal-settle,bullmq,bullmq-settle,keeper,keeper-real] [--sizes 100,1000]
 *        [--month-ms MS] [--batch N] [--temporal-bin PATH] [--redis-bin PATH]
 *        [--not-run a,b --not-run-reason TEXT]
 *
 * For each option: start its infrastructure (Temporal dev server, redis-server, nothing), start
 * worker A, kill it while a settlement is in flight, keep everything down for the outage, then
 * start A again and a duplicate B. The mock chain logs every transfer; the checker scores it.
 * `keeper-real` (src/keeper-real/) runs the real keeper against the real contract on the devnet
 * instead, and is reported in its own file (`--keeper-out`), so running it alone never rewrites
 * the other options' report.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { availableParallelism, loadavg } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  SWEEP_QUEUE,
  SWEEP_SCHEDULER_ID,
  scaledBullSweepTiming,
  sweepTemplate,
} from "./bullmq-sweep/plan.js";
import { MockChain } from "./chain.js";
import { type CheckResult, checkRun, percentile } from "./checker.js";
import { renderKeeperReport } from "./keeper-real/report.js";
import { runKeeperReal } from "./keeper-real/run.js";
import { type GroupUsage, Sampler } from "./proc.js";
import { type EngineResult, type RunResult, renderReport } from "./report.js";
import { DEFAULT_SCENARIO, faultPlan, makeStreams, type Scenario, type StreamSpec } from "./scenario.js";
import {
  SWEEP_SCHEDULE_ID,
  SWEEP_TASK_QUEUE,
  SWEEP_WORKFLOW_ID,
  scaledSweepTiming,
} from "./temporal-sweep/plan.js";

const here = dirname(fileURLToPath(import.meta.url));
const benchDir = resolve(here, "..");

interface Args {
  out: string;
  keeperOut: string;
  engines: string[];
  scenario: Scenario;
  temporalBin: string;
  redisBin: string;
  batchSize: number;
  sizes: number[];
  /** options the bench script could not run at all (e.g. the Temporal CLI did not build) */
  notRun: string[];
  notRunReason: string;
}

function parseArgs(argv: string[]): Args {
  const get = (name: string): string | undefined => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const scenario: Scenario = { ...DEFAULT_SCENARIO };
  if (get("streams")) scenario.streams = Number(get("streams"));
  if (get("month-ms")) scenario.monthMs = Number(get("month-ms"));
  return {
    out: resolve(get("out") ?? join(benchDir, "results", "orchestration.md")),
    keeperOut: resolve(get("keeper-out") ?? join(benchDir, "results", "orchestration-keeper.md")),
    engines: (get("engines") ?? "temporal,temporal-sweep,bullmq,bullmq-sweep,keeper").split(","),
    scenario,
    temporalBin: get("temporal-bin") ?? process.env.TEMPORAL_BIN ?? "temporal",
    redisBin: get("redis-bin") ?? "redis-server",
    batchSize: Number(get("batch") ?? 40),
    sizes: (get("sizes") ?? String(scenario.streams)).split(",").map(Number),
    notRun: (get("not-run") ?? "").split(",").filter((x) => x !== ""),
    notRunReason: get("not-run-reason") ?? "not run",
  };
}

/** ms of scaled month per stream beyond the base month (see main). */
const MONTH_MS_PER_STREAM = 16;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      srv.close(() =>
        typeof addr === "object" && addr ? resolvePort(addr.port) : reject(new Error("no port")),
      );
    });
  });
}

interface Proc {
  name: string;
  child: ChildProcess;
  ready: Promise<void>;
  output: string[];
}

/** Every process the harness started, so an interrupted run leaves none behind. */
const spawned = new Set<ChildProcess>();
for (const sig of ["SIGINT", "SIGTERM"] as const) {
  process.on(sig, () => {
    for (const c of spawned) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
    process.exit(130);
  });
}

function startProc(
  name: string,
  cmd: string,
  args: string[],
  env: Record<string, string>,
  readyLine?: string,
): Proc {
  const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  spawned.add(child);
  const output: string[] = [];
  let markReady: () => void = () => {};
  let fail: (e: Error) => void = () => {};
  const ready = new Promise<void>((res, rej) => {
    markReady = res;
    fail = rej;
  });
  const onData = (chunk: Buffer) => {
    const text = chunk.toString();
    output.push(text);
    if (output.length > 400) output.shift();
    if (readyLine && text.includes(readyLine)) markReady();
  };
  child.stdout?.on("data", onData);
  child.stderr?.on("data", onData);
  child.on("exit", (code, sig) => {
    output.push(`[exit ${code ?? sig}]`);
    fail(new Error(`${name} exited (${code ?? sig}) before ready:\n${output.join("").slice(-2000)}`));
  });
  if (!readyLine) markReady();
  return { name, child, ready, output };
}

async function stopProc(p: Proc | undefined): Promise<void> {
  if (!p || p.child.exitCode !== null || p.child.signalCode !== null) return;
  p.child.kill("SIGTERM");
  for (let i = 0; i < 50 && p.child.exitCode === null && p.child.signalCode === null; i++) await sleep(100);
  if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill("SIGKILL");
}

/** What differs between the options; everything else is the common scenario. */
interface Driver {
  name: string;
  /** start infrastructure, return its processes */
  startInfra(): Promise<Proc[]>;
  workerCommand(
    worker: string,
    streamsFile: string,
    chainUrl: string,
  ): { cmd: string; args: string[]; env: Record<string, string> };
  /** engine-side counters, read before infrastructure stops */
  counts(streams: StreamSpec[]): Promise<Record<string, number>>;
  notes: string[];
}

async function runEngine(driver: Driver, args: Args, workDir: string): Promise<EngineResult> {
  const s = args.scenario;
  const sampler = new Sampler();
  const infra = await driver.startInfra();
  for (const p of infra) if (p.child.pid) sampler.add("infra", p.child.pid);
  sampler.start();

  const t0Ms = Date.now() + Math.max(6_000, s.monthMs); // boot budget before the schedule starts
  const streams = makeStreams(s, t0Ms);
  const streamsFile = join(workDir, `${driver.name}-streams.json`);
  writeFileSync(streamsFile, JSON.stringify(streams));
  const plan = faultPlan(s, t0Ms);
  const chain = new MockChain(streams, s.confirmDelayMs);
  const chainUrl = await chain.start();

  const workers: Proc[] = [];
  const launch = (name: string): Proc => {
    const c = driver.workerCommand(name, streamsFile, chainUrl);
    const p = startProc(name, c.cmd, c.args, c.env, "READY");
    if (p.child.pid) sampler.add("workers", p.child.pid);
    workers.push(p);
    return p;
  };

  const events: string[] = [];
  const rel = (ms: number) => `${((ms - t0Ms) / s.monthMs).toFixed(2)} months`;
  const a = launch("A");
  await a.ready;
  events.push(`worker A ready at ${rel(Date.now())}`);

  let crashedAtMs: number | undefined;
  let firstReadyAfterRestartMs: number | undefined;
  const restarted = new Promise<void>((resolveRestart) => {
    chain.onPayRequest = (worker, atMs, ticks) => {
      // the crash hits the first settlement of the crash tick, however late the engine runs
      if (crashedAtMs !== undefined || worker !== "A" || !ticks.some((k) => k >= s.crashAtTick)) return;
      crashedAtMs = atMs;
      a.child.kill("SIGKILL");
      events.push(`worker A SIGKILLed at ${rel(atMs)} with a settlement in flight`);
      setTimeout(() => {
        const a2 = launch("A");
        const b = launch("B");
        events.push(`worker A restarted and duplicate B started at ${rel(Date.now())}`);
        const onReady = (who: string) => () => {
          const now = Date.now();
          firstReadyAfterRestartMs ??= now;
          events.push(`${who} ready at ${rel(now)}`);
        };
        a2.ready.then(onReady("restarted A"), () => events.push("restarted A never became ready"));
        b.ready.then(onReady("B"), () => events.push("B never became ready"));
        resolveRestart();
      }, plan.outageMs);
    };
  });

  let runEndMs = plan.endMs;
  const endTimer = sleep(Math.max(0, plan.endMs - Date.now()));
  await Promise.race([restarted.then(() => endTimer), endTimer]);
  // Process boot is not scaled: on a loaded machine a restarted worker can take many scaled months
  // to load (a Temporal workflow bundle took 52 s under load average 20). The run therefore lasts
  // at least `graceMonths` after the first restarted worker is ready (at most 10 more months), so
  // what is scored is the design's catch-up, not this machine's boot time.
  if (crashedAtMs !== undefined) {
    const capMs = plan.endMs + 10 * s.monthMs;
    while (firstReadyAfterRestartMs === undefined && Date.now() < capMs) await sleep(100);
    const graceEndMs = (firstReadyAfterRestartMs ?? capMs) + s.graceMonths * s.monthMs;
    if (graceEndMs > plan.endMs) {
      events.push(
        `the run was extended to ${rel(graceEndMs)}: ${s.graceMonths} months after the first restarted worker was ready`,
      );
      await sleep(Math.max(0, graceEndMs - Date.now()));
      runEndMs = graceEndMs;
    }
  }
  if (crashedAtMs === undefined)
    events.push("the crash never triggered (no payout reached the chain after the crash point)");
  const counts = await driver.counts(streams).catch((err: unknown) => {
    events.push(`engine counters unavailable: ${String(err).slice(0, 200)}`);
    return {} as Record<string, number>;
  });
  sampler.stop();
  for (const w of workers) await stopProc(w);
  for (const p of infra) await stopProc(p);
  await chain.stop();

  // recovery: from the first restarted worker being ready to the first payout it causes
  const firstPayoutAfter =
    firstReadyAfterRestartMs === undefined
      ? undefined
      : chain.transfers
          .filter((t) => t.atMs >= firstReadyAfterRestartMs!)
          .reduce((m, t) => Math.min(m, t.atMs), Infinity);
  const recovery: Record<string, number> = {};
  if (
    firstReadyAfterRestartMs !== undefined &&
    firstPayoutAfter !== undefined &&
    Number.isFinite(firstPayoutAfter)
  ) {
    recovery.recoveryAfterReadyMs = firstPayoutAfter - firstReadyAfterRestartMs;
  }
  const check: CheckResult = checkRun(streams, chain.transfers, runEndMs, s.lateToleranceMonths * s.monthMs);
  const infraUsage: GroupUsage = sampler.usage("infra");
  const workerUsage: GroupUsage = sampler.usage("workers");
  return {
    engine: driver.name,
    check,
    infra: infraUsage,
    workers: workerUsage,
    total: sampler.total(),
    counts: { ...counts, ...recovery, ...chainCounts(chain) },
    events,
    notes: driver.notes,
    transfersByWorker: countBy(chain.transfers.map((t) => t.worker)),
    log: chain.transfers.map((t) => ({
      stream: t.streamId,
      ticks: t.ticks,
      atMonths: Number(((t.atMs - t0Ms) / s.monthMs).toFixed(3)),
      worker: t.worker,
    })),
  };
}

function chainCounts(chain: MockChain): Record<string, number> {
  return { ...chain.counters };
}

function countBy(xs: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const x of xs) out[x] = (out[x] ?? 0) + 1;
  return out;
}

function temporalDriver(args: Args, workDir: string, settle = false): Driver {
  let address = "";
  const bundlePath = join(workDir, "workflow-bundle.js");
  return {
    name: settle ? "temporal-settle" : "temporal",
    notes: settle
      ? ["the activity calls the idempotent settle_many([id]) instead of transferring one tick"]
      : [],
    async startInfra() {
      const temporal = await startTemporal(args, "temporal", bundlePath);
      const server = temporal.server;
      address = temporal.address;
      return [server];
    },
    workerCommand(worker, streamsFile, chainUrl) {
      return {
        cmd: process.execPath,
        args: [join(here, "temporal", "worker.js")],
        env: {
          TEMPORAL_ADDRESS: address,
          CHAIN_URL: chainUrl,
          WORKER_NAME: worker,
          STREAMS_FILE: streamsFile,
          WORKFLOW_BUNDLE: bundlePath,
          MONTH_MS: String(args.scenario.monthMs),
          SETTLE_MODE: settle ? "settle" : "transfer",
        },
      };
    },
    async counts(streams) {
      const { Client, Connection } = await import("@temporalio/client");
      const protoModule = (await import("@temporalio/proto")) as unknown as {
        temporal?: typeof import("@temporalio/proto").temporal;
        default?: { temporal: typeof import("@temporalio/proto").temporal };
      };
      const temporal = protoModule.temporal ?? protoModule.default!.temporal;
      const { countActions, addCounts, ZERO_ACTIONS } = await import("./temporal/actions.js");
      const { FLEET_WORKFLOW_ID, streamWorkflowId } = await import("./temporal/plan.js");
      const connection = await Connection.connect({ address });
      const client = new Client({ connection });
      let total = ZERO_ACTIONS;
      let maxEvents = 0;
      const childStart: number[] = [];
      const dispatch: number[] = [];
      let childrenNeverStarted = 0;
      for (const id of [FLEET_WORKFLOW_ID, ...streams.map((s) => streamWorkflowId(s.id))]) {
        let history: Awaited<ReturnType<import("@temporalio/client").WorkflowHandle["fetchHistory"]>>;
        try {
          history = await client.workflow.getHandle(id).fetchHistory();
        } catch (err) {
          if (!/not found/i.test(String(err))) throw err;
          childrenNeverStarted += 1;
          continue;
        }
        const raw = history.events ?? [];
        const events = raw.map((e) => ({
          type: temporal.api.enums.v1.EventType[e.eventType ?? 0] ?? "?",
          attempt: e.activityTaskStartedEventAttributes?.attempt ?? undefined,
          atMs: tsMs(e.eventTime),
          initiatedId: Number(e.childWorkflowExecutionStartedEventAttributes?.initiatedEventId ?? 0),
          id: Number(e.eventId ?? 0),
        }));
        maxEvents = Math.max(maxEvents, events.length);
        total = addCounts(total, countActions(events));
        const byId = new Map(events.map((e) => [e.id, e]));
        let lastFired: number | undefined;
        for (const e of events) {
          if (e.type === "EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED") {
            const init = byId.get(e.initiatedId);
            if (init) childStart.push(e.atMs - init.atMs);
          }
          if (e.type === "EVENT_TYPE_TIMER_FIRED") lastFired = e.atMs;
          if (e.type === "EVENT_TYPE_ACTIVITY_TASK_STARTED" && lastFired !== undefined && e.attempt === 1) {
            dispatch.push(e.atMs - lastFired);
            lastFired = undefined;
          }
        }
      }
      await connection.close();
      childStart.sort((x, y) => x - y);
      dispatch.sort((x, y) => x - y);
      return {
        billableActions: total.total,
        workflowStarts: total.workflowStarts,
        childStartsInitiated: total.childStartsInitiated,
        timers: total.timers,
        activityAttempts: total.activityAttempts,
        historyEvents: total.historyEvents,
        maxHistoryEventsPerWorkflow: maxEvents,
        childrenNeverStarted,
        childStartLatencyP50Ms: percentile(childStart, 0.5),
        childStartLatencyMaxMs: childStart[childStart.length - 1] ?? 0,
        timerToActivityStartP50Ms: percentile(dispatch, 0.5),
        timerToActivityStartP90Ms: percentile(dispatch, 0.9),
      };
    },
  };
}

/** Bundles `folder`'s workflows to `bundlePath` and starts a dev server on a free port (every Temporal design). */
async function startTemporal(
  args: Args,
  folder: string,
  bundlePath: string,
): Promise<{ server: Proc; address: string }> {
  const port = await freePort();
  const { bundleWorkflowCode } = await import("@temporalio/worker");
  const { code } = await bundleWorkflowCode({
    workflowsPath: join(here, folder, "workflows.js"),
    logger: quietLogger(),
  });
  writeFileSync(bundlePath, code);
  const server = await startTemporalDevServer(args, port);
  return { server, address: `127.0.0.1:${port}` };
}

/** Starts the Temporal CLI's dev server on `port` and waits until it answers. */
async function startTemporalDevServer(args: Args, port: number): Promise<Proc> {
  const address = `127.0.0.1:${port}`;
  const httpPort = await freePort();
  const metricsPort = await freePort();
  const server = startProc(
    "temporal-dev-server",
    args.temporalBin,
    [
      "server",
      "start-dev",
      "--headless",
      "--ip",
      "127.0.0.1",
      "--port",
      String(port),
      "--http-port",
      String(httpPort),
      "--metrics-port",
      String(metricsPort),
      "--log-level",
      "error",
    ],
    {},
  );
  const { Connection } = await import("@temporalio/client");
  for (let i = 0; ; i++) {
    try {
      const c = await Connection.connect({ address, connectTimeout: 1000 });
      await c.workflowService.getSystemInfo({});
      await c.close();
      break;
    } catch (err) {
      if (i > 120 || server.child.exitCode !== null)
        throw new Error(`temporal dev server not up: ${String(err)}\n${server.output.join("")}`);
      await sleep(500);
    }
  }
  return server;
}

function tsMs(t: { seconds?: unknown; nanos?: number | null } | null | undefined): number {
  if (!t) return 0;
  return Number(String(t.seconds ?? 0)) * 1000 + (t.nanos ?? 0) / 1e6;
}

function quietLogger() {
  const noop = () => {};
  return {
    log: noop,
    trace: noop,
    debug: noop,
    info: noop,
    warn: noop,
    error: (m: string) => process.stderr.write(`${m}\n`),
  };
}

/** A throwaway redis-server on a free port, without persistence (both BullMQ designs). */
async function startRedis(args: Args): Promise<{ server: Proc; url: string }> {
  const port = await freePort();
  const server = startProc(
    "redis-server",
    args.redisBin,
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    {},
    "Ready to accept connections",
  );
  await server.ready;
  return { server, url: `redis://127.0.0.1:${port}` };
}

function bullmqDriver(args: Args, settle = false): Driver {
  let redisUrl = "";
  return {
    name: settle ? "bullmq-settle" : "bullmq",
    notes: settle ? ["each job calls the idempotent settle_many([id]) instead of transferring one tick"] : [],
    async startInfra() {
      const { server, url } = await startRedis(args);
      redisUrl = url;
      return [server];
    },
    workerCommand(worker, streamsFile, chainUrl) {
      return {
        cmd: process.execPath,
        args: [join(here, "bullmq", "worker.js")],
        env: {
          REDIS_URL: redisUrl,
          CHAIN_URL: chainUrl,
          WORKER_NAME: worker,
          STREAMS_FILE: streamsFile,
          MONTH_MS: String(args.scenario.monthMs),
          SETTLE_MODE: settle ? "settle" : "transfer",
        },
      };
    },
    async counts() {
      const { Queue } = await import("bullmq");
      const { Redis } = await import("ioredis");
      const { QUEUE_NAME } = await import("./bullmq/schedule.js");
      const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
      const queue = new Queue(QUEUE_NAME, { connection: redis });
      const jc = await queue.getJobCounts("completed", "failed", "delayed", "wait", "active", "prioritized");
      const info = await redis.info("stats");
      const commands = Number(/total_commands_processed:(\d+)/.exec(info)?.[1] ?? -1);
      await queue.close();
      await redis.quit();
      const jobsCreated = Object.values(jc).reduce((a, b) => a + b, 0);
      return {
        jobsCreated,
        jobsCompleted: jc.completed ?? 0,
        jobsFailed: jc.failed ?? 0,
        jobsPending: (jc.delayed ?? 0) + (jc.wait ?? 0) + (jc.active ?? 0) + (jc.prioritized ?? 0),
        redisCommands: commands,
      };
    },
  };
}

/** Sweep interval of the expert designs (and of the real keeper): one sweep a second. */
const SWEEP_INTERVAL_MS = 1_000;

function temporalSweepDriver(args: Args, workDir: string): Driver {
  let address = "";
  const bundlePath = join(workDir, "sweep-workflow-bundle.js");
  const timing = scaledSweepTiming(args.scenario.monthMs, SWEEP_INTERVAL_MS);
  return {
    name: "temporal-sweep",
    notes: [
      `one Schedule (created once by the deployment step; overlap SKIP, catchup window ${timing.catchupWindowMs} ms) starts a sweepWorkflow every ${timing.intervalMs} ms; listDue, then per batch of ${args.batchSize} signBatch and submitAndConfirm (heartbeat timeout ${timing.submitHeartbeatMs} ms, start-to-close ${timing.submitStartToCloseMs} ms); workers only check the Schedule exists`,
    ],
    async startInfra() {
      const temporal = await startTemporal(args, "temporal-sweep", bundlePath);
      const server = temporal.server;
      address = temporal.address;
      // the deployment step: the Schedule is created here, once, never by a worker
      const { Client, Connection } = await import("@temporalio/client");
      const connection = await Connection.connect({ address });
      const client = new Client({ connection });
      await client.schedule.create({
        scheduleId: SWEEP_SCHEDULE_ID,
        spec: { intervals: [{ every: timing.intervalMs }] },
        action: {
          type: "startWorkflow",
          workflowType: "sweepWorkflow",
          workflowId: SWEEP_WORKFLOW_ID,
          taskQueue: SWEEP_TASK_QUEUE,
          args: [{ batchSize: args.batchSize, timing }],
          workflowRunTimeout: timing.workflowRunTimeoutMs,
        },
        policies: { overlap: "SKIP", catchupWindow: timing.catchupWindowMs, pauseOnFailure: false },
      });
      await connection.close();
      return [server];
    },
    workerCommand(worker, _streamsFile, chainUrl) {
      return {
        cmd: process.execPath,
        args: [join(here, "temporal-sweep", "worker.js")],
        env: {
          TEMPORAL_ADDRESS: address,
          CHAIN_URL: chainUrl,
          WORKER_NAME: worker,
          WORKFLOW_BUNDLE: bundlePath,
          MONTH_MS: String(args.scenario.monthMs),
        },
      };
    },
    async counts() {
      const { Client, Connection } = await import("@temporalio/client");
      const { countActions, addCounts, ZERO_ACTIONS } = await import("./temporal/actions.js");
      const protoModule = (await import("@temporalio/proto")) as unknown as {
        temporal?: typeof import("@temporalio/proto").temporal;
        default?: { temporal: typeof import("@temporalio/proto").temporal };
      };
      const temporal = protoModule.temporal ?? protoModule.default!.temporal;
      const connection = await Connection.connect({ address });
      const client = new Client({ connection });
      const desc = await client.schedule.getHandle(SWEEP_SCHEDULE_ID).describe();
      await client.schedule.getHandle(SWEEP_SCHEDULE_ID).pause("run over");
      let total = ZERO_ACTIONS;
      let runs = 0;
      let maxEvents = 0;
      for await (const wf of client.workflow.list({ query: "WorkflowType = 'sweepWorkflow'" })) {
        runs += 1;
        const history = await client.workflow.getHandle(wf.workflowId, wf.runId).fetchHistory();
        const events = (history.events ?? []).map((e) => ({
          type: temporal.api.enums.v1.EventType[e.eventType ?? 0] ?? "?",
          attempt: e.activityTaskStartedEventAttributes?.attempt ?? undefined,
        }));
        maxEvents = Math.max(maxEvents, events.length);
        total = addCounts(total, countActions(events));
      }
      await connection.close();
      // each Schedule execution bills 2 Actions on top of the workflow start in the history
      const scheduleExtra = 2 * desc.info.numActionsTaken;
      return {
        billableActions: total.total + scheduleExtra,
        scheduleActionsTaken: desc.info.numActionsTaken,
        scheduleSkippedOverlap: desc.info.numActionsSkippedOverlap,
        scheduleMissedCatchupWindow: desc.info.numActionsMissedCatchupWindow,
        sweepRuns: runs,
        activityAttempts: total.activityAttempts,
        historyEvents: total.historyEvents,
        maxHistoryEventsPerWorkflow: maxEvents,
      };
    },
  };
}

function bullmqSweepDriver(args: Args, mode: "sweep" | "dedup"): Driver {
  let redisUrl = "";
  const timing = scaledBullSweepTiming(args.scenario.monthMs, SWEEP_INTERVAL_MS);
  return {
    name: mode === "sweep" ? "bullmq-sweep" : "bullmq-dedup",
    notes: [
      mode === "sweep"
        ? `one job scheduler (upserted once by the deployment step, every ${timing.intervalMs} ms) produces sweep jobs; a sweep calls settle_many in batches of ${args.batchSize}; workers never upsert`
        : `one job scheduler (upserted once by the deployment step, every ${timing.intervalMs} ms) produces sweep jobs; a sweep adds one settle job per due stream with job id settle:<stream>:<period>; each calls settle_many([id]); workers never upsert`,
      `lockDuration ${timing.lockDurationMs} ms, stalledInterval ${timing.stalledIntervalMs} ms, attempts 3 (sweep) / 5 (settle) with exponential backoff from ${timing.backoffMs} ms`,
    ],
    async startInfra() {
      const { server, url } = await startRedis(args);
      redisUrl = url;
      // the deployment step: the one job scheduler, upserted once, never by a worker
      const { Queue } = await import("bullmq");
      const { Redis } = await import("ioredis");
      const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
      const queue = new Queue(SWEEP_QUEUE, { connection: redis });
      await queue.upsertJobScheduler(SWEEP_SCHEDULER_ID, { every: timing.intervalMs }, sweepTemplate(timing));
      await queue.close();
      await redis.quit();
      return [server];
    },
    workerCommand(worker, _streamsFile, chainUrl) {
      return {
        cmd: process.execPath,
        args: [join(here, "bullmq-sweep", "worker.js")],
        env: {
          REDIS_URL: redisUrl,
          CHAIN_URL: chainUrl,
          WORKER_NAME: worker,
          MONTH_MS: String(args.scenario.monthMs),
          INTERVAL_MS: String(timing.intervalMs),
          BATCH_SIZE: String(args.batchSize),
          MODE: mode,
        },
      };
    },
    async counts() {
      const { Queue } = await import("bullmq");
      const { Redis } = await import("ioredis");
      const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
      const queue = new Queue(SWEEP_QUEUE, { connection: redis });
      await queue.removeJobScheduler(SWEEP_SCHEDULER_ID); // stop producing before counting
      const jc = await queue.getJobCounts("completed", "failed", "delayed", "wait", "active", "prioritized");
      const stats = await redis.info("stats");
      const memory = await redis.info("memory");
      const commands = Number(/total_commands_processed:(\d+)/.exec(stats)?.[1] ?? -1);
      const usedMemory = Number(/used_memory:(\d+)/.exec(memory)?.[1] ?? -1);
      const schedulers = await queue.getJobSchedulersCount();
      await queue.close();
      await redis.quit();
      return {
        jobsCreated: Object.values(jc).reduce((a, b) => a + b, 0),
        jobsCompleted: jc.completed ?? 0,
        jobsFailed: jc.failed ?? 0,
        jobsPending: (jc.delayed ?? 0) + (jc.wait ?? 0) + (jc.active ?? 0) + (jc.prioritized ?? 0),
        jobSchedulers: schedulers + 1,
        redisCommands: commands,
        redisUsedMemoryMb: usedMemory / 1e6,
      };
    },
  };
}

function keeperDriver(args: Args): Driver {
  const pollMs = Math.max(20, Math.round(args.scenario.monthMs / 40));
  return {
    name: "keeper-model",
    notes: [`polls every ${pollMs} ms (1/40 of a month); settle_many batches of ${args.batchSize}`],
    async startInfra() {
      return [];
    },
    workerCommand(worker, _streamsFile, chainUrl) {
      return {
        cmd: process.execPath,
        args: [join(here, "keeper", "loop.js")],
        env: {
          CHAIN_URL: chainUrl,
          WORKER_NAME: worker,
          POLL_MS: String(pollMs),
          BATCH_SIZE: String(args.batchSize),
        },
      };
    },
    async counts() {
      return {};
    },
  };
}

function makeDriver(name: string, args: Args, workDir: string): Driver {
  switch (name) {
    case "temporal":
      return temporalDriver(args, workDir);
    case "temporal-settle":
      return temporalDriver(args, workDir, true);
    case "bullmq":
      return bullmqDriver(args);
    case "bullmq-settle":
      return bullmqDriver(args, true);
    case "keeper":
      return keeperDriver(args);
    case "temporal-sweep":
      return temporalSweepDriver(args, workDir);
    case "bullmq-sweep":
      return bullmqSweepDriver(args, "sweep");
    case "bullmq-dedup":
      return bullmqSweepDriver(args, "dedup");
    default:
      throw new Error(`unknown option ${name}`);
  }
}

/** Load average (1, 5, 15 min) when the run started: the machine is shared. */
const loadAtStart = loadavg();
const fmtLoad = (l: number[]) => l.map((x) => x.toFixed(2)).join(" / ");

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const workDir = join(benchDir, "results");
  mkdirSync(workDir, { recursive: true });
  const runs: RunResult[] = [];
  const keeperRuns: RunResult[] = [];
  const mockEngines = args.engines.filter((e) => e !== "keeper-real");
  for (const streams of args.sizes) {
    // The month stretches with N (MONTH_MS_PER_STREAM, at least the base month) so the payout rate
    // the machine must sustain at a tick stays the same across sizes: a real month is 2.6 million
    // seconds, so sustaining N payouts per scaled month is a property of this box, not of the design.
    const monthMs = Math.max(args.scenario.monthMs, streams * MONTH_MS_PER_STREAM);
    const sized: Args = { ...args, scenario: { ...args.scenario, streams, monthMs } };
    const run: RunResult = { scenario: sized.scenario, results: [], skipped: {} };
    if (args.engines.includes("keeper-real")) {
      const kr: RunResult = { scenario: sized.scenario, results: [], skipped: {} };
      process.stderr.write(
        `[bench] keeper-real: running (${streams} streams, month = ${sized.scenario.monthMs} ms)\n`,
      );
      try {
        const r = await runKeeperReal(sized.scenario, {
          root: resolve(benchDir, "..", ".."),
          workDir,
          batchSize: args.batchSize,
        });
        kr.results.push(r);
        writeFileSync(
          join(workDir, `keeper-real-${streams}.json`),
          JSON.stringify(r, (_k, v) => (typeof v === "bigint" ? v.toString() : v), 2),
        );
        delete r.log;
        process.stderr.write(
          `[bench] keeper-real: missed ${r.check.missed}, late ${r.check.late}, duplicates ${r.check.duplicatePayouts}\n`,
        );
      } catch (err) {
        kr.skipped["keeper-real"] = String(err).slice(0, 600);
        process.stderr.write(`[bench] keeper-real failed: ${String(err)}\n`);
      }
      keeperRuns.push(kr);
    }
    for (const name of mockEngines) {
      const driver = makeDriver(name, sized, workDir);
      process.stderr.write(
        `[bench] ${driver.name}: running (${streams} streams, month = ${sized.scenario.monthMs} ms)\n`,
      );
      try {
        const r = await runEngine(driver, sized, workDir);
        run.results.push(r);
        writeFileSync(
          join(workDir, `${driver.name}-${streams}.json`),
          JSON.stringify(r, (_k, v) => (typeof v === "bigint" ? v.toString() : v), 2),
        );
        delete r.log; // kept in the JSON only
        process.stderr.write(
          `[bench] ${driver.name}: missed ${r.check.missed}, late ${r.check.late}, duplicates ${r.check.duplicatePayouts}\n`,
        );
      } catch (err) {
        run.skipped[driver.name] = String(err).slice(0, 600);
        process.stderr.write(`[bench] ${driver.name} failed: ${String(err)}\n`);
      }
    }
    for (const name of args.notRun) run.skipped[name] = args.notRunReason;
    if (mockEngines.length > 0 || args.notRun.length > 0) runs.push(run);
  }
  if (runs.length > 0) {
    mkdirSync(dirname(args.out), { recursive: true });
    writeFileSync(args.out, renderReport({ runs, environment: environment(args) }));
    process.stderr.write(`[bench] wrote ${args.out}\n`);
  }
  if (keeperRuns.length > 0) {
    mkdirSync(dirname(args.keeperOut), { recursive: true });
    writeFileSync(args.keeperOut, renderKeeperReport({ runs: keeperRuns, environment: keeperEnvironment() }));
    process.stderr.write(`[bench] wrote ${args.keeperOut}\n`);
  }
  if ([...runs, ...keeperRuns].some((r) => Object.keys(r.skipped).length > 0)) process.exitCode = 1;
}

function keeperEnvironment(): Record<string, string> {
  const root = resolve(benchDir, "..", "..");
  let commit = "?";
  try {
    commit = execFileSync("git", ["-C", root, "rev-parse", "--short", "HEAD"], { encoding: "utf8" }).trim();
  } catch {
    // not a git checkout
  }
  const version = (dir: string): string => {
    try {
      return (JSON.parse(readFileSync(join(root, dir, "package.json"), "utf8")) as { version: string })
        .version;
    } catch {
      return "not installed";
    }
  };
  return {
    node: process.version,
    "repository commit": commit,
    "devnet profile":
      "pubnet (the devnet's default: protocol 27 fees and limits, devnet/profiles/pubnet.json)",
    "@stellar/stellar-sdk": version("node_modules/@stellar/stellar-sdk"),
    "node-cron": version("node_modules/node-cron"),
    cpus: String(availableParallelism()),
    "load average (1 / 5 / 15 min) at start": fmtLoad(loadAtStart),
    "load average at end": fmtLoad(loadavg()),
    date: new Date().toISOString(),
  };
}

function environment(args: Args): Record<string, string> {
  const run = (cmd: string, argv: string[]): string => {
    try {
      return execFileSync(cmd, argv, { encoding: "utf8", timeout: 10_000 }).trim().split("\n")[0] ?? "?";
    } catch {
      return "not available";
    }
  };
  const pkg = (name: string): string => {
    try {
      return (
        JSON.parse(readFileSync(join(benchDir, "node_modules", name, "package.json"), "utf8")) as {
          version: string;
        }
      ).version;
    } catch {
      return "not installed";
    }
  };
  return {
    node: process.version,
    "temporal CLI": `${args.temporalBin} (${run(args.temporalBin, ["--version"])})`,
    "redis-server": run(args.redisBin, ["--version"]),
    "@temporalio/worker": pkg("@temporalio/worker"),
    bullmq: pkg("bullmq"),
    cpus: String(availableParallelism()),
    "load average (1 / 5 / 15 min) at start": fmtLoad(loadAtStart),
    "load average at end": fmtLoad(loadavg()),
    date: new Date().toISOString(),
  };
}

await main();
