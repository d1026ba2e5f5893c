import { accrual, type Stream, type Tranche } from "@tributary/sdk";
import { describe, expect, it } from "vitest";
import { type ChainState, decide, isFinished, type Policy, type StreamView } from "../src/decide.js";

const T0 = 1_767_225_600n;
const DAY = 86_400n;
const policy: Policy = {
  settleBatchSize: 3,
  extendBatchSize: 2,
  minSettleAmount: 1n,
  extendBelowLedgers: 1000,
};

function base(id: bigint, over: Partial<Stream> = {}): Stream {
  return {
    id,
    sender: "GS",
    recipient: "GR",
    token: "CT",
    schedule: { kind: "linear", startTs: T0, cliffTs: T0, endTs: T0 + 100n * DAY },
    cancelable: true,
    transferable: false,
    status: "active",
    createdTs: T0,
    canceledTs: 0n,
    deposited: 1_000_000n,
    withdrawn: 0n,
    refunded: 0n,
    ...over,
  };
}

const linear = (id: bigint, over: Partial<Stream> = {}): StreamView => ({
  stream: base(id, over),
  liveUntilLedger: 100_000,
});
const state = (streams: StreamView[], nowTs: bigint, latestLedger = 50_000): ChainState => ({
  streams,
  nowTs,
  latestLedger,
});

describe("decide", () => {
  it("settles every stream with something withdrawable, in id order, in batches", () => {
    const streams = [5n, 1n, 4n, 2n, 3n].map((id) => linear(id));
    const plan = decide(state(streams, T0 + 10n * DAY), policy);
    expect(plan.settle).toEqual([
      [1n, 2n, 3n],
      [4n, 5n],
    ]);
    expect(plan.due.get(1n)).toBe(100_000n);
  });

  it("skips streams with nothing withdrawable or below the minimum", () => {
    const notStarted = linear(1n, {
      schedule: { kind: "linear", startTs: T0 + 20n * DAY, cliffTs: T0 + 20n * DAY, endTs: T0 + 30n * DAY },
    });
    const drained = linear(2n, { withdrawn: 100_000n });
    const small = linear(3n);
    const plan = decide(state([notStarted, drained, small], T0 + 10n * DAY), {
      ...policy,
      minSettleAmount: 100_001n,
    });
    expect(plan.settle).toEqual([]);
    const plan2 = decide(state([notStarted, drained, small], T0 + 10n * DAY), policy);
    expect(plan2.settle).toEqual([[3n]]);
  });

  it("extends live streams whose TTL runs low, but lets finished ones expire", () => {
    const low = { ...linear(1n), liveUntilLedger: 50_500 };
    const high = { ...linear(2n), liveUntilLedger: 60_000 };
    const finished = { ...linear(3n, { withdrawn: 1_000_000n }), liveUntilLedger: 50_100 };
    const canceledOwing = {
      ...linear(4n, { status: "canceled", canceledTs: T0 + DAY, refunded: 990_000n }),
      liveUntilLedger: 50_100,
    };
    const plan = decide(state([low, high, finished, canceledOwing], T0 + 200n * DAY), policy);
    expect(plan.extend).toEqual([[1n, 4n]]);
    expect(isFinished(finished, T0 + 200n * DAY)).toBe(true);
    expect(isFinished(canceledOwing, T0 + 200n * DAY)).toBe(false);
  });

  it("extends only the instance and code when they run low and no stream does", () => {
    const s = { ...state([linear(1n)], T0), instanceLiveUntilLedger: 50_010 };
    expect(decide(s, policy).extend).toEqual([[]]);
    expect(decide({ ...s, instanceLiveUntilLedger: 90_000 }, policy).extend).toEqual([]);
  });

  it("an open-ended stream in debt is settled for what its balance covers", () => {
    const open = linear(1n, {
      schedule: {
        kind: "openEnded",
        amountPerPeriod: 100n,
        periodS: DAY,
        snapshotTs: T0,
        accruedAtSnapshot: 0n,
        remainder: 0n,
      },
      deposited: 150n,
    });
    const plan = decide(state([open], T0 + 3n * DAY), policy);
    expect(plan.due.get(1n)).toBe(150n);
  });
});

// A small deterministic generator (no extra dependency): xorshift64*.
function rng(seed: bigint) {
  let x = seed;
  return (n: bigint): bigint => {
    x ^= x >> 12n;
    x ^= (x << 25n) & 0xffff_ffff_ffff_ffffn;
    x ^= x >> 27n;
    return ((x * 0x2545f4914f6cdd1dn) & 0xffff_ffff_ffff_ffffn) % n;
  };
}

function randomView(r: (n: bigint) => bigint, id: bigint): StreamView {
  const kind = r(3n);
  const start = T0 + r(30n * DAY);
  if (kind === 0n) {
    const dur = 1n + r(400n * DAY);
    return {
      stream: base(id, {
        deposited: 1n + r(10n ** 30n),
        schedule: { kind: "linear", startTs: start, cliffTs: start + r(dur), endTs: start + dur },
      }),
    };
  }
  if (kind === 1n) {
    const tranches: Tranche[] = [];
    let ts = start;
    let sum = 0n;
    for (let i = 0n; i < 1n + r(24n); i++) {
      ts += 1n + r(40n * DAY);
      const amount = 1n + r(10n ** 12n);
      sum += amount;
      tranches.push({ unlockTs: ts, amount });
    }
    return {
      stream: base(id, {
        deposited: sum,
        schedule: { kind: "tranched", startTs: start, endTs: ts, count: tranches.length },
      }),
      tranches,
    };
  }
  return {
    stream: base(id, {
      deposited: r(10n ** 15n),
      schedule: {
        kind: "openEnded",
        amountPerPeriod: 1n + r(10n ** 9n),
        periodS: 1n + r(31n * DAY),
        snapshotTs: start,
        accruedAtSnapshot: 0n,
        remainder: 0n,
      },
    }),
  };
}

/** What a run at `t` pays (the contract pays what `decide` found due), applied to the streams. */
function settleAt(views: StreamView[], t: bigint, p: Policy): bigint {
  const plan = decide(state(views, t), p);
  let paid = 0n;
  for (const batch of plan.settle) {
    for (const id of batch) {
      const v = views.find((x) => x.stream.id === id)!;
      const amount = plan.due.get(id)!;
      v.stream = { ...v.stream, withdrawn: v.stream.withdrawn + amount };
      paid += amount;
    }
  }
  return paid;
}

describe("decide, over random streams and times", () => {
  it("batches every due stream exactly once and never over the batch size", () => {
    const r = rng(0x7472696275746172n);
    for (let round = 0; round < 200; round++) {
      const views = Array.from({ length: Number(1n + r(60n)) }, (_, i) => randomView(r, BigInt(i + 1)));
      const t = T0 + r(500n * DAY);
      const size = Number(1n + r(48n));
      const plan = decide(state(views, t), { ...policy, settleBatchSize: size });
      const flat = plan.settle.flat();
      expect(new Set(flat).size).toBe(flat.length);
      expect(plan.settle.every((b) => b.length <= size && b.length > 0)).toBe(true);
      for (const v of views) {
        const w = accrual.amountsAt(v.stream, t, v.tranches).withdrawable;
        expect(flat.includes(v.stream.id)).toBe(w > 0n);
        if (w > 0n) expect(plan.due.get(v.stream.id)).toBe(w);
      }
    }
  });

  it("a keeper that was down catches up exactly: one late run pays what every missed run would have", () => {
    const r = rng(0x6b6565706572n);
    for (let round = 0; round < 100; round++) {
      const n = Number(1n + r(20n));
      const seeds = Array.from({ length: n }, (_, i) => randomView(r, BigInt(i + 1)));
      const clone = () => seeds.map((v) => ({ ...v, stream: { ...v.stream } }));
      const end = T0 + r(800n * DAY);
      const punctual = clone();
      let paidPunctual = 0n;
      const ticks = 1n + r(40n);
      for (let k = 1n; k <= ticks; k++)
        paidPunctual += settleAt(punctual, T0 + ((end - T0) * k) / ticks, policy);
      const late = clone();
      const paidLate = settleAt(late, end, policy);
      expect(paidLate).toBe(paidPunctual);
      late.forEach((v, i) => {
        expect(v.stream.withdrawn).toBe(punctual[i]!.stream.withdrawn);
      });
    }
  });
});
