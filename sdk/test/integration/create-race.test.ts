// Several senders create streams in the same ledger of one contract (the race found
// in docs/benchmarks/devnet.md "Concurrent creates collide"). The devnet closes a
// ledger only when the test says so, after every creation has been sent, so they
// all apply in one ledger in queue order, as on pubnet when creators race. Without
// the SDK's reserved ids (`create-race.ts`) every creation but the first fails on
// chain (a write outside its footprint). Real devnet over HTTP; the only wrapper
// counts `sendTransaction` calls so the test knows when to close the ledger.

import { rpc } from "@stellar/stellar-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDevnet } from "../../../test/helpers/devnet.js";
import { StreamClient } from "../../src/client/stream-client.js";
import { CreateRaceError } from "../../src/errors.js";
import { linear, monthly, openEnded } from "../../src/schedule.js";
import type { CreateParamsInput, ScheduleParams } from "../../src/types.js";
import { type Party, type World, worldOn } from "./harness.js";

let world: World;
let senders: Party[];
let recipient: Party;
let ticker: NodeJS.Timeout | undefined;

/** Closes a ledger every `ms` (setup), or stops closing (`null`). */
function closeEvery(ms: number | null) {
  clearInterval(ticker);
  ticker = ms === null ? undefined : setInterval(() => void world.net.closeLedger().catch(() => {}), ms);
}

/** An RPC client that resolves `sent(n)` once `n` envelopes have been sent through it. */
class CountingServer extends rpc.Server {
  #count = 0;
  #waiters: { n: number; resolve: () => void }[] = [];
  override async sendTransaction(...args: Parameters<rpc.Server["sendTransaction"]>) {
    const r = await super.sendTransaction(...args);
    this.#count++;
    for (const w of this.#waiters.filter((w) => this.#count >= w.n)) w.resolve();
    return r;
  }
  sent(n: number): Promise<void> {
    return this.#count >= n
      ? Promise.resolve()
      : new Promise((resolve) => this.#waiters.push({ n, resolve }));
  }
}

beforeAll(async () => {
  const net = await startDevnet({ ledgerIntervalMs: 0, pendingWaitMs: 0 });
  ticker = setInterval(() => void net.closeLedger().catch(() => {}), 50);
  world = await worldOn(net);
  senders = [];
  for (let i = 0; i < 4; i++) senders.push(await world.party({ mint: 1_000_000_000_000n }));
  recipient = await world.party();
  // A first stream, so the race is over an existing count (the usual case).
  const s = senders[0]!;
  await s.client.create(params(s, 0, await world.now()));
}, 900_000);

afterAll(async () => {
  closeEvery(null);
  await world?.stop();
});

/** Stream `i` of a sender: each shape and size, so racers' records differ. */
function params(s: Party, i: number, now: bigint): CreateParamsInput {
  const base = { sender: s.address, recipient: recipient.address, token: world.tokenId, cancelable: true };
  switch (i % 4) {
    case 0:
      return {
        ...base,
        transferable: true,
        schedule: linear({ start: now + 100n, durationS: 1000n, deposit: 1000n }),
      };
    case 1:
      return {
        ...base,
        transferable: false,
        reference: "x".repeat(64),
        schedule: linear({
          start: now + 50n,
          durationS: 5000n,
          cliffS: 100n,
          deposit: 9000n,
          startUnlock: 900n,
          cliffUnlock: 100n,
        }),
      };
    case 2:
      return {
        ...base,
        transferable: true,
        schedule: monthly({ start: now, months: 6, amountPerMonth: 77n }),
      };
    default:
      return {
        ...base,
        transferable: true,
        schedule: openEnded({ amountPerPeriod: 5n, periodS: 60n, deposit: 600n }),
      };
  }
}

/** Each sender's client through one counting RPC client. */
function racers(server: CountingServer) {
  return senders.map(
    (s) =>
      new StreamClient({ network: world.network, contractId: world.contractId, signer: s.signer, server }),
  );
}

/** The record at `id` is the stream `want` asked for: sender, flags, reference, schedule, deposit. */
async function expectStream(id: bigint, want: CreateParamsInput) {
  const s = await world.reader.get(id);
  expect(s.sender).toBe(want.sender);
  expect(s.transferable).toBe(want.transferable);
  expect(new TextDecoder().decode(s.reference ?? new Uint8Array())).toBe(want.reference ?? "");
  const p = want.schedule as ScheduleParams;
  switch (p.kind) {
    case "linear":
      expect(s.schedule).toMatchObject({
        kind: "linear",
        startTs: p.startTs,
        cliffTs: p.cliffTs,
        endTs: p.endTs,
      });
      if (p.startUnlock || p.cliffUnlock)
        expect(s.schedule).toMatchObject({ startUnlock: p.startUnlock, cliffUnlock: p.cliffUnlock });
      expect(s.deposited).toBe(p.deposit);
      break;
    case "tranched":
      expect(s.schedule).toMatchObject({ kind: "tranched", startTs: p.startTs, count: p.tranches.length });
      expect(await world.reader.getTranches(id)).toEqual(p.tranches);
      expect(s.deposited).toBe(p.tranches.reduce((a, t) => a + t.amount, 0n));
      break;
    case "openEnded":
      expect(s.schedule).toMatchObject({
        kind: "openEnded",
        amountPerPeriod: p.amountPerPeriod,
        periodS: p.periodS,
      });
      expect(s.deposited).toBe(p.deposit);
      break;
    default:
      throw new Error(`unexpected schedule ${p.kind}`);
  }
}

describe("creations racing in one ledger", () => {
  it("all land in that ledger with distinct, sequential ids and the schedules their senders asked for", async () => {
    const server = new CountingServer(world.network.rpcUrl, { allowHttp: true });
    const clients = racers(server);
    closeEvery(null);
    const before = await world.reader.streamCount();
    const now = await world.now();
    // Three single creations and one batch of two (tranched and open-ended): five ids.
    const asked = [0, 1, 2].map((i) => [params(senders[i]!, i, now)]);
    asked.push([params(senders[3]!, 2, now), params(senders[3]!, 3, now)]);
    const running = asked.map((ps, i) =>
      ps.length === 1 ? clients[i]!.create(ps[0]!) : clients[i]!.createBatch(ps),
    );
    await server.sent(asked.length);
    await world.net.closeLedger();
    closeEvery(100); // for any confirmation polls still waiting
    const outs = await Promise.all(running);
    expect(new Set(outs.map((o) => o.ledger)).size).toBe(1);
    const ids = outs.flatMap((o) => (Array.isArray(o.result) ? o.result : [o.result]));
    expect([...ids].sort((a, b) => (a < b ? -1 : 1))).toEqual([1n, 2n, 3n, 4n, 5n].map((d) => before + d));
    expect(await world.reader.streamCount()).toBe(before + 5n);
    // Each id holds the stream its own sender asked for.
    for (const [i, o] of outs.entries()) {
      const got = Array.isArray(o.result) ? o.result : [o.result];
      for (const [j, id] of got.entries()) {
        await expectStream(id, asked[i]![j]!);
      }
    }
    // Each paid for its reserved ids (7 by default, fewer keys for a batch's overlap).
    for (const o of outs) expect(o.reserved?.keys.length).toBeGreaterThanOrEqual(7);
  }, 120_000);

  it("without reserved ids, losers are simulated and sent once more; a second loss is CreateRaceError", async () => {
    const server = new CountingServer(world.network.rpcUrl, { allowHttp: true });
    const clients = racers(server).slice(0, 3);
    closeEvery(null);
    const before = await world.reader.streamCount();
    const now = await world.now();
    const running = clients.map((c, i) =>
      c.create(params(senders[i]!, 0, now), { reserveIds: 0 }).then(
        (o) => ({ ok: true as const, o }),
        (e: unknown) => ({ ok: false as const, e }),
      ),
    );
    // Ledger 1: three sent, one wins. Ledger 2: the two losers again, one wins.
    await server.sent(3);
    await world.net.closeLedger();
    await server.sent(5);
    await world.net.closeLedger();
    closeEvery(100);
    const rs = await Promise.all(running);
    const won = rs.filter((r) => r.ok);
    const lost = rs.filter((r) => !r.ok);
    expect(won).toHaveLength(2);
    expect(lost).toHaveLength(1);
    const e = lost[0]!.e as CreateRaceError;
    expect(e).toBeInstanceOf(CreateRaceError);
    expect(e.hashes).toHaveLength(2);
    expect(e.reserveIds).toBe(0);
    const ids = won.map((r) => (r.ok ? r.o.result : 0n)).sort((a, b) => (a < b ? -1 : 1));
    expect(ids).toEqual([before + 1n, before + 2n]);
    expect(await world.reader.streamCount()).toBe(before + 2n);
    // The retried winner reports the attempt that lost (its fee was charged too).
    expect(won.some((r) => r.ok && r.o.raceRetries?.length === 1)).toBe(true);
  }, 120_000);

  it("refuses a reserveIds that is not an integer from 0 to 64, naming the field", async () => {
    const s = senders[0]!;
    const p = params(s, 0, await world.now());
    for (const bad of [-1, 65, 1.5])
      await expect(s.client.create(p, { reserveIds: bad })).rejects.toThrow(/opts\.reserveIds/);
  });
});
