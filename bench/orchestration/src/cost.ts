/**
 * The worked cost example of the ADR (pure): N monthly streams for 12 months.
 *
 * Prices are inputs with their source, never fetched: re-check them when revisiting the ADR.
 */

export interface PriceSource {
  value: number;
  source: string;
}

/** USD prices as published by the vendors (read 2026-11; see docs/adr/0002). */
export const PRICES = {
  temporalActionUsdPerMillion: {
    value: 50,
    source: "https://docs.temporal.io/cloud/pricing (Pay-As-You-Go, first 5M Actions)",
  },
  temporalEssentialsPlanUsdPerMonth: {
    value: 100,
    source: "https://docs.temporal.io/cloud/pricing (Essentials: greater of $100/mo or 5% of usage)",
  },
  temporalEssentialsIncludedActionsPerMonth: {
    value: 1_000_000,
    source: "https://docs.temporal.io/cloud/pricing (Essentials includes 1M Actions)",
  },
  stepFunctionsUsdPerThousandTransitions: {
    value: 0.025,
    source: "https://aws.amazon.com/step-functions/pricing/ (Standard, us-east-1)",
  },
  stepFunctionsFreeTransitionsPerMonth: {
    value: 4_000,
    source: "https://aws.amazon.com/step-functions/pricing/ (free tier)",
  },
} satisfies Record<string, PriceSource>;

export interface Workload {
  streams: number;
  months: number;
}

export interface TemporalEstimate {
  actionsPerYear: number;
  actionsPerMonth: number;
  actionUsdPerYear: number;
  planUsdPerYear: number;
  totalUsdPerYear: number;
}

/**
 * Temporal (child workflow per stream, a timer and an activity per tick):
 * per stream 2 Actions for the child start (initiated + attempted), then per tick 1 timer + 1
 * activity attempt, times `retryFactor` for the activity (1 = no retries), plus one parent start
 * per `childrenPerParent` streams (a parent may hold at most 2,000 pending children).
 */
export function temporalEstimate(w: Workload, retryFactor = 1, childrenPerParent = 1_000): TemporalEstimate {
  const parents = Math.ceil(w.streams / childrenPerParent);
  const perStream = 2 + w.months * (1 + retryFactor);
  const actionsPerYear = Math.round(w.streams * perStream + parents);
  const actionsPerMonth = actionsPerYear / w.months;
  const billable = Math.max(0, actionsPerMonth - PRICES.temporalEssentialsIncludedActionsPerMonth.value);
  const actionUsdPerYear = (billable * w.months * PRICES.temporalActionUsdPerMillion.value) / 1e6;
  const planUsdPerYear = Math.max(
    PRICES.temporalEssentialsPlanUsdPerMonth.value * w.months,
    0.05 * actionUsdPerYear,
  );
  return {
    actionsPerYear,
    actionsPerMonth,
    actionUsdPerYear,
    planUsdPerYear,
    totalUsdPerYear: actionUsdPerYear + planUsdPerYear,
  };
}

export interface StepFunctionsEstimate {
  transitionsPerYear: number;
  billableTransitionsPerYear: number;
  usdPerYear: number;
}

/**
 * Step Functions Standard, one execution per stream: Wait (until tick) -> Settle (Task) -> Choice
 * (more ticks?) per tick, plus a final Succeed: 3 transitions per tick + 1. The free tier applies
 * per month. The settle task's own compute (Lambda) is not included.
 */
export function stepFunctionsEstimate(w: Workload, transitionsPerTick = 3): StepFunctionsEstimate {
  const transitionsPerYear = w.streams * (w.months * transitionsPerTick + 1);
  const free = PRICES.stepFunctionsFreeTransitionsPerMonth.value * w.months;
  const billableTransitionsPerYear = Math.max(0, transitionsPerYear - free);
  return {
    transitionsPerYear,
    billableTransitionsPerYear,
    usdPerYear: (billableTransitionsPerYear / 1000) * PRICES.stepFunctionsUsdPerThousandTransitions.value,
  };
}

/** BullMQ: one job per stream per tick (no per-job price: the cost is the Redis and worker hosts). */
export function bullmqJobsPerYear(w: Workload): number {
  return w.streams * w.months;
}

/** Our design: `settle_many` transactions if the keeper settles every stream once a month. */
export function keeperTransactionsPerYear(w: Workload, batchSize: number): number {
  if (batchSize < 1) throw new RangeError("batchSize must be >= 1");
  return Math.ceil(w.streams / batchSize) * w.months;
}
