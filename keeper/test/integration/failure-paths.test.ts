// The keeper's failure paths in process, against the real devnet (the chaos test reaches some
// of them only in child processes): an envelope the RPC never receives expires and the batch is
// rebuilt, paying exactly once; a fee payer that cannot pay the fee is refused by the network, the
// run stops settling and reports no progress, and nothing is charged; an unfunded channel account
// fails the run with a sentence naming it; entries archived between a batch's simulation and its
// application fail it on chain, and the retry (which would restore them) stops at the fee budget.

import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Asset, Keypair, Operation, TransactionBuilder } from "@stellar/stellar-sdk";
import { KeypairSigner, LedgerReader } from "@tributary/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Keeper } from "../../src/keeper.js";
import { runOnce } from "../../src/run.js";
import {
  expectPaidExactly,
  funded,
  keeper,
  linearStreams,
  silent,
  startWorld,
  type World,
} from "../helpers/keeper-world.js";

const DAY = 86_400n;
const STREAMS = 3;

let world: World;
const ids: bigint[] = [];

beforeAll(async () => {
  world = await startWorld();
  ids.push(...(await linearStreams(world, STREAMS, { days: 365n, deposit: 365_000_000n })));
}, 900_000);

afterAll(async () => {
  await world?.stop();
});

interface RpcCall {
  method: string;
  params?: { transaction?: string };
}

/**
 * A proxy in front of the devnet's RPC that shows each JSON-RPC request to `hook` first: the
 * hook may act on the chain before the request goes on, or swallow it (an HTTP 503: the client
 * cannot tell whether the devnet got it). Everything else is forwarded intact.
 */
async function interceptRpc(target: string, hook: (call: RpcCall) => Promise<"forward" | "swallow">) {
  const t = new URL(target);
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const body = Buffer.concat(chunks);
      if ((await hook(JSON.parse(body.toString()) as RpcCall)) === "swallow") {
        res.writeHead(503).end("swallowed");
        return;
      }
      const up = request(
        { host: t.hostname, port: t.port, path: t.pathname, method: req.method, headers: req.headers },
        (ur) => {
          res.writeHead(ur.statusCode ?? 502, ur.headers);
          ur.pipe(res);
        },
      );
      up.on("error", () => res.socket?.destroy());
      up.end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${t.pathname}`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

describe("the keeper's failure paths, in process", () => {
  it("an envelope that never reaches the network expires; the batch is rebuilt and pays exactly once", async () => {
    await world.warp(DAY);
    // Every send of the first envelope is swallowed; a rebuilt one goes through.
    let lostXdr: string | undefined;
    let swallowed = 0;
    const proxy = await interceptRpc(world.net.rpcUrl, async ({ method, params }) => {
      if (method !== "sendTransaction") return "forward";
      lostXdr ??= params?.transaction;
      if (params?.transaction !== lostXdr) return "forward";
      swallowed += 1;
      return "swallow";
    });
    try {
      // The shortest validity window the settings allow: the expiry is proven after ~11 s.
      const k = await keeper(world, {
        rpcUrl: proxy.url,
        env: { KEEPER_PAY_INTERVAL: "0s", KEEPER_TX_TIMEOUT_S: "10" },
      });
      const s = await runOnce(k.deps);
      // Resent, as the same envelope, while its outcome was unknown.
      expect(swallowed).toBeGreaterThan(1);
      const lost = TransactionBuilder.fromXDR(lostXdr!, world.network.passphrase);
      expect((await world.server.getTransaction(lost.hash().toString("hex"))).status).toBe("NOT_FOUND");
      expect(s.settledStreams).toBe(STREAMS);
      expect(s.transactions).toBe(1);
      expect(s.failedBatches + s.rejectedBatches).toBe(0);
      const metrics = await k.deps.metrics.registry.metrics();
      expect(metrics).toMatch(/keeper_batches_total\{kind="settle",outcome="expired"\} 1/);
      expect(metrics).toMatch(/keeper_batches_total\{kind="settle",outcome="ok"\} 1/);
      await expectPaidExactly(world, ids, s.ledger);
    } finally {
      await proxy.close();
    }
  }, 120_000);

  it("a fee payer that cannot pay is refused: nothing settles, nothing is charged, the run reports no progress", async () => {
    await world.warp(DAY);
    // Every stream's TTL is below the threshold, so the run also tries to extend them.
    const k = await keeper(world, {
      env: { KEEPER_PAY_INTERVAL: "0s", KEEPER_EXTEND_BELOW_LEDGERS: "10000000" },
    });
    // Leave the fee payer 50 stroops above its minimum balance (two base reserves of 0.5 XLM).
    const payer = k.feePayer.publicKey();
    const balance = (await k.deps.reader.account(payer))!.balance;
    const keep = 10_000_000n + 50n;
    const drain = balance - keep - 100n; // 100: the payment's own fee
    await world.dev.submit(
      new KeypairSigner(k.feePayer),
      Operation.payment({
        destination: (await funded(world)).publicKey(),
        asset: Asset.native(),
        amount: `${drain / 10_000_000n}.${(drain % 10_000_000n).toString().padStart(7, "0")}`,
      }),
    );
    expect((await k.deps.reader.account(payer))!.balance).toBe(keep);
    const withdrawnBefore = await Promise.all(
      ids.map(async (id) => (await world.reader.snapshot(id)).stream),
    );

    const keeperProc = new Keeper(k.deps, silent);
    const s = await keeperProc.tick();
    expect(s).toBeDefined();
    expect(s!.settledStreams).toBe(0);
    expect(s!.rejectedBatches).toBe(1); // settling stops after the first refusal
    expect(s!.failedBatches).toBeGreaterThan(0); // the extension, refused too
    expect(s!.extended).toBe(0);
    expect(s!.progress).toBe(false);
    expect(keeperProc.health.lastError).toBe("no progress: every batch failed");
    expect((await k.deps.reader.account(payer))!.balance).toBe(keep);
    for (const [i, id] of ids.entries())
      expect((await world.reader.snapshot(id)).stream.withdrawn).toBe(withdrawnBefore[i]!.withdrawn);
    const metrics = await k.deps.metrics.registry.metrics();
    expect(metrics).toMatch(/keeper_batches_total\{kind="settle",outcome="rejected"\} 1/);
    expect(metrics).toMatch(/keeper_runs_total\{outcome="no_progress"\} 1/);
  }, 120_000);

  it("an unfunded channel account fails the run with a sentence naming it; the fee payer pays nothing", async () => {
    const channel = Keypair.random();
    const file = join(mkdtempSync(join(tmpdir(), "keeper-")), "channels");
    writeFileSync(file, channel.secret(), { mode: 0o600 });
    const k = await keeper(world, {
      env: { KEEPER_PAY_INTERVAL: "0s", KEEPER_CHANNEL_SECRETS_FILE: file },
    });
    const before = (await k.deps.reader.account(k.feePayer.publicKey()))!.balance;
    const keeperProc = new Keeper(k.deps, silent);
    expect(await keeperProc.tick()).toBeUndefined();
    expect(keeperProc.health.lastError).toBe(
      `channel account ${channel.publicKey()} does not exist (fund it first)`,
    );
    expect((await k.deps.reader.account(k.feePayer.publicKey()))!.balance).toBe(before);
    expect(await k.deps.metrics.registry.metrics()).toMatch(/keeper_runs_total\{outcome="error"\} 1/);
  }, 120_000);
  // Last: it archives the contract and every stream.
  it("entries archived between simulation and application: the batch fails on chain, its fee counts as wasted, and the retry, priced with the restore, stops at the fee budget", async () => {
    await world.warp(DAY);
    let sentXdr: string | undefined;
    const proxy = await interceptRpc(world.net.rpcUrl, async ({ method, params }) => {
      if (method === "sendTransaction" && sentXdr === undefined) {
        sentXdr = params?.transaction;
        // Simulated and signed: now move the ledger past every entry's TTL, then send.
        const latest = (await world.server.getLatestLedger()).sequence;
        const reader = new LedgerReader(world.server, world.contractId);
        const streams = await reader.streams(ids);
        const ttl = await reader.contractTtl();
        const until = Math.max(
          ...streams.map((x) => x.liveUntilLedger!),
          ttl.instanceLiveUntilLedger!,
          ttl.codeLiveUntilLedger!,
        );
        await world.net.warp(5, until - latest + 10);
      }
      return "forward";
    });
    try {
      const k = await keeper(world, { rpcUrl: proxy.url, env: { KEEPER_PAY_INTERVAL: "0s" } });
      const s = await runOnce(k.deps);
      const sent = TransactionBuilder.fromXDR(sentXdr!, world.network.passphrase);
      const res = await world.server.getTransaction(sent.hash().toString("hex"));
      expect(res.status).toBe("FAILED");
      if (res.status !== "FAILED") return;
      const op = res.resultXdr.result().results()[0]!;
      expect(op.tr().invokeHostFunctionResult().switch().name).toBe("invokeHostFunctionEntryArchived");
      expect(s.settledStreams).toBe(0);
      expect(s.failedBatches).toBeGreaterThan(0);
      // The failed settlement's whole fee is counted as wasted.
      expect(s.feeWasted).toBe(res.resultXdr.feeCharged().toBigInt());
      // Split in halves and simulated again, now with the archived entries restored (protocol 23+):
      // the restore's rent is more than the run's fee budget, so settling stops there.
      expect(s.budgetExhausted).toBe(true);
      expect(s.transactions).toBe(1);
      const metrics = await k.deps.metrics.registry.metrics();
      expect(metrics).toMatch(/keeper_batches_total\{kind="settle",outcome="failed"\} 1/);
    } finally {
      await proxy.close();
    }
  }, 120_000);
});
