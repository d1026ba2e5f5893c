// The accrual mirror against every case of test/vectors/accrual.json (generated from
// contracts/stream/src/math.rs), plus its own property tests.

import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import {
  amountsAt,
  covered,
  debt,
  depletionTs,
  I128_MAX,
  linearAccrued,
  linearUnlockAccrued,
  MAX_DURATION_S,
  mulDivFloor,
  nextAccrualTs,
  rateAccrued,
  rateTimeToReach,
  rateWithinBounds,
  refundable,
  runwayS,
  statusAt,
  tranchedAccrued,
  U64_MAX,
} from "../src/accrual.js";
import type { Schedule, Stream, StreamStatus, Tranche } from "../src/types.js";
import { rng } from "./rng.js";

type Case = Record<string, unknown>;
const vectors = JSON.parse(
  readFileSync(resolve(import.meta.dirname, "../../test/vectors/accrual.json"), "utf8"),
) as {
  curated: Record<string, Case[]>;
  generated: Record<string, Case[]>;
};
const B = (v: unknown): bigint => BigInt(v as string);
const sections = (name: string): Case[] => [
  ...(vectors.curated[name] ?? []),
  ...(vectors.generated[name] ?? []),
];

describe("mirror agrees with every vector", () => {
  it("has every section the Rust generator writes", () => {
    for (const s of [
      "linear",
      "tranched",
      "rate",
      "funds",
      "time_to_reach",
      "mul_div_floor",
      "linear_unlock",
      "amounts",
    ]) {
      expect(sections(s).length, s).toBeGreaterThan(0);
    }
  });

  it("mul_div_floor", () => {
    for (const c of sections("mul_div_floor")) {
      const want = c.result === null ? null : B(c.result);
      expect(mulDivFloor(B(c.a), B(c.b), B(c.d)), JSON.stringify(c)).toBe(want);
    }
  });

  it("linear_accrued", () => {
    for (const c of sections("linear")) {
      expect(
        linearAccrued(B(c.deposit), B(c.start_ts), B(c.cliff_ts), B(c.end_ts), B(c.t)),
        JSON.stringify(c),
      ).toBe(B(c.accrued));
    }
  });

  it("linear_unlock_accrued", () => {
    for (const c of sections("linear_unlock")) {
      expect(
        linearUnlockAccrued(
          B(c.deposit),
          B(c.start_unlock),
          B(c.cliff_unlock),
          B(c.start_ts),
          B(c.cliff_ts),
          B(c.end_ts),
          B(c.t),
        ),
        JSON.stringify(c),
      ).toBe(B(c.accrued));
    }
  });

  it("the whole amounts and status views (stream_amounts, stream_status) for every shape and status", () => {
    const statuses: StreamStatus[] = ["active", "paused", "canceled", "voided"];
    for (const c of sections("amounts")) {
      let schedule: Schedule;
      let tranches: Tranche[] | undefined;
      if (c.shape === "linear") {
        schedule = {
          kind: "linear",
          startTs: B(c.start_ts),
          cliffTs: B(c.cliff_ts),
          endTs: B(c.end_ts),
          startUnlock: B(c.start_unlock),
          cliffUnlock: B(c.cliff_unlock),
        };
      } else if (c.shape === "tranched") {
        tranches = (c.tranches as [string, string][]).map(([u, a]) => ({
          unlockTs: BigInt(u),
          amount: BigInt(a),
        }));
        schedule = {
          kind: "tranched",
          startTs: B(c.start_ts),
          endTs: tranches.at(-1)!.unlockTs,
          count: tranches.length,
        };
      } else {
        schedule = {
          kind: "openEnded",
          amountPerPeriod: B(c.amount_per_period),
          periodS: B(c.period_s),
          snapshotTs: B(c.snapshot_ts),
          accruedAtSnapshot: B(c.accrued_at_snapshot),
          remainder: B(c.remainder),
        };
      }
      const stream: Stream = {
        id: 1n,
        sender: "",
        recipient: "",
        token: "",
        schedule,
        cancelable: true,
        transferable: true,
        status: statuses[c.status as number]!,
        createdTs: 0n,
        canceledTs: B(c.canceled_ts),
        deposited: B(c.deposited),
        withdrawn: B(c.withdrawn),
        refunded: B(c.refunded),
      };
      const what = JSON.stringify(c).slice(0, 300);
      expect(amountsAt(stream, B(c.t), tranches), what).toEqual({
        accrued: B(c.accrued),
        withdrawable: B(c.withdrawable),
        debt: B(c.debt),
        refundable: B(c.refundable),
        balance: B(c.balance),
      });
      expect(statusAt(stream, B(c.t), tranches), what).toBe(c.status_view);
    }
  });

  it("tranched_accrued", () => {
    for (const c of sections("tranched")) {
      const tranches = (c.tranches as [string, string][]).map(([t, a]) => [BigInt(t), BigInt(a)] as const);
      const want = c.accrued === null ? null : B(c.accrued);
      expect(tranchedAccrued(tranches, B(c.t)), JSON.stringify(c).slice(0, 200)).toBe(want);
    }
  });

  it("rate_accrued and rate_within_bounds", () => {
    for (const c of sections("rate")) {
      const got = rateAccrued(
        B(c.accrued_at_snapshot),
        B(c.remainder),
        B(c.amount_per_period),
        B(c.period_s),
        B(c.snapshot_ts),
        B(c.t),
      );
      expect(got, JSON.stringify(c)).toEqual({ accrued: B(c.accrued), remainder: B(c.remainder_out) });
      if (c.within_bounds !== undefined) {
        expect(
          rateWithinBounds(B(c.accrued_at_snapshot), B(c.amount_per_period), B(c.period_s)),
          JSON.stringify(c),
        ).toBe(c.within_bounds);
      }
    }
  });

  it("covered, debt and refundable", () => {
    for (const c of sections("funds")) {
      const [a, w, b] = [B(c.accrued), B(c.withdrawn), B(c.balance)];
      expect(covered(a, w, b), JSON.stringify(c)).toBe(B(c.covered));
      expect(debt(a, w, b), JSON.stringify(c)).toBe(B(c.debt));
      expect(refundable(a, w, b), JSON.stringify(c)).toBe(B(c.refundable));
    }
  });

  it("rate_time_to_reach", () => {
    for (const c of sections("time_to_reach")) {
      const want = c.t === null ? null : B(c.t);
      expect(
        rateTimeToReach(
          B(c.accrued_at_snapshot),
          B(c.remainder),
          B(c.amount_per_period),
          B(c.period_s),
          B(c.snapshot_ts),
          B(c.target),
        ),
        JSON.stringify(c),
      ).toBe(want);
    }
  });
});

describe("mirror properties", () => {
  const r = rng(0x7a1b);

  it("linear accrual is monotonic in time, 0 before the cliff and bounded by the deposit", () => {
    for (let i = 0; i < 3000; i++) {
      const deposit = r.big(1n, i % 3 === 0 ? I128_MAX : 10n ** 12n);
      const start = r.big(0n, 1n << 40n);
      const dur = r.big(1n, MAX_DURATION_S);
      const cliff = start + r.big(0n, dur);
      const [t1, t2] = [r.big(0n, start + 2n * dur), r.big(0n, start + 2n * dur)].sort((a, b) =>
        a < b ? -1 : a > b ? 1 : 0,
      );
      const a = linearAccrued(deposit, start, cliff, start + dur, t1!);
      const b = linearAccrued(deposit, start, cliff, start + dur, t2!);
      expect(0n <= a && a <= b && b <= deposit, `${deposit} ${start} ${cliff} ${dur} ${t1} ${t2}`).toBe(true);
      if (t1! < cliff) expect(a).toBe(0n);
      expect(linearAccrued(deposit, start, cliff, start + dur, start + dur)).toBe(deposit);
    }
  });

  it("tranched accrual is monotonic and reaches exactly the deposit at the last unlock", () => {
    for (let i = 0; i < 1000; i++) {
      const n = Number(r.big(1n, 20n));
      let t = r.big(0n, 1n << 32n);
      const tranches: [bigint, bigint][] = [];
      for (let k = 0; k < n; k++) {
        t += r.big(1n, 1n << 22n);
        tranches.push([t, r.big(1n, 10n ** 18n)]);
      }
      const deposit = tranches.reduce((s, [, a]) => s + a, 0n);
      let prev = 0n;
      for (const [u] of tranches) {
        const before = tranchedAccrued(tranches, u - 1n)!;
        const at = tranchedAccrued(tranches, u)!;
        expect(before >= prev && at > before && at <= deposit).toBe(true);
        prev = at;
      }
      expect(prev).toBe(deposit);
    }
  });

  it("rate accrual is monotonic, checkpoint-invariant and never above the ideal schedule", () => {
    for (let i = 0; i < 2000; i++) {
      const period = r.big(1n, 31n * 86_400n);
      const a = r.big(1n, 10n ** 15n);
      const cut = r.big(0n, 10n ** 8n);
      const rest = r.big(0n, 10n ** 8n);
      const direct = rateAccrued(0n, 0n, a, period, 0n, cut + rest);
      const mid = rateAccrued(0n, 0n, a, period, 0n, cut);
      expect(rateAccrued(mid.accrued, mid.remainder, a, period, cut, cut + rest)).toEqual(direct);
      expect(mid.accrued <= direct.accrued).toBe(true);
      expect(direct.accrued).toBe((a * (cut + rest)) / period);
    }
  });

  it("covered + debt is what is owed and covered + refundable is the balance", () => {
    for (let i = 0; i < 2000; i++) {
      const accrued = r.big(0n, 1n << 100n);
      const withdrawn = r.big(0n, accrued);
      const balance = r.big(0n, 1n << 100n);
      const c = covered(accrued, withdrawn, balance);
      expect(c + debt(accrued, withdrawn, balance)).toBe(accrued - withdrawn);
      expect(c + refundable(accrued, withdrawn, balance)).toBe(balance);
      expect(c >= 0n && c <= balance).toBe(true);
    }
  });

  it("time_to_reach is the first second at which the target is reached", () => {
    for (let i = 0; i < 500; i++) {
      const a = r.big(1n, 1_000_000n);
      const p = r.big(1n, 100_000n);
      const acc = r.big(0n, 1000n);
      const rem = r.big(0n, p - 1n);
      const target = acc + r.big(1n, 10_000n);
      const t = rateTimeToReach(acc, rem, a, p, 1000n, target)!;
      expect(rateAccrued(acc, rem, a, p, 1000n, t).accrued >= target).toBe(true);
      expect(t === 1000n || rateAccrued(acc, rem, a, p, 1000n, t - 1n).accrued < target).toBe(true);
    }
    expect(rateTimeToReach(0n, 0n, 1n, 1n, U64_MAX - 1n, 10n)).toBeNull();
  });
});

function openEndedStream(
  over: Partial<Stream> = {},
  rate: Partial<Extract<Stream["schedule"], { kind: "openEnded" }>> = {},
): Stream {
  return {
    id: 1n,
    sender: "GA",
    recipient: "GB",
    token: "CC",
    schedule: {
      kind: "openEnded",
      amountPerPeriod: 10n,
      periodS: 100n,
      snapshotTs: 1000n,
      accruedAtSnapshot: 0n,
      remainder: 0n,
      ...rate,
    },
    cancelable: true,
    transferable: true,
    status: "active",
    createdTs: 1000n,
    canceledTs: 0n,
    deposited: 50n,
    withdrawn: 0n,
    refunded: 0n,
    ...over,
  };
}

describe("stream-level helpers", () => {
  it("amountsAt honors a linear stream's cancel instant", () => {
    const s: Stream = {
      ...openEndedStream(),
      schedule: { kind: "linear", startTs: 0n, cliffTs: 0n, endTs: 100n },
      deposited: 1000n,
      status: "canceled",
      canceledTs: 40n,
      refunded: 600n,
    };
    expect(amountsAt(s, 90n)).toEqual({
      accrued: 400n,
      withdrawable: 400n,
      debt: 0n,
      refundable: 0n,
      balance: 400n,
    });
  });

  it("amountsAt freezes a paused open-ended stream at its snapshot", () => {
    const s = openEndedStream({ status: "paused" }, { accruedAtSnapshot: 7n });
    expect(amountsAt(s, 10_000n).accrued).toBe(7n);
  });

  it("amountsAt needs the tranches of a tranched stream", () => {
    const s: Stream = {
      ...openEndedStream(),
      schedule: { kind: "tranched", startTs: 0n, endTs: 20n, count: 2 },
      deposited: 12n,
    };
    expect(() => amountsAt(s, 5n)).toThrow(RangeError);
    expect(
      amountsAt(s, 15n, [
        { unlockTs: 10n, amount: 5n },
        { unlockTs: 20n, amount: 7n },
      ]).withdrawable,
    ).toBe(5n);
  });

  it("depletion: 50 units at 10 per 100 s last 500 s; the 51st unit is owed at +510 s", () => {
    const s = openEndedStream();
    expect(depletionTs(s)).toBe(1510n);
    expect(runwayS(s, 1200n)).toBe(310n);
    expect(amountsAt(s, 1509n).debt).toBe(0n);
    expect(amountsAt(s, 1510n).debt).toBe(1n);
    expect(depletionTs(openEndedStream({ status: "paused" }))).toBeNull();
  });

  it("nextAccrualTs finds the next second the withdrawable amount grows", () => {
    const s = openEndedStream();
    expect(nextAccrualTs(s, 1000n)).toBe(1010n);
    expect(amountsAt(s, 1009n).accrued).toBe(0n);
    expect(amountsAt(s, 1010n).accrued).toBe(1n);
    const lin: Stream = {
      ...s,
      schedule: { kind: "linear", startTs: 0n, cliffTs: 0n, endTs: 3n },
      deposited: 10n,
    };
    expect(nextAccrualTs(lin, 0n)).toBe(1n);
    expect(nextAccrualTs(lin, 3n)).toBeNull();
    // Before the start and before a cliff: the first second anything accrues.
    const late: Stream = {
      ...s,
      schedule: { kind: "linear", startTs: 10n, cliffTs: 10n, endTs: 20n },
      deposited: 10n,
    };
    expect(nextAccrualTs(late, 0n)).toBe(11n);
    const cliff: Stream = {
      ...s,
      schedule: { kind: "linear", startTs: 10n, cliffTs: 15n, endTs: 20n },
      deposited: 10n,
    };
    expect(nextAccrualTs(cliff, 0n)).toBe(15n);
    expect(nextAccrualTs(cliff, 15n)).toBe(16n);
    const slow: Stream = {
      ...s,
      schedule: { kind: "linear", startTs: 0n, cliffTs: 0n, endTs: 1000n },
      deposited: 3n,
    };
    expect(nextAccrualTs(slow, 0n)).toBe(334n); // floor(3 * 334 / 1000) = 1
  });
});
