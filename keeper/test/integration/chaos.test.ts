// Chaos, small and bounded: the real keeper process (keeper/dist/main.js) settling
// every second through a proxy that injects RPC errors, timeouts and dropped
// responses, SIGKILLed at random moments (at least 20 times) and restarted, while a
// second replica with its own fee payer runs on the same shard by mistake. Then the
// faults stop and two clean runs follow. Checked on chain: no stream is ever paid
// more than accrued (recipients' balances equal what the streams record as paid,
// each stream's record equals the sum of its settlement events), every due stream
// is settled within the two clean runs, exactly; the fee wasted on settlements that
// paid nothing and on failed transactions is measured and reported.

import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { FeeBumpTransaction, type Keypair, TransactionBuilder } from "@stellar/stellar-sdk";
import { accrual, decodeSettleMany } from "@tributary/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Party } from "../../../sdk/test/integration/harness.js";
import { rng } from "../../../sdk/test/rng.js";
import { runOnce } from "../../src/run.js";
import { ensureKeeperBuilt } from "../helpers/build.js";
import { type FaultProxy, startFaultProxy } from "../helpers/fault-proxy.js";
import { funded, keeper, startWorld, type World } from "../helpers/keeper-world.js";

const KILLS = 22;
const STREAMS = 24;
const MAIN = resolve(import.meta.dirname, "..", "..", "dist", "main.js");

let world: World;
let proxy: FaultProxy;
const recipients: Party[] = [];
const ids: bigint[] = [];
let startLedger = 0;

beforeAll(async () => {
  await ensureKeeperBuilt();
  world = await startWorld();
  startLedger = (await world.server.getLatestLedger()).sequence;
  const sender = await world.party({ mint: 100_000_000_000n });
  for (let i = 0; i < 4; i++) recipients.push(await world.party());
  const now = await world.now();
  // Tranches unlock every 4 s of ledger time (wall clock), so two replicas racing over
  // the same tranche pay for a settlement that pays nothing; linear ones accrue each second.
  const params = Array.from({ length: STREAMS }, (_, k) => ({
    sender: sender.address,
    recipient: recipients[k % recipients.length]!.address,
    token: world.tokenId,
    schedule:
      k % 2 === 0
        ? {
            kind: "tranched" as const,
            startTs: now,
            tranches: Array.from({ length: 100 }, (_, j) => ({
              unlockTs: now + 4n * BigInt(j + 1),
              amount: 1_000n,
            })),
          }
        : { kind: "linear" as const, startTs: now, cliffTs: now, endTs: now + 3_600n, deposit: 36_000_000n },
    cancelable: true,
    transferable: false,
  }));
  for (let i = 0; i < params.length; i += 4)
    ids.push(...(await sender.client.createBatch(params.slice(i, i + 4))).result);
  proxy = await startFaultProxy(world.net.rpcUrl, { error: 0.08, hang: 0.04, drop: 0.06 });
}, 900_000);

afterAll(async () => {
  await proxy?.close();
  await world?.stop();
});

interface Proc {
  child: ChildProcess;
  /** Resolves at the "keeper assembled" line (or exit). */
  ready: Promise<void>;
  lines: Record<string, unknown>[];
  exited: Promise<number | null>;
}

function spawnKeeper(env: Record<string, string>): Proc {
  const child = spawn(process.execPath, [MAIN], {
    env: { ...process.env, ...env, LOG_FORMAT: "json", LOG_LEVEL: "info" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: Record<string, unknown>[] = [];
  let markReady: () => void = () => {};
  const ready = new Promise<void>((r) => {
    markReady = r;
  });
  createInterface({ input: child.stdout! }).on("line", (l) => {
    try {
      const line = JSON.parse(l) as Record<string, unknown>;
      lines.push(line);
      if (line.msg === "keeper assembled") markReady();
    } catch {
      // not a log line
    }
  });
  child.once("exit", () => markReady());
  // "close": after the process exited and its output was read to the end.
  const exited = new Promise<number | null>((r) => child.once("close", (code) => r(code)));
  return { child, ready, lines, exited };
}

async function keeperEnv(name: string, payer: Keypair, channels: Keypair[]): Promise<Record<string, string>> {
  const dir = mkdtempSync(join(tmpdir(), `chaos-${name}-`));
  writeFileSync(join(dir, "secret"), payer.secret(), { mode: 0o600 });
  writeFileSync(join(dir, "channels"), channels.map((c) => c.secret()).join("\n"), { mode: 0o600 });
  return {
    KEEPER_RPC_URL: proxy.url,
    KEEPER_NETWORK_PASSPHRASE: world.network.passphrase,
    KEEPER_CONTRACT_ID: world.contractId,
    KEEPER_SECRET_FILE: join(dir, "secret"),
    KEEPER_CHANNEL_SECRETS_FILE: join(dir, "channels"),
    KEEPER_TOKENS: world.tokenId,
    KEEPER_SHARD: "0/1", // both replicas: the mistake under test
    KEEPER_PAY_INTERVAL: "0s",
    KEEPER_SCHEDULE: "* * * * * *",
    KEEPER_RPC_TIMEOUT_MS: "1500",
    KEEPER_TX_TIMEOUT_S: "10",
    KEEPER_HEALTH_PORT: "0",
    KEEPER_SHUTDOWN_DEADLINE_MS: "20000",
  };
}

describe("chaos", () => {
  it(`${KILLS} SIGKILLs, RPC faults and a second replica on the same shard: no overpayment, all settled within two clean runs, wasted fee measured`, async () => {
    const r = rng(2026);
    const payerA = await funded(world);
    const payerB = await funded(world);
    const channelsA = [await funded(world), await funded(world)];
    const channelsB = [await funded(world)];
    const envA = await keeperEnv("a", payerA, channelsA);
    const envB = await keeperEnv("b", payerB, channelsB);

    // Ledger time moves 2 s every 700 ms meanwhile (the devnet's clock moves only by
    // warps), so streams keep accruing and tranches unlock.
    const ticker = setInterval(() => void world.net.warp(2, 1).catch(() => undefined), 700);
    // Replica B runs throughout; replica A is killed at random moments and restarted.
    const b = spawnKeeper(envB);
    const aLogs: Record<string, unknown>[] = [];
    for (let kill = 0; kill < KILLS; kill++) {
      const a = spawnKeeper(envA);
      // Killed at a random moment of its work (not while Node is still loading).
      await a.ready;
      await new Promise((res) => setTimeout(res, Number(r.big(0n, 2_500n))));
      a.child.kill("SIGKILL");
      await a.exited;
      aLogs.push(...a.lines);
    }
    // B drains cleanly on SIGTERM even with faults on.
    b.child.kill("SIGTERM");
    if (process.env.KEEPER_TEST_LOG) writeFileSync("/tmp/chaos-b.json", JSON.stringify(b.lines, null, 1));
    expect(await b.exited).toBe(0);
    expect(b.lines.map((l) => l.msg)).toContain("drained");

    clearInterval(ticker);
    // The faults stop; two clean runs.
    proxy.rates = { error: 0, hang: 0, drop: 0 };
    const clean = await keeper(world, { env: { KEEPER_PAY_INTERVAL: "0s" } });
    const run1 = await runOnce(clean.deps);
    const run2 = await runOnce(clean.deps);
    expect(run1.failedBatches + run2.failedBatches).toBe(0);
    expect(run2.unpaid).toBe(0);

    // No overpayment: what recipients hold is exactly what the streams record as paid,
    // and each record is the sum of its settlement events and never above accrual.
    const now = await world.now();
    let recorded = 0n;
    const lastSettled = new Map<bigint, bigint>();
    const perStream = new Map<bigint, bigint>();
    for (const id of ids) perStream.set(id, 0n);
    let cursor: string | undefined;
    for (;;) {
      const page = await world.reader.events(
        cursor
          ? { cursor, names: ["settled"], limit: 1_000 }
          : { startLedger, names: ["settled"], limit: 1_000 },
      );
      for (const e of page.events) {
        if (e.type !== "settled") continue;
        perStream.set(e.id, (perStream.get(e.id) ?? 0n) + e.amount);
        lastSettled.set(e.id, BigInt(Date.parse(e.ledgerClosedAt!) / 1000));
      }
      if (page.events.length < 1_000) break;
      cursor = page.nextCursor;
    }
    for (const id of ids) {
      const { stream, tranches } = await world.reader.snapshot(id);
      expect(stream.withdrawn).toBe(perStream.get(id));
      expect(stream.withdrawn <= accrual.accruedAt(stream, now, tranches)).toBe(true);
      // Settled exactly: everything accrued by its last settlement's close was paid.
      expect(stream.withdrawn).toBe(accrual.accruedAt(stream, lastSettled.get(id)!, tranches));
      recorded += stream.withdrawn;
    }
    let held = 0n;
    for (const p of recipients) held += await world.balance(p.address);
    expect(held).toBe(recorded);

    // Wasted fee, measured on chain: the share of each replica transaction's fee that
    // paid nothing, and failed transactions whole.
    const payers = new Set([payerA.publicKey(), payerB.publicKey()]);
    let spent = 0n;
    let wasted = 0n;
    let txs = 0;
    let pageCursor: string | undefined;
    for (;;) {
      const page = await world.server.getTransactions(
        pageCursor
          ? { pagination: { cursor: pageCursor, limit: 200 } }
          : { startLedger, pagination: { limit: 200 } },
      );
      for (const t of page.transactions) {
        const env = TransactionBuilder.fromXDR(t.envelopeXdr, world.network.passphrase);
        if (!(env instanceof FeeBumpTransaction) || !payers.has(env.feeSource)) continue;
        const fee = t.resultXdr.feeCharged().toBigInt();
        txs += 1;
        spent += fee;
        if (t.status !== "SUCCESS") {
          wasted += fee;
          continue;
        }
        const fn = env.innerTransaction.operations[0];
        if (fn?.type !== "invokeHostFunction") continue;
        // settle_many's ids from the operation; what each was paid from its `settled` events.
        const ids =
          fn.func
            .invokeContract()
            .args()[0]
            ?.vec()
            ?.map((x) => x.u64().toBigInt()) ?? [];
        const paid = decodeSettleMany(ids, t.events?.contractEventsXdr?.flat(), world.contractId);
        const zero = paid.filter((x) => x === 0n).length;
        wasted += (fee * BigInt(zero)) / BigInt(paid.length || 1);
      }
      if (page.transactions.length < 200) break;
      pageCursor = page.cursor;
    }
    const selfReported = [...aLogs, ...b.lines]
      .filter((l) => l.msg === "run complete")
      .reduce((sum, l) => sum + BigInt(String(l.feeWasted ?? "0")), 0n);
    const killedMidRun =
      aLogs.filter((l) => l.msg === "plan").length - aLogs.filter((l) => l.msg === "run complete").length;
    console.log(
      `chaos: ${KILLS} SIGKILLs (${killedMidRun} mid-run), faults ${JSON.stringify(proxy.counts)}, ` +
        `${txs} replica transactions, fee ${spent} stroops, wasted ${wasted} (${spent ? (Number((wasted * 10_000n) / spent) / 100).toFixed(2) : 0}%), ` +
        `self-reported by completed runs ${selfReported}; clean runs settled ${run1.settledStreams} + ${run2.settledStreams}`,
    );
    expect(txs).toBeGreaterThan(0);
    expect(proxy.counts.error + proxy.counts.hang + proxy.counts.drop).toBeGreaterThan(10);
    // The keepers never claim more waste than the chain shows.
    expect(selfReported <= wasted).toBe(true);
  }, 600_000);
});
