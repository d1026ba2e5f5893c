// Keeper at scale (a benchmark: it measures, never asserts timings).
//   KEEPER_BENCH_SIZES=1000,10000 npx vitest run --config bench/keeper/vitest.config.ts
// For each size: a devnet (pubnet profile) gets N linear streams from 8 senders to 100
// recipients, fast (50 ms ledgers); the state is saved, the devnet restarted on it with
// 5-second ledgers and the transaction queue (one queued transaction per account), and
// the real keeper process (keeper/dist/main.js, KEEPER_RUN_ONCE) makes one full pass
// with 16 channel accounts: wall time, ledgers, streams settled per ledger, fee per
// settled stream, peak RSS (GNU time). Then the economics of a day, from the policy
// code itself and the measured fee per stream. Writes bench/keeper/results.json;
// docs/benchmarks/keeper.md reports it.

import { execFile, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import type { Stream } from "@tributary/sdk";
import { accrual } from "@tributary/sdk";
import { Devnet } from "@tributary/sdk/devnet";
import { describe, it } from "vitest";
import { type DecideSettings, decidePage, type StreamView } from "../../keeper/src/decide.js";
import { ensureKeeperBuilt } from "../../keeper/test/helpers/build.js";
import { startDevnet } from "../../test/helpers/devnet.js";

const ROOT = resolve(import.meta.dirname, "..", "..");
const SIZES = (process.env.KEEPER_BENCH_SIZES ?? "1000,10000").split(",").map(Number);
const SENDERS = 8;
const RECIPIENTS = 100;
const CHANNELS = 16;
const DAY = 86_400n;
const exec = promisify(execFile);

interface Pass {
  streams: number;
  settled: number;
  transactions: number;
  batchSizes: number[];
  feeStroops: string;
  feePerSettledStream: number;
  feePerStreamFullestBatch: number;
  wallS: number;
  ledgers: number;
  settledPerLedger: number;
  peakRssMb: number;
  setupS: number;
}

async function setup(n: number, stateFile: string) {
  const net = await startDevnet({ stateFile, ledgerIntervalMs: 50 });
  const dev = await Devnet.connect({ rpcUrl: net.rpcUrl, confirmTimeoutMs: 60_000 });
  const [token, contractId] = await Promise.all([
    dev.issueToken({ code: "USDC" }),
    dev.deployStreamContract(),
  ]);
  const recipients = [];
  for (let i = 0; i < RECIPIENTS; i += 10)
    recipients.push(...(await Promise.all(Array.from({ length: 10 }, () => dev.newAccount({ token })))));
  const senders = await Promise.all(
    Array.from({ length: SENDERS }, () => dev.newAccount({ token, mint: 10n ** 15n })),
  );
  const payer = await dev.newAccount();
  const channels = await Promise.all(Array.from({ length: CHANNELS }, () => dev.newAccount()));
  const now = await dev.now();
  let next = 0;
  await Promise.all(
    senders.map(async (s) => {
      const client = dev.client(contractId, s.signer);
      let chunk = 40;
      for (;;) {
        const first = next;
        if (first >= n) return;
        const count = Math.min(chunk, n - first);
        next += count;
        const params = Array.from({ length: count }, (_, k) => ({
          sender: s.address,
          recipient: recipients[(first + k) % recipients.length]!.address,
          token: token.contractId,
          schedule: {
            kind: "linear" as const,
            startTs: now,
            cliffTs: now,
            endTs: now + 365n * DAY,
            deposit: 3_650_000_000n,
          },
          cancelable: true,
          transferable: false,
        }));
        try {
          await client.createBatch(params);
        } catch (e) {
          if (chunk === 1) throw e;
          chunk = Math.max(1, Math.floor(chunk / 2));
          next -= count; // not exact under concurrency, but no id is lost: recount below
        }
      }
    }),
  );
  await dev.warp(2n * DAY);
  const count = Number(await dev.client(contractId).streamCount());
  await net.stop();
  return { contractId, token: token.contractId, payer, channels, count, passphrase: dev.network.passphrase };
}

async function pass(n: number): Promise<Pass> {
  const dir = mkdtempSync(join(tmpdir(), "keeper-bench-"));
  const stateFile = join(dir, "state.json");
  const t0 = Date.now();
  const s = await setup(n, stateFile);
  const setupS = (Date.now() - t0) / 1000;
  const net = await startDevnet({ stateFile, ledgerIntervalMs: 5_000 });
  writeFileSync(join(dir, "secret"), s.payer.keypair.secret());
  writeFileSync(join(dir, "channels"), s.channels.map((c) => c.keypair.secret()).join("\n"));
  const env = {
    ...process.env,
    KEEPER_RPC_URL: net.rpcUrl,
    KEEPER_NETWORK_PASSPHRASE: s.passphrase,
    KEEPER_CONTRACT_ID: s.contractId,
    KEEPER_TOKENS: s.token,
    KEEPER_SECRET_FILE: join(dir, "secret"),
    KEEPER_CHANNEL_SECRETS_FILE: join(dir, "channels"),
    KEEPER_RUN_ONCE: "true",
    KEEPER_FEE_BUDGET_PER_RUN: "100000000000",
    KEEPER_FEE_BUDGET_PER_DAY: "100000000000",
    KEEPER_EXTEND_BELOW_LEDGERS: "1",
    LOG_FORMAT: "json",
    LOG_LEVEL: "info",
  };
  const startLedger = await net.call<{ sequence: number }>("getLatestLedger");
  const started = Date.now();
  const child = spawn(
    "/usr/bin/time",
    ["-f", "TIME %M %e", process.execPath, join(ROOT, "keeper", "dist", "main.js")],
    {
      env,
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let out = "";
  let err = "";
  child.stdout.on("data", (d: Buffer) => {
    out += d.toString();
  });
  child.stderr.on("data", (d: Buffer) => {
    err += d.toString();
  });
  await new Promise((r) => child.once("close", r));
  const wallS = (Date.now() - started) / 1000;
  const endLedger = await net.call<{ sequence: number }>("getLatestLedger");
  await net.stop();
  const lines = out
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  const done = lines.find((l) => l.msg === "run complete");
  if (!done) throw new Error(`keeper did not complete: ${out.slice(-2000)} ${err.slice(-2000)}`);
  const txs = lines.filter((l) => l.msg === "settle_many");
  const batchSizes = txs.map((l) => (l.streams as string[]).length);
  const fullest = txs.reduce(
    (a, l) => ((l.streams as string[]).length > ((a?.streams as string[] | undefined) ?? []).length ? l : a),
    txs[0],
  );
  const rss = /TIME (\d+) ([\d.]+)/.exec(err);
  const settled = Number(done.settledStreams);
  const fee = BigInt(String(done.fee));
  const ledgers = endLedger.sequence - startLedger.sequence;
  return {
    streams: s.count,
    settled,
    transactions: Number(done.transactions),
    batchSizes,
    feeStroops: fee.toString(),
    feePerSettledStream: settled ? Number(fee / BigInt(settled)) : 0,
    feePerStreamFullestBatch: fullest
      ? Number(BigInt(String(fullest.fee)) / BigInt((fullest.streams as string[]).length))
      : 0,
    wallS,
    ledgers,
    settledPerLedger: ledgers ? settled / ledgers : 0,
    peakRssMb: rss ? Number(rss[1]) / 1024 : 0,
    setupS,
  };
}

/** Settlements per stream per day, from the policy code: `runs` runs a day over `days`. */
function settlementsPerStreamDay(shape: "linear" | "payroll", payIntervalS: bigint, days: number): number {
  const T0 = 1_767_225_600n;
  const streams: StreamView[] = Array.from({ length: 50 }, (_, i) => {
    const start = T0 + BigInt(i) * 1_733n; // staggered
    const base: Stream = {
      id: BigInt(i + 1),
      sender: "GS",
      recipient: "GR",
      token: "CT",
      schedule: { kind: "linear", startTs: start, cliffTs: start, endTs: start + 365n * DAY },
      cancelable: true,
      transferable: false,
      status: "active",
      createdTs: start,
      canceledTs: 0n,
      deposited: 1_200_000_000n,
      withdrawn: 0n,
      refunded: 0n,
    };
    if (shape === "linear") return { stream: base };
    const tranches = Array.from({ length: 12 }, (_, m) => ({
      unlockTs: start + BigInt(m + 1) * 30n * DAY,
      amount: 100_000_000n,
    }));
    return {
      stream: {
        ...base,
        schedule: { kind: "tranched", startTs: start, endTs: start + 360n * DAY, count: 12 },
      },
      tranches,
    };
  });
  const settings: DecideSettings = {
    policy: {
      payIntervalS,
      onTrancheUnlock: true,
      thresholds: new Map(),
      prices: new Map(),
      maxFeeSharePpm: 10_000n,
    },
    scope: { tokens: "any", shard: { index: 0n, count: 1n } },
    feePerStreamStroops: 0n,
    extendBelowLedgers: 1,
  };
  let settlements = 0;
  const from = T0 + 40n * DAY; // mid-schedule
  for (let run = 0; run < days * 288; run++) {
    const now = from + BigInt(run) * 300n;
    const d = decidePage(streams, { ts: now, ledger: 1 }, settings);
    for (const c of d.candidates) {
      const v = streams[Number(c.id) - 1]!;
      v.stream.withdrawn = accrual.accruedAt(v.stream, now, v.tranches);
      settlements += 1;
    }
  }
  return settlements / streams.length / days;
}

describe("keeper benchmark", () => {
  it("scale passes and the economics of a day", async () => {
    await ensureKeeperBuilt();
    const passes: Pass[] = [];
    for (const n of SIZES) {
      const p = await pass(n);
      passes.push(p);
      console.log(JSON.stringify(p));
    }
    const fee = passes.at(-1)?.feePerStreamFullestBatch ?? 0;
    const economics = (["linear", "payroll"] as const).map((shape) => {
      const oldPerDay = settlementsPerStreamDay(shape, 0n, shape === "linear" ? 2 : 31);
      const newPerDay = settlementsPerStreamDay(shape, DAY, shape === "linear" ? 2 : 31);
      return {
        shape,
        streams: 10_000,
        oldSettlementsPerDay: oldPerDay * 10_000,
        newSettlementsPerDay: newPerDay * 10_000,
        oldXlmPerDay: (oldPerDay * 10_000 * fee) / 1e7,
        newXlmPerDay: (newPerDay * 10_000 * fee) / 1e7,
      };
    });
    const git = await exec("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT }).then((r) =>
      r.stdout.trim(),
    );
    const result = {
      commit: git,
      profile: "pubnet (devnet --profile pubnet, 5 s ledgers, transaction queue)",
      passes,
      economics,
    };
    const file = resolve(import.meta.dirname, "results.json");
    const previous = existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : undefined;
    writeFileSync(file, `${JSON.stringify({ ...result, previous: previous?.passes }, null, 2)}\n`);
    console.log(JSON.stringify(economics));
  });
});
