import { accrual, type Stream } from "@tributary/sdk";
import { describe, expect, it } from "vitest";
import { rng } from "../../sdk/test/rng.js";
import {
  chunk,
  type DecideSettings,
  decidePage,
  instanceNeedsExtending,
  isFinished,
  type StreamView,
} from "../src/decide.js";
import { DAY, linearStream, T0, TOKEN } from "./helpers/streams.js";

const base = (id: bigint, over: Partial<Stream> = {}): Stream => linearStream({ id, ...over });
const view = (id: bigint, over: Partial<Stream> = {}, liveUntilLedger = 100_000): StreamView => ({
  stream: base(id, over),
  liveUntilLedger,
});

const SETTINGS: DecideSettings = {
  policy: {
    payIntervalS: DAY,
    onTrancheUnlock: true,
    thresholds: new Map(),
    prices: new Map(),
    maxFeeSharePpm: 10_000n,
  },
  scope: { tokens: new Set([TOKEN]), shard: { index: 0n, count: 1n } },
  feePerStreamStroops: 0n,
  extendBelowLedgers: 1000,
};
const now = (ts: bigint, ledger = 50_000) => ({ ts, ledger });

describe("decidePage", () => {
  it("keeps due streams as compact candidates with their oldest unpaid accrual, ids ascending", () => {
    const d = decidePage(
      [view(3n), view(1n), view(2n, { withdrawn: 800_000n })],
      now(T0 + 10n * DAY),
      SETTINGS,
    );
    expect(d.candidates.map((c) => c.id)).toEqual([1n, 3n]);
    expect(d.candidates[0]).toEqual({
      id: 1n,
      unpaidSinceTs: T0 + 9n,
      withdrawable: 100_000n,
      reason: "age",
      token: TOKEN,
    });
    expect(d.oldestDueUnpaidSinceTs).toBe(T0 + 9n);
    expect(d.seen).toBe(3);
    expect(d.inScope).toBe(3);
  });

  it("leaves out streams not in scope and streams set aside", () => {
    const d = decidePage(
      [view(1n), view(2n, { token: "CEVIL" }), view(3n)],
      now(T0 + 10n * DAY),
      SETTINGS,
      (id) => id === 3n,
    );
    expect(d.candidates.map((c) => c.id)).toEqual([1n]);
    expect(d.inScope).toBe(2);
  });

  it("extends live streams whose TTL runs low, but lets finished ones expire", () => {
    const low = view(1n, {}, 50_500);
    const high = view(2n, {}, 60_000);
    const finished = view(3n, { withdrawn: 1_000_000n }, 50_100);
    const canceledOwing = view(4n, { status: "canceled", canceledTs: T0 + DAY, refunded: 990_000n }, 50_100);
    const d = decidePage([low, high, finished, canceledOwing], now(T0 + 200n * DAY), SETTINGS);
    expect(d.extend).toEqual([1n, 4n]);
    expect(d.lowestTtlLedgers).toBe(100);
    expect(isFinished(finished, T0 + 200n * DAY)).toBe(true);
    expect(isFinished(canceledOwing, T0 + 200n * DAY)).toBe(false);
  });

  it("counts open-ended streams in debt and the shortest runway", () => {
    const oe = (id: bigint, deposited: bigint) =>
      view(id, {
        schedule: {
          kind: "openEnded",
          amountPerPeriod: DAY,
          periodS: DAY,
          snapshotTs: T0,
          accruedAtSnapshot: 0n,
          remainder: 0n,
        },
        deposited,
      });
    const d = decidePage([oe(1n, 100n), oe(2n, 1_000_000n)], now(T0 + 1_000n), SETTINGS);
    expect(d.inDebt).toBe(1);
    expect(d.shortestRunwayS).toBe(0n);
    const d2 = decidePage([oe(2n, 1_000_000n)], now(T0 + 1_000n), SETTINGS);
    expect(d2.shortestRunwayS).toBe(1_000_001n - 1_000n);
  });

  it("counts streams the fee guard refuses", () => {
    const priced: DecideSettings = {
      ...SETTINGS,
      policy: { ...SETTINGS.policy, prices: new Map([[TOKEN, { num: 1n, den: 1_000_000n }]]) },
      feePerStreamStroops: 10_000n,
    };
    const d = decidePage([view(1n)], now(T0 + 10n * DAY), priced);
    expect(d.candidates).toEqual([]);
    expect(d.tooCostly).toBe(1);
  });

  it("a keeper down for a month decides what one that never stopped would: every candidate's amount is exactly withdrawable", () => {
    const r = rng(3);
    const views: StreamView[] = [];
    for (let id = 1n; id <= 60n; id++) {
      const start = T0 + r.big(0n, 10n * DAY);
      views.push(
        view(id, {
          schedule: { kind: "linear", startTs: start, cliffTs: start, endTs: start + r.big(DAY, 90n * DAY) },
          deposited: r.big(1n, 10n ** 12n),
        }),
      );
    }
    const at = T0 + 40n * DAY;
    const d = decidePage(views, now(at), { ...SETTINGS, policy: { ...SETTINGS.policy, payIntervalS: 0n } });
    for (const v of views) {
      const w = accrual.amountsAt(v.stream, at).withdrawable;
      const c = d.candidates.find((x) => x.id === v.stream.id);
      if (w > 0n) expect(c?.withdrawable).toBe(w);
      else expect(c).toBeUndefined();
    }
  });
});

describe("instanceNeedsExtending", () => {
  it("looks at both the instance and the code", () => {
    expect(instanceNeedsExtending({ instance: 60_000, code: 60_000 }, now(T0), 1000)).toBe(false);
    expect(instanceNeedsExtending({ instance: 60_000, code: 50_500 }, now(T0), 1000)).toBe(true);
    expect(instanceNeedsExtending({}, now(T0), 1000)).toBe(false);
  });
});

describe("chunk", () => {
  it("splits into consecutive chunks", () => {
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunk([], 3)).toEqual([]);
  });
});
