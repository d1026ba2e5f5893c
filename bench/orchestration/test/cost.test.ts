import { describe, expect, it } from "vitest";
import {
  batchesPerYear,
  chainFeesXlm,
  FEES,
  feePerStreamMonthStroops,
  OPTIONS,
  optionYear,
  PRICES,
  redisUsd,
  runsPerYear,
  settlementsPerStreamYear,
  stepFunctionsTransitionsPerYear,
  stepFunctionsUsd,
  temporalActionsPerYear,
  temporalBusinessTierUsd,
  temporalCloudYear,
  workload,
} from "../src/cost.js";
import { renderCostTables } from "../src/cost-report.js";

describe("settlements a year", () => {
  it("payroll settles once per tranche whatever the policy", () => {
    expect(settlementsPerStreamYear(workload(1, "payroll", "default"))).toBe(12);
    expect(settlementsPerStreamYear(workload(1, "payroll", "every-run"))).toBe(12);
  });
  it("linear and open-ended settle daily by default and on every 5-minute run otherwise", () => {
    for (const shape of ["linear", "open-ended"] as const) {
      expect(settlementsPerStreamYear(workload(1, shape, "default"))).toBe(365);
      expect(settlementsPerStreamYear(workload(1, shape, "every-run"))).toBe(105_120);
    }
    expect(runsPerYear(workload(1, "linear"))).toBe(105_120);
    expect(() => runsPerYear({ ...workload(1, "linear"), runIntervalS: 0 })).toThrow(RangeError);
  });
  it("batches round up and reject a batch below one", () => {
    expect(batchesPerYear(workload(10_000, "payroll"))).toBe(Math.ceil(120_000 / 47)); // 2,554 full batches of 47
    expect(batchesPerYear({ ...workload(41, "payroll"), batch: 40 })).toBe(Math.ceil((41 * 12) / 40));
    expect(() => batchesPerYear({ ...workload(1, "payroll"), batch: 0 })).toThrow(RangeError);
  });
});

describe("chain fees", () => {
  it("batched options pay the fitted batch's fee per stream, per-stream options the single settle's", () => {
    const w = workload(10_000, "payroll");
    expect(chainFeesXlm(w, "keeper")).toBeCloseTo((120_000 * FEES.perSettledStreamBatched.value) / 1e7, 9);
    expect(chainFeesXlm(w, "bullmq-dedup")).toBeCloseTo(
      (120_000 * FEES.perSettledStreamAlone.value) / 1e7,
      9,
    );
    expect(chainFeesXlm(w, "temporal-child-per-stream")).toBe(chainFeesXlm(w, "stepfunctions-per-stream"));
    expect(chainFeesXlm(w, "temporal-schedule-sweep")).toBe(chainFeesXlm(w, "keeper"));
  });
  it("settling linear streams every run costs 288 times the default policy", () => {
    const d = chainFeesXlm(workload(10_000, "linear", "default"), "keeper");
    const e = chainFeesXlm(workload(10_000, "linear", "every-run"), "keeper");
    expect(e / d).toBeCloseTo(105_120 / 365, 9);
  });
  it("fee per stream-month is the fee per settlement times settlements a month", () => {
    expect(feePerStreamMonthStroops(workload(10_000, "payroll"))).toBeCloseTo(
      FEES.perSettledStreamBatched.value,
      6,
    );
    expect(feePerStreamMonthStroops(workload(10_000, "linear"))).toBeCloseTo(
      (FEES.perSettledStreamBatched.value * 365) / 12,
      6,
    );
  });
});

describe("Temporal", () => {
  it("Schedule + sweep: 3 Schedule Actions and a listDue per run, sign + submit (+1 heartbeat) per batch", () => {
    const w = workload(10_000, "payroll");
    expect(temporalActionsPerYear(w, "sweep")).toBe(105_120 * 4 + 2_554 * 3);
    // retries multiply the activity attempts only
    expect(temporalActionsPerYear(w, "sweep", 2)).toBe(105_120 * 5 + 2_554 * 5);
  });
  it("child per stream: a child start and a Continue-As-New per stream, a timer and an activity per settlement", () => {
    expect(temporalActionsPerYear(workload(10_000, "payroll"), "child")).toBe(10_000 * 3 + 120_000 * 2);
  });
  it("Business tiers: the pricing page's worked example (11.25M Actions = $525)", () => {
    expect(temporalBusinessTierUsd(11_250_000)).toBeCloseTo(525, 9);
    expect(temporalBusinessTierUsd(-5)).toBe(0);
    expect(temporalBusinessTierUsd(300_000_000)).toBeCloseTo(
      250 + 225 + 400 + 1050 + 1500 + 2500 + 100 * 25,
      6,
    );
  });
  it("Developer is usage + 10%; Business is at least $500 a month with 2.5M Actions included", () => {
    const small = temporalCloudYear(1_200_000); // 100k a month
    expect(small.developerUsd).toBeCloseTo(12 * 0.1 * 50 * 1.1, 9);
    expect(small.businessUsd).toBe(6_000);
    expect(small.cheapestUsd).toBe(small.developerUsd);
    const big = temporalCloudYear(12 * 52_500_000); // 50M billable a month beyond the 2.5M included
    expect(big.businessUsd).toBeCloseTo(12 * (250 + 225 + 400 + 1_050 + 500), 6);
    expect(big.developerUsd).toBeCloseTo(12 * 52.5 * 50 * 1.1, 6);
    expect(big.cheapestUsd).toBe(big.businessUsd);
  });
});

describe("Step Functions and Redis", () => {
  it("sweep: 3 transitions per run and 3 per batch; per stream: 3 per settlement and a start", () => {
    const w = workload(10_000, "payroll");
    expect(stepFunctionsTransitionsPerYear(w, "sweep")).toBe(105_120 * 3 + 2_554 * 3);
    expect(stepFunctionsTransitionsPerYear(w, "per-stream")).toBe(120_000 * 3 + 10_000);
    expect(stepFunctionsUsd(48_000)).toBe(0);
    expect(stepFunctionsUsd(1_048_000)).toBeCloseTo(25, 9);
  });
  it("Redis is billed at least its minimum data stored, plus one ECPU per command", () => {
    const min = PRICES.valkeyServerlessMinGb.value * PRICES.valkeyServerlessUsdPerGbHour.value * 8_760;
    expect(redisUsd(0, 0)).toBeCloseTo(min, 9);
    expect(redisUsd(1, 1e6)).toBeCloseTo(PRICES.valkeyServerlessUsdPerGbHour.value * 8_760 + 0.0023, 9);
  });
});

describe("options and tables", () => {
  it("every option prices every shape with non-negative figures", () => {
    for (const o of OPTIONS)
      for (const shape of ["payroll", "linear", "open-ended"] as const) {
        const y = optionYear(o, workload(100_000, shape));
        for (const v of [y.chainXlm, y.engineUsd, y.infraUsd, y.engineUnits])
          expect(v).toBeGreaterThanOrEqual(0);
      }
  });
  it("renders one table per size with every option and shape", () => {
    const md = renderCostTables([10_000]).join("\n");
    expect(md).toContain("#### 10,000 streams, per year");
    expect(md.match(/^\| keeper \(shipped\) \|/gm)).toHaveLength(3);
    expect(md).toContain("| keeper (shipped) | payroll (12 monthly tranches) | 125 |");
  });
});
