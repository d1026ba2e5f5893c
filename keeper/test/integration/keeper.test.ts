// The keeper against a real devnet over HTTP with the unmodified stellar-sdk:
// honest streams mixed with a hostile-token stream and a recipient without a
// trustline, settled through channel accounts with fee bumps; the first run pays
// every honest stream exactly what accrued and sets the two bad ones aside at no
// fee; a second run pays nothing; the fee budget spends on the oldest accrual
// first; entries are extended; the pay interval holds streams back.

import { type FeeBumpTransaction, TransactionBuilder } from "@stellar/stellar-sdk";
import {
  accrual,
  deployStreamContract,
  KeypairSigner,
  NetworkMismatchError,
  settleManyOperation,
} from "@tributary/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Party } from "../../../sdk/test/integration/harness.js";
import { rng } from "../../../sdk/test/rng.js";
import { isReady, startHealthServer } from "../../src/health.js";
import { isFatal, Keeper } from "../../src/keeper.js";
import { runOnce } from "../../src/run.js";
import { startFaultProxy } from "../helpers/fault-proxy.js";
import { HOSTILE_PASS_AMOUNT, hostileTokenWasm } from "../helpers/hostile-token.js";
import {
  expectPaidExactly,
  funded,
  keeper,
  silent,
  startWorld,
  type World,
} from "../helpers/keeper-world.js";

const DAY = 86_400n;
const HONEST = 60;

let world: World;
let sender: Party;
const recipients: Party[] = [];
const honest: bigint[] = [];
let noTrustlineId: bigint;
let hostileId: bigint;
let hostileToken: string;

beforeAll(async () => {
  world = await startWorld();
  sender = await world.party({ mint: 100_000_000_000n });
  for (let i = 0; i < 4; i++) recipients.push(await world.party());
  const noTrustline = await world.party({ trust: false });
  const deployer = await funded(world);
  hostileToken = await deployStreamContract({
    network: world.network,
    signer: new KeypairSigner(deployer),
    wasm: hostileTokenWasm(),
    server: world.server,
  });
  const now = await world.now();
  // Staggered cliffs: stream k's oldest unpaid unit is k minutes younger than stream k-1's.
  const params = Array.from({ length: HONEST }, (_, k) => ({
    sender: sender.address,
    recipient: recipients[k % recipients.length]!.address,
    token: world.tokenId,
    schedule: {
      kind: "linear" as const,
      startTs: now,
      cliffTs: now + BigInt(k) * 60n,
      endTs: now + 365n * DAY,
      deposit: 365_000_000n,
    },
    cancelable: true,
    transferable: false,
  }));
  for (let i = 0; i < params.length; i += 20)
    honest.push(...(await sender.client.createBatch(params.slice(i, i + 20))).result);
  const bad = await sender.client.createBatch([
    { ...params[0]!, recipient: noTrustline.address },
    {
      ...params[0]!,
      token: hostileToken,
      schedule: {
        kind: "linear",
        startTs: now,
        cliffTs: now,
        endTs: now + 3_650n * DAY,
        deposit: HOSTILE_PASS_AMOUNT,
      },
    },
  ]);
  [noTrustlineId, hostileId] = bad.result as [bigint, bigint];
}, 900_000);

afterAll(async () => {
  await world?.stop();
});

describe("keeper on the devnet", () => {
  it("first run: every honest stream paid exactly, hostile and no-trustline streams set aside at no fee, through fee-bumped channels", async () => {
    await world.warp(30n * DAY);
    const k = await keeper(world, { channels: 3, env: { KEEPER_TOKENS: "*", KEEPER_PAY_INTERVAL: "daily" } });
    const payerBefore = await k.deps.reader.account(k.feePayer.publicKey());
    const channelBefore = await Promise.all(k.channels.map((c) => k.deps.reader.account(c.publicKey())));
    const s = await runOnce(k.deps);

    expect(s.due).toBe(HONEST + 2);
    expect(s.settledStreams).toBe(HONEST);
    expect(s.failedBatches).toBe(0);
    expect(s.skipped).toEqual([noTrustlineId]);
    expect(k.deps.aside.get(noTrustlineId)?.reason).toMatch(/cannot receive/);
    expect(k.deps.aside.get(hostileId)?.reason).toBeDefined();
    expect(s.setAside).toBe(2);
    // No transaction ever carried a bad stream: every fee went to honest settlements.
    expect(s.feeWasted).toBe(0n);

    // Exactly what had accrued at each settlement's ledger close, to the unit.
    const startLedger = s.ledger;
    await expectPaidExactly(world, honest, startLedger);
    expect((await world.reader.snapshot(hostileId)).stream.withdrawn).toBe(0n);
    expect((await world.reader.snapshot(noTrustlineId)).stream.withdrawn).toBe(0n);

    // Fee bumps: the fee payer paid everything, the channels nothing.
    const { transactions } = await world.server.getTransactions({ startLedger, pagination: { limit: 200 } });
    const settles = transactions.filter(
      (t) => t.status === "SUCCESS" && t.envelopeXdr.switch().name === "envelopeTypeTxFeeBump",
    );
    expect(settles.length).toBe(s.transactions);
    for (const t of settles) {
      const fb = TransactionBuilder.fromXDR(t.envelopeXdr, world.network.passphrase) as FeeBumpTransaction;
      expect(fb.feeSource).toBe(k.feePayer.publicKey());
      expect(k.channels.map((c) => c.publicKey())).toContain(fb.innerTransaction.source);
    }
    const channelAfter = await Promise.all(k.channels.map((c) => k.deps.reader.account(c.publicKey())));
    expect(channelAfter.map((a) => a?.balance)).toEqual(channelBefore.map((a) => a?.balance));
    const payerAfter = await k.deps.reader.account(k.feePayer.publicKey());
    expect(s.feeCharged).toBeGreaterThan(0n);
    expect(payerBefore!.balance - payerAfter!.balance).toBe(s.feeCharged);
    expect(payerAfter!.sequence).toBe(payerBefore!.sequence); // a fee source's sequence is not used

    // The metrics tell the same story.
    const text = await k.deps.metrics.registry.metrics();
    expect(text).toMatch(new RegExp(`keeper_streams_settled_total\\{reason="age"\\} ${HONEST}`));
    expect(text).toMatch(/keeper_streams_set_aside 2/);
    expect(text).toMatch(/keeper_fee_spent_stroops_total \d+/);
    expect(text).toMatch(/keeper_fee_payer_balance_stroops \d+/);

    // A second run right away: nothing is a day old, nothing is sent.
    const again = await runOnce(k.deps);
    expect(again.due).toBe(0);
    expect(again.transactions).toBe(0);
  });

  it("with a token allowlist, the hostile stream is never even considered", async () => {
    const k = await keeper(world, { env: { KEEPER_PAY_INTERVAL: "0s" } });
    const s = await runOnce(k.deps);
    expect(s.inScope).toBe(HONEST + 1); // the USDC streams, the no-trustline one included
    expect(k.deps.aside.get(hostileId)).toBeUndefined();
    expect(s.failedBatches).toBe(0);
  });

  it("the fee budget is never exceeded and is spent on the oldest unpaid accrual first", async () => {
    await world.warp(2n * DAY);
    const probe = await keeper(world, {
      env: { KEEPER_PAY_INTERVAL: "daily", KEEPER_TOKENS: world.tokenId },
    });
    // A budget that fits about one small batch: learn a batch's fee from a simulation.
    probe.deps.sizer.rejected(20); // batches of 10
    const p = await probe.deps.pool.with((c) =>
      c.prepare(settleManyOperation(world.contractId, honest.slice(0, 10))),
    );
    const budget = p.maxFee + p.maxFee / 2n;
    const k = await keeper(world, {
      env: { KEEPER_PAY_INTERVAL: "daily", KEEPER_FEE_BUDGET_PER_RUN: budget.toString() },
    });
    k.deps.sizer.rejected(20);
    const s = await runOnce(k.deps);
    expect(s.budgetExhausted).toBe(true);
    expect(s.feeCharged <= budget).toBe(true);
    // The ten with the oldest unpaid accrual: the earliest cliffs, i.e. the first nine honest
    // ids and the no-trustline stream (cliff at the start, like the first), set aside.
    expect(s.settledStreams).toBe(9);
    expect(s.skipped).toEqual([noTrustlineId]);
    const paid = [];
    for (const id of honest) {
      const { events } = await world.reader.events({
        startLedger: s.ledger,
        streamId: id,
        names: ["settled"],
      });
      if (events.length) paid.push(id);
    }
    expect(paid).toEqual(honest.slice(0, 9));
  });

  it("extends entries whose TTL runs low (and the instance and code with them)", async () => {
    const k = await keeper(world, {
      env: {
        KEEPER_PAY_INTERVAL: "off",
        KEEPER_SETTLE_ON_TRANCHE: "false",
        KEEPER_EXTEND_BELOW_LEDGERS: "10000000",
        // Extending to the maximum TTL is rent: tens of XLM per batch of 50.
        KEEPER_FEE_BUDGET_PER_RUN: "20000000000",
        KEEPER_FEE_BUDGET_PER_DAY: "20000000000",
      },
    });
    const s = await runOnce(k.deps);
    expect(s.settledStreams).toBe(0);
    expect(s.budgetExhausted).toBe(false);
    expect(s.extended).toBe(HONEST + 1);
    const after = await k.deps.reader.streams([honest[0]!]);
    const latest = (await world.server.getLatestLedger()).sequence;
    expect(after[0]!.liveUntilLedger! - latest).toBeGreaterThan(2_000_000);
  });
});

describe("the long-running keeper", () => {
  it("never runs twice at once, becomes ready after progress, serves /healthz, /readyz and /metrics, and drains on stop", async () => {
    const k = await keeper(world, { env: { KEEPER_PAY_INTERVAL: "0s" } });
    const keeperProc = new Keeper(k.deps, silent);
    const server = await startHealthServer(0, () => keeperProc.health, k.deps.metrics.registry, 60_000);
    const port = (server.address() as { port: number }).port;
    try {
      const base = `http://127.0.0.1:${port}`;
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      expect((await fetch(`${base}/readyz`)).status).toBe(503); // no run yet
      await world.warp(DAY);
      const first = keeperProc.tick();
      expect(await keeperProc.tick()).toBeUndefined(); // overlapping tick skipped
      const s = await first;
      expect(s?.progress).toBe(true);
      expect(isReady(keeperProc.health, Date.now(), 60_000)).toBe(true);
      expect((await fetch(`${base}/readyz`)).status).toBe(200);
      const metrics = await (await fetch(`${base}/metrics`)).text();
      expect(metrics).toMatch(/keeper_runs_total\{outcome="ok"\} 1/);
      expect(metrics).toMatch(/keeper_ticks_skipped_total\{reason="run_in_progress"\} 1/);
      expect((await fetch(`${base}/nope`)).status).toBe(404);
      // run() ticks at once; stop() drains the in-flight run and resolves run().
      const running = keeperProc.run("0 0 1 1 *");
      expect(await keeperProc.stop(30_000)).toBe(true);
      await running;
      expect(isReady({ lastProgressMs: Date.now() - 120_000 }, Date.now(), 60_000)).toBe(false);
    } finally {
      server.close();
    }
  });

  it("counts a scheduled tick node-cron had to miss (event loop blocked past its tolerance)", async () => {
    const k = await keeper(world, { env: { KEEPER_PAY_INTERVAL: "0s" } });
    const keeperProc = new Keeper(k.deps, silent);
    const running = keeperProc.run("* * * * * *"); // every second
    // Block the event loop for 2.5 s: the slot due 1 s in is then 1.5 s late, past node-cron's 1 s tolerance.
    const until = Date.now() + 2_500;
    while (Date.now() < until) {
      /* busy */
    }
    await new Promise((r) => setTimeout(r, 200));
    expect(await keeperProc.stop(30_000)).toBe(true);
    await running;
    const text = await k.deps.metrics.registry.metrics();
    const missed = Number(/keeper_ticks_skipped_total\{reason="missed"\} (\d+)/.exec(text)?.[1] ?? 0);
    expect(missed).toBeGreaterThanOrEqual(1);
  });

  it("classifies fatal errors", () => {
    expect(isFatal(new NetworkMismatchError("a", "b"))).toBe(true);
    expect(isFatal(new Error("socket hang up"))).toBe(false);
  });
});

describe("the keeper in process through a faulty RPC", () => {
  it("keeps settling exactly through errors and dropped responses, and a failing run is classified", async () => {
    const r = rng(9);
    const proxy = await startFaultProxy(
      world.net.rpcUrl,
      { error: 0.15, hang: 0, drop: 0.15 },
      () => Number(r.big(0n, 999_999n)) / 1e6,
    );
    try {
      const k = await keeper(world, {
        channels: 2,
        rpcUrl: proxy.url,
        env: { KEEPER_PAY_INTERVAL: "0s", KEEPER_RPC_TIMEOUT_MS: "2000" },
      });
      const keeperProc = new Keeper(k.deps, silent);
      for (let i = 0; i < 3; i++) {
        await world.warp(DAY);
        await keeperProc.tick();
      }
      expect(proxy.counts.error + proxy.counts.drop).toBeGreaterThan(0);
      proxy.rates = { error: 0, hang: 0, drop: 0 };
      const clean = await runOnce(k.deps);
      expect(clean.failedBatches).toBe(0);
      for (const id of honest.slice(0, 5)) {
        const { stream } = await world.reader.snapshot(id);
        expect(stream.withdrawn).toBe(accrual.accruedAt(stream, await world.now()));
      }
      // Every request refused: the run fails, is logged, and the keeper is not ready.
      proxy.rates = { error: 1, hang: 0, drop: 0 };
      const failing = new Keeper(k.deps, silent);
      expect(await failing.tick()).toBeUndefined();
      expect(failing.health.lastError).toBeDefined();
    } finally {
      await proxy.close();
    }
  });
});
