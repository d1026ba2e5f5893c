import type { Stream } from "@tributary/sdk";
import { amountsAt } from "@tributary/sdk";
import { describe, expect, it } from "vitest";
import { displayStatus, senderActions } from "../../src/lib/status.js";
import { streamView } from "../../src/lib/view.js";

const base: Omit<Stream, "schedule"> = {
  id: 1n,
  sender: "GS",
  recipient: "GR",
  token: "CT",
  cancelable: true,
  transferable: true,
  status: "active",
  createdTs: 0n,
  canceledTs: 0n,
  deposited: 1000n,
  withdrawn: 0n,
  refunded: 0n,
};
const lin: Stream = { ...base, schedule: { kind: "linear", startTs: 100n, cliffTs: 100n, endTs: 1100n } };
const open = (o: Partial<Stream> = {}): Stream => ({
  ...base,
  deposited: 50n,
  schedule: {
    kind: "openEnded",
    amountPerPeriod: 10n,
    periodS: 10n,
    snapshotTs: 100n,
    accruedAtSnapshot: 0n,
    remainder: 0n,
  },
  ...o,
});
const st = (s: Stream, t: bigint) => displayStatus(s, amountsAt(s, t), t);

describe("displayStatus", () => {
  it("maps fixed streams over time", () => {
    expect(st(lin, 50n)).toBe("scheduled");
    expect(st(lin, 600n)).toBe("active");
    expect(st(lin, 1100n)).toBe("finished");
    expect(st({ ...lin, status: "canceled", canceledTs: 600n }, 2000n)).toBe("canceled");
  });
  it("maps open-ended streams: active, out of funds with debt, paused", () => {
    expect(st(open(), 120n)).toBe("active");
    // 50 funded at 1/s from 100: debt from 151 on.
    expect(st(open(), 150n)).toBe("active");
    expect(st(open(), 151n)).toBe("outOfFunds");
    expect(st(open({ status: "paused" }), 500n)).toBe("paused");
  });
  it("allows only the actions the contract allows", () => {
    expect(senderActions(lin, "active")).toMatchObject({
      cancel: true,
      renounce: true,
      topUp: false,
      pause: false,
      refund: false,
    });
    expect(senderActions(lin, "finished").cancel).toBe(false);
    expect(senderActions({ ...lin, cancelable: false }, "active")).toMatchObject({
      cancel: false,
      renounce: false,
    });
    expect(senderActions(open(), "active")).toMatchObject({
      pause: true,
      resume: false,
      topUp: true,
      setRate: true,
      refund: true,
    });
    expect(senderActions(open({ status: "paused" }), "paused")).toMatchObject({ pause: false, resume: true });
    expect(senderActions(open({ status: "canceled" }), "canceled")).toMatchObject({
      cancel: false,
      topUp: false,
      refund: false,
    });
  });
});

describe("streamView", () => {
  it("computes progress, next unlock and runway with the mirror", () => {
    const v = streamView(lin, 600n);
    expect(v.amounts.withdrawable).toBe(500n);
    expect(v.streamed).toBe(500n);
    expect(v.nextUnlockTs).toBeNull();
    const cliffed = streamView(
      { ...lin, schedule: { ...lin.schedule, cliffTs: 700n } as Stream["schedule"] },
      600n,
    );
    expect(cliffed.amounts.withdrawable).toBe(0n);
    expect(cliffed.nextUnlockTs).toBe(700n);
    const tr = streamView(
      {
        ...base,
        schedule: { kind: "tranched", startTs: 0n, endTs: 300n, count: 3 },
        tranches: [100n, 200n, 300n].map((u) => ({ unlockTs: u, amount: 333n + (u === 300n ? 1n : 0n) })),
      },
      150n,
    );
    expect(tr.amounts.withdrawable).toBe(333n);
    expect(tr.nextUnlockTs).toBe(200n);
    expect(streamView(open(), 120n).runwayS).toBe(31n);
  });
});
