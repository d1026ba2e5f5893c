/**
 * The real thing: the keeper (keeper/dist/main.js, unmodified, as separate OS processes) against
 * the stream contract (artifacts/stream.wasm) on the devnet (the Rust devnet binary, a local Stellar
 * RPC on the real Soroban host), running the common scenario as closely as the real chain allows.
 *
 * - The devnet closes a ledger every second (`--ledger-interval-ms 1000`) and on every transaction;
 *   ledger time follows wall-clock time, so tranche unlocks are real unix timestamps.
 * - Each scenario stream is a tranched stream: `ticks` tranches of `amountPerTick`, unlocking at
 *   t0 + k months (whole seconds), created with `create_batch`.
 * - The keeper runs as shipped (its default policy: settle on tranche unlock, daily pay interval;
 *   batch size fitted from simulation; default fee budgets; the token allowlist set to the scenario's
 *   token; CHANNELS channel accounts paid for by one fee payer through fee bumps), except its
 *   schedule: every second (KEEPER_SCHEDULE="* * * * * *"). Worker A is SIGKILLed as soon as
 *   the harness sees, by polling `getEvents` every POLL_MS, the first `settled` event in a ledger
 *   that closed at or after tick `crashAtTick`'s unlock (the chain has applied that settlement;
 *   A may or may not have seen its confirmation, and may have later batches in flight).
 * - Nothing runs for the outage; then A restarts and a duplicate B (same config, same fee-payer
 *   key) starts next to it. The run ends `graceMonths` after the last tick.
 * - Scoring: every `settled` event (getEvents, with its ledger's close time) becomes checker input
 *   through the pure `settledToTransfers`; the keeper's transactions (getTransactions, filtered by
 *   its fee-payer account) give the settle_many count and the fees charged.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { rpc, StrKey, type xdr } from "@stellar/stellar-sdk";
import type { StreamEvent } from "@tributary/sdk";
import { Devnet } from "@tributary/sdk/devnet";
import { type CheckResult, checkRun } from "../checker.js";
import { Sampler } from "../proc.js";
import type { EngineResult } from "../report.js";
import { faultPlan, makeStreams, type Scenario, tickDueMs } from "../scenario.js";
import {
  type KeeperLogRecord,
  type KeeperTx,
  type SettledEvent,
  settledToTransfers,
  summarizeKeeperLogs,
  summarizeTxs,
  trancheUnlocksS,
} from "./mapping.js";

export interface KeeperRealOptions {
  root: string;
  workDir: string;
  batchSize: number;
  /** how often the harness polls getEvents for the crash trigger, ms */
  pollMs?: number;
  devnetBin?: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const CREATE_BATCH = 10;
/** channel accounts per keeper deployment (A and B share them, as a duplicated deployment would) */
export const CHANNELS = 4;
/** recipient accounts, assigned round-robin: more than the largest settle_many batch (48) */
export const RECIPIENTS = 50;

export function devnetBinaryPath(): string {
  if (process.env.DEVNET_BIN) return process.env.DEVNET_BIN;
  const cache = process.env.TRIBUTARY_CACHE ?? join(homedir(), ".cache", "tributary");
  const target = process.env.CARGO_TARGET_DIR ?? join(cache, "target");
  return join(target, "debug", "devnet");
}

interface Started {
  child: ChildProcess;
  lines: string[];
}

const spawned = new Set<ChildProcess>();
process.once("exit", () => {
  for (const c of spawned) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
});

interface DevnetReady {
  rpcUrl: string;
  passphrase: string;
  /** the devnet's network profile (fees, limits), `pubnet` by default */
  profile?: string;
}

async function startDevnet(bin: string): Promise<Started & DevnetReady> {
  const child = spawn(bin, ["--port", "0", "--ledger-interval-ms", "1000", "--exit-with-stdin"], {
    stdio: ["pipe", "pipe", "pipe"],
  });
  spawned.add(child);
  const lines: string[] = [];
  child.stderr?.on("data", (d: Buffer) => lines.push(d.toString()));
  const ready = await new Promise<DevnetReady>((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`devnet not ready in 60 s: ${lines.join("")}`)), 60_000);
    createInterface({ input: child.stdout! }).on("line", (line) => {
      if (line.startsWith("devnet ready ")) {
        clearTimeout(timer);
        res(JSON.parse(line.slice("devnet ready ".length)) as DevnetReady);
      }
    });
    child.once("exit", (code) => rej(new Error(`devnet exited (${code}): ${lines.join("")}`)));
  });
  return { child, lines, ...ready };
}

async function stop(child: ChildProcess, signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  child.kill(signal);
  const t = setTimeout(() => child.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(t);
}

function cpuTicks(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const raw = readFileSync(`/proc/${pid}/stat`, "utf8");
    const rest = raw.slice(raw.lastIndexOf(")") + 2).split(" ");
    return Number(rest[11]) + Number(rest[12]);
  } catch {
    return 0;
  }
}

interface KeeperProc {
  name: string;
  child: ChildProcess;
  ready: Promise<number>;
  lines: string[];
}

export async function runKeeperReal(s: Scenario, opts: KeeperRealOptions): Promise<EngineResult> {
  const events: string[] = [];
  const notes: string[] = [];
  const pollMs = opts.pollMs ?? 100;
  const keeperMain = join(opts.root, "keeper", "dist", "main.js");
  const wasmPath = join(opts.root, "artifacts", "stream.wasm");
  for (const p of [keeperMain, wasmPath]) statSync(p); // fail early with ENOENT
  if (s.monthMs % 1000 !== 0)
    throw new Error(`month must be whole seconds on a real ledger (got ${s.monthMs} ms)`);

  const devnet = await startDevnet(opts.devnetBin ?? devnetBinaryPath());
  const sampler = new Sampler();
  const keepers: KeeperProc[] = [];
  try {
    // --- world, through the SDK's devnet helpers: issued asset + its SAC, the contract,
    // a funded sender, recipients with trustlines, the keeper's fee payer
    const dev = await Devnet.connect({ rpcUrl: devnet.rpcUrl, passphrase: devnet.passphrase });
    const server = dev.server;
    const usdc = await dev.issueToken({ code: "USDC" });
    const tokenId = usdc.contractId;
    const contractId = await dev.deployStreamContract({ wasm: readFileSync(wasmPath) });
    const total = BigInt(s.streams) * BigInt(s.ticks) * s.amountPerTick;
    const sender = await dev.newAccount({ token: usdc, mint: total });
    const recipients: string[] = [];
    // distinct recipients within any batch (round-robin over more accounts than the largest batch,
    // 48): each settled stream writes its own recipient's trustline, as on pubnet, so the fee per
    // settled stream is not flattered by recipients shared inside a transaction
    for (let i = 0; i < Math.min(s.streams, RECIPIENTS); i++)
      recipients.push((await dev.newAccount({ token: usdc })).address);
    const keeperKp = (await dev.newAccount()).keypair;
    const secretFile = join(opts.workDir, "keeper-real.secret");
    writeFileSync(secretFile, keeperKp.secret(), { mode: 0o600 });
    const channelSecrets: string[] = [];
    for (let i = 0; i < CHANNELS; i++) channelSecrets.push((await dev.newAccount()).keypair.secret());
    const channelsFile = join(opts.workDir, "keeper-real.channels");
    writeFileSync(channelsFile, `${channelSecrets.join("\n")}\n`, { mode: 0o600 });
    const senderClient = dev.client(contractId, sender.signer, { confirmTimeoutMs: 30_000 });
    const reader = dev.client(contractId);

    // --- the schedule: t0 leaves time to create the streams and boot worker A
    // generous: on the shared machine a create_batch took up to 1.5 s, a keeper boot up to 9 s, and
    // 100 streams once overran a 30 s budget and 1,000 a 195 s one (load average 15, tests running);
    // an overrun shifts every tick before the keeper runs (the report says so when it happens)
    const setupBudgetS = 60 + Math.ceil((s.streams / CREATE_BATCH) * 2.5);
    const t0Ms = (Math.ceil(Date.now() / 1000) + setupBudgetS) * 1000;
    const streams = makeStreams(s, t0Ms);
    const plan = faultPlan(s, t0Ms);
    const rel = (ms: number) => `${((ms - t0Ms) / s.monthMs).toFixed(2)} months`;
    const specIdByChainId = new Map<string, string>();
    for (let i = 0; i < streams.length; i += CREATE_BATCH) {
      const chunk = streams.slice(i, i + CREATE_BATCH);
      const out = await senderClient.createBatch(
        chunk.map((spec, j) => ({
          sender: sender.address,
          recipient: recipients[(i + j) % recipients.length]!,
          token: tokenId,
          schedule: {
            kind: "tranched" as const,
            startTs: BigInt(spec.startMs / 1000),
            tranches: trancheUnlocksS(spec).map((unlockTs) => ({ unlockTs, amount: s.amountPerTick })),
          },
          cancelable: false,
          transferable: false,
        })),
      );
      for (const [j, id] of out.result.entries()) specIdByChainId.set(id.toString(), chunk[j]!.id);
    }
    const startLedger = (await server.getLatestLedger()).sequence;
    events.push(`devnet world ready and ${s.streams} tranched streams created at ${rel(Date.now())}`);
    if (Date.now() > t0Ms) events.push("setup overran t0: the first tick's budget is shorter than planned");

    // --- processes: devnet (infra) and keepers (workers), sampled from /proc
    sampler.add("infra", devnet.child.pid!);
    const devnetCpuAtStart = cpuTicks(devnet.child.pid);
    sampler.start();
    const workerByTx = new Map<string, string>();
    const failedByWorker: Record<string, number> = {};
    const launch = (name: string): KeeperProc => {
      const child = spawn(process.execPath, [keeperMain], {
        env: {
          ...process.env,
          KEEPER_RPC_URL: devnet.rpcUrl,
          KEEPER_NETWORK_PASSPHRASE: devnet.passphrase,
          KEEPER_CONTRACT_ID: contractId,
          KEEPER_SECRET_FILE: secretFile,
          KEEPER_CHANNEL_SECRETS_FILE: channelsFile,
          KEEPER_TOKENS: tokenId,
          KEEPER_SCHEDULE: "* * * * * *",
          KEEPER_EXTEND_BELOW_LEDGERS: "1",
          LOG_FORMAT: "json",
          KEEPER_HEALTH_PORT: "0",
          LOG_LEVEL: "info",
        },
        stdio: ["ignore", "pipe", "pipe"],
      });
      spawned.add(child);
      if (child.pid) sampler.add("workers", child.pid);
      const lines: string[] = [];
      const ready = new Promise<number>((res, rej) => {
        createInterface({ input: child.stdout! }).on("line", (line) => {
          lines.push(line);
          let rec: { msg?: string; txHash?: string } = {};
          try {
            rec = JSON.parse(line) as typeof rec;
          } catch {
            return;
          }
          // "keeper assembled": configuration parsed, network checked, channels loaded; the first run starts next
          if (rec.msg === "keeper assembled" || rec.msg === "keeper starting") res(Date.now());
          if (rec.msg === "settle_many" && rec.txHash) workerByTx.set(rec.txHash, name);
          if (rec.msg?.startsWith("settle_many failed"))
            failedByWorker[name] = (failedByWorker[name] ?? 0) + 1;
        });
        child.stderr?.on("data", (d: Buffer) => lines.push(d.toString()));
        child.once("exit", (code, sig) =>
          rej(
            new Error(`keeper ${name} exited (${code ?? sig}) before ready: ${lines.slice(-5).join("\n")}`),
          ),
        );
      });
      ready.catch(() => {});
      const k = { name, child, ready, lines };
      keepers.push(k);
      return k;
    };

    const a = launch("A");
    events.push(`worker A ready at ${rel(await a.ready)}`);

    // --- crash trigger: poll getEvents for the first settlement applied at or after tick crashAtTick
    const crashTickMs = tickDueMs(streams[0]!, s.crashAtTick);
    let cursor: string | undefined;
    let crashedAtMs: number | undefined;
    let restartReadyMs: number | undefined;
    while (Date.now() < plan.endMs && crashedAtMs === undefined) {
      const page = await reader.events(
        cursor
          ? { cursor, names: ["settled"], limit: 1000 }
          : { startLedger, names: ["settled"], limit: 1000 },
      );
      if (page.nextCursor) cursor = page.nextCursor;
      const hit = page.events.find((e) => Date.parse(e.ledgerClosedAt ?? "") >= crashTickMs);
      if (hit) {
        a.child.kill("SIGKILL");
        crashedAtMs = Date.now();
        const appliedMs = Date.parse(hit.ledgerClosedAt!);
        events.push(
          `worker A SIGKILLed at ${rel(crashedAtMs)}, ${crashedAtMs - appliedMs} ms after the close time of ledger ${hit.ledger}, which applied the first settlement of tick ${s.crashAtTick} (seen by polling getEvents every ${pollMs} ms)`,
        );
        break;
      }
      await sleep(pollMs);
    }
    if (crashedAtMs === undefined)
      events.push("the crash never triggered (no settlement reached the chain after the crash point)");
    else {
      await sleep(Math.max(0, crashedAtMs + plan.outageMs - Date.now()));
      const a2 = launch("A restarted");
      const b = launch("B");
      events.push(
        `worker A restarted and duplicate B (same config, same fee-payer key) started at ${rel(Date.now())}`,
      );
      const onReady = (who: string) => (at: number) => {
        restartReadyMs ??= at;
        events.push(`${who} ready at ${rel(at)}`);
      };
      const never = (who: string) => (e: unknown) =>
        events.push(`${who} never became ready: ${String(e).replace(/\s+/g, " ").slice(0, 300)}`);
      void a2.ready.then(onReady("restarted A"), never("restarted A"));
      void b.ready.then(onReady("B"), never("B"));
    }
    await sleep(Math.max(0, plan.endMs - Date.now()));
    sampler.stop();
    const endLedger = (await server.getLatestLedger()).sequence;
    for (const k of keepers) await stop(k.child);
    for (const k of keepers)
      writeFileSync(
        join(opts.workDir, `keeper-real-${s.streams}-${k.name.replace(/\s+/g, "-")}.log`),
        k.lines.join("\n"),
      );

    // --- the chain's truth
    const settled: SettledEvent[] = [];
    for await (const e of reader.allEvents({ startLedger, names: ["settled"], limit: 1000 }))
      settled.push(toSettled(e));
    const inWindow = settled.filter((e) => e.atMs <= plan.endMs);
    const transfers = settledToTransfers(streams, specIdByChainId, inWindow, workerByTx);
    const check: CheckResult = checkRun(streams, transfers, plan.endMs, s.lateToleranceMonths * s.monthMs);

    // cross-check: what the events say was paid equals each stream's `withdrawn` on chain
    const paidByEvents = new Map<string, bigint>();
    for (const e of settled) paidByEvents.set(e.chainId, (paidByEvents.get(e.chainId) ?? 0n) + e.amount);
    const state = await reader.listStreams();
    const disagree = state.filter((st) => (paidByEvents.get(st.id.toString()) ?? 0n) !== st.withdrawn).length;

    const txs = await keeperTxs(server, startLedger, endLedger, keeperKp.publicKey());
    const sum = summarizeTxs(txs, new Set(settled.map((e) => e.txHash)));
    const firstAfter =
      restartReadyMs === undefined
        ? undefined
        : Math.min(...inWindow.filter((e) => e.atMs >= restartReadyMs!).map((e) => e.atMs));

    const infra = sampler.usage("infra");
    const devnetCpuS = Math.max(0, infra.cpuSeconds - devnetCpuAtStart / 100);
    const workers = sampler.usage("workers");
    const totalUsage = sampler.total();
    notes.push(
      `keeper/dist/main.js as separate processes with its shipped defaults (policy: tranche unlock + daily pay interval; batch size fitted from simulation; fee budgets 500,000,000 stroops per run and 2,000,000,000 per day), KEEPER_TOKENS = the scenario's token, ${CHANNELS} channel accounts and one fee payer (fee bumps), KEEPER_SCHEDULE="* * * * * *" (every second), KEEPER_EXTEND_BELOW_LEDGERS=1 (TTL extension off: entries cannot run low in a 2-minute run)`,
      `devnet profile ${devnet.profile ?? "(not reported)"}, --ledger-interval-ms 1000 (plus a ledger per transaction); ledger close times are whole seconds, so lateness has 1 s resolution`,
      `devnet CPU counted from t0 (setup excluded: ${(devnetCpuAtStart / 100).toFixed(1)} s); its RSS includes the world built during setup`,
    );
    return {
      engine: "keeper-real",
      check,
      infra: { ...infra, cpuSeconds: devnetCpuS },
      workers,
      total: { ...totalUsage, cpuSeconds: devnetCpuS + workers.cpuSeconds },
      counts: {
        settleManyTxs: sum.settleMany,
        settleManyFailedOnChain: sum.settleManyFailed,
        settleManyPayingNothing: sum.settleManyNoop,
        settleManyFeeStroops: Number(sum.settleManyFeeStroops),
        settleManyFeeMeanStroops: sum.settleMany > 0 ? Number(sum.settleManyFeeStroops) / sum.settleMany : 0,
        otherKeeperTxs: sum.otherTxs,
        settledEvents: settled.length,
        settledEventsAfterEnd: settled.length - inWindow.length,
        streamsWhereEventsDisagreeWithWithdrawn: disagree,
        ...Object.fromEntries(
          Object.entries(failedByWorker).map(([w, n]) => [`failedBatchesLogged ${w}`, n]),
        ),
        ...logCounts(keepers.flatMap((k) => k.lines)),
        ...(firstAfter !== undefined && Number.isFinite(firstAfter) && restartReadyMs !== undefined
          ? { recoveryAfterReadyMs: firstAfter - restartReadyMs }
          : {}),
      },
      events,
      notes,
      transfersByWorker: countBy(transfers.map((t) => t.worker)),
      log: transfers.map((t) => ({
        stream: t.streamId,
        ticks: t.ticks,
        atMonths: Number(((t.atMs - t0Ms) / s.monthMs).toFixed(3)),
        worker: t.worker,
      })),
    };
  } finally {
    sampler.stop();
    for (const k of keepers) await stop(k.child, "SIGKILL");
    await stop(devnet.child);
  }
}

/** The keepers' own view, from their JSON logs: fee per stream of full batches, skipped ticks, runs. */
function logCounts(lines: string[]): Record<string, number> {
  const records: KeeperLogRecord[] = [];
  for (const line of lines) {
    try {
      records.push(JSON.parse(line) as KeeperLogRecord);
    } catch {
      // not a JSON log line
    }
  }
  const l = summarizeKeeperLogs(records);
  return {
    fullBatchSize: l.fullBatchSize,
    fullBatches: l.fullBatches,
    feePerStreamFullBatchStroops: l.feePerStreamFullBatch,
    ticksSkippedInFlight: l.ticksSkipped,
    keeperRuns: l.runs,
    longestRunS: l.longestRunS,
  };
}

function toSettled(e: StreamEvent): SettledEvent {
  if (e.type !== "settled") throw new Error(`expected a settled event, got ${e.type}`);
  return {
    chainId: e.id.toString(),
    amount: e.amount,
    ledger: e.ledger ?? 0,
    atMs: Date.parse(e.ledgerClosedAt ?? ""),
    txHash: e.txHash ?? "",
    order: e.eventId ?? "",
  };
}

/** Every transaction the keeper's fee payer sent in [from, to], with the contract function and the fee charged. */
async function keeperTxs(
  server: rpc.Server,
  from: number,
  to: number,
  feePayer: string,
): Promise<KeeperTx[]> {
  const out: KeeperTx[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await server.getTransactions(
      cursor ? { pagination: { cursor, limit: 200 } } : { startLedger: from, pagination: { limit: 200 } },
    );
    for (const t of page.transactions) {
      if (t.ledger > to) return out;
      const env = t.envelopeXdr;
      // the fee payer pays either as the source of a plain transaction or through a fee bump
      let tx: xdr.Transaction;
      if (env.switch().name === "envelopeTypeTx") {
        tx = env.v1().tx();
        if (feePayerKey(tx.sourceAccount()) !== feePayer) continue;
      } else if (env.switch().name === "envelopeTypeTxFeeBump") {
        const fb = env.feeBump().tx();
        if (feePayerKey(fb.feeSource()) !== feePayer) continue;
        tx = fb.innerTx().v1().tx();
      } else continue;
      const op = tx.operations()[0];
      let fn = "?";
      if (op && op.body().switch().name === "invokeHostFunction") {
        const hf = op.body().invokeHostFunctionOp().hostFunction();
        if (hf.switch().name === "hostFunctionTypeInvokeContract")
          fn = hf.invokeContract().functionName().toString();
      }
      out.push({
        txHash: t.txHash,
        fn,
        success: t.status === rpc.Api.GetTransactionStatus.SUCCESS,
        feeCharged: t.resultXdr.feeCharged().toBigInt(),
      });
    }
    if (page.transactions.length < 200 || !page.cursor) return out;
    cursor = page.cursor;
  }
}

function feePayerKey(source: xdr.MuxedAccount): string {
  const raw = source.switch().name === "keyTypeEd25519" ? source.ed25519() : source.med25519().ed25519();
  return StrKey.encodeEd25519PublicKey(raw);
}

function countBy(xs: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const x of xs) out[x] = (out[x] ?? 0) + 1;
  return out;
}
