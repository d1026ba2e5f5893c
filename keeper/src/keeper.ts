// The long-running keeper: runs on a cron schedule, never two runs at once, and
// on shutdown stops starting batches and lets in-flight ones finish within a
// deadline. Errors are classified: fatal ones (wrong network, unfunded fee payer,
// bad configuration) stop the keeper so the orchestrator restarts it and a human
// looks; anything else is logged and the next run decides again from the chain.

import {
  AccountNotFoundError,
  AuthorizationError,
  NetworkMismatchError,
  ValidationError,
} from "@tributary/sdk";
import cron, { type ScheduledTask } from "node-cron";
import type { Logger } from "pino";
import type { HealthState } from "./health.js";
import { memoryFields, type RunDeps, type RunSummary, runOnce } from "./run.js";

export function isFatal(error: unknown): boolean {
  return (
    error instanceof NetworkMismatchError ||
    error instanceof AccountNotFoundError ||
    error instanceof AuthorizationError ||
    error instanceof ValidationError
  );
}

export class Keeper {
  readonly health: HealthState = {};
  #inFlight: Promise<RunSummary | undefined> | undefined;
  #task: ScheduledTask | undefined;
  #fatal: ((e: unknown) => void) | undefined;
  #stopping = false;
  #stopResolver: (() => void) | undefined;

  constructor(
    private readonly deps: Omit<RunDeps, "stopping">,
    private readonly log: Logger,
  ) {}

  /** One run, guarded: undefined when a run was already in progress, or it failed. */
  tick(): Promise<RunSummary | undefined> {
    if (this.#inFlight) {
      this.deps.metrics.ticksSkipped.inc({ reason: "run_in_progress" });
      this.log.warn("previous run still in progress; skipping this tick");
      return Promise.resolve(undefined);
    }
    const end = this.deps.metrics.runDuration.startTimer();
    this.#inFlight = runOnce({ ...this.deps, stopping: () => this.#stopping })
      .then((s) => {
        this.health.lastRunAt = new Date().toISOString();
        if (s.progress) {
          this.health.lastProgressMs = Date.now();
          this.deps.metrics.lastProgress.set(Math.floor(Date.now() / 1000));
          delete this.health.lastError;
        } else this.health.lastError = "no progress: every batch failed";
        this.deps.metrics.runs.inc({ outcome: s.progress ? "ok" : "no_progress" });
        this.log.info({ ...summaryFields(s), s: end(), ...memoryFields() }, "run complete");
        return s;
      })
      .catch((error: unknown) => {
        end();
        this.deps.metrics.runs.inc({ outcome: "error" });
        this.health.lastError = error instanceof Error ? error.message : String(error);
        if (isFatal(error)) {
          this.log.fatal({ err: error }, "fatal error; stopping");
          this.#fatal?.(error);
        } else this.log.error({ err: error }, "run failed; retrying at the next tick");
        return undefined;
      })
      .finally(() => {
        this.#inFlight = undefined;
      });
    return this.#inFlight;
  }

  /** Runs now and then on `schedule`; resolves when stopped, rejects on a fatal error. */
  run(schedule: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#fatal = (e) => {
        void this.#task?.stop();
        reject(e);
      };
      // tick() is the overlap guard (it also serves direct calls); node-cron's `noOverlap`
      // could not see our run, since the callback returns before it ends.
      this.#task = cron.schedule(schedule, () => void this.tick());
      this.#task.on("execution:missed", () => {
        this.deps.metrics.ticksSkipped.inc({ reason: "missed" });
        this.log.warn("scheduled tick missed (the event loop was blocked); the next tick catches up");
      });
      this.#stopResolver = resolve;
      void this.tick();
    });
  }

  /** Stops scheduling and starting batches; waits for in-flight ones up to `deadlineMs`. True if drained. */
  async stop(deadlineMs: number): Promise<boolean> {
    this.#stopping = true;
    await this.#task?.stop();
    const inFlight = this.#inFlight;
    let drained = true;
    if (inFlight) {
      let timer: NodeJS.Timeout | undefined;
      drained = await Promise.race([
        inFlight.then(() => true),
        new Promise<boolean>((r) => {
          timer = setTimeout(() => r(false), deadlineMs);
        }),
      ]);
      clearTimeout(timer);
    }
    this.#stopResolver?.();
    return drained;
  }
}

export function summaryFields(s: RunSummary): Record<string, unknown> {
  return {
    ledger: s.ledger,
    streams: s.streams,
    inScope: s.inScope,
    due: s.due,
    settledStreams: s.settledStreams,
    paid: s.paid.toString(),
    fee: s.feeCharged.toString(),
    feeWasted: s.feeWasted.toString(),
    transactions: s.transactions,
    skipped: s.skipped.map(String),
    setAside: s.setAside,
    extended: s.extended,
    failedBatches: s.failedBatches,
    rejectedBatches: s.rejectedBatches,
    alreadySettled: s.alreadySettled,
    budgetExhausted: s.budgetExhausted,
    unpaid: s.unpaid,
  };
}
