import { accrual, type Stream, type Tranche } from "@tributary/sdk";
import { describe, expect, it } from "vitest";
import { rng } from "../../sdk/test/rng.js";
import {
  byOldestUnpaid,
  type Candidate,
  FeeBudget,
  feeTooHigh,
  inScope,
  inShard,
  judge,
  type Scope,
  type SettlePolicy,
  unpaidSinceTs,
  wholeTrancheUnpaid,
} from "../src/policy.js";
import { DAY, linearStream, T0, TOKEN } from "./helpers/streams.js";

const stream = linearStream;

const POLICY: SettlePolicy = {
  payIntervalS: DAY,
  onTrancheUnlock: true,
  thresholds: new Map(),
  prices: new Map(),
  maxFeeSharePpm: 10_000n,
};

/** The oracle: the first second at which accrual exceeds `withdrawn`, by linear scan over a coarse then fine grid. */
function bruteUnpaidSince(s: Stream, now: bigint, tranches?: readonly Tranche[]): bigint | null {
  const target = s.withdrawn + 1n;
  if (accrual.accruedAt(s, now, tranches) < target) return null;
  let lo = 0n;
  let hi = now;
  // accruedAt is monotonic in t: bisect with the SDK's own function (not the policy's code path).
  while (lo + 1n < hi) {
    const mid = (lo + hi) / 2n;
    if (accrual.accruedAt(s, mid, tranches) >= target) hi = mid;
    else lo = mid;
  }
  return hi;
}

describe("unpaidSinceTs: when the oldest unpaid unit accrued", () => {
  it("is null when nothing accrued is unpaid", () => {
    expect(unpaidSinceTs(stream(), T0 - 1n)).toBeNull();
    expect(unpaidSinceTs(stream({ withdrawn: 100_000n }), T0 + 10n * DAY)).toBeNull();
  });

  it("linear: the first second accrual passed `withdrawn` (a fresh stream: its start's first unit)", () => {
    const s = stream();
    // 1,000,000 over 100 days: one unit every 8.64 s, the first at T0 + 9.
    expect(unpaidSinceTs(s, T0 + DAY)).toBe(T0 + 9n);
    expect(unpaidSinceTs(stream({ withdrawn: 100_000n }), T0 + 20n * DAY)).toBe(T0 + 10n * DAY + 9n);
  });

  it("linear with a cliff: everything up to the cliff unlocks at the cliff", () => {
    const s = stream({
      schedule: { kind: "linear", startTs: T0, cliffTs: T0 + 30n * DAY, endTs: T0 + 100n * DAY },
    });
    expect(unpaidSinceTs(s, T0 + 29n * DAY)).toBeNull();
    expect(unpaidSinceTs(s, T0 + 40n * DAY)).toBe(T0 + 30n * DAY);
  });

  it("canceled linear: accrual stopped at the cancel, unpaid units keep their age", () => {
    const s = stream({ status: "canceled", canceledTs: T0 + 5n * DAY, refunded: 950_000n });
    expect(unpaidSinceTs(s, T0 + 50n * DAY)).toBe(T0 + 9n);
  });

  it("tranched: the unlock of the first tranche not fully paid", () => {
    const tranches = [1n, 2n, 3n].map((m) => ({ unlockTs: T0 + m * 30n * DAY, amount: 100n }));
    const s = stream({
      schedule: { kind: "tranched", startTs: T0, endTs: T0 + 90n * DAY, count: 3 },
      deposited: 300n,
    });
    expect(unpaidSinceTs(s, T0 + 29n * DAY, tranches)).toBeNull();
    expect(unpaidSinceTs(s, T0 + 70n * DAY, tranches)).toBe(T0 + 30n * DAY);
    expect(unpaidSinceTs({ ...s, withdrawn: 150n }, T0 + 70n * DAY, tranches)).toBe(T0 + 60n * DAY);
    expect(unpaidSinceTs({ ...s, withdrawn: 200n }, T0 + 70n * DAY, tranches)).toBeNull();
  });

  it("open-ended: from the snapshot, exactly like the contract's bisection", () => {
    const s = stream({
      schedule: {
        kind: "openEnded",
        amountPerPeriod: 7n,
        periodS: DAY,
        snapshotTs: T0,
        accruedAtSnapshot: 0n,
        remainder: 0n,
      },
      deposited: 1_000n,
    });
    // 7 units a day: the first whole unit at ceil(86400 / 7) = 12343 s.
    expect(unpaidSinceTs(s, T0 + DAY)).toBe(T0 + 12_343n);
    // Units accrued before the snapshot are dated at the snapshot (age understated, never overstated).
    const paused = { ...s, status: "paused" as const, schedule: { ...s.schedule, accruedAtSnapshot: 50n } };
    expect(unpaidSinceTs(paused, T0 + 10n * DAY)).toBe(T0);
  });

  it("matches a brute-force oracle on random linear, tranched and canceled streams", () => {
    const r = rng(12);
    for (let i = 0; i < 300; i++) {
      const start = T0 + r.big(0n, 1000n);
      const dur = r.big(1n, 10_000n);
      const deposit = r.big(1n, 1_000_000n);
      const kind = Number(r.big(0n, 2n));
      let s: Stream;
      let tranches: Tranche[] | undefined;
      if (kind === 2) {
        const n = Number(r.big(1n, 6n));
        let at = start;
        tranches = [];
        for (let k = 0; k < n; k++) {
          at += r.big(1n, 500n);
          tranches.push({ unlockTs: at, amount: r.big(1n, 1000n) });
        }
        const total = tranches.reduce((a, t) => a + t.amount, 0n);
        s = stream({
          schedule: { kind: "tranched", startTs: start, endTs: at, count: n },
          deposited: total,
        });
      } else {
        const cliff = start + r.big(0n, dur);
        s = stream({
          schedule: { kind: "linear", startTs: start, cliffTs: cliff, endTs: start + dur },
          deposited: deposit,
        });
      }
      const end = s.schedule.kind === "tranched" ? s.schedule.endTs : (s.schedule as { endTs: bigint }).endTs;
      if (kind === 1) {
        const at = start + r.big(0n, end - start);
        const accrued = accrual.accruedAt(s, at, tranches);
        s = { ...s, status: "canceled", canceledTs: at, refunded: s.deposited - accrued };
      }
      const now = start + r.big(0n, end - start + 100n);
      const accruedNow = accrual.accruedAt(s, now, tranches);
      s = { ...s, withdrawn: r.big(0n, accruedNow) };
      expect(
        unpaidSinceTs(s, now, tranches),
        JSON.stringify({ i, now }, (_k, v) => (typeof v === "bigint" ? `${v}` : v)),
      ).toBe(bruteUnpaidSince(s, now, tranches));
    }
  });
});

describe("wholeTrancheUnpaid", () => {
  const tranches = [1n, 2n].map((m) => ({ unlockTs: T0 + m * 30n * DAY, amount: 100n }));
  const s = stream({
    schedule: { kind: "tranched", startTs: T0, endTs: T0 + 60n * DAY, count: 2 },
    deposited: 200n,
  });
  it("is true once a tranche unlocked none of which is paid, false after a partial payment of the last one", () => {
    expect(wholeTrancheUnpaid(s, T0 + 29n * DAY, tranches)).toBe(false);
    expect(wholeTrancheUnpaid(s, T0 + 30n * DAY, tranches)).toBe(true);
    expect(wholeTrancheUnpaid({ ...s, withdrawn: 100n }, T0 + 45n * DAY, tranches)).toBe(false);
    expect(wholeTrancheUnpaid({ ...s, withdrawn: 100n }, T0 + 60n * DAY, tranches)).toBe(true);
    expect(wholeTrancheUnpaid({ ...s, withdrawn: 50n }, T0 + 45n * DAY, tranches)).toBe(false);
    expect(wholeTrancheUnpaid(stream(), T0 + 45n * DAY)).toBe(false);
  });
  it("ignores tranches after a cancel", () => {
    const c = {
      ...s,
      withdrawn: 100n,
      status: "canceled" as const,
      canceledTs: T0 + 40n * DAY,
      refunded: 100n,
    };
    expect(wholeTrancheUnpaid(c, T0 + 90n * DAY, tranches)).toBe(false);
  });
});

describe("judge", () => {
  const s = stream();
  it("is due for age once the oldest unpaid unit is older than the pay interval", () => {
    expect(judge(s, T0 + 9n + DAY - 1n, POLICY, 0n).reason).toBeUndefined();
    const v = judge(s, T0 + 9n + DAY, POLICY, 0n);
    expect(v.reason).toBe("age");
    expect(v.withdrawable).toBe(accrual.amountsAt(s, T0 + 9n + DAY).withdrawable);
    expect(v.unpaidSinceTs).toBe(T0 + 9n);
  });

  it("interval 0 settles anything withdrawable (the old behaviour); null never for age", () => {
    expect(judge(s, T0 + 10n, { ...POLICY, payIntervalS: 0n }, 0n).reason).toBe("age");
    expect(judge(s, T0 + 50n * DAY, { ...POLICY, payIntervalS: null }, 0n).reason).toBeUndefined();
  });

  it("is due at once when a tranche unlocked, unless disabled", () => {
    const tranches = [{ unlockTs: T0 + DAY, amount: 10n }];
    const t = stream({
      schedule: { kind: "tranched", startTs: T0, endTs: T0 + DAY, count: 1 },
      deposited: 10n,
    });
    expect(judge(t, T0 + DAY, POLICY, 0n, tranches).reason).toBe("tranche");
    expect(judge(t, T0 + DAY, { ...POLICY, onTrancheUnlock: false }, 0n, tranches).reason).toBeUndefined();
  });

  it("is due when withdrawable reaches the token's threshold", () => {
    const p = { ...POLICY, payIntervalS: null, thresholds: new Map([[TOKEN, 1000n]]) };
    expect(judge(s, T0 + 8_630n, p, 0n).reason).toBeUndefined(); // 998 units
    expect(judge(s, T0 + 8_640n, p, 0n).reason).toBe("threshold"); // 1000 units
    expect(judge({ ...s, token: "COTHER" }, T0 + 50n * DAY, p, 0n).reason).toBeUndefined();
  });

  it("never when the fee would exceed its share of the value paid, where a price is known", () => {
    // 10,001 units at 1 stroop each; 1% = 100.01 stroops.
    const now = T0 + 9n + DAY; // 10,001 units, the first a day old
    const priced = { ...POLICY, prices: new Map([[TOKEN, { num: 1n, den: 1n }]]) };
    expect(judge(s, now, priced, 100n).reason).toBe("age");
    const v = judge(s, now, priced, 101n);
    expect(v.reason).toBeUndefined();
    expect(v.tooCostly).toBe(true);
    expect(judge(s, now, POLICY, 10n ** 12n).reason).toBe("age"); // no price: no guard
  });

  it("nothing withdrawable: never due, whatever the policy", () => {
    const unfunded = stream({
      schedule: {
        kind: "openEnded",
        amountPerPeriod: 7n,
        periodS: DAY,
        snapshotTs: T0,
        accruedAtSnapshot: 0n,
        remainder: 0n,
      },
      deposited: 0n,
    });
    expect(judge(unfunded, T0 + 10n * DAY, { ...POLICY, payIntervalS: 0n }, 0n)).toEqual({
      withdrawable: 0n,
      unpaidSinceTs: null,
    });
  });
});

describe("feeTooHigh", () => {
  it("compares exactly in integers", () => {
    const price = { num: 3n, den: 7n }; // 3/7 stroop per unit
    // value of 7000 units = 3000 stroops; 1% = 30 stroops
    expect(feeTooHigh(30n, 7000n, price, 10_000n)).toBe(false);
    expect(feeTooHigh(31n, 7000n, price, 10_000n)).toBe(true);
  });
});

describe("scope", () => {
  const scope: Scope = { tokens: new Set([TOKEN]), shard: { index: 0n, count: 1n } };
  it("keeps only allowlisted tokens unless any is opted in", () => {
    expect(inScope(stream(), scope)).toBe(true);
    expect(inScope(stream({ token: "CEVIL" }), scope)).toBe(false);
    expect(inScope(stream({ token: "CEVIL" }), { ...scope, tokens: "any" })).toBe(true);
  });
  it("filters senders", () => {
    expect(inScope(stream(), { ...scope, senders: new Set(["GS"]) })).toBe(true);
    expect(inScope(stream(), { ...scope, senders: new Set(["GX"]) })).toBe(false);
  });
  it("N shards cover every id exactly once", () => {
    const n = 3n;
    for (let id = 1n; id < 50n; id++) {
      const owners = [0n, 1n, 2n].filter((i) => inShard(id, { index: i, count: n }));
      expect(owners).toHaveLength(1);
    }
    expect(inScope(stream({ id: 4n }), { ...scope, shard: { index: 1n, count: 3n } })).toBe(true);
    expect(inScope(stream({ id: 5n }), { ...scope, shard: { index: 1n, count: 3n } })).toBe(false);
  });
});

describe("byOldestUnpaid", () => {
  it("orders oldest unpaid accrual first, then by id", () => {
    const c = (id: bigint, since: bigint): Candidate => ({
      id,
      unpaidSinceTs: since,
      withdrawable: 1n,
      reason: "age",
      token: TOKEN,
    });
    const sorted = [c(3n, 5n), c(1n, 9n), c(2n, 5n), c(4n, 1n)].sort(byOldestUnpaid).map((x) => x.id);
    expect(sorted).toEqual([4n, 2n, 3n, 1n]);
  });
});

describe("FeeBudget", () => {
  it("never lets reservations exceed the run's budget", () => {
    const b = new FeeBudget(1_000n, 10_000n);
    b.startRun();
    expect(b.reserve(600n, 0)).toBe(true);
    expect(b.reserve(500n, 0)).toBe(false); // 600 reserved + 500 > 1000
    b.settle(600n, 400n, 0); // charged less than reserved
    expect(b.spentThisRun()).toBe(400n);
    expect(b.reserve(600n, 0)).toBe(true);
    expect(b.remaining(0)).toBe(0n);
    b.settle(600n, 600n, 0);
    expect(b.reserve(1n, 0)).toBe(false);
    b.startRun();
    expect(b.reserve(1_000n, 1)).toBe(true);
  });

  it("never lets a rolling day exceed the day's budget, across runs", () => {
    const b = new FeeBudget(1_000n, 1_500n, 100);
    b.startRun();
    expect(b.reserve(1_000n, 0)).toBe(true);
    b.settle(1_000n, 1_000n, 0);
    b.startRun();
    expect(b.reserve(600n, 50)).toBe(false);
    expect(b.reserve(500n, 50)).toBe(true);
    b.settle(500n, 500n, 50);
    expect(b.spentToday(99)).toBe(1_500n);
    expect(b.spentToday(100)).toBe(500n); // the first spend left the window
    b.startRun();
    expect(b.reserve(1_000n, 100)).toBe(true);
  });

  it("random reservations never exceed either budget", () => {
    const r = rng(7);
    const b = new FeeBudget(5_000n, 12_000n, 1_000);
    let t = 0;
    const log: { at: number; fee: bigint }[] = [];
    for (let run = 0; run < 40; run++) {
      b.startRun();
      let runSpent = 0n;
      for (let k = 0; k < 10; k++) {
        t += Number(r.big(1n, 40n));
        const max = r.big(1n, 2_000n);
        if (b.reserve(max, t)) {
          const charged = r.big(0n, max);
          b.settle(max, charged, t);
          runSpent += charged;
          log.push({ at: t, fee: charged });
        }
      }
      expect(runSpent <= 5_000n).toBe(true);
      const day = log.filter((e) => e.at > t - 1_000).reduce((a, e) => a + e.fee, 0n);
      expect(day <= 12_000n).toBe(true);
    }
  });
});
