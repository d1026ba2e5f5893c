import { describe, expect, it } from "vitest";
import { checkRun } from "../src/checker.js";
import {
  type SettledEvent,
  settledToTransfers,
  summarizeKeeperLogs,
  summarizeTxs,
  trancheUnlocksS,
} from "../src/keeper-real/mapping.js";
import { perTick, renderKeeperReport } from "../src/keeper-real/report.js";
import { DEFAULT_SCENARIO, makeStreams, tickDueMs } from "../src/scenario.js";

// The real chain logs `settled` events (stream, amount, ledger close time); these tests check that
// the mapping to checker input scores lateness per tick, and that overpayment, which the contract
// should make impossible, would still be caught.

const scenario = { ...DEFAULT_SCENARIO, streams: 2, ticks: 3, monthMs: 8_000, amountPerTick: 1_000n };
const t0 = 1_700_000_000_000;
const streams = makeStreams(scenario, t0);
const [s0, s1] = streams as [(typeof streams)[0], (typeof streams)[0]];
const ids = new Map([
  ["7", s0.id],
  ["8", s1.id],
]);
const end = t0 + 4.5 * 8_000;
const tol = 2_000;
let seq = 0;

function ev(chainId: string, amount: bigint, atMs: number, txHash = "tx", ledger?: number): SettledEvent {
  seq += 1;
  return {
    chainId,
    amount,
    atMs,
    ledger: ledger ?? Math.floor(atMs / 1000),
    txHash,
    order: String(seq).padStart(10, "0"),
  };
}

function score(events: SettledEvent[]) {
  return checkRun(streams, settledToTransfers(streams, ids, events), end, tol);
}

describe("settledToTransfers", () => {
  it("one settlement per tick, right on time, scores all on time", () => {
    const events = [1, 2, 3].flatMap((k) => [
      ev("7", 1_000n, tickDueMs(s0, k) + 1_000),
      ev("8", 1_000n, tickDueMs(s1, k)),
    ]);
    const r = score(events);
    expect(r).toMatchObject({
      expectedPayouts: 6,
      onTime: 6,
      late: 0,
      missed: 0,
      duplicatePayouts: 0,
      unscheduledPayouts: 0,
    });
    expect(r.overpaid).toBe(0n);
    expect(r.latenessMaxMs).toBe(1_000);
  });

  it("a catch-up settlement paying several ticks scores each tick against its own due time", () => {
    const catchUp = tickDueMs(s0, 3) + 500; // pays ticks 2 and 3 at once
    const events = [
      ev("7", 1_000n, tickDueMs(s0, 1)),
      ev("7", 2_000n, catchUp),
      ...[1, 2, 3].map((k) => ev("8", 1_000n, tickDueMs(s1, k))),
    ];
    const transfers = settledToTransfers(streams, ids, events);
    expect(transfers.find((t) => t.streamId === s0.id && t.atMs === catchUp)?.ticks).toEqual([2, 3]);
    const r = score(events);
    const t2 = r.ticks.find((t) => t.streamId === s0.id && t.tick === 2)!;
    const t3 = r.ticks.find((t) => t.streamId === s0.id && t.tick === 3)!;
    expect(t2.paidAtMs! - t2.dueMs).toBe(8_500);
    expect(t3.paidAtMs! - t3.dueMs).toBe(500);
    expect(r).toMatchObject({ late: 1, onTime: 5, missed: 0, duplicatePayouts: 0 });
  });

  it("a tick never settled is missed and underpaid", () => {
    const r = score([
      ev("7", 1_000n, tickDueMs(s0, 1)),
      ...[1, 2, 3].map((k) => ev("8", 1_000n, tickDueMs(s1, k))),
    ]);
    expect(r.missed).toBe(2);
    expect(r.underpaid).toBe(2_000n);
  });

  it("a second payment of a tick already paid is a duplicate and overpays", () => {
    const at = tickDueMs(s0, 1) + 100;
    const events = [ev("7", 1_000n, at, "a"), ev("7", 1_000n, at + 200, "b")];
    const r = score(events);
    expect(r.duplicatePayouts).toBe(1);
    expect(r.streamsOverpaidAtSomeInstant).toBe(1);
    // later settlements of everything still count: 5,000 paid against 3,000 owed at the end
    const full = score([...events, ev("7", 2_000n, tickDueMs(s0, 3)), ev("7", 1_000n, tickDueMs(s0, 3) + 1)]);
    expect(full.overpaid).toBe(2_000n);
    expect(full.duplicatePayouts).toBeGreaterThanOrEqual(2);
  });

  it("a payment before any tick is due is a payout for no scheduled tick", () => {
    const r = score([ev("8", 1_000n, t0 + 10)]);
    expect(r.unscheduledPayouts).toBe(1);
    expect(r.streamsOverpaidAtSomeInstant).toBe(1);
  });

  it("a payment beyond the whole schedule is overpaid, not a tick outside the schedule", () => {
    const late = tickDueMs(s1, 3) + 10;
    const r = score([ev("8", 4_000n, late)]);
    expect(r.overpaid).toBe(1_000n);
    expect(r.duplicatePayouts).toBe(1);
    expect(r.missed).toBe(3); // stream s0 never paid
  });

  it("orders events by ledger, then by event id, whatever order they arrive in", () => {
    const a = ev("7", 1_000n, tickDueMs(s0, 1), "a", 10);
    const b = ev("7", 1_000n, tickDueMs(s0, 2), "b", 11);
    const t = settledToTransfers(streams, ids, [b, a]);
    expect(t.map((x) => x.ticks)).toEqual([[1], [2]]);
  });

  it("names the worker from the keepers' logs", () => {
    const t = settledToTransfers(
      streams,
      ids,
      [ev("7", 1_000n, tickDueMs(s0, 1), "h1"), ev("8", 1_000n, tickDueMs(s1, 1), "h2")],
      new Map([["h1", "B"]]),
    );
    expect(t.map((x) => x.worker)).toEqual(["B", "unlogged"]);
  });

  it("rejects an event for a stream the scenario did not create", () => {
    expect(() => settledToTransfers(streams, ids, [ev("99", 1_000n, t0)])).toThrow(/did not create/);
  });
});

describe("summarizeTxs", () => {
  it("counts settle_many transactions, failures, no-ops and fees", () => {
    const s = summarizeTxs(
      [
        { txHash: "a", fn: "settle_many", success: true, feeCharged: 100n },
        { txHash: "b", fn: "settle_many", success: true, feeCharged: 90n },
        { txHash: "c", fn: "settle_many", success: false, feeCharged: 50n },
        { txHash: "d", fn: "extend_ttl", success: true, feeCharged: 7n },
      ],
      new Set(["a"]),
    );
    expect(s).toEqual({
      settleMany: 3,
      settleManyFailed: 1,
      settleManyNoop: 1,
      settleManyFeeStroops: 240n,
      otherTxs: 1,
      otherFeeStroops: 7n,
    });
  });
});

describe("trancheUnlocksS", () => {
  it("puts tranche k at start + k periods, in whole seconds", () => {
    expect(trancheUnlocksS(s0)).toEqual([1, 2, 3].map((k) => BigInt(tickDueMs(s0, k) / 1000)));
  });
  it("refuses a schedule a ledger cannot express", () => {
    expect(() => trancheUnlocksS({ ...s0, periodMs: 8_500 })).toThrow(RangeError);
  });
});

describe("renderKeeperReport", () => {
  it("puts the measured numbers, per-tick lateness and failures in the report", () => {
    const s = { ...DEFAULT_SCENARIO, streams: 1, ticks: 2, monthMs: 1_000 };
    const specs = makeStreams(s, 0);
    const check = checkRun(
      specs,
      settledToTransfers(specs, new Map([["1", specs[0]!.id]]), [ev("1", 1_000n, 1_400)]),
      3_000,
      250,
    );
    const usage = { peakRssMb: 30.25, meanRssMb: 20, cpuSeconds: 2 };
    const md = renderKeeperReport({
      runs: [
        {
          scenario: s,
          results: [
            {
              engine: "keeper-real",
              check,
              infra: usage,
              workers: usage,
              total: usage,
              counts: {
                settleManyTxs: 5,
                settleManyFailedOnChain: 0,
                settleManyPayingNothing: 2,
                settleManyFeeStroops: 1234,
                settleManyFeeMeanStroops: 246.8,
              },
              events: ["A killed"],
              notes: [],
              transfersByWorker: { A: 1 },
            },
          ],
          skipped: {},
        },
        {
          scenario: { ...s, streams: 1000 },
          results: [],
          skipped: { "keeper-real": "devnet did not start" },
        },
      ],
      environment: {},
    });
    expect(md).toContain("| **missed** | **1** |");
    expect(md).toContain("| 5 (0 / 2) |");
    expect(md).toContain("| 1234 / 247 |");
    expect(md).toContain("| 1 | 1.00 | 1 | 0 | 400 / 400 / 400 |");
    expect(md).toContain("| 2 | 2.00 | 0 | 1 | n/a |");
    expect(md).toContain("devnet did not start");
  });
});

describe("perTick", () => {
  it("groups lateness by tick number", () => {
    const events = [1, 2, 3].flatMap((k) => [
      ev("7", 1_000n, tickDueMs(s0, k) + 100 * k),
      ev("8", 1_000n, tickDueMs(s1, k) + 300 * k),
    ]);
    const rows = perTick({ check: score(events) });
    expect(rows.map((r) => [r.tick, r.paid, r.min, r.max])).toEqual([
      [1, 2, 100, 300],
      [2, 2, 200, 600],
      [3, 2, 300, 900],
    ]);
  });
});

describe("summarizeKeeperLogs", () => {
  it("prices full batches that paid every stream, counts skipped ticks and runs", () => {
    const ids = (n: number) => Array.from({ length: n }, (_, i) => String(i));
    const s = summarizeKeeperLogs([
      { msg: "settle_many", fee: "420000", streams: ids(42), paidNothing: 0 },
      { msg: "settle_many", fee: "420042", streams: ids(42), paidNothing: 0 },
      { msg: "settle_many", fee: "179000", streams: ids(16), paidNothing: 0 },
      { msg: "settle_many", fee: "390000", streams: ids(42), paidNothing: 42 }, // a duplicate keeper's: excluded
      { msg: "previous run still in progress; skipping this tick" },
      { msg: "previous run still in progress; skipping this tick" },
      { msg: "run complete", s: 2.5 },
      { msg: "run complete", s: 14 },
      { msg: "plan" },
    ]);
    expect(s).toEqual({
      fullBatchSize: 42,
      fullBatches: 2,
      feePerStreamFullBatch: 10_000,
      ticksSkipped: 2,
      runs: 2,
      longestRunS: 14,
    });
  });
  it("reports zeros without batches", () => {
    expect(summarizeKeeperLogs([])).toMatchObject({
      fullBatchSize: 0,
      fullBatches: 0,
      feePerStreamFullBatch: 0,
    });
  });
});
