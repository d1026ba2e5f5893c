// Entry point: parse the configuration once (all problems at once), check the
// network, then run on schedule (or once). Exit codes: 0 stopped cleanly,
// 1 a run-once run had failures or the drain deadline passed, 2 fatal
// (configuration, wrong network, unfunded fee payer).

import { assemble } from "./assemble.js";
import { ConfigError, type KeeperConfig, parseConfig } from "./config.js";
import { startHealthServer } from "./health.js";
import { isFatal, Keeper, summaryFields } from "./keeper.js";
import { createLogger } from "./logger.js";
import { memoryFields, runOnce } from "./run.js";

/** The process logger, flushed before exit (pino writes to a pipe asynchronously). */
let root: ReturnType<typeof createLogger> | undefined;

async function main(): Promise<number> {
  let config: KeeperConfig;
  try {
    config = parseConfig(process.env);
  } catch (e) {
    if (e instanceof ConfigError) {
      createLogger("fatal", { format: "json" }).fatal({ problems: e.problems }, e.message);
      return 2;
    }
    throw e;
  }
  const log = createLogger(config.logLevel, { format: config.logFormat });
  root = log;
  let deps: Awaited<ReturnType<typeof assemble>>;
  try {
    deps = await assemble(config, log.child({ component: "keeper" }));
  } catch (e) {
    log.fatal({ err: e }, "cannot start");
    return 2;
  }

  if (config.runOnce) {
    const s = await runOnce({ ...deps, log: log.child({ component: "run" }) });
    log.info({ ...summaryFields(s), ...memoryFields() }, "run complete");
    return s.failedBatches > 0 || !s.progress ? 1 : 0;
  }

  const keeper = new Keeper(
    { ...deps, log: log.child({ component: "run" }) },
    log.child({ component: "keeper" }),
  );
  const health =
    config.healthPort > 0
      ? await startHealthServer(
          config.healthPort,
          () => keeper.health,
          deps.metrics.registry,
          config.stallAfterS * 1000,
        )
      : undefined;
  let exitCode = 0;
  const shutdown = async (signal: string) => {
    log.info({ signal, deadlineMs: config.shutdownDeadlineMs }, "stopping: draining in-flight transactions");
    const drained = await keeper.stop(config.shutdownDeadlineMs);
    if (!drained) {
      log.warn("drain deadline passed; exiting with a run in flight (it is safe to repeat)");
      exitCode = 1;
    } else log.info("drained");
    health?.close();
  };
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
  process.once("SIGINT", () => void shutdown("SIGINT"));
  try {
    await keeper.run(config.schedule);
  } catch (e) {
    health?.close();
    return isFatal(e) ? 2 : 1;
  }
  return exitCode;
}

main().then(
  (code) => {
    if (!root) process.exit(code);
    root.flush(() => process.exit(code));
    // A pretty transport runs in a worker: give it a moment if flush never calls back.
    setTimeout(() => process.exit(code), 500).unref();
  },
  (error: unknown) => {
    createLogger("fatal", { format: "json" }).fatal({ err: error }, "keeper crashed");
    process.exit(2);
  },
);
