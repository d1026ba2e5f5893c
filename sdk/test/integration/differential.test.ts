// Differential test: a seeded random sequence of operations on an open-ended stream
// (warps, withdrawals, settlements, pauses, resumes, rate changes, top-ups, refunds)
// against the real contract on the devnet. After every write the SDK's mirror must
// predict exactly what the contract paid or refunded at that transaction's ledger
// close time, and the total accrued must equal an independent from-first-principles
// oracle: floor(sum of rate_i * running_seconds_i / period) over every segment.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { amountsAt } from "../../src/accrual.js";
import type { Stream } from "../../src/types.js";
import { rng } from "../rng.js";
import { type Party, startWorld, type World } from "./harness.js";

let world: World;
let sender: Party;
let recipient: Party;
let keeper: Party;

beforeAll(async () => {
  world = await startWorld();
  [sender, recipient, keeper] = await Promise.all([
    world.party({ mint: 10_000_000_000n }),
    world.party(),
    world.party({ trust: false }),
  ]);
}, 900_000);

afterAll(async () => {
  await world?.stop();
});

async function closeTs(hash: string): Promise<bigint> {
  const res = await world.server.getTransaction(hash);
  if (res.status === "NOT_FOUND") throw new Error("not found");
  return BigInt(res.createdAt);
}

describe("mirror vs contract under random operations", () => {
  it("predicts every payout to the unit and accrues exactly the ideal schedule", async () => {
    const r = rng(20261122);
    const period = 86_399n; // awkward on purpose: remainders everywhere
    let rate = 1_000_003n;
    const { result: id, hash } = await sender.client.create({
      sender: sender.address,
      recipient: recipient.address,
      token: world.tokenId,
      schedule: {
        kind: "openEnded",
        amountPerPeriod: rate,
        periodS: period,
        startTs: 0n,
        deposit: 200_000_000n,
      },
      cancelable: true,
      transferable: false,
    });
    // Oracle state: sum of rate * running seconds, and when the current segment started.
    let num = 0n;
    let segStart: bigint | null = await closeTs(hash);
    const accrue = (t: bigint) => {
      if (segStart !== null) num += rate * (t - segStart);
      segStart = segStart === null ? null : t;
    };
    let paused = false;
    const log: string[] = [];

    for (let step = 0; step < 80; step++) {
      // Time passes before most operations (seconds to a day), so payouts depend on accrual.
      if (r.big(0n, 3n) > 0n) await world.warp(r.big(1n, 100_000n));
      const before: Stream = await world.reader.get(id);
      // Mostly withdrawals, settlements and rate changes; refunds rarely (they create debt).
      const op = [1, 1, 2, 2, 3, 4, 4, 5, 1, 2, 4, 6][Number(r.big(0n, 11n))]!;
      const note = (s: string) => log.push(`${step}: ${s}`);
      switch (op) {
        case 0: {
          const s = r.big(1n, 200_000n);
          await world.warp(s);
          note(`warp ${s}`);
          continue; // no write: nothing to compare yet
        }
        case 1: {
          const out = await recipient.client.withdrawMax({ id, to: recipient.address });
          const t = await closeTs(out.hash);
          expect(out.result, log.join("\n")).toBe(amountsAt(before, t).withdrawable);
          note(`withdraw_max ${out.result} at ${t}`);
          break;
        }
        case 2: {
          const out = await keeper.client.settle(id);
          const t = await closeTs(out.hash);
          expect(out.result, log.join("\n")).toBe(amountsAt(before, t).withdrawable);
          note(`settle ${out.result}`);
          break;
        }
        case 3: {
          if (paused) {
            const out = await sender.client.resume(id);
            const t = await closeTs(out.hash);
            segStart = t;
            paused = false;
            note(`resume at ${t}`);
          } else {
            const out = await sender.client.pause(id);
            const t = await closeTs(out.hash);
            accrue(t);
            segStart = null;
            paused = true;
            const ev = out.events.find((e) => e.type === "paused") as { accrued: bigint };
            expect(ev.accrued, log.join("\n")).toBe(amountsAt(before, t).accrued);
            note(`pause at ${t}, accrued ${ev.accrued}`);
          }
          break;
        }
        case 4: {
          const next = r.big(1n, 5_000_000n);
          const out = await sender.client.setRate({ id, amountPerPeriod: next });
          const t = await closeTs(out.hash);
          accrue(t);
          rate = next;
          note(`set_rate ${next} at ${t}`);
          break;
        }
        case 5: {
          const amount = r.big(1n, 300_000_000n);
          const out = await sender.client.topUp({ id, from: sender.address, amount });
          note(`top_up ${amount} at ${await closeTs(out.hash)}`);
          break;
        }
        case 6: {
          const out = await sender.client.refundMax(id);
          const t = await closeTs(out.hash);
          expect(out.result, log.join("\n")).toBe(amountsAt(before, t).refundable);
          note(`refund_max ${out.result}`);
          break;
        }
        case 7: {
          const s = r.big(1n, 3_000n);
          await world.warp(s);
          note(`short warp ${s}`);
          continue;
        }
      }
      // After every write: the record's accrual equals the oracle at that instant.
      const after = await world.reader.get(id);
      if (after.schedule.kind !== "openEnded") throw new Error("shape changed");
      const t = after.schedule.snapshotTs;
      const oracleNum = num + (segStart !== null && t > segStart ? rate * (t - segStart) : 0n);
      expect(after.schedule.accruedAtSnapshot, log.join("\n")).toBe(oracleNum / period);
      expect(after.schedule.remainder, log.join("\n")).toBe(oracleNum % period);
    }
    // And the final state, read at the latest ledger, against the oracle.
    const final = await world.reader.get(id);
    const now = await world.now();
    const oracleNum = num + (segStart !== null ? rate * (now - segStart) : 0n);
    expect(amountsAt(final, now).accrued, log.join("\n")).toBe(oracleNum / period);
    if (process.env.SHOW_LOG) console.log(log.join("\n"));
    expect(log.filter((l) => /^(\d+): (withdraw_max|settle) [1-9]/.test(l)).length).toBeGreaterThan(15);
  }, 300_000);
});
