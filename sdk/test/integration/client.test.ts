// Every write and read of StreamClient against the devnet over real HTTP: the real
// Soroban host runs the release Wasm, tokens move through a real Stellar Asset
// Contract, and the accrual mirror is held to what the contract pays, to the unit.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { amountsAt, depletionTs } from "../../src/accrual.js";
import { StreamClient } from "../../src/client/stream-client.js";
import {
  AmountExceedsDebtError,
  AmountExceedsRefundableError,
  AmountExceedsWithdrawableError,
  AuthorizationError,
  ContractError,
  FeeTooHighError,
  InvalidRecipientError,
  NotCancelableError,
  NotOpenEndedError,
  NotPausedError,
  NotTransferableError,
  PaymentFailedError,
  StartInPastError,
  StreamCanceledError,
  StreamNotFoundError,
  StreamPausedError,
  StreamVoidedError,
  TokenError,
  ValidationError,
} from "../../src/errors.js";
import { DAY_S, linear, monthly, openEnded } from "../../src/schedule.js";
import type { Stream } from "../../src/types.js";
import { type Party, startWorld, type World } from "./harness.js";

let world: World;
let sender: Party;
let recipient: Party;
const UNIT = 10_000_000n; // 1 USDC
const TOKEN = () => world.tokenId;

beforeAll(async () => {
  world = await startWorld();
  sender = await world.party({ mint: 10_000_000n * UNIT });
  recipient = await world.party();
}, 900_000); // a cold devnet build on a busy 2-core machine takes minutes

afterAll(async () => {
  await world?.stop();
});

/** The ledger close time of the ledger a transaction was applied in. */
async function closeTimeOf(hash: string): Promise<bigint> {
  const res = await world.server.getTransaction(hash);
  if (res.status === "NOT_FOUND") throw new Error("transaction not found");
  return BigInt(res.createdAt);
}

async function createLinear(
  over: {
    cancelable?: boolean;
    transferable?: boolean;
    to?: string;
    deposit?: bigint;
    durationS?: bigint;
    cliffS?: bigint;
  } = {},
) {
  const now = await world.now();
  const out = await sender.client.create({
    sender: sender.address,
    recipient: over.to ?? recipient.address,
    token: TOKEN(),
    schedule: linear({
      start: now,
      durationS: over.durationS ?? 1000n,
      cliffS: over.cliffS ?? 0n,
      deposit: over.deposit ?? 1000n * UNIT,
    }),
    cancelable: over.cancelable ?? true,
    transferable: over.transferable ?? true,
  });
  return out.result;
}

async function createOpenEnded(amountPerPeriod: bigint, periodS: bigint, deposit: bigint) {
  const out = await sender.client.create({
    sender: sender.address,
    recipient: recipient.address,
    token: TOKEN(),
    schedule: openEnded({ amountPerPeriod, periodS, deposit }),
    cancelable: true,
    transferable: false,
  });
  return out.result;
}

describe("create each shape", () => {
  it("creates a linear stream with a cliff, pulls the deposit and reads the record back decoded", async () => {
    const before = await world.balance(sender.address);
    const now = await world.now();
    const out = await sender.client.create({
      sender: sender.address,
      recipient: recipient.address,
      token: TOKEN(),
      schedule: linear({ start: now, durationS: 10_000n, cliffS: 2_000n, deposit: 500n * UNIT }),
      cancelable: true,
      transferable: false,
    });
    expect(typeof out.result).toBe("bigint");
    expect(out.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(out.events).toEqual([
      expect.objectContaining({
        type: "created",
        id: out.result,
        sender: sender.address,
        recipient: recipient.address,
        token: TOKEN(),
        kind: "linear",
        deposit: 500n * UNIT,
      }),
    ]);
    expect(await world.balance(sender.address)).toBe(before - 500n * UNIT);
    const s = await world.reader.get(out.result);
    expect(s).toEqual<Stream>({
      id: out.result,
      sender: sender.address,
      recipient: recipient.address,
      token: TOKEN(),
      schedule: {
        kind: "linear",
        startTs: now,
        cliffTs: now + 2_000n,
        endTs: now + 10_000n,
        startUnlock: 0n,
        cliffUnlock: 0n,
      },
      cancelable: true,
      transferable: false,
      status: "active",
      createdTs: await closeTimeOf(out.hash),
      canceledTs: 0n,
      deposited: 500n * UNIT,
      withdrawn: 0n,
      refunded: 0n,
      reference: new Uint8Array(),
    });
    expect(await world.reader.getTranches(out.result)).toEqual([]);
    expect((await world.reader.amounts(out.result)).withdrawable).toBe(0n); // before the cliff
  });

  it("creates a tranched stream from monthly() and reads its tranches", async () => {
    const now = await world.now();
    const schedule = monthly({ start: now, months: 3, amountPerMonth: 100n * UNIT });
    const out = await sender.client.create({
      sender: sender.address,
      recipient: recipient.address,
      token: TOKEN(),
      schedule,
      cancelable: false,
      transferable: false,
    });
    const s = await world.reader.get(out.result);
    expect(s.schedule).toEqual({
      kind: "tranched",
      startTs: now,
      endTs: schedule.tranches[2]!.unlockTs,
      count: 3,
    });
    expect(s.deposited).toBe(300n * UNIT);
    expect(await world.reader.getTranches(out.result)).toEqual(schedule.tranches);
    expect(out.events[0]).toMatchObject({ type: "created", kind: "tranched" });
  });

  it("creates an open-ended stream that starts in the ledger the transaction lands in", async () => {
    const out = await sender.client.create({
      sender: sender.address,
      recipient: recipient.address,
      token: TOKEN(),
      schedule: openEnded({ amountPerPeriod: 10n * UNIT, periodS: DAY_S, deposit: 5n * UNIT }),
      cancelable: true,
      transferable: true,
    });
    const s = await world.reader.get(out.result);
    expect(s.schedule).toEqual({
      kind: "openEnded",
      amountPerPeriod: 10n * UNIT,
      periodS: DAY_S,
      snapshotTs: await closeTimeOf(out.hash),
      accruedAtSnapshot: 0n,
      remainder: 0n,
    });
  });

  it("creates a payroll run with create_batch: consecutive ids in order", async () => {
    const before = await world.reader.streamCount();
    const now = await world.now();
    const others = await Promise.all([world.party(), world.party()]);
    const out = await sender.client.createBatch(
      others.map((o, i) => ({
        sender: sender.address,
        recipient: o.address,
        token: TOKEN(),
        schedule: linear({ start: now, durationS: 3_600n, deposit: BigInt(i + 1) * UNIT }),
        cancelable: true,
        transferable: false,
      })),
    );
    expect(out.result).toEqual([before + 1n, before + 2n]);
    expect(out.events.map((e) => e.type)).toEqual(["created", "created"]);
  });

  it("reports the token's own error when the sender cannot pay the deposit", async () => {
    const poor = await world.party({ mint: 5n });
    const now = await world.now();
    const err = await poor.client
      .create({
        sender: poor.address,
        recipient: recipient.address,
        token: TOKEN(),
        schedule: linear({ start: now, durationS: 10n, deposit: 6n }),
        cancelable: true,
        transferable: true,
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TokenError);
    expect((err as TokenError).code).toBe(10);
  });

  it("create_batch with two senders: the second authorizes with a signed auth entry", async () => {
    const other = await world.party({ mint: 100n * UNIT });
    const now = await world.now();
    const params = [sender, other].map((s) => ({
      sender: s.address,
      recipient: recipient.address,
      token: TOKEN(),
      schedule: linear({ start: now, durationS: 60n, deposit: 10n * UNIT }),
      cancelable: true,
      transferable: false,
    }));
    const refused = await sender.client.createBatch(params).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AuthorizationError);
    expect((refused as AuthorizationError).addresses).toEqual([other.address]);
    const out = await sender.client.createBatch(params, { authSigners: [other.signer] });
    expect(out.result).toHaveLength(2);
    expect((await world.reader.get(out.result[1]!)).sender).toBe(other.address);
    expect(await world.balance(other.address)).toBe(90n * UNIT);
  });

  it("surfaces a rule only the contract can check as its named error (StartInPast)", async () => {
    const now = await world.now();
    await expect(
      sender.client.create({
        sender: sender.address,
        recipient: recipient.address,
        token: TOKEN(),
        schedule: openEnded({ amountPerPeriod: 1n, periodS: 1n, start: now - 100n, deposit: 1n }),
        cancelable: true,
        transferable: true,
      }),
    ).rejects.toBeInstanceOf(StartInPastError);
  });
});

describe("withdraw and settle", () => {
  it("withdraws part, refuses more than withdrawable, then withdraws the max", async () => {
    const id = await createLinear({ durationS: 100_000n });
    await world.warp(20_000);
    const s = await world.reader.get(id);
    const to = recipient.address;
    const before = await world.balance(to);
    const w1 = await recipient.client.withdraw({ id, to, amount: 1n * UNIT });
    expect(w1.result).toBe(1n * UNIT);
    expect(w1.events).toEqual([expect.objectContaining({ type: "withdrawn", id, to, amount: 1n * UNIT })]);
    await expect(recipient.client.withdraw({ id, to, amount: 1_000n * UNIT })).rejects.toBeInstanceOf(
      AmountExceedsWithdrawableError,
    );
    const w2 = await recipient.client.withdrawMax({ id, to });
    // The contract paid exactly what the mirror computes at that ledger's close time.
    const t = await closeTimeOf(w2.hash);
    expect(w1.result + w2.result).toBe(amountsAt(s, t).withdrawable);
    expect(await world.balance(to)).toBe(before + w1.result + w2.result);
    expect((await world.reader.get(id)).withdrawn).toBe(w1.result + w2.result);
  });

  it("only the recipient can withdraw (the sender's signature is refused)", async () => {
    const id = await createLinear();
    await world.warp(100);
    const err = await sender.client.withdrawMax({ id, to: sender.address }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthorizationError);
    expect((err as AuthorizationError).addresses).toEqual([recipient.address]);
  });

  it("a relayer submits and pays for the recipient's withdrawal; the recipient only signs its auth entry", async () => {
    const id = await createLinear({ durationS: 1_000n });
    await world.warp(500);
    const relayer = await world.party({ trust: false });
    const xlmBefore = (await world.server.getAccountEntry(recipient.address)).balance().toBigInt();
    const out = await relayer.client.withdrawMax(
      { id, to: recipient.address },
      { authSigners: [recipient.signer] },
    );
    expect(out.result).toBeGreaterThan(0n);
    expect((await world.server.getAccountEntry(recipient.address)).balance().toBigInt()).toBe(xlmBefore); // paid no fee
  });

  it("settles permissionlessly: anyone pays the recipient what is due", async () => {
    const id = await createLinear({ durationS: 1_000n });
    await world.warp(400);
    const keeper = await world.party({ trust: false });
    const s = await world.reader.get(id);
    const before = await world.balance(recipient.address);
    const out = await keeper.client.settle(id);
    expect(out.result).toBe(amountsAt(s, await closeTimeOf(out.hash)).withdrawable);
    expect(out.result).toBeGreaterThan(0n);
    expect(out.events).toEqual([expect.objectContaining({ type: "settled", id, amount: out.result })]);
    expect(await world.balance(recipient.address)).toBe(before + out.result);
  });

  it("settle_many skips a recipient without a trustline (settle_skipped) and unknown ids, paying the rest", async () => {
    const noTrust = await world.party({ trust: false });
    const good = await createLinear({ durationS: 1_000n });
    const bad = await createLinear({ durationS: 1_000n, to: noTrust.address });
    await world.warp(500);
    const keeper = await world.party({ trust: false });
    const unknown = (await world.reader.streamCount()) + 100n;
    const out = await keeper.client.settleMany([good, bad, unknown]);
    expect(out.result[0]).toBeGreaterThan(0n);
    expect(out.result.slice(1)).toEqual([0n, 0n]);
    const skipped = out.events.find((e) => e.type === "settleSkipped");
    expect(skipped).toMatchObject({ type: "settleSkipped", id: bad });
    expect((skipped as { amount: bigint }).amount).toBeGreaterThan(0n);
    expect((await world.reader.get(bad)).withdrawn).toBe(0n);
    // The single-stream settle fails loudly instead.
    await expect(keeper.client.settle(bad)).rejects.toBeInstanceOf(PaymentFailedError);
  });
});

describe("sender controls", () => {
  it("cancels: refunds the unaccrued part at once and keeps what accrued owed", async () => {
    const id = await createLinear({ durationS: 1_000n, deposit: 1_000n * UNIT });
    await world.warp(250);
    const before = await world.balance(sender.address);
    const s = await world.reader.get(id);
    const out = await sender.client.cancel(id);
    const t = await closeTimeOf(out.hash);
    const expected = amountsAt(s, t);
    expect(out.result).toBe(expected.refundable);
    expect(out.events).toEqual([
      expect.objectContaining({
        type: "canceled",
        id,
        refunded: expected.refundable,
        owed: expected.accrued,
      }),
    ]);
    expect(await world.balance(sender.address)).toBe(before + out.result);
    const after = await world.reader.get(id);
    expect(after.status).toBe("canceled");
    expect(after.canceledTs).toBe(t);
    await world.warp(500);
    expect(await world.reader.amounts(id)).toEqual({
      ...expected,
      refundable: 0n,
      balance: expected.accrued,
    });
    await expect(sender.client.cancel(id)).rejects.toBeInstanceOf(StreamCanceledError);
  });

  it("renounce makes a stream non-cancelable for good", async () => {
    const id = await createLinear();
    const out = await sender.client.renounce(id);
    expect(out.events).toEqual([expect.objectContaining({ type: "renounced", id })]);
    expect((await world.reader.get(id)).cancelable).toBe(false);
    await expect(sender.client.cancel(id)).rejects.toBeInstanceOf(NotCancelableError);
    await expect(sender.client.renounce(id)).rejects.toBeInstanceOf(NotCancelableError);
  });

  it("top-up covers debt first, pause freezes accrual, resume restarts it", async () => {
    // 1 USDC per 100 s, funded with 2 USDC: runs dry after 200 s.
    const id = await createOpenEnded(UNIT, 100n, 2n * UNIT);
    const s0 = await world.reader.get(id);
    expect(depletionTs(s0)).toBe(s0.schedule.kind === "openEnded" ? s0.schedule.snapshotTs + 201n : -1n);
    await world.warp(500);
    const owed = await world.reader.amounts(id);
    expect(owed.debt).toBeGreaterThan(0n);
    const top = await sender.client.topUp({ id, from: sender.address, amount: 10n * UNIT });
    expect(top.events).toEqual([
      expect.objectContaining({ type: "toppedUp", id, from: sender.address, amount: 10n * UNIT }),
    ]);
    const s1 = await world.reader.get(id);
    const t1 = await closeTimeOf(top.hash);
    expect(amountsAt(s1, t1).debt).toBe(0n);

    const paused = await sender.client.pause(id);
    const frozen = await world.reader.amounts(id);
    expect(paused.events).toEqual([expect.objectContaining({ type: "paused", id, accrued: frozen.accrued })]);
    await world.warp(1_000);
    expect(await world.reader.amounts(id)).toEqual(frozen);
    await expect(sender.client.pause(id)).rejects.toBeInstanceOf(StreamPausedError);

    await sender.client.resume(id);
    await expect(sender.client.resume(id)).rejects.toBeInstanceOf(NotPausedError);
    await world.warp(300);
    expect((await world.reader.amounts(id)).accrued).toBeGreaterThan(frozen.accrued);
  });

  it("a canceled open-ended stream accepts top-ups only up to its debt", async () => {
    const id = await createOpenEnded(UNIT, 10n, 1n * UNIT);
    await world.warp(100); // 10 units owed, 1 funded: 9 in debt
    const refunded = await sender.client.cancel(id);
    expect(refunded.result).toBe(0n);
    const { debt } = await world.reader.amounts(id);
    expect(debt).toBeGreaterThanOrEqual(9n * UNIT);
    await expect(sender.client.topUp({ id, from: sender.address, amount: debt + 1n })).rejects.toBeInstanceOf(
      AmountExceedsDebtError,
    );
    await sender.client.topUp({ id, from: sender.address, amount: debt });
    expect(await world.reader.amounts(id)).toMatchObject({ debt: 0n, refundable: 0n });
    await expect(sender.client.pause(id)).rejects.toBeInstanceOf(StreamCanceledError);
  });

  it("set_rate keeps accrual so far at the old rate and the mirror follows the new one", async () => {
    const id = await createOpenEnded(UNIT, 100n, 1_000n * UNIT);
    await world.warp(1_000);
    const out = await sender.client.setRate({ id, amountPerPeriod: 3n * UNIT });
    expect(out.events).toEqual([
      expect.objectContaining({
        type: "rateSet",
        id,
        oldAmountPerPeriod: UNIT,
        newAmountPerPeriod: 3n * UNIT,
      }),
    ]);
    const s = await world.reader.get(id);
    expect(s.schedule).toMatchObject({ amountPerPeriod: 3n * UNIT, snapshotTs: await closeTimeOf(out.hash) });
    await world.warp(700);
    const keeper = await world.party({ trust: false });
    const paid = await keeper.client.settle(id);
    expect(paid.result).toBe(amountsAt(s, await closeTimeOf(paid.hash)).withdrawable);
  });

  it("refunds unaccrued funds of an open-ended stream, refusing more than refundable", async () => {
    const id = await createOpenEnded(UNIT, DAY_S, 100n * UNIT);
    await expect(sender.client.refund({ id, amount: 101n * UNIT })).rejects.toBeInstanceOf(
      AmountExceedsRefundableError,
    );
    const before = await world.balance(sender.address);
    const r1 = await sender.client.refund({ id, amount: 40n * UNIT });
    expect(r1.result).toBe(40n * UNIT);
    expect(r1.events).toEqual([expect.objectContaining({ type: "refunded", id, amount: 40n * UNIT })]);
    const s = await world.reader.get(id);
    const r2 = await sender.client.refundMax(id);
    expect(r2.result).toBe(amountsAt(s, await closeTimeOf(r2.hash)).refundable);
    expect(await world.balance(sender.address)).toBe(before + r1.result + r2.result);
    const lin = await createLinear();
    await expect(sender.client.refund({ id: lin, amount: 1n })).rejects.toBeInstanceOf(NotOpenEndedError);
    await expect(sender.client.pause(lin)).rejects.toBeInstanceOf(NotOpenEndedError);
  });
});

describe("payroll and vesting additions", () => {
  it("creates with a reference, durations from landing and unlock amounts; the record and event carry them", async () => {
    const out = await sender.client.create({
      sender: sender.address,
      recipient: recipient.address,
      token: TOKEN(),
      schedule: {
        kind: "linearIn",
        startInS: 0n,
        cliffS: 100n,
        durationS: 1_000n,
        deposit: 1_000n,
        startUnlock: 100n,
      },
      cancelable: true,
      transferable: true,
      reference: "EMP-0042",
    });
    const t = await closeTimeOf(out.hash);
    const s = await world.reader.get(out.result);
    expect(s.schedule).toEqual({
      kind: "linear",
      startTs: t,
      cliffTs: t + 100n,
      endTs: t + 1_000n,
      startUnlock: 100n,
      cliffUnlock: 0n,
    });
    expect(new TextDecoder().decode(s.reference)).toBe("EMP-0042");
    expect(out.events[0]).toMatchObject({ type: "created", reference: new TextEncoder().encode("EMP-0042") });
    expect(await world.reader.status(out.result)).toBe("streaming");
    expect((await world.reader.amounts(out.result)).withdrawable).toBe(100n); // unlocked at start
  });

  it("withdraw_max_and_transfer, cancel_many, void, status, depletion_ts and amounts_many", async () => {
    const a = await createLinear({ durationS: 1_000n, deposit: 1_000n });
    const b = await createLinear({ durationS: 1_000n, deposit: 1_000n });
    const open = await createOpenEnded(10n, 1n, 100n);
    expect(await world.reader.depletionTs(open)).toBe(depletionTs(await world.reader.get(open)));
    await world.warp(300);
    const many = await world.reader.amountsMany([a, 999_999n, open]);
    expect(many[1]).toBeNull();
    // Time-independent fields only: a ledger may close between the two reads.
    expect(many[0]!.balance).toBe((await world.reader.amounts(a)).balance);
    expect(many[2]!.debt).toBeGreaterThan(0n);
    expect(await world.reader.status(open)).toBe("insolvent");

    const heir = await world.party();
    const moved = await recipient.client.withdrawMaxAndTransfer({ id: a, newRecipient: heir.address });
    expect(moved.result).toBeGreaterThan(0n);
    expect(moved.events.map((e) => e.type)).toEqual(["withdrawn", "transferred"]);
    expect((await world.reader.get(a)).recipient).toBe(heir.address);

    const canceled = await sender.client.cancelMany([a, b, b]);
    expect(canceled.result[0]).toBeGreaterThan(0n);
    expect(canceled.result[2]).toBe(0n); // already canceled: skipped
    expect(canceled.events).toContainEqual(
      expect.objectContaining({ type: "cancelSkipped", id: b, error: StreamCanceledError.code }),
    );

    const voided = await sender.client.void({ id: open, caller: sender.address });
    expect(voided.events).toContainEqual(expect.objectContaining({ type: "voided", id: open, refunded: 0n }));
    expect(await world.reader.status(open)).toBe("voided");
    expect(await world.reader.depletionTs(open)).toBeNull();
    const left = await world.reader.amounts(open);
    expect([left.debt, left.withdrawable]).toEqual([0n, 100n]);
    await expect(sender.client.void({ id: open, caller: sender.address })).rejects.toBeInstanceOf(
      StreamVoidedError,
    );
  });
});

describe("recipient controls", () => {
  it("transfers a transferable stream; the new recipient withdraws what had accrued", async () => {
    const id = await createLinear({ durationS: 1_000n, transferable: true });
    const heir = await world.party();
    await world.warp(300);
    const out = await recipient.client.transfer({ id, newRecipient: heir.address });
    expect(out.events).toEqual([
      expect.objectContaining({ type: "transferred", id, from: recipient.address, to: heir.address }),
    ]);
    expect((await world.reader.get(id)).recipient).toBe(heir.address);
    const w = await heir.client.withdrawMax({ id, to: heir.address });
    expect(w.result).toBeGreaterThan(0n);
    await expect(heir.client.transfer({ id, newRecipient: heir.address })).rejects.toBeInstanceOf(
      InvalidRecipientError,
    );
    const fixed = await createLinear({ transferable: false });
    await expect(recipient.client.transfer({ id: fixed, newRecipient: heir.address })).rejects.toBeInstanceOf(
      NotTransferableError,
    );
  });
});

describe("reads, discovery and events", () => {
  it("reads one stream from its ledger entries, equal to the simulated reads", async () => {
    const tranched = (await world.reader.listStreams()).find((s) => s.schedule.kind === "tranched")!;
    const read = await world.reader.readStream(tranched.id);
    const { tranches, liveUntilLedger, ...record } = read!;
    expect(record).toEqual(await world.reader.get(tranched.id));
    expect(tranches).toEqual(await world.reader.getTranches(tranched.id));
    expect(liveUntilLedger).toBeGreaterThan((await world.reader.latestLedger()).sequence);
    const linearOne = await world.reader.readStream(1n);
    expect(linearOne!.tranches).toBeUndefined();
    expect(await world.reader.readStream((await world.reader.streamCount()) + 1n)).toBeNull();
    await expect(world.reader.snapshot((await world.reader.streamCount()) + 1n)).rejects.toBeInstanceOf(
      StreamNotFoundError,
    );
  });

  it("reports a missing stream as StreamNotFoundError and get_many as null", async () => {
    const missing = (await world.reader.streamCount()) + 1n;
    const err = await world.reader.get(missing).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StreamNotFoundError);
    expect(err).toBeInstanceOf(ContractError);
    expect((err as ContractError).code).toBe(300);
    expect(await world.reader.getMany([1n, missing])).toEqual([expect.objectContaining({ id: 1n }), null]);
  });

  it("simulated withdrawable and amounts agree with the mirror at the instant simulated", async () => {
    const id = await createLinear({ durationS: 7_777n, deposit: 12_345n * UNIT + 7n });
    await world.warp(1_234);
    const snap = await world.reader.snapshot(id);
    const simulated = await world.reader.amounts(id);
    // The devnet simulates at the next ledger's close time (wall clock + warp), which can
    // be a second or two after the latest close when a second ticks in between.
    const candidates = [0n, 1n, 2n, 3n].map((d) => amountsAt(snap.stream, snap.closeTs + d));
    expect(candidates).toContainEqual(simulated);
    expect(candidates.map((c) => c.withdrawable)).toContain(await world.reader.withdrawable(id));
    expect(snap.amounts).toEqual(candidates[0]);
  });

  it("extend_ttl extends the named streams and skips unknown ids; a fee cap refuses it unsigned", async () => {
    const id = await createLinear();
    const keeper = await world.party({ trust: false });
    const capped = new StreamClient({
      network: world.network,
      contractId: world.contractId,
      signer: keeper.signer,
      maxFeeStroops: 10_000_000n,
    });
    const before = (await world.server.getAccountEntry(keeper.address)).seqNum().toString();
    const err = await capped.extendTtl([id, 1n]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FeeTooHighError);
    expect((err as FeeTooHighError).fee).toBeGreaterThan(10_000_000n);
    expect((await world.server.getAccountEntry(keeper.address)).seqNum().toString()).toBe(before); // nothing sent
    const out = await keeper.client.extendTtl([id, 1n, 10_000n]);
    expect(out.result).toBe(2);
    expect(out.feeCharged).toBeGreaterThan(0n);
    expect(out.feeCharged).toBeLessThanOrEqual((err as FeeTooHighError).fee);
  });

  it("enumerates every stream from ledger entries, filtered by sender and recipient, in small batches", async () => {
    const count = await world.reader.streamCount();
    expect(await world.reader.streamCountFromLedger()).toBe(count);
    const all = await world.reader.listStreams({ batchSize: 3, withTranches: true, concurrency: 3 });
    expect(await world.reader.listStreams({ batchSize: 7, concurrency: 1 })).toEqual(
      all.map(({ tranches: _t, ...s }) => s),
    );
    expect(all.map((s) => s.id)).toEqual(Array.from({ length: Number(count) }, (_, i) => BigInt(i + 1)));
    const viaGet = await world.reader.getMany(all.slice(0, 5).map((s) => s.id));
    expect(all.slice(0, 5).map(({ tranches: _t, liveUntilLedger: _l, ...s }) => s)).toEqual(viaGet);
    const mine = await world.reader.listStreams({ recipient: recipient.address });
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((s) => s.recipient === recipient.address)).toBe(true);
    const bySender = await world.reader.listStreams({ sender: sender.address });
    expect(bySender.length).toBe(all.filter((s) => s.sender === sender.address).length);
    const tranched = all.find((s) => s.schedule.kind === "tranched")!;
    expect(tranched.tranches).toEqual(await world.reader.getTranches(tranched.id));
    const latest = (await world.reader.latestLedger()).sequence;
    expect(all.every((s) => s.liveUntilLedger !== undefined && s.liveUntilLedger > latest)).toBe(true);
    const nobody = await world.party({ trust: false });
    expect(await world.reader.listStreams({ sender: nobody.address })).toEqual([]);
  });

  it("decodes a stream's event history and pages through it with a cursor", async () => {
    const start = (await world.reader.latestLedger()).sequence;
    const id = await createLinear({ durationS: 100n, cancelable: true });
    await world.warp(30);
    await recipient.client.withdrawMax({ id, to: recipient.address });
    await sender.client.cancel(id);
    const page = await world.reader.events({ startLedger: start, streamId: id });
    expect(page.events.map((e) => e.type)).toEqual(["created", "withdrawn", "canceled"]);
    expect(page.events.every((e) => e.id === id && typeof e.ledger === "number" && e.txHash)).toBe(true);
    const manyNames = await world.reader.events({
      startLedger: start,
      streamId: id,
      names: ["renounced", "paused", "resumed", "refunded", "rateSet", "withdrawn", "canceled"],
    });
    expect(manyNames.events.map((e) => e.type)).toEqual(["withdrawn", "canceled"]);
    const onlyCreated = await world.reader.events({ startLedger: start, names: ["created"] });
    expect(onlyCreated.events.map((e) => e.id)).toContain(id);
    expect(onlyCreated.events.every((e) => e.type === "created")).toBe(true);
    const first = await world.reader.events({ startLedger: start, streamId: id, limit: 1 });
    expect(first.events.map((e) => e.type)).toEqual(["created"]);
    const rest = await world.reader.events({ cursor: first.nextCursor, streamId: id, limit: 10 });
    expect(rest.events.map((e) => e.type)).toEqual(["withdrawn", "canceled"]);
    await expect(world.reader.events({ streamId: id })).rejects.toBeInstanceOf(ValidationError);
    const all: string[] = [];
    for await (const e of world.reader.allEvents({ startLedger: start, streamId: id, limit: 1 }))
      all.push(e.type);
    expect(all).toEqual(["created", "withdrawn", "canceled"]);
  });
});

describe("a month warped forward", () => {
  it("pays exactly what the SDK computes locally, to the unit, for a linear and an open-ended stream", async () => {
    const month = 30n * DAY_S;
    // Awkward numbers so flooring matters: 1,000,000.0000007 USDC over 90 days; 77.7777777 USDC per 7 days.
    const lin = await createLinear({ durationS: 3n * month, deposit: 1_000_000n * UNIT + 7n });
    const oe = await createOpenEnded(777_777_777n, 7n * DAY_S, 500n * UNIT);
    const before = await Promise.all([world.reader.get(lin), world.reader.get(oe)]);
    await world.warp(month);
    for (const [i, id] of [lin, oe].entries()) {
      const s = before[i]!;
      const balance = await world.balance(recipient.address);
      const out = await recipient.client.withdrawMax({ id, to: recipient.address });
      const t = await closeTimeOf(out.hash);
      const local = amountsAt(s, t);
      expect(out.result).toBe(local.withdrawable);
      expect(await world.balance(recipient.address)).toBe(balance + local.withdrawable);
      expect(t - (s.schedule.kind === "linear" ? s.schedule.startTs : s.createdTs)).toBeGreaterThanOrEqual(
        month,
      );
    }
  });
});

describe("validation before sending", () => {
  it("refuses a bad create without touching the network, naming the field", async () => {
    const err = await sender.client
      .create({
        sender: sender.address,
        recipient: recipient.address,
        token: TOKEN(),
        schedule: { kind: "linear", startTs: 10n, endTs: 5n, deposit: 1n },
        cancelable: true,
        transferable: true,
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).issues).toEqual([
      { path: "params.schedule.endTs", message: "must be after startTs (InvalidTimeRange)" },
      { path: "params.schedule.cliffTs", message: "must lie in [startTs, endTs] (InvalidCliff)" },
    ]);
  });
});
