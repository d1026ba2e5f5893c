import { describe, expect, it } from "vitest";
import { DueList } from "../src/due.js";
import { byOldestUnpaid, type Candidate, type DueReason } from "../src/policy.js";

const REASONS: DueReason[] = ["tranche", "age", "threshold"];

/** Deterministic pseudo-random candidates (ties on the instant are frequent). */
function candidates(n: number, seed: number): Candidate[] {
  // xorshift32: exact in 32-bit integers (a float LCG loses bits and cycles).
  let x = seed >>> 0 || 1;
  const rnd = () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
  const seen = new Set<bigint>();
  const out: Candidate[] = [];
  while (out.length < n) {
    const id = BigInt(rnd() % (n * 10)) + 1n;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push({
      id,
      unpaidSinceTs: 1_767_225_600n + BigInt(rnd() % 50),
      withdrawable: BigInt(rnd()) * 1_000_000_000_000n, // beyond 2^53: kept exact
      reason: REASONS[rnd() % 3]!,
      token: `C${rnd() % 4}`,
    });
  }
  return out;
}

function drain(d: DueList): bigint[] {
  const out: bigint[] = [];
  for (let id = d.next(); id !== undefined; id = d.next()) out.push(id);
  return out;
}

describe("DueList", () => {
  it("queues oldest unpaid accrual first, ties by id: the same order as byOldestUnpaid, for many shapes", () => {
    for (const [n, seed] of [
      [0, 1],
      [1, 2],
      [7, 3],
      [1_000, 4],
      [5_000, 5], // past the initial capacity: growth keeps every field
    ] as const) {
      const cs = candidates(n, seed);
      const d = new DueList();
      for (const c of cs) d.add(c);
      d.seal();
      expect(d.length).toBe(n);
      expect(drain(d)).toEqual([...cs].sort(byOldestUnpaid).map((c) => c.id));
      expect(d.pending).toBe(false);
    }
  });

  it("looks up each stream's reason, token and instant by id; withdrawable only where asked", () => {
    const cs = candidates(3_000, 9);
    const d = new DueList((token) => token === "C1");
    for (const c of cs) d.add(c);
    d.seal();
    for (const c of cs) {
      expect(d.get(c.id)).toEqual({
        reason: c.reason,
        token: c.token,
        unpaidSinceTs: c.unpaidSinceTs,
        ...(c.token === "C1" ? { withdrawable: c.withdrawable } : {}),
      });
    }
    expect(d.get(999_999_999n)).toBeUndefined();
  });

  it("hands back ids to the front in order, and counts what is left unpaid", () => {
    const cs = candidates(10, 11);
    const order = [...cs].sort(byOldestUnpaid).map((c) => c.id);
    const d = new DueList();
    for (const c of cs) d.add(c);
    d.seal();
    const first = [d.next()!, d.next()!, d.next()!];
    expect(first).toEqual(order.slice(0, 3));
    d.putBack(first.slice(1));
    d.putBack([first[0]!]);
    expect(drain(d)).toEqual(order);

    expect(d.unpaid()).toEqual({ count: 10, oldestSinceTs: [...cs].sort(byOldestUnpaid)[0]!.unpaidSinceTs });
    for (const id of order.slice(0, 4)) d.markPaid(id);
    expect(d.isPaid(order[0]!)).toBe(true);
    expect(d.isPaid(order[4]!)).toBe(false);
    d.markPaid(123_456_789n); // not due: ignored
    const sorted = [...cs].sort(byOldestUnpaid);
    expect(d.unpaid()).toEqual({ count: 6, oldestSinceTs: sorted[4]!.unpaidSinceTs });
    for (const id of order) d.markPaid(id);
    expect(d.unpaid()).toEqual({ count: 0 });
  });

  it("refuses additions after sealing and instants a double cannot hold exactly", () => {
    const d = new DueList();
    const [c] = candidates(1, 13);
    expect(() => d.add({ ...c!, unpaidSinceTs: 2n ** 53n })).toThrow(RangeError);
    d.add(c!);
    d.seal();
    expect(() => d.add(c!)).toThrow(/sealed/);
  });
});
