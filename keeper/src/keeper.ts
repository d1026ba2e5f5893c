// The long-running keeper: runs on a cron schedule, never two runs at once, and
// on shutdown stops scheduling and lets an in-flight run finish within a deadline.
// Errors are classified: fatal ones (wrong network, unfunded fee payer) stop the
// keeper so the orchestrator restarts it and a human looks; anything else is
// logged and the next run decides again from the chain.

import {
  AccountNotFoundError,
  AuthorizationError,
  NetworkMismatchError,
  ValidationError,
} from "@tributary/sdk";
import cron, { type ScheduledTask } from "node-cron";
import type { Logger } from "pino";
import type { Chain } from "./chain.js";
import type { Policy } from "./decide.js";
import type { HealthState } from "./health.js";
import { type RunSummary, runOnce } from "./run.js";

export function isFatal(error: unknown): boolean {
  return (
    error instanceof NetworkMismatchError ||
    error instanceof AccountNotFoundError ||
    error instanceof AuthorizationError ||
    error instanceof ValidationError
  );
}

export class Keeper {
  readonly health: HealthState = { ready: false };
  private inFlight: Promise<RunSummary | undefined> | undefined;
  private task: ScheduledTask | undefined;
  private fatal: ((e: unknown) => void) | undefined;

  constructor(
    private readonly chain: Chain,
    private readonly policy: Policy,
    private readonly log: Logger,
  ) {}

  /** One run, guarded: returns undefined when a run was already in progress or failed. */
  tick(): Promise<RunSummary | undefined> {
    if (this.inFlight) {
      this.log.warn("previous run still in progress; skipping this tick");
      return Promise.resolve(undefined);
    }
    const started = Date.now();
    this.inFlight = runOnce(this.chain, this.policy, this.log)
      .then((s) => {
        this.health.ready = true;
        this.health.lastRunAt = new Date().toISOString();
        delete this.health.lastError;
        this.log.info({ ...summaryFields(s), ms: Date.now() - started }, "run complete");
        return s;
      })
      .catch((error: unknown) => {
        this.health.ready = false;
        this.health.lastError = error instanceof Error ? error.message : String(error);
        if (isFatal(error)) {
          this.log.fatal({ err: error }, "fatal error; stopping");
          this.fatal?.(error);
        } else this.log.error({ err: error }, "run failed; retrying at the next tick");
        return undefined;
      })
      .finally(() => {
        this.inFlight = undefined;
      });
    return this.inFlight;
  }

  /** Runs now and then on `schedule`; resolves when stopped, rejects on a fatal error. */
  run(schedule: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.fatal = (e) => {
        void this.task?.stop();
        reject(e);
      };
      this.task = cron.schedule(schedule, () => void this.tick());
      this.stopResolver = resolve;
      void this.tick();
    });
  }

  private stopResolver: (() => void) | undefined;

  /** Stops scheduling; waits for an in-flight run up to `deadlineMs`. True if it drained. */
  async stop(deadlineMs: number): Promise<boolean> {
    await this.task?.stop();
    const inFlight = this.inFlight;
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
    this.stopResolver?.();
    return drained;
  }
}

export function summaryFields(s: RunSummary): Record<string, unknown> {
  return {
    ledger: s.ledger,
    streams: s.streams,
    due: s.due,
    settledStreams: s.settledStreams,
    paid: s.paid.toString(),
    skipped: s.skipped.map(String),
    extended: s.extended,
    failedBatches: s.failedBatches,
  };
}
