/** The cost tables of ADR 0004 and docs/benchmarks/orchestration.md, rendered from the pure model. */
import {
  FEES,
  feePerStreamMonthStroops,
  OPTIONS,
  type OptionName,
  optionYear,
  PRICES,
  SHAPES,
  type Shape,
  workload,
} from "./cost.js";

export const OPTION_LABEL: Record<OptionName, string> = {
  keeper: "keeper (shipped)",
  "temporal-schedule-sweep": "Temporal Cloud: Schedule + sweep",
  "temporal-child-per-stream": "Temporal Cloud: child per stream",
  "stepfunctions-sweep": "Step Functions: scheduled sweep",
  "stepfunctions-per-stream": "Step Functions: execution per stream",
  "bullmq-sweep": "BullMQ: one scheduler + sweep",
  "bullmq-dedup": "BullMQ: sweep + per-stream jobs (dedup)",
};

const SHAPE_LABEL: Record<Shape, string> = {
  payroll: "payroll (12 monthly tranches)",
  linear: "linear vesting",
  "open-ended": "open-ended",
};

const n0 = (x: number) => Math.round(x).toLocaleString("en-US");

/** One table per stream count: rows are options x shapes, per year. */
export function renderCostTables(streamCounts: readonly number[] = [10_000, 100_000]): string[] {
  const out: string[] = [];
  for (const streams of streamCounts) {
    out.push(`#### ${streams.toLocaleString("en-US")} streams, per year`);
    out.push("");
    out.push(
      "| option | shape | chain fees, default policy (XLM) | chain fees, settle every 5-min run (XLM) | engine units | engine (USD) | hosts (USD) |",
    );
    out.push("| --- | --- | ---: | ---: | ---: | ---: | ---: |");
    for (const option of OPTIONS) {
      for (const shape of SHAPES) {
        const d = optionYear(option, workload(streams, shape, "default"));
        const e = optionYear(option, workload(streams, shape, "every-run"));
        out.push(
          `| ${OPTION_LABEL[option]} | ${SHAPE_LABEL[shape]} | ${n0(d.chainXlm)} | ${n0(e.chainXlm)} | ${n0(d.engineUnits)} | ${n0(d.engineUsd)} | ${n0(d.infraUsd)} |`,
        );
      }
    }
    out.push("");
  }
  const lin = workload(10_000, "linear");
  const pay = workload(10_000, "payroll");
  out.push(
    `Fee per stream-month under the default policy: ${n0(feePerStreamMonthStroops(pay))} stroops (payroll), ${n0(feePerStreamMonthStroops(lin))} stroops (linear and open-ended), batched; ${FEES.perSettledStreamBatched.value.toLocaleString("en-US")} stroops per settled stream batched (${FEES.perSettledStreamBatched.source}), ${FEES.perSettledStreamAlone.value.toLocaleString("en-US")} alone (${FEES.perSettledStreamAlone.source}).`,
  );
  out.push("");
  out.push(
    "Engine units: `settle_many` transactions (keeper), billable Actions (Temporal), state transitions (Step Functions), jobs (BullMQ), all under the default policy. Engine USD: the cheaper Temporal Cloud plan (Developer: usage + 10%; Business: $500/month minimum), Step Functions Standard beyond the free tier, ElastiCache Serverless for Valkey. Hosts: one m7g.large-class host for the option's own processes (Step Functions: Lambda, not priced). Sources:",
  );
  out.push("");
  for (const p of Object.values(PRICES)) out.push(`- ${p.value}: ${p.source}`);
  out.push("");
  return out;
}
