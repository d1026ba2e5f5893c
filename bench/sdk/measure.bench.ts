// Measurements, not assertions: `npm run bench:sdk` (re)writes
// docs/benchmarks/sdk.md. Not part of `npm test` (it adds a minute of load on a
// shared machine), but it runs the same code paths as the SDK's tests.

import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { amountsAt } from "../../sdk/src/accrual.js";
import type { WriteOutcome } from "../../sdk/src/client/stream-client.js";
import { DAY_S, linear, monthly, openEnded } from "../../sdk/src/schedule.js";
import type { Stream } from "../../sdk/src/types.js";
import { type Party, startWorld, type World } from "../../sdk/test/integration/harness.js";

const UNIT = 10_000_000n;
let world: World;
let sender: Party;
let recipient: Party;
const rows: string[] = [];

beforeAll(async () => {
  world = await startWorld();
  sender = await world.party({ mint: 10_000_000n * UNIT });
  recipient = await world.party();
}, 900_000);

afterAll(async () => {
  await world?.stop();
});

async function timed<T>(label: string, f: () => Promise<WriteOutcome<T>>): Promise<WriteOutcome<T>> {
  const t0 = performance.now();
  const out = await f();
  const ms = performance.now() - t0;
  const env = out.response.envelopeXdr.v1().tx();
  const data = env.ext().sorobanData();
  const res = data.resources();
  const fee = out.response.resultXdr.feeCharged().toBigInt();
  rows.push(
    `| ${label} | ${ms.toFixed(0)} | ${res.instructions().toLocaleString("en-US")} | ${res.diskReadBytes()} | ${res.writeBytes()} | ${res.footprint().readWrite().length} | ${fee} |`,
  );
  return out;
}

describe("measurements", () => {
  it("measures every write through the SDK on the devnet, discovery and the mirror", async () => {
    const now = await world.now();
    const base = {
      sender: sender.address,
      recipient: recipient.address,
      token: world.tokenId,
      cancelable: true,
      transferable: true,
    };
    const c = sender.client;
    const lin = (
      await timed("create (linear)", () =>
        c.create({
          ...base,
          schedule: linear({ start: now, durationS: 30n * DAY_S, deposit: 1_000n * UNIT }),
        }),
      )
    ).result;
    await timed("create (tranched, 12 months)", () =>
      c.create({ ...base, schedule: monthly({ start: now, months: 12, amountPerMonth: 100n * UNIT }) }),
    );
    await timed("create (tranched, 240 months)", () =>
      c.create({ ...base, schedule: monthly({ start: now, months: 240, amountPerMonth: UNIT }) }),
    );
    const oe = (
      await timed("create (open-ended)", () =>
        c.create({
          ...base,
          schedule: openEnded({ amountPerPeriod: 10n * UNIT, periodS: DAY_S, deposit: 100n * UNIT }),
        }),
      )
    ).result;
    const others = await Promise.all(Array.from({ length: 20 }, () => world.party()));
    const batch = (
      await timed("create_batch (20 linear)", () =>
        c.createBatch(
          others.map((o) => ({
            ...base,
            recipient: o.address,
            schedule: linear({ start: now, durationS: DAY_S, deposit: UNIT }),
          })),
        ),
      )
    ).result;
    await world.warp(DAY_S);
    await timed("withdraw", () =>
      recipient.client.withdraw({ id: lin, to: recipient.address, amount: UNIT }),
    );
    await timed("withdraw_max", () => recipient.client.withdrawMax({ id: lin, to: recipient.address }));
    await timed("withdraw_max via a relayer (signed auth entry)", () =>
      sender.client.withdrawMax(
        { id: batch[1]!, to: others[1]!.address },
        { authSigners: [others[1]!.signer] },
      ),
    );
    await world.warp(60);
    await timed("settle", () => c.settle(lin));
    await timed("settle_many (20)", () => c.settleMany(batch));
    await timed("top_up", () => c.topUp({ id: oe, from: sender.address, amount: UNIT }));
    await timed("pause", () => c.pause(oe));
    await timed("resume", () => c.resume(oe));
    await timed("set_rate", () => c.setRate({ id: oe, amountPerPeriod: 20n * UNIT }));
    await timed("refund", () => c.refund({ id: oe, amount: UNIT }));
    await timed("refund_max", () => c.refundMax(oe));
    await timed("renounce", () => c.renounce(batch[0]!));
    await timed("transfer", () => recipient.client.transfer({ id: lin, newRecipient: others[0]!.address }));
    await timed("cancel", () => c.cancel(lin));
    await timed("extend_ttl (20)", () => c.extendTtl(batch));

    // Discovery: many streams, read back in batched ledger-entry calls.
    for (let i = 0; i < 9; i++) {
      await c.createBatch(
        others.map((o) => ({
          ...base,
          recipient: o.address,
          schedule: linear({ start: now, durationS: DAY_S, deposit: 1n }),
        })),
      );
    }
    const count = await world.reader.streamCount();
    let t0 = performance.now();
    const all = await world.reader.listStreams({ withTranches: true });
    const listMs = performance.now() - t0;
    expect(BigInt(all.length)).toBe(count);
    t0 = performance.now();
    const mine = await world.reader.listStreams({ recipient: others[3]!.address });
    const filterMs = performance.now() - t0;

    // The mirror: amountsAt over every stream, many instants.
    const streams: Stream[] = all;
    const N = 200_000;
    const later = await world.now();
    t0 = performance.now();
    let sink = 0n;
    for (let i = 0; i < N; i++) {
      const s = streams[i % streams.length]!;
      sink += amountsAt(s, later + BigInt(i), all[i % all.length]!.tranches).withdrawable;
    }
    const mirrorUs = ((performance.now() - t0) * 1000) / N;
    expect(sink >= 0n).toBe(true);

    const report = `# SDK measurements on the devnet

Written by \`npm run bench:sdk\` (bench/sdk/measure.bench.ts) on ${new Date().toISOString().slice(0, 10)}
(2 shared cores, devnet debug build, release contract Wasm), devnet profile **pubnet** (the test helper's default)
(protocol 27 fees, limits and cost model; devnet/profiles/). Latency is the SDK's wall time for the
whole write (getLedgerEntries for the account, simulate, sign, send, poll) with the test helper's
50 ms ledgers; on a real network the wait for the ledger is about 5 s instead. Resources are what
simulation declared in the transaction; the fee is what the devnet charged (rent at the floor rate
of a small state, see devnet/README.md).

| write | ms | instructions | disk read bytes | write bytes | rw entries | fee charged (stroops) |
| --- | ---: | ---: | ---: | ---: | ---: | ---: |
${rows.join("\n")}

Discovery: \`listStreams({ withTranches: true })\` read ${all.length} streams in ${listMs.toFixed(0)} ms
(${Math.ceil(all.length / 200)} + ${Math.ceil(all.filter((s) => s.schedule.kind === "tranched").length / 200)} getLedgerEntries calls plus one for the instance);
filtered by recipient (${mine.length} hits) in ${filterMs.toFixed(0)} ms (filtering is client-side, so the cost is the same).

Mirror: \`amountsAt\` costs ${mirrorUs.toFixed(2)} µs per call (mixed shapes, ${N.toLocaleString("en-US")} calls), so a keeper can
recompute every stream every second locally without RPC calls.
`;
    // Keep the bundle section (written by bench/sdk/bundle.ts) and what follows it.
    const path = resolve(import.meta.dirname, "..", "..", "docs", "benchmarks", "sdk.md");
    const old = readFileSync(path, "utf8");
    const bundle = old.indexOf("<!-- bundle:start -->");
    writeFileSync(path, bundle >= 0 ? `${report}\n${old.slice(bundle)}` : report);
  }, 600_000);
});
