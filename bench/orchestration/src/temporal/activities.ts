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

/**
 * `mode` "transfer": pay one tick's amount (the engine-era design, non-idempotent).
 * `mode` "settle": call the chain's idempotent `settle_many([id])` instead: the variant that
 * shows what the engine adds once the chain itself is idempotent.
 */
export function createActivities(
  chainUrl: string,
  workerName: string,
  mode: "transfer" | "settle" = "transfer",
) {
  const headers = { "content-type": "application/json", "x-worker": workerName };
  return {
    async settleTick(args: SettleTickArgs): Promise<void> {
      const attempt = Context.current().info.attempt;
      const res =
        mode === "settle"
          ? await fetch(`${chainUrl}/settle_many`, {
              method: "POST",
              headers,
              body: JSON.stringify({ ids: [args.streamId] }),
            })
          : await fetch(`${chainUrl}/transfer`, {
              method: "POST",
              headers,
              body: JSON.stringify({
                streamId: args.streamId,
                amount: args.amount,
                tick: args.tick,
                attempt,
              }),
            });
      if (!res.ok) throw new Error(`chain answered ${res.status} for ${args.streamId} tick ${args.tick}`);
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;
