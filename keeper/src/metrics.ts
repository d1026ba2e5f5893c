// Prometheus metrics (prom-client), one registry per keeper. Names follow the
// Prometheus conventions (base units: seconds, stroops, base units of a token).

import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

export type Metrics = ReturnType<typeof createMetrics>;

export function createMetrics(opts: { defaultMetrics?: boolean } = {}) {
  const registry = new Registry();
  if (opts.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: "keeper_" });
  const registers = [registry];
  const g = (name: string, help: string, labelNames: string[] = []) =>
    new Gauge({ name, help, labelNames, registers });
  const c = (name: string, help: string, labelNames: string[] = []) =>
    new Counter({ name, help, labelNames, registers });
  return {
    registry,
    streamsSeen: g("keeper_streams_seen", "Streams read in the last run (this shard)"),
    streamsInScope: g(
      "keeper_streams_in_scope",
      "Streams in scope (token allowlist, senders, shard) in the last run",
    ),
    streamsDue: g("keeper_streams_due", "Streams the policy found due in the last run"),
    streamsTooCostly: g(
      "keeper_streams_too_costly",
      "Due streams whose settlement fee would exceed the configured share",
    ),
    settled: c("keeper_streams_settled_total", "Streams paid by a settlement", ["reason"]),
    paid: c("keeper_paid_base_units_total", "Amount paid to recipients, in the token's base units", [
      "token",
    ]),
    feeSpent: c("keeper_fee_spent_stroops_total", "Fees charged to the fee payer, stroops"),
    feeWasted: c(
      "keeper_fee_wasted_stroops_total",
      "Fees for streams a transaction paid nothing to (another keeper was first) or for failed transactions, stroops",
    ),
    feePayerBalance: g("keeper_fee_payer_balance_stroops", "The fee payer's native balance, stroops"),
    budgetRemaining: g(
      "keeper_fee_budget_remaining_stroops",
      "What the per-run and per-day budgets still allow, stroops",
    ),
    budgetExhausted: c(
      "keeper_fee_budget_exhausted_total",
      "Runs that stopped settling because a fee budget was reached",
    ),
    runDuration: new Histogram({
      name: "keeper_run_duration_seconds",
      help: "Duration of a run (read, decide, settle, extend)",
      buckets: [1, 5, 15, 30, 60, 120, 300, 600, 1800],
      registers,
    }),
    runs: c("keeper_runs_total", "Runs by outcome", ["outcome"]),
    ticksSkipped: c(
      "keeper_ticks_skipped_total",
      "Scheduled ticks that started no run: run_in_progress (the previous run was still going), missed (the event loop was late past node-cron's tolerance)",
      ["reason"],
    ),
    lastProgress: g("keeper_last_progress_timestamp_seconds", "When a run last made progress (unix s)"),
    batches: c("keeper_batches_total", "Transactions sent, by kind and outcome", ["kind", "outcome"]),
    batchSize: g(
      "keeper_batch_size",
      "The settle_many batch size in use (learned from simulation and rejections)",
    ),
    setAside: g(
      "keeper_streams_set_aside",
      "Streams set aside after failing a batch or being unable to receive",
    ),
    oldestUnpaidAge: g(
      "keeper_oldest_unpaid_accrual_age_seconds",
      "Age of the oldest unpaid accrual among due streams after the last run (0: none left)",
    ),
    lowestTtl: g(
      "keeper_lowest_ttl_ledgers",
      "Fewest TTL ledgers left among live in-scope streams, the instance and the code",
    ),
    inDebt: g("keeper_open_ended_in_debt", "Open-ended streams owing more than they hold"),
    shortestRunway: g(
      "keeper_shortest_runway_seconds",
      "Shortest funding runway among open-ended streams that will run dry",
    ),
  };
}
