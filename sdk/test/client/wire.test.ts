import { Keypair, nativeToScVal, StrKey, type xdr } from "@stellar/stellar-sdk";
import { describe, expect, it } from "vitest";
import { decodeEvent, type StreamEvent, settledPerId } from "../../src/client/events.js";
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
      reference: new Uint8Array([1, 2]),
    });
    const keys = v.map()!.map((e) => e.key().sym().toString());
    expect(keys).toEqual([
      "cancelable",
      "recipient",
      "reference",
      "schedule",
      "sender",
      "token",
      "transferable",
    ]);
    expect(w.native(v)).toEqual({
      cancelable: true,
      recipient: B,
      reference: Buffer.from([1, 2]),
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

  it("encodes linear unlock amounts (0 by default) and the relative shapes", () => {
    const enc = (schedule: Parameters<typeof w.encodeScheduleParams>[0]) =>
      w.native(w.encodeScheduleParams(schedule));
    expect(enc({ kind: "linear", startTs: 1n, cliffTs: 1n, endTs: 2n, deposit: 3n })).toEqual([
      "Linear",
      { start_ts: 1n, cliff_ts: 1n, end_ts: 2n, deposit: 3n, start_unlock: 0n, cliff_unlock: 0n },
    ]);
    expect(
      enc({ kind: "linearIn", startInS: 0n, cliffS: 5n, durationS: 9n, deposit: 3n, cliffUnlock: 1n }),
    ).toEqual([
      "LinearIn",
      { start_in_s: 0n, cliff_s: 5n, duration_s: 9n, deposit: 3n, start_unlock: 0n, cliff_unlock: 1n },
    ]);
    expect(enc({ kind: "tranchedIn", startInS: 4n, tranches: [{ afterS: 7n, amount: 8n }] })).toEqual([
      "TranchedIn",
      { start_in_s: 4n, tranches: [{ after_s: 7n, amount: 8n }] },
    ]);
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
    reference: w.bytes(new Uint8Array([9])),
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
      reference: new Uint8Array([9]),
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
      startUnlock: 0n,
      cliffUnlock: 0n,
    });
    const lu = w.vec([
      w.sym("LinearUnlock"),
      w.struct({
        start_ts: w.u64(1n),
        cliff_ts: w.u64(1n),
        end_ts: w.u64(2n),
        start_unlock: w.i128(5n),
        cliff_unlock: w.i128(6n),
      }),
    ]);
    expect(w.parseStream(1n, w.native(record(3, lu)))).toMatchObject({
      status: "voided",
      schedule: { kind: "linear", startTs: 1n, cliffTs: 1n, endTs: 2n, startUnlock: 5n, cliffUnlock: 6n },
    });
    expect(w.parseStatusView(6)).toBe("finished");
    expect(w.parseStreamState({ status: 3, depletion_ts: 99n })).toEqual({
      status: "insolvent",
      depletionTs: 99n,
    });
    expect(w.parseStreamState({ status: 1, depletion_ts: undefined })).toEqual({
      status: "streaming",
      depletionTs: null,
    });
    expect(() => w.parseStatusView(7)).toThrow(DecodeError);
  });

  it("refuses unexpected shapes with DecodeError instead of half-decoding", () => {
    const li = w.vec([
      w.sym("Linear"),
      w.struct({ start_ts: w.u64(1n), cliff_ts: w.u64(1n), end_ts: w.u64(2n) }),
    ]);
    expect(() => w.parseStream(1n, w.native(record(4, li)))).toThrow(DecodeError);
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
          w.bytes(new Uint8Array([65])),
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
      reference: new Uint8Array([65]),
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
    expect(ev("cancel_skipped", [], w.u32(301))).toEqual({ id: 9n, type: "cancelSkipped", error: 301 });
    expect(ev("voided", [], w.vec([w.i128(4n), w.i128(5n)]))).toEqual({
      id: 9n,
      type: "voided",
      refunded: 4n,
      forfeited: 5n,
    });
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

describe("settle_many per-id amounts", () => {
  it("matches each settled event to the first unmatched occurrence of its id; the rest paid 0", () => {
    const settled = (id: bigint, amount: bigint): StreamEvent => ({ type: "settled", id, amount });
    const skipped: StreamEvent = { type: "settleSkipped", id: 2n, amount: 9n };
    expect(settledPerId([1n, 2n, 1n, 3n], [settled(1n, 5n), skipped, settled(3n, 7n)])).toEqual([
      5n,
      0n,
      0n,
      7n,
    ]);
  });
});
