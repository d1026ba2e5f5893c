// One keeper run: read the chain, decide, act. Stateless: everything comes from
// the chain each time, so a run after any outage catches up exactly, and a failed
// batch is simply decided again next run (settle and extend_ttl are idempotent).

import type { Logger } from "pino";
import type { Chain } from "./chain.js";
import { decide, type Policy } from "./decide.js";

export interface RunSummary {
  streams: number;
  due: number;
  settledStreams: number;
  paid: bigint;
  skipped: bigint[];
  extended: number;
  failedBatches: number;
  ledger: number;
}

export async function runOnce(chain: Chain, policy: Policy, log: Logger): Promise<RunSummary> {
  const state = await chain.read();
  const plan = decide(state, policy);
  const summary: RunSummary = {
    streams: state.streams.length,
    due: plan.due.size,
    settledStreams: 0,
    paid: 0n,
    skipped: [],
    extended: 0,
    failedBatches: 0,
    ledger: state.latestLedger,
  };
  log.info(
    {
      ledger: state.latestLedger,
      streams: summary.streams,
      due: summary.due,
      settleBatches: plan.settle.length,
      extendBatches: plan.extend.length,
    },
    "plan",
  );
  for (const ids of plan.settle) {
    try {
      const r = await chain.settle(ids);
      r.paid.forEach((amount, i) => {
        if (amount > 0n) {
          summary.settledStreams += 1;
          summary.paid += amount;
          log.debug(
            { streamId: ids[i]!.toString(), amount: amount.toString(), txHash: r.txHash, ledger: r.ledger },
            "settled",
          );
        }
      });
      summary.skipped.push(...r.skipped);
      for (const id of r.skipped)
        log.warn({ streamId: id.toString(), txHash: r.txHash }, "recipient cannot receive; skipped");
      log.info({ txHash: r.txHash, ledger: r.ledger, streams: ids.length }, "settle_many");
    } catch (error) {
      summary.failedBatches += 1;
      log.error(
        { err: error, streamIds: ids.map(String) },
        "settle_many failed; will be decided again next run",
      );
    }
  }
  for (const ids of plan.extend) {
    try {
      const r = await chain.extend(ids);
      summary.extended += r.extended;
      log.info({ txHash: r.txHash, ledger: r.ledger, streams: ids.length }, "extend_ttl");
    } catch (error) {
      summary.failedBatches += 1;
      log.error(
        { err: error, streamIds: ids.map(String) },
        "extend_ttl failed; will be decided again next run",
      );
    }
  }
  return summary;
}
