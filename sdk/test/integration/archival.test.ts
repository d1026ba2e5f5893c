// State archival: a stream nobody touched for longer than its TTL is archived, still
// listed by discovery with its TTL in the past, and the next write through the SDK
// restores it automatically (protocol 23+: the simulation declares the archived
// entries, the transaction restores them) and pays exactly what the mirror says.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { amountsAt } from "../../src/accrual.js";
import { linear } from "../../src/schedule.js";
import { startWorld, type World } from "./harness.js";

let world: World;

beforeAll(async () => {
  world = await startWorld();
}, 900_000);

afterAll(async () => {
  await world?.stop();
});

describe("archived streams", () => {
  it("are listed with a lapsed TTL and restored by the next settle, which pays to the unit", async () => {
    const sender = await world.party({ mint: 1_000n * 10_000_000n });
    const recipient = await world.party();
    const now = await world.now();
    const { result: id } = await sender.client.create({
      sender: sender.address,
      recipient: recipient.address,
      token: world.tokenId,
      schedule: linear({ start: now, durationS: 400n * 86_400n, deposit: 1_000n * 10_000_000n }),
      cancelable: true,
      transferable: false,
    });
    const [before] = await world.reader.listStreams();
    const latest = (await world.reader.latestLedger()).sequence;
    expect(before!.liveUntilLedger).toBeGreaterThan(latest);

    // Jump past the TTL, at pubnet's pace (5 s a ledger).
    const ledgers = before!.liveUntilLedger! - latest + 10;
    await world.net.warp(ledgers * 5, ledgers);
    const [archived] = await world.reader.listStreams();
    const now2 = (await world.reader.latestLedger()).sequence;
    expect(archived!.liveUntilLedger).toBeLessThan(now2);
    expect(archived!.id).toBe(id);

    const keeper = await world.party({ trust: false });
    const out = await keeper.client.settle(id);
    const t = BigInt(((await world.server.getTransaction(out.hash)) as { createdAt: number }).createdAt);
    expect(out.result).toBe(amountsAt(archived!, t).withdrawable);
    expect(out.result).toBeGreaterThan(0n);
    const [restored] = await world.reader.listStreams();
    expect(restored!.liveUntilLedger).toBeGreaterThan(out.ledger);
    expect(restored!.withdrawn).toBe(out.result);
  });
});
