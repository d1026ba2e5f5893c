// LedgerReader and the bare maintenance calls against the devnet over HTTP: every
// read a keeper or indexer pages through (latest ledger, instance, streams by id with
// tranches and TTL, contract and code TTL, accounts, the network's Soroban limits
// from its ConfigSetting entries), and settle_many / extend_ttl built as operations.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  decodeExtendTtl,
  decodeSettleMany,
  decodeSettleManyTotal,
  extendTtlOperation,
  settleManyOperation,
  skippedStreamIds,
} from "../../src/client/calls.js";
import { LedgerReader, MAX_KEYS_PER_READ } from "../../src/client/ledger.js";
import { ValidationError } from "../../src/errors.js";
import { startWorld, type World } from "./harness.js";

const DAY = 86_400n;
let world: World;
let reader: LedgerReader;
const ids: bigint[] = [];
let noTrustlineId = 0n;

beforeAll(async () => {
  world = await startWorld();
  reader = new LedgerReader(world.server, world.contractId);
  const sender = await world.party({ mint: 1_000_000_000n });
  const recipient = await world.party();
  const stranger = await world.party({ trust: false });
  const now = await world.now();
  const base = { sender: sender.address, token: world.tokenId, cancelable: true, transferable: false };
  const out = await sender.client.createBatch([
    {
      ...base,
      recipient: recipient.address,
      schedule: { kind: "linear", startTs: now, cliffTs: now, endTs: now + 10n * DAY, deposit: 1_000_000n },
    },
    {
      ...base,
      recipient: recipient.address,
      schedule: {
        kind: "tranched",
        startTs: now,
        tranches: [
          { unlockTs: now + DAY, amount: 500n },
          { unlockTs: now + 2n * DAY, amount: 500n },
        ],
      },
    },
    {
      ...base,
      recipient: stranger.address,
      schedule: { kind: "linear", startTs: now, cliffTs: now, endTs: now + 10n * DAY, deposit: 1_000_000n },
    },
  ]);
  ids.push(...out.result);
  noTrustlineId = ids[2]!;
}, 600_000);

afterAll(async () => {
  await world?.stop();
});

describe("LedgerReader", () => {
  it("reads the latest ledger, the stream count and the contract's and code's TTL", async () => {
    const latest = await reader.latestLedger();
    expect(latest.sequence).toBeGreaterThan(0);
    expect(latest.closeTs).toBe(await world.now());
    const inst = await reader.instance();
    expect(inst.streamCount).toBe(3n);
    expect(inst.wasmHash?.length).toBe(32);
    const ttl = await reader.contractTtl();
    expect(ttl.instanceLiveUntilLedger).toBeGreaterThan(latest.sequence);
    expect(ttl.codeLiveUntilLedger).toBeGreaterThan(latest.sequence);
  });

  it("reads streams by id, with tranches and TTL, leaving out ids with no stream", async () => {
    const got = await reader.streams([...ids, 99n], { withTranches: true });
    expect(got.map((s) => s.id)).toEqual(ids);
    const tranched = got[1]!.schedule;
    if (tranched.kind !== "tranched") throw new Error(`stream ${got[1]!.id} should be tranched`);
    expect(got[1]!.tranches).toEqual([
      { unlockTs: tranched.startTs + DAY, amount: 500n },
      { unlockTs: tranched.startTs + 2n * DAY, amount: 500n },
    ]);
    expect(got[0]!.tranches).toBeUndefined();
    expect(got.every((s) => (s.liveUntilLedger ?? 0) > 0)).toBe(true);
    const same = await world.reader.get(ids[0]!);
    expect(got[0]).toMatchObject({ ...same, liveUntilLedger: got[0]!.liveUntilLedger });
    expect(await reader.streams([])).toEqual([]);
    await expect(
      reader.streams(Array.from({ length: MAX_KEYS_PER_READ + 1 }, (_, i) => BigInt(i + 1))),
    ).rejects.toThrow(RangeError);
  });

  it("reads an account's sequence and balance, null for none", async () => {
    const p = await world.party();
    const a = await reader.account(p.address);
    expect(a?.balance).toBeGreaterThan(0n);
    expect(BigInt(a!.sequence)).toBeGreaterThan(0n);
    expect(await reader.account("GAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAWHF")).toBeNull();
  });

  it("reads the network's Soroban limits from its ConfigSetting entries", async () => {
    const limits = await reader.sorobanLimits();
    // The devnet's pubnet profile (devnet/profiles/pubnet.json).
    expect(limits.txMaxWriteLedgerEntries).toBe(200);
    expect(limits.txMaxFootprintEntries).toBe(400);
    expect(limits.txMaxContractEventsSizeBytes).toBe(16_384);
    expect(limits.txMaxInstructions).toBe(400_000_000);
    expect(limits.ledgerMaxTxCount).toBeGreaterThan(0);
    expect(limits.txMaxSizeBytes).toBeGreaterThan(0);
  });
});

describe("maintenance calls as operations", () => {
  it("validates ids and decodes results", () => {
    expect(() => settleManyOperation(world.contractId, [])).toThrow(ValidationError);
    expect(() =>
      extendTtlOperation(
        world.contractId,
        Array.from({ length: 201 }, () => 1n),
      ),
    ).toThrow(ValidationError);
    expect(extendTtlOperation(world.contractId, []).body().switch().name).toBe("invokeHostFunction");
  });

  it("a simulated settle_many reports what it would pay and which recipients cannot receive", async () => {
    await world.warp(DAY);
    const { rpc, TransactionBuilder, Account } = await import("@stellar/stellar-sdk");
    const tx = new TransactionBuilder(new Account((await world.party()).address, "1"), {
      fee: "100",
      networkPassphrase: world.network.passphrase,
    })
      .addOperation(settleManyOperation(world.contractId, ids))
      .setTimeout(30)
      .build();
    const sim = await world.server.simulateTransaction(tx);
    if (!rpc.Api.isSimulationSuccess(sim)) throw new Error("simulation failed");
    const paid = decodeSettleMany(ids, sim.events, world.contractId);
    expect(decodeSettleManyTotal(sim.result!.retval)).toBe(100_500n);
    expect(paid[0]).toBe(100_000n); // a tenth of the linear deposit after a day of ten
    expect(paid[1]).toBe(500n); // the first tranche
    expect(paid[2]).toBe(0n); // skipped
    expect(skippedStreamIds(sim.events, world.contractId)).toEqual([noTrustlineId]);
    const ext = new TransactionBuilder(new Account((await world.party()).address, "1"), {
      fee: "100",
      networkPassphrase: world.network.passphrase,
    })
      .addOperation(extendTtlOperation(world.contractId, ids))
      .setTimeout(30)
      .build();
    const sim2 = await world.server.simulateTransaction(ext);
    if (!rpc.Api.isSimulationSuccess(sim2)) throw new Error("simulation failed");
    expect(decodeExtendTtl(sim2.result!.retval)).toBe(3);
  });
});
