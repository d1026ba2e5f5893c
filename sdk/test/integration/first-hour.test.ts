// An integrator's first hour on the devnet, through the SDK's own helpers: the devnet
// module (deploy from the shipped Wasm, a test token with trustlines and balances,
// warp), canReceive and the payroll pre-flight, and errors that say what failed:
// a batch of unpayable streams, a client pointed at something that is not a stream
// contract. Real devnet over HTTP, unmodified @stellar/stellar-sdk.

import { Keypair, StrKey } from "@stellar/stellar-sdk";
import { Buffer } from "buffer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { StreamClient } from "../../src/client/stream-client.js";
import {
  NotAStreamContractError,
  RecipientCannotReceiveError,
  TokenError,
  TransactionFailedError,
} from "../../src/errors.js";
import { linear } from "../../src/schedule.js";
import { type Party, startWorld, type World } from "./harness.js";

let world: World;
let sender: Party;
const UNIT = 10_000_000n;

beforeAll(async () => {
  world = await startWorld();
  sender = await world.party({ mint: 1_000_000n * UNIT });
}, 900_000);

afterAll(async () => {
  await world?.stop();
});

const params = (recipient: string, now: bigint) => ({
  sender: sender.address,
  recipient,
  token: world.tokenId,
  schedule: linear({ start: now, durationS: 1_000, deposit: 1_000 }),
  cancelable: true,
  transferable: false,
});

describe("the devnet helper module", () => {
  it("funds accounts, issues a token with trustlines and balances, and warps time", async () => {
    const holder = await world.dev.newAccount({ token: world.token, mint: 42n * UNIT });
    expect(await world.token.balance(holder.address)).toBe(42n * UNIT);
    // A contract holds SAC balances without a trustline: minting to the stream contract works.
    await world.token.mint(world.contractId, 5n);
    expect(await world.token.balance(world.contractId)).toBe(5n);
    const before = await world.dev.now();
    const after = await world.dev.warp(3_600);
    expect(after.closeTs).toBeGreaterThanOrEqual(before + 3_600n);
    expect(await world.dev.now()).toBe(after.closeTs);
    // The contract it deployed (from the package's stream.wasm) answers as a stream contract.
    expect(await world.reader.streamCount()).toBeGreaterThanOrEqual(0n);
  });
});

describe("canReceive", () => {
  it("tells a missing account, a missing trustline and a receivable one apart", async () => {
    const ghost = Keypair.random().publicKey();
    const noTrust = await world.party({ trust: false });
    const ok = await world.party();
    expect(await world.reader.canReceive(ghost, world.tokenId)).toMatchObject({
      ok: false,
      problem: "accountMissing",
    });
    expect(await world.reader.canReceive(noTrust.address, world.tokenId)).toMatchObject({
      ok: false,
      problem: "trustlineMissing",
    });
    expect(await world.reader.canReceive(ok.address, world.tokenId)).toEqual({ ok: true, verified: true });
    // The issuer needs no trustline; a contract receives into its SAC balance.
    expect(await world.reader.canReceive(world.issuer.publicKey(), world.tokenId)).toMatchObject({
      ok: true,
    });
    expect(await world.reader.canReceive(world.contractId, world.tokenId)).toMatchObject({ ok: true });
    // A token that is not a SAC cannot be judged from outside.
    expect(await world.reader.canReceive(ok.address, world.contractId)).toEqual({
      ok: true,
      verified: false,
    });
  });

  it("tells a trustline and a contract balance the issuer deauthorized, and sees them authorized again", async () => {
    const frz = await world.dev.issueToken({ code: "FRZ", revocable: true });
    const holder = await world.dev.newAccount({ token: frz, mint: 10n });
    const check = (address: string) => world.reader.canReceive(address, frz.contractId);
    expect(await check(holder.address)).toEqual({ ok: true, verified: true });
    await frz.setAuthorized(holder.address, false);
    expect(await check(holder.address)).toMatchObject({ ok: false, problem: "trustlineNotAuthorized" });
    await frz.setAuthorized(holder.address, true);
    expect(await check(holder.address)).toEqual({ ok: true, verified: true });
    // A contract's SAC balance (the stream contract holding FRZ) deauthorized by the issuer.
    await frz.mint(world.contractId, 3n);
    expect(await check(world.contractId)).toMatchObject({ ok: true });
    await frz.setAuthorized(world.contractId, false);
    expect(await check(world.contractId)).toMatchObject({ ok: false, problem: "balanceNotAuthorized" });
  });

  it("as createBatch's opt-in pre-flight, refuses a payroll with an unpayable recipient and sends nothing", async () => {
    const ok = await world.party();
    const noTrust = await world.party({ trust: false });
    const ghost = Keypair.random().publicKey();
    const now = await world.now();
    const count = await world.reader.streamCount();
    const err = await sender.client
      .createBatch([params(ok.address, now), params(noTrust.address, now), params(ghost, now)], {
        checkRecipients: true,
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RecipientCannotReceiveError);
    expect((err as RecipientCannotReceiveError).recipients).toEqual([
      { index: 1, address: noTrust.address, token: world.tokenId, problem: "trustlineMissing" },
      { index: 2, address: ghost, token: world.tokenId, problem: "accountMissing" },
    ]);
    expect(await world.reader.streamCount()).toBe(count);
    // With every recipient able to receive it goes through.
    const out = await sender.client.createBatch([params(ok.address, now)], { checkRecipients: true });
    expect(out.result).toHaveLength(1);
  });
});

describe("errors say what failed", () => {
  it("a settle_many of only unpayable streams: its real outcome, never the token's caught TrustlineMissing", async () => {
    const now = await world.now();
    const unpayable = await Promise.all([0, 1, 2].map(() => world.party({ trust: false })));
    const { result: ids } = await sender.client.createBatch(unpayable.map((p) => params(p.address, now)));
    await world.warp(500);
    const keeper = await world.party({ trust: false });
    const outcome = await keeper.client.settleMany(ids).catch((e: unknown) => e);
    // Today the transaction runs out of its simulated resources on chain: report that
    // (the fee was charged). Should the contract stop failing here, the batch must
    // pay nothing and say which streams it skipped.
    expect(outcome).not.toBeInstanceOf(TokenError);
    if (outcome instanceof Error) {
      expect(outcome).toBeInstanceOf(TransactionFailedError);
      expect(outcome).toMatchObject({
        name: "ResourceLimitExceededError",
        opResultCode: "invokeHostFunctionResourceLimitExceeded",
      });
    } else {
      const out = outcome as Awaited<ReturnType<StreamClient["settleMany"]>>;
      expect(out.result).toEqual([0n, 0n, 0n]);
      expect(out.events.filter((e) => e.type === "settleSkipped").map((e) => e.id)).toEqual(ids);
    }
  });

  it("a client pointed at a token, or at nothing, says it is not a stream contract", async () => {
    const at = (contractId: string) =>
      new StreamClient({ network: world.network, contractId, server: world.server });
    const sac = await at(world.tokenId)
      .get(1n)
      .catch((e: unknown) => e);
    expect(sac).toBeInstanceOf(NotAStreamContractError);
    expect((sac as NotAStreamContractError).reason).toMatch(/Stellar Asset Contract/);
    await expect(at(world.tokenId).listStreams()).rejects.toBeInstanceOf(NotAStreamContractError);
    const nothing = at(StrKey.encodeContract(Buffer.alloc(32, 7)));
    await expect(nothing.streamCount()).rejects.toMatchObject({
      name: "NotAStreamContractError",
      reason: "no contract is deployed at this address",
    });
  });
});
