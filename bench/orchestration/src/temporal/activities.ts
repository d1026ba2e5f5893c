/**
 * Temporal activities: the only side effects of the prototype. `settleTick` asks the chain to
 * transfer one tick's amount, exactly what a cron-era "pay this month" job does.
 *
 * NOTE: deliberately not idempotent on the chain side, because an engine cannot make an
 * on-chain transfer exactly-once: if the worker dies after the chain applied the transfer and
 * before the completion reached the Temporal server, the retry pays again. The experiment
 * measures how often that happens.
 */
import { Context } from "@temporalio/activity";

export interface SettleTickArgs {
  streamId: string;
  tick: number;
  amount: string;
}

export function createActivities(chainUrl: string, workerName: string) {
  return {
    async settleTick(args: SettleTickArgs): Promise<void> {
      const attempt = Context.current().info.attempt;
      const res = await fetch(`${chainUrl}/transfer`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-worker": workerName },
        body: JSON.stringify({ streamId: args.streamId, amount: args.amount, tick: args.tick, attempt }),
      });
      if (!res.ok) throw new Error(`chain answered ${res.status} for ${args.streamId} tick ${args.tick}`);
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;
