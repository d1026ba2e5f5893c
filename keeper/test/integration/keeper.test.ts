// The keeper against a real devnet over HTTP with the unmodified stellar-sdk: a month
// with the keeper down, then one run pays every recipient exactly what accrued; a
// recipient without a trustline is skipped without blocking the batch; a second run
// pays nothing; two keepers at once never pay twice; entries get extended.

import { Keypair } from "@stellar/stellar-sdk";
import { accrual, KeypairSigner, StreamClient } from "@tributary/sdk";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Party, startWorld, type World } from "../../../sdk/test/integration/harness.js";
import { SorobanChain } from "../../src/chain.js";
import type { Policy } from "../../src/decide.js";
import { runOnce } from "../../src/run.js";

const DAY = 86_400n;
const silent = pino({ level: "silent" });
const policy: Policy = {
  settleBatchSize: 2,
  extendBatchSize: 10,
  minSettleAmount: 1n,
  extendBelowLedgers: 100,
};

let world: World;
let sender: Party;
const recipients: Party[] = [];
let noTrustline: Party;
const ids: bigint[] = [];

async function keeperChain(): Promise<SorobanChain> {
  const kp = Keypair.random();
  await world.server.requestAirdrop(kp.publicKey());
  const client = new StreamClient({
    network: world.network,
    contractId: world.contractId,
    server: world.server,
    signer: new KeypairSigner(kp),
  });
  return new SorobanChain(client, world.server, world.contractId);
}

beforeAll(async () => {
  world = await startWorld();
  sender = await world.party({ mint: 10_000_000_000n });
  for (let i = 0; i < 3; i++) recipients.push(await world.party());
  noTrustline = await world.party({ trust: false });
  const now = await world.now();
  const token = world.tokenId;
  const mk = (recipient: string, schedule: Parameters<typeof sender.client.create>[0]["schedule"]) =>
    sender.client.create({
      sender: sender.address,
      recipient,
      token,
      schedule,
      cancelable: true,
      transferable: false,
    });
  ids.push(
    (
      await mk(recipients[0]!.address, {
        kind: "linear",
        startTs: now,
        cliffTs: now,
        endTs: now + 60n * DAY,
        deposit: 600_000_000n,
      })
    ).result,
  );
  ids.push(
    (
      await mk(recipients[1]!.address, {
        kind: "tranched",
        startTs: now,
        tranches: [1n, 2n, 3n].map((m) => ({ unlockTs: now + m * 20n * DAY, amount: 100_000_000n })),
      })
    ).result,
  );
  ids.push(
    (
      await mk(recipients[2]!.address, {
        kind: "openEnded",
        amountPerPeriod: 7_000_000n,
        periodS: DAY,
        startTs: 0n,
        deposit: 1_000_000_000n,
      })
    ).result,
  );
  ids.push(
    (
      await mk(noTrustline.address, {
        kind: "linear",
        startTs: now,
        cliffTs: now,
        endTs: now + 60n * DAY,
        deposit: 600_000_000n,
      })
    ).result,
  );
}, 900_000);

afterAll(async () => {
  await world?.stop();
});

describe("keeper on the devnet", () => {
  it("after a month down, one run pays every recipient exactly what accrued and skips the one that cannot receive", async () => {
    await world.warp(30n * DAY + 17n);
    const chain = await keeperChain();
    const summary = await runOnce(chain, policy, silent);
    expect(summary.failedBatches).toBe(0);
    expect(summary.skipped).toEqual([ids[3]]);
    const startLedger = (await world.server.getLatestLedger()).sequence - 10;
    for (let i = 0; i < 3; i++) {
      const { stream, tranches } = await world.reader.snapshot(ids[i]!);
      // Everything that had accrued by the close time of the settlement's ledger is paid, to the unit.
      const { events } = await world.reader.events({ startLedger, streamId: ids[i]!, names: ["settled"] });
      expect(events).toHaveLength(1);
      const settledAt = BigInt(Date.parse(events[0]!.ledgerClosedAt!) / 1000);
      expect(stream.withdrawn).toBe(accrual.accruedAt(stream, settledAt, tranches));
      expect(await world.balance(recipients[i]!.address)).toBe(stream.withdrawn);
      expect(stream.withdrawn).toBeGreaterThan(0n);
    }
    const blocked = await world.reader.amounts(ids[3]!);
    expect(blocked.withdrawable).toBeGreaterThan(0n);
    expect(summary.paid).toBe(
      (await Promise.all(recipients.map((r) => world.balance(r.address)))).reduce((a, b) => a + b, 0n),
    );
  });

  it("a second run right after pays nothing new beyond what accrued meanwhile", async () => {
    const before = await Promise.all(recipients.map((r) => world.balance(r.address)));
    const chain = await keeperChain();
    const s = await runOnce(chain, { ...policy, minSettleAmount: 10n ** 9n }, silent);
    expect(s.settledStreams).toBe(0);
    expect(await Promise.all(recipients.map((r) => world.balance(r.address)))).toEqual(before);
  });

  it("two keepers running at once never pay a stream twice", async () => {
    await world.warp(10n * DAY);
    const [a, b] = [await keeperChain(), await keeperChain()];
    const before = await Promise.all(recipients.map((r) => world.balance(r.address)));
    const [sa, sb] = await Promise.all([runOnce(a, policy, silent), runOnce(b, policy, silent)]);
    const after = await Promise.all(recipients.map((r) => world.balance(r.address)));
    // What both keepers report paying is exactly what recipients received.
    expect(sa.paid + sb.paid).toBe(after.reduce((x, y) => x + y, 0n) - before.reduce((x, y) => x + y, 0n));
    expect(sa.paid + sb.paid).toBeGreaterThan(0n);
    for (let i = 0; i < 3; i++) {
      const { stream, tranches } = await world.reader.snapshot(ids[i]!);
      expect(await world.balance(recipients[i]!.address)).toBe(stream.withdrawn);
      // Never more than accrued at the latest ledger.
      expect(stream.withdrawn).toBeLessThanOrEqual(accrual.accruedAt(stream, await world.now(), tranches));
    }
  });

  it("extends stream entries whose TTL runs low", async () => {
    const before = await world.reader.listStreams();
    const chain = await keeperChain();
    const s = await runOnce(chain, { ...policy, extendBelowLedgers: 10_000_000 }, silent);
    expect(s.extended).toBe(4);
    const after = await world.reader.listStreams();
    for (const st of after) {
      const prev = before.find((b) => b.id === st.id)!;
      expect(st.liveUntilLedger!).toBeGreaterThan(prev.liveUntilLedger!);
    }
  });
});

describe("keeper keeps the contract itself alive", () => {
  it("extends the instance and the code when their TTL runs low, with no stream due", async () => {
    const chain = await keeperChain();
    const before = await chain.read();
    expect(before.instanceLiveUntilLedger).toBeDefined();
    const threshold = before.instanceLiveUntilLedger! - before.latestLedger + 1;
    const s = await runOnce(
      chain,
      { ...policy, minSettleAmount: 10n ** 30n, extendBelowLedgers: threshold },
      silent,
    );
    expect(s.failedBatches).toBe(0);
    const after = await chain.read();
    expect(after.instanceLiveUntilLedger!).toBeGreaterThan(before.instanceLiveUntilLedger!);
  });
});
