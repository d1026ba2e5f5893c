// Keeper at scale (a benchmark: it measures, never asserts timings).
//   KEEPER_BENCH_SIZES=1000,10000 npx vitest run --config bench/keeper/vitest.config.ts
// For each size: a devnet gets N linear streams to 50 recipients from one sender per
// 5,000 streams, fast (50 ms ledgers, relaxed limits: setup only); the state is saved, the
// devnet restarted on it with the unmodified pubnet profile, 5-second ledgers and the transaction queue (one queued transaction per account), and
// the real keeper process (keeper/dist/main.js, KEEPER_RUN_ONCE) makes one full pass
// with 16 channel accounts: wall time, ledgers, streams settled per ledger, fee per
// settled stream, peak RSS (GNU time). Then the economics of a day, from the policy
// code itself and the measured fee per stream. Writes bench/keeper/results.json;
// docs/benchmarks/keeper.md reports it.

import { execFile, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { Address, nativeToScVal, scValToBigInt, xdr } from "@stellar/stellar-sdk";
import type { Stream } from "@tributary/sdk";
import { accrual } from "@tributary/sdk";
import { Devnet } from "@tributary/sdk/devnet";
import { describe, it } from "vitest";
import { type DecideSettings, decidePage, type StreamView } from "../../keeper/src/decide.js";
import { ensureKeeperBuilt } from "../../keeper/test/helpers/build.js";
import { startDevnet } from "../../test/helpers/devnet.js";

const ROOT = resolve(import.meta.dirname, "..", "..");
// Empty: only the economics, with the fee measured by the last recorded passes.
const SIZES = (process.env.KEEPER_BENCH_SIZES ?? "1000,10000").split(",").filter(Boolean).map(Number);
const CHANNELS = 16;
const DAY = 86_400n;
const exec = promisify(execFile);
// The keeper runs as its container runs it: the node flags of the Dockerfile's CMD.
const NODE_FLAGS = (() => {
  const cmd = /^CMD \[(.*)\]$/m.exec(readFileSync(join(ROOT, "keeper", "Dockerfile"), "utf8"))?.[1];
  const args = cmd ? (JSON.parse(`[${cmd}]`) as string[]) : [];
  return args.filter((a) => a.startsWith("--"));
})();

// Setup only (not measured): streams are created on 20 ms ledgers under relaxed limits so
// one create_batch carries 50 streams (pubnet's 16 KiB of events allows about 25) and a
// ledger takes every queued transaction; the measured pass then restarts the devnet on the
// saved state with the unmodified pubnet profile. Each sender creates CHUNK streams per
// transaction, to recipients 0..49 in order, so any 48 consecutive ids have distinct recipients
// (as the contract's 48-stream figure assumes). A sender pays about 0.77 XLM of rent a
// stream, so each creates at most STREAMS_PER_SENDER (friendbot gives 10,000 XLM).
const CHUNK = 50;
const RECIPIENTS = CHUNK;
// The SAC's transfer event carries the asset's name ("USDC:G..."): a 4-letter code costs 4
// more event bytes a stream than a 1-3 letter one, so 47 streams fit instead of 48.
const ASSET_CODE = process.env.KEEPER_BENCH_ASSET_CODE ?? "USDC";
const STREAMS_PER_SENDER = 5_000;
const DEPOSIT = 3_650_000_000n;
// Streams created through the contract; beyond this many the saved state is seeded with
// copies of them (copyStreams): creating 100,000 through the contract on this debug
// devnet and these shared cores takes longer than the pass it sets up.
const REAL_STREAMS = 2_000;
const SETUP_SETTINGS = {
  tx_max_contract_events_size_bytes: 1_000_000,
  tx_max_instructions: 2_000_000_000,
  tx_memory_limit: 1_000_000_000,
  tx_max_footprint_entries: 2_000,
  tx_max_write_entries: 1_000,
  tx_max_write_bytes: 1_000_000,
  tx_max_disk_read_entries: 1_000,
  tx_max_disk_read_bytes: 1_000_000,
  tx_max_size_bytes: 1_000_000,
  ledger_max_instructions: 100_000_000_000,
  ledger_max_write_entries: 1_000_000,
  ledger_max_write_bytes: 1_000_000_000,
  ledger_max_disk_read_entries: 1_000_000,
  ledger_max_disk_read_bytes: 1_000_000_000,
  ledger_max_txs_size_bytes: 1_000_000_000,
  ledger_max_tx_count: 100_000,
};

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
  /** 1-minute load average at the start and end of the pass (2 shared cores). */
  loadAverage: [number, number];
}

/**
 * Seeds a saved devnet state with streams `real+1..=n`, copies of streams `1..=real` made
 * through the contract (record `(id - 1) % real + 1`, so recipients keep their order and any
 * 48 consecutive ids have distinct recipients), in the contract's own storage layout: the
 * persistent `Stream(id)` entry with the template's TTL, `StreamCount` in the instance, and
 * the contract's token balance grown by the copies' deposits (so the contract stays solvent
 * and its balance checks hold). Nothing else refers to a linear stream.
 */
function copyStreams(
  stateFile: string,
  contractId: string,
  tokenId: string,
  real: number,
  n: number,
  deposit: bigint,
) {
  type Saved = { entries: { entry: string; liveUntil?: number | null }[] };
  const saved = JSON.parse(readFileSync(stateFile, "utf8")) as Saved;
  const templates = new Map<bigint, { entry: xdr.LedgerEntry; liveUntil?: number | null }>();
  let instance: number | undefined;
  let balance: number | undefined;
  saved.entries.forEach((e, i) => {
    const le = xdr.LedgerEntry.fromXDR(e.entry, "base64");
    if (le.data().switch().name !== "contractData") return;
    const cd = le.data().contractData();
    const owner = Address.fromScAddress(cd.contract()).toString();
    const key = cd.key();
    if (owner === contractId) {
      if (key.switch().name === "scvLedgerKeyContractInstance") instance = i;
      const v = key.switch().name === "scvVec" ? key.vec() : null;
      if (v?.[0]?.sym().toString() === "Stream")
        templates.set(v[1]!.u64().toBigInt(), { entry: le, liveUntil: e.liveUntil ?? null });
    } else if (owner === tokenId && key.switch().name === "scvVec") {
      const v = key.vec()!;
      if (v[0]?.sym().toString() === "Balance" && Address.fromScVal(v[1]!).toString() === contractId)
        balance = i;
    }
  });
  if (instance === undefined || balance === undefined || templates.size !== real)
    throw new Error(`cannot seed: instance ${instance}, balance ${balance}, ${templates.size} streams`);
  for (let id = BigInt(real) + 1n; id <= BigInt(n); id++) {
    const t = templates.get(((id - 1n) % BigInt(real)) + 1n)!;
    const le = xdr.LedgerEntry.fromXDR(t.entry.toXDR());
    const cd = le.data().contractData();
    cd.key(xdr.ScVal.scvVec([xdr.ScVal.scvSymbol("Stream"), xdr.ScVal.scvU64(new xdr.Uint64(id))]));
    saved.entries.push({ entry: le.toXDR("base64"), liveUntil: t.liveUntil ?? null });
  }
  // StreamCount in the instance storage.
  const inst = xdr.LedgerEntry.fromXDR(saved.entries[instance]!.entry, "base64");
  const storage = inst.data().contractData().val().instance().storage() ?? [];
  const countEntry = storage.find(
    (m) => m.key().switch().name === "scvVec" && m.key().vec()?.[0]?.sym().toString() === "StreamCount",
  );
  if (!countEntry) throw new Error("cannot seed: no StreamCount");
  countEntry.val(xdr.ScVal.scvU64(new xdr.Uint64(BigInt(n))));
  saved.entries[instance]!.entry = inst.toXDR("base64");
  // The contract's balance of the token: { amount, authorized, clawback }.
  const bal = xdr.LedgerEntry.fromXDR(saved.entries[balance]!.entry, "base64");
  const amount = bal
    .data()
    .contractData()
    .val()
    .map()!
    .find((m) => m.key().sym().toString() === "amount")!;
  const more = scValToBigInt(amount.val()) + BigInt(n - real) * deposit;
  amount.val(nativeToScVal(more, { type: "i128" }));
  saved.entries[balance]!.entry = bal.toXDR("base64");
  writeFileSync(stateFile, JSON.stringify(saved));
}

async function setup(n: number, dir: string) {
  const stateFile = join(dir, "state.json");
  const settingsFile = join(dir, "setup-settings.json");
  writeFileSync(settingsFile, JSON.stringify(SETUP_SETTINGS));
  const net = await startDevnet({ stateFile, settingsFile, ledgerIntervalMs: 20 });
  const dev = await Devnet.connect({ rpcUrl: net.rpcUrl, confirmTimeoutMs: 120_000, pollIntervalMs: 20 });
  const [token, contractId] = await Promise.all([
    dev.issueToken({ code: ASSET_CODE }),
    dev.deployStreamContract(),
  ]);
  const recipients = [];
  for (let i = 0; i < RECIPIENTS; i += 10)
    recipients.push(...(await Promise.all(Array.from({ length: 10 }, () => dev.newAccount({ token })))));
  // One at a time: the issuer mints, and an account has one transaction in the queue.
  const real = Math.min(n, REAL_STREAMS);
  const senderCount = Math.max(1, Math.ceil(real / STREAMS_PER_SENDER));
  const senders = [];
  for (let i = 0; i < senderCount; i++) senders.push(await dev.newAccount({ token, mint: 10n ** 15n }));
  const payer = await dev.newAccount();
  const channels = await Promise.all(Array.from({ length: CHANNELS }, () => dev.newAccount()));
  const now = await dev.now();
  // One transaction at a time: creates that land in the same ledger collide on the new
  // stream ids their simulations put in the footprint (one traps), so senders take turns.
  let next = 0;
  for (const s of senders) {
    const client = dev.client(contractId, s.signer);
    const last = Math.min(real, next + STREAMS_PER_SENDER);
    while (next < last) {
      const count = Math.min(CHUNK, last - next);
      const params = Array.from({ length: count }, (_, k) => ({
        sender: s.address,
        recipient: recipients[k % recipients.length]!.address,
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
      await client.createBatch(params);
      next += count;
    }
  }
  await dev.warp(2n * DAY);
  if (Number(await dev.client(contractId).streamCount()) !== real) throw new Error("setup lost streams");
  await net.stop();
  if (n > real) copyStreams(stateFile, contractId, token.contractId, real, n, DEPOSIT);
  // The devnet reads the seeded state back through the contract: the count and the balance.
  const check = await startDevnet({ stateFile });
  const checkDev = await Devnet.connect({ rpcUrl: check.rpcUrl });
  const count = Number(await checkDev.client(contractId).streamCount());
  await check.stop();
  if (count !== n) throw new Error(`setup has ${count} streams, wanted ${n}`);
  return { contractId, token: token.contractId, payer, channels, count, passphrase: dev.network.passphrase };
}

async function pass(n: number): Promise<Pass> {
  const dir = mkdtempSync(join(tmpdir(), "keeper-bench-"));
  const stateFile = join(dir, "state.json");
  const t0 = Date.now();
  const s = await setup(n, dir);
  const setupS = (Date.now() - t0) / 1000;
  const net = await startDevnet({ stateFile, ledgerIntervalMs: 5_000 });
  writeFileSync(join(dir, "secret"), s.payer.keypair.secret());
  writeFileSync(join(dir, "channels"), s.channels.map((c) => c.keypair.secret()).join("\n"));
  // What another run on this state needs (e.g. profiling the keeper after a devnet_warp).
  writeFileSync(
    join(dir, "setup.json"),
    JSON.stringify({ contractId: s.contractId, token: s.token, passphrase: s.passphrase, streams: s.count }),
  );
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
    LOG_LEVEL: process.env.KEEPER_BENCH_LOG_LEVEL ?? "info",
  };
  const startLedger = await net.call<{ sequence: number }>("getLatestLedger");
  const loadStart = loadavg()[0]!;
  const started = Date.now();
  const child = spawn(
    "/usr/bin/time",
    ["-f", "TIME %M %e", process.execPath, ...NODE_FLAGS, join(ROOT, "keeper", "dist", "main.js")],
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
    loadAverage: [loadStart, loadavg()[0]!],
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
      if (run > 0) settlements += 1; // the first run only catches up
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
    const file = resolve(import.meta.dirname, "results.json");
    const previous = existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : undefined;
    if (passes.length === 0) passes.push(...((previous?.passes ?? []) as Pass[]));
    const fee = passes.at(-1)?.feePerStreamFullestBatch ?? 0;
    const economics = (["linear", "payroll"] as const).map((shape) => {
      const oldPerDay = settlementsPerStreamDay(shape, 0n, shape === "linear" ? 2 : 31);
      const newPerDay = settlementsPerStreamDay(shape, DAY, 31);
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
    writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
    console.log(JSON.stringify(economics));
  });
});
