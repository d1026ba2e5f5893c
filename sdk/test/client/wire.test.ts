import { Keypair, nativeToScVal, StrKey, type xdr } from "@stellar/stellar-sdk";
import { describe, expect, it } from "vitest";
import { decodeEvent } from "../../src/client/events.js";
import * as w from "../../src/client/wire.js";
import { DecodeError } from "../../src/errors.js";

const A = Keypair.random().publicKey();
const B = Keypair.random().publicKey();
const C = StrKey.encodeContract(Buffer.alloc(32, 1));

describe("encoding", () => {
  it("lays CreateParams out as soroban-sdk does: sorted symbol-keyed maps and [symbol, data] enum variants", () => {
    const v = w.encodeCreateParams({
      sender: A,
      recipient: B,
      token: C,
      schedule: { kind: "tranched", startTs: 5n, tranches: [{ unlockTs: 6n, amount: 7n }] },
      cancelable: true,
      transferable: false,
    });
    const keys = v.map()!.map((e) => e.key().sym().toString());
    expect(keys).toEqual(["cancelable", "recipient", "schedule", "sender", "token", "transferable"]);
    expect(w.native(v)).toEqual({
      cancelable: true,
      recipient: B,
      schedule: ["Tranched", { start_ts: 5n, tranches: [{ amount: 7n, unlock_ts: 6n }] }],
      sender: A,
      token: C,
      transferable: false,
    });
    const sched = v
      .map()!
      .find((e) => e.key().sym().toString() === "schedule")!
      .val();
    const tranche = sched.vec()![1]!.map()![1]!.val().vec()![0]!;
    expect(tranche.map()!.map((e) => e.val().switch().name)).toEqual(["scvI128", "scvU64"]);
  });

  it("builds the documented storage keys", () => {
    expect(w.native(w.streamKey(3n))).toEqual(["Stream", 3n]);
    expect(w.streamKey(3n).vec()![1]!.switch().name).toBe("scvU64");
    expect(w.native(w.tranchesKey(4n))).toEqual(["Tranches", 4n]);
    expect(w.native(w.streamCountKey())).toEqual(["StreamCount"]);
    const key = w.persistentLedgerKey(C, w.streamKey(1n));
    expect(key.contractData().durability().name).toBe("persistent");
  });
});

const record = (status: number, schedule: xdr.ScVal) =>
  w.struct({
    sender: w.addr(A),
    recipient: w.addr(B),
    token: w.addr(C),
    schedule,
    cancelable: w.bool(true),
    transferable: w.bool(false),
    status: w.u32(status),
    created_ts: w.u64(10n),
    canceled_ts: w.u64(0n),
    deposited: w.i128(1000n),
    withdrawn: w.i128(1n),
    refunded: w.i128(2n),
  });

describe("decoding", () => {
  it("decodes a Stream record of each shape and status to domain types", () => {
    const oe = w.vec([
      w.sym("OpenEnded"),
      w.struct({
        amount_per_period: w.i128(5n),
        period_s: w.u64(60n),
        snapshot_ts: w.u64(9n),
        accrued_at_snapshot: w.i128(3n),
        remainder: w.u64(4n),
      }),
    ]);
    expect(w.parseStream(7n, w.native(record(1, oe)))).toEqual({
      id: 7n,
      sender: A,
      recipient: B,
      token: C,
      schedule: {
        kind: "openEnded",
        amountPerPeriod: 5n,
        periodS: 60n,
        snapshotTs: 9n,
        accruedAtSnapshot: 3n,
        remainder: 4n,
      },
      cancelable: true,
      transferable: false,
      status: "paused",
      createdTs: 10n,
      canceledTs: 0n,
      deposited: 1000n,
      withdrawn: 1n,
      refunded: 2n,
    });
    const tr = w.vec([
      w.sym("Tranched"),
      w.struct({ start_ts: w.u64(1n), end_ts: w.u64(2n), count: w.u32(3) }),
    ]);
    expect(w.parseStream(1n, w.native(record(2, tr))).schedule).toEqual({
      kind: "tranched",
      startTs: 1n,
      endTs: 2n,
      count: 3,
    });
    expect(w.parseStream(1n, w.native(record(2, tr))).status).toBe("canceled");
    const li = w.vec([
      w.sym("Linear"),
      w.struct({ start_ts: w.u64(1n), cliff_ts: w.u64(1n), end_ts: w.u64(2n) }),
    ]);
    expect(w.parseStream(1n, w.native(record(0, li))).schedule).toEqual({
      kind: "linear",
      startTs: 1n,
      cliffTs: 1n,
      endTs: 2n,
    });
  });

  it("refuses unexpected shapes with DecodeError instead of half-decoding", () => {
    const li = w.vec([
      w.sym("Linear"),
      w.struct({ start_ts: w.u64(1n), cliff_ts: w.u64(1n), end_ts: w.u64(2n) }),
    ]);
    expect(() => w.parseStream(1n, w.native(record(3, li)))).toThrow(DecodeError);
    expect(() => w.parseStream(1n, w.native(record(0, w.vec([w.sym("Weekly"), w.struct({})]))))).toThrow(
      DecodeError,
    );
    expect(() => w.parseAmounts({ accrued: 1n })).toThrow(/cannot decode withdrawable/);
  });

  it("decodes every event shape: vec data, single-value data and address topics", () => {
    const id = w.u64(9n);
    const ev = (name: string, topics: xdr.ScVal[], data: xdr.ScVal) =>
      decodeEvent([w.sym(name), id, ...topics], data);
    const tr = w.vec([
      w.sym("Tranched"),
      w.struct({ start_ts: w.u64(1n), end_ts: w.u64(20n), count: w.u32(2) }),
    ]);
    expect(
      ev(
        "created",
        [w.addr(A), w.addr(B)],
        w.vec([
          w.addr(C),
          w.i128(50n),
          tr,
          w.vec([w.u64(10n), w.u64(20n)]),
          w.vec([w.i128(20n), w.i128(30n)]),
          w.bool(true),
          w.bool(false),
        ]),
      ),
    ).toEqual({
      id: 9n,
      type: "created",
      sender: A,
      recipient: B,
      token: C,
      kind: "tranched",
      deposit: 50n,
      schedule: { kind: "tranched", startTs: 1n, endTs: 20n, count: 2 },
      tranches: [
        { unlockTs: 10n, amount: 20n },
        { unlockTs: 20n, amount: 30n },
      ],
      cancelable: true,
      transferable: false,
    });
    expect(() =>
      ev(
        "created",
        [w.addr(A), w.addr(B)],
        w.vec([w.addr(C), w.i128(50n), tr, w.vec([w.u64(10n)]), w.vec([]), w.bool(true), w.bool(false)]),
      ),
    ).toThrow(DecodeError);
    expect(ev("withdrawn", [], w.vec([w.addr(B), w.i128(4n)]))).toEqual({
      id: 9n,
      type: "withdrawn",
      to: B,
      amount: 4n,
    });
    expect(ev("settled", [], w.i128(3n))).toEqual({ id: 9n, type: "settled", amount: 3n });
    expect(ev("settle_skipped", [], w.i128(3n))).toEqual({ id: 9n, type: "settleSkipped", amount: 3n });
    expect(ev("canceled", [], w.vec([w.i128(1n), w.i128(2n)]))).toEqual({
      id: 9n,
      type: "canceled",
      refunded: 1n,
      owed: 2n,
    });
    expect(ev("topped_up", [], w.vec([w.addr(A), w.i128(8n)]))).toEqual({
      id: 9n,
      type: "toppedUp",
      from: A,
      amount: 8n,
    });
    expect(ev("paused", [], w.i128(6n))).toEqual({ id: 9n, type: "paused", accrued: 6n });
    expect(ev("resumed", [], w.vec([]))).toEqual({ id: 9n, type: "resumed" });
    expect(ev("rate_set", [], w.vec([w.i128(1n), w.i128(2n)]))).toEqual({
      id: 9n,
      type: "rateSet",
      oldAmountPerPeriod: 1n,
      newAmountPerPeriod: 2n,
    });
    expect(ev("refunded", [], w.i128(5n))).toEqual({ id: 9n, type: "refunded", amount: 5n });
    expect(ev("transferred", [w.addr(A), w.addr(B)], w.vec([]))).toEqual({
      id: 9n,
      type: "transferred",
      from: A,
      to: B,
    });
    expect(ev("renounced", [], w.vec([]))).toEqual({ id: 9n, type: "renounced" });
    expect(ev("transfer", [], w.i128(1n))).toBeNull();
    expect(() => ev("withdrawn", [], w.i128(1n))).toThrow(DecodeError);
    expect(() => decodeEvent([w.sym("settled"), nativeToScVal("x")], w.i128(1n))).toThrow(/topic 1/);
  });
});
