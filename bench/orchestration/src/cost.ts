/**
 * The cost model of ADR 0004 (pure: no I/O, no clock). For each orchestration option, each stream
 * shape and a number of streams, a year of:
 * - chain fees (XLM): settlements a year under a settlement policy, times the measured fee of one
 *   settled stream at the option's batch size on the devnet's pubnet profile;
 * - engine charges (USD): Temporal Cloud Actions and plan, Step Functions state transitions,
 *   managed Redis for BullMQ;
 * - infrastructure (USD): the hosts the option's own processes run on.
 *
 * Every external price is an input with its source and the date it was read, never fetched:
 * re-check them when revisiting the ADR. XLM is not converted to USD: its price is not ours to
 * quote, and chain fees differ between options only through batching (every option calls the same
 * idempotent `settle_many`).
 */

export interface Sourced {
  value: number;
  /** where the number comes from (a URL and the date it was read, or the benchmark that measured it) */
  source: string;
}

const READ = "read 2026-11-26";

/** External prices (USD). */
export const PRICES = {
  temporalActionUsdPerMillion: {
    value: 50,
    source: `https://docs.temporal.io/cloud/pricing (first 5M Actions a month; Developer plan: $50/M at every volume; ${READ})`,
  },
  temporalDeveloperPlanShare: {
    value: 0.1,
    source: `https://docs.temporal.io/cloud/pricing (Developer: no base fee, 10% of usage spend; ${READ})`,
  },
  temporalBusinessPlanUsdPerMonth: {
    value: 500,
    source: `https://docs.temporal.io/cloud/pricing (Business: greater of $500/month or 10% of usage; 2.5M Actions included; ${READ})`,
  },
  temporalBusinessIncludedActionsPerMonth: {
    value: 2_500_000,
    source: `https://docs.temporal.io/cloud/pricing (Business includes 2.5M Actions; ${READ})`,
  },
  temporalScheduleActionsPerRun: {
    value: 3,
    source: `https://docs.temporal.io/cloud/actions#schedule (each Schedule execution: 2 Actions + 1 Workflow start; ${READ})`,
  },
  stepFunctionsUsdPerThousandTransitions: {
    value: 0.025,
    source: `https://aws.amazon.com/step-functions/pricing/ (Standard, us-east-1; retries are charged as transitions; ${READ})`,
  },
  stepFunctionsFreeTransitionsPerMonth: {
    value: 4_000,
    source: `https://aws.amazon.com/step-functions/pricing/ (free tier, does not expire; ${READ})`,
  },
  valkeyServerlessUsdPerGbHour: {
    value: 0.084,
    source: `ElastiCache Serverless for Valkey, us-east-1, data stored (100 MB minimum), via https://www.usage.ai/blogs/aws/database-savings-plans/elasticache/serverless-pricing/ (rates of June 2026, secondary source; AWS: https://aws.amazon.com/elasticache/pricing/; ${READ})`,
  },
  valkeyServerlessMinGb: {
    value: 0.1,
    source: `same page: ElastiCache Serverless for Valkey meters at least 100 MB (${READ})`,
  },
  valkeyServerlessUsdPerMillionEcpu: {
    value: 0.0023,
    source: `same page: $0.0023 per million ECPUs (1 ECPU per KB transferred per request; ${READ})`,
  },
  hostUsdPerHour: {
    value: 0.0816,
    source: `EC2 m7g.large (2 vCPU, 8 GiB) Linux on-demand, us-east-1, via https://www.factualminds.com/blog/amazon-ec2-on-demand-pricing-instance-families-2026/ (June 2026, secondary source; ${READ})`,
  },
} satisfies Record<string, Sourced>;

/**
 * Business-plan volume tiers: [Actions in the tier, USD per million], from
 * https://docs.temporal.io/cloud/pricing (read 2026-11-26).
 */
export const TEMPORAL_BUSINESS_TIERS: ReadonlyArray<readonly [number, number]> = [
  [5_000_000, 50],
  [5_000_000, 45],
  [10_000_000, 40],
  [30_000_000, 35],
  [50_000_000, 30],
  [100_000_000, 25],
];

/** Fees we measured (stroops) on the devnet's pubnet profile (protocol 27, SLP-4 fees). */
export const FEES = {
  /** one settled stream inside a full `settle_many` batch of the keeper's fitted size (47 for a 4-letter asset code) */
  perSettledStreamBatched: {
    value: 10_391,
    source: "docs/benchmarks/keeper.md (pubnet profile, full batches of 47, 1,000 to 100,000 streams)",
  },
  /** a `settle` of one stream in its own transaction: what a per-stream job or activity pays */
  perSettledStreamAlone: {
    value: 18_007,
    source: "docs/benchmarks/sdk.md (pubnet profile, `settle`, fee charged)",
  },
} satisfies Record<string, Sourced>;

export const STROOPS_PER_XLM = 10_000_000;
export const SECONDS_PER_YEAR = 365 * 86_400;
export const HOURS_PER_YEAR = 365 * 24;

/** The three shapes the product streams. */
export type Shape = "payroll" | "linear" | "open-ended";
export const SHAPES: readonly Shape[] = ["payroll", "linear", "open-ended"];

/**
 * - `default`: the keeper as shipped: settle a tranche when it unlocks, anything else once its
 *   oldest unpaid unit is a day old (`KEEPER_PAY_INTERVAL=daily`);
 * - `every-run`: settle everything withdrawable on every run (`KEEPER_PAY_INTERVAL=0s`, the old
 *   behaviour), for contrast.
 */
export type Policy = "default" | "every-run";

/** The options the ADR compares. */
export type OptionName =
  | "keeper"
  | "temporal-schedule-sweep"
  | "temporal-child-per-stream"
  | "stepfunctions-sweep"
  | "stepfunctions-per-stream"
  | "bullmq-sweep"
  | "bullmq-dedup";
export const OPTIONS: readonly OptionName[] = [
  "keeper",
  "temporal-schedule-sweep",
  "temporal-child-per-stream",
  "stepfunctions-sweep",
  "stepfunctions-per-stream",
  "bullmq-sweep",
  "bullmq-dedup",
];

export interface Workload {
  streams: number;
  shape: Shape;
  policy: Policy;
  /** how often the keeper or the sweep runs, seconds (the keeper's default: 300) */
  runIntervalS: number;
  /** streams per `settle_many` in a sweep (the keeper's fitted batch for a 4-letter asset code such as USDC: 47; keeper.md) */
  batch: number;
}

export function workload(streams: number, shape: Shape, policy: Policy = "default"): Workload {
  return { streams, shape, policy, runIntervalS: 300, batch: 47 };
}

/** Runs (sweeps) a year at the interval. */
export function runsPerYear(w: Workload): number {
  if (!(w.runIntervalS > 0)) throw new RangeError("runIntervalS must be > 0");
  return Math.floor(SECONDS_PER_YEAR / w.runIntervalS);
}

/**
 * Settlements of one stream a year. Payroll (12 monthly tranches): one per unlock whatever the
 * policy (nothing is withdrawable between unlocks). Linear and open-ended accrue every second:
 * once a day under the default policy, every run under `every-run`.
 */
export function settlementsPerStreamYear(w: Workload): number {
  if (w.shape === "payroll") return 12;
  return w.policy === "default" ? 365 : runsPerYear(w);
}

export function settlementsPerYear(w: Workload): number {
  return w.streams * settlementsPerStreamYear(w);
}

/** `settle_many` batches a year in a sweep design (every due stream in batches of `batch`). */
export function batchesPerYear(w: Workload): number {
  if (!Number.isInteger(w.batch) || w.batch < 1) throw new RangeError("batch must be an integer >= 1");
  return Math.ceil(settlementsPerYear(w) / w.batch);
}

/** Whether the option settles each stream in its own transaction (no batching). */
export function settlesAlone(option: OptionName): boolean {
  return (
    option === "temporal-child-per-stream" ||
    option === "stepfunctions-per-stream" ||
    option === "bullmq-dedup"
  );
}

/** Chain fees a year, XLM. */
export function chainFeesXlm(w: Workload, option: OptionName): number {
  const fee = settlesAlone(option) ? FEES.perSettledStreamAlone.value : FEES.perSettledStreamBatched.value;
  return (settlementsPerYear(w) * fee) / STROOPS_PER_XLM;
}

/**
 * Temporal Actions a year.
 * - Schedule + sweep: per run, the Schedule's 3 Actions and the `listDue` activity; per batch a
 *   `signBatch` and a `submitAndConfirm` activity (one heartbeat reaching the server at most: the
 *   SDK throttles heartbeats to 80% of the heartbeat timeout, longer than a ledger's confirmation).
 * - Child per stream: per stream a child start (2 Actions) and, per settlement, a timer and an
 *   activity; one Continue-As-New a year per stream keeps histories short.
 * `retryFactor` multiplies the activity attempts (1 = no retries).
 */
export function temporalActionsPerYear(w: Workload, design: "sweep" | "child", retryFactor = 1): number {
  if (design === "sweep") {
    const perRun = PRICES.temporalScheduleActionsPerRun.value + retryFactor;
    return Math.round(runsPerYear(w) * perRun + batchesPerYear(w) * (2 * retryFactor + 1));
  }
  return Math.round(w.streams * (2 + 1) + settlementsPerYear(w) * (1 + retryFactor));
}

/** Actions priced on the Business tiers (Actions beyond the included allocation), USD for one month. */
export function temporalBusinessTierUsd(billableActions: number): number {
  let left = Math.max(0, billableActions);
  let usd = 0;
  for (const [size, price] of TEMPORAL_BUSINESS_TIERS) {
    const n = Math.min(left, size);
    usd += (n / 1e6) * price;
    left -= n;
    if (left <= 0) break;
  }
  // beyond 200M: "contact sales"; priced at the last tier here
  if (left > 0) usd += (left / 1e6) * TEMPORAL_BUSINESS_TIERS[TEMPORAL_BUSINESS_TIERS.length - 1]![1];
  return usd;
}

export interface TemporalCloudYear {
  actionsPerYear: number;
  developerUsd: number;
  businessUsd: number;
  /** the cheaper of the two plans (Developer lacks production support: see the ADR) */
  cheapestUsd: number;
}

/** Temporal Cloud for a year: Actions and plan fee (storage left out: histories of a few KB). */
export function temporalCloudYear(actionsPerYear: number): TemporalCloudYear {
  const perMonth = actionsPerYear / 12;
  const devUsage = (perMonth / 1e6) * PRICES.temporalActionUsdPerMillion.value;
  const developerUsd = 12 * devUsage * (1 + PRICES.temporalDeveloperPlanShare.value);
  const busUsage = temporalBusinessTierUsd(perMonth - PRICES.temporalBusinessIncludedActionsPerMonth.value);
  const businessUsd =
    12 *
    (busUsage +
      Math.max(
        PRICES.temporalBusinessPlanUsdPerMonth.value,
        PRICES.temporalDeveloperPlanShare.value * busUsage,
      ));
  return { actionsPerYear, developerUsd, businessUsd, cheapestUsd: Math.min(developerUsd, businessUsd) };
}

/**
 * Step Functions Standard state transitions a year.
 * - Sweep (EventBridge Scheduler starts one execution per run): ListDue, a Map, Succeed (3) and per
 *   batch Sign, Submit, Confirm (3).
 * - Per stream (one long execution per stream, handed over yearly): Wait, Settle, Choice per
 *   settlement (3) plus one start a year.
 */
export function stepFunctionsTransitionsPerYear(w: Workload, design: "sweep" | "per-stream"): number {
  if (design === "sweep") return runsPerYear(w) * 3 + batchesPerYear(w) * 3;
  return settlementsPerYear(w) * 3 + w.streams;
}

export function stepFunctionsUsd(transitionsPerYear: number): number {
  const billable = Math.max(0, transitionsPerYear - 12 * PRICES.stepFunctionsFreeTransitionsPerMonth.value);
  return (billable / 1000) * PRICES.stepFunctionsUsdPerThousandTransitions.value;
}

/**
 * Managed Redis for BullMQ a year (ElastiCache Serverless for Valkey): data stored, at least the
 * minimum, plus one ECPU per command (each well under 1 KB).
 */
export function redisUsd(dataGb: number, commandsPerYear: number): number {
  const gb = Math.max(PRICES.valkeyServerlessMinGb.value, dataGb);
  return (
    gb * PRICES.valkeyServerlessUsdPerGbHour.value * HOURS_PER_YEAR +
    (commandsPerYear / 1e6) * PRICES.valkeyServerlessUsdPerMillionEcpu.value
  );
}

/** BullMQ jobs a year: a sweep job per run, plus (dedup) one settle job per settlement. */
export function bullmqJobsPerYear(w: Workload, design: "sweep" | "dedup"): number {
  return runsPerYear(w) + (design === "dedup" ? settlementsPerYear(w) : 0);
}

/** Redis commands per job, as measured in the experiment (docs/benchmarks/orchestration.md). */
export const REDIS_COMMANDS_PER_JOB = {
  value: 50,
  source:
    "bench/orchestration, bullmq-dedup at 100 streams: 25,439 Redis commands for 47 sweep and 500 settle jobs (46 a job, idle workers' polling included)",
};
/** Redis bytes kept per retained job (a completed settle job kept for its dedup window). */
export const REDIS_BYTES_PER_JOB = {
  value: 4_000,
  source:
    "bench/orchestration at 100 streams: used_memory 2.2 MB with 46 jobs kept (bullmq-sweep) and 2.4 MB with 100 (bullmq-dedup): about 4 KB a job (an estimate from two runs)",
};

/** Hosts for the option's own processes: one worker or keeper host each (HA doubles every row alike). */
export function hostsUsd(hosts: number): number {
  return hosts * PRICES.hostUsdPerHour.value * HOURS_PER_YEAR;
}

export interface OptionYear {
  option: OptionName;
  chainXlm: number;
  engineUsd: number;
  infraUsd: number;
  /** what the engine counts (Actions, transitions, jobs), or settle_many transactions for the keeper */
  engineUnits: number;
}

/** One option, one workload: a year of chain fees, engine charges and hosts. */
export function optionYear(option: OptionName, w: Workload): OptionYear {
  const chainXlm = chainFeesXlm(w, option);
  switch (option) {
    case "keeper":
      return { option, chainXlm, engineUsd: 0, infraUsd: hostsUsd(1), engineUnits: batchesPerYear(w) };
    case "temporal-schedule-sweep":
    case "temporal-child-per-stream": {
      const actions = temporalActionsPerYear(w, option === "temporal-schedule-sweep" ? "sweep" : "child");
      return {
        option,
        chainXlm,
        engineUsd: temporalCloudYear(actions).cheapestUsd,
        infraUsd: hostsUsd(1),
        engineUnits: actions,
      };
    }
    case "stepfunctions-sweep":
    case "stepfunctions-per-stream": {
      const t = stepFunctionsTransitionsPerYear(w, option === "stepfunctions-sweep" ? "sweep" : "per-stream");
      // the signing task runs in Lambda; its compute is not priced here (see the ADR)
      return { option, chainXlm, engineUsd: stepFunctionsUsd(t), infraUsd: 0, engineUnits: t };
    }
    case "bullmq-sweep":
    case "bullmq-dedup": {
      const design = option === "bullmq-sweep" ? "sweep" : "dedup";
      const jobs = bullmqJobsPerYear(w, design);
      // dedup keeps each stream's settle job for its window (one pay period: one live id per
      // stream); sweep jobs keep the last 100
      const kept = design === "dedup" ? w.streams + 100 : 100;
      const dataGb = (kept * REDIS_BYTES_PER_JOB.value) / 1e9;
      return {
        option,
        chainXlm,
        engineUsd: redisUsd(dataGb, jobs * REDIS_COMMANDS_PER_JOB.value),
        infraUsd: hostsUsd(1),
        engineUnits: jobs,
      };
    }
  }
}

/** Fee per stream-month on pubnet under the keeper's default policy, stroops (a revisit trigger). */
export function feePerStreamMonthStroops(w: Workload, option: OptionName = "keeper"): number {
  return (chainFeesXlm(w, option) * STROOPS_PER_XLM) / w.streams / 12;
}
