// Starts the Tributary devnet (a local Stellar RPC on the real Soroban host)
// for a test suite: builds the binary with cargo if needed, runs it on a free
// port (`--port 0`, read back from its ready line), waits for /health and
// stops it with SIGTERM (SIGKILL after a deadline). Every started devnet is
// also killed when the test process exits, so no stray process survives.
//
//   const net = await startDevnet();
//   const server = new rpc.Server(net.rpcUrl, { allowHttp: true });
//   ...
//   await net.stop();

import { type ChildProcess, execFile, spawn } from "node:child_process";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { promisify } from "node:util";

const execFileAsync = promisify(execFile);
const ROOT = resolve(import.meta.dirname, "..", "..");

export interface DevnetOptions {
  /**
   * Close a ledger every N ms, applying the queued transactions (pubnet: 5000). Default 50,
   * so suites stay fast. 0: ledgers close only on `devnet_closeLedger` and warps (friendbot
   * closes one itself), for tests that control exactly what goes into a ledger.
   */
  ledgerIntervalMs?: number;
  /** Network settings profile: "pubnet" (default) or "testnet". */
  profile?: "pubnet" | "testnet";
  /** A JSON file of setting overrides (`--settings`). */
  settingsFile?: string;
  /**
   * getTransaction of a still-queued transaction waits up to N ms for its ledger to close
   * (a real RPC answers NOT_FOUND at once). Default 2000 with a ledger interval, else 0:
   * the unmodified SDK polls again only after a second, which would slow every test.
   */
  pendingWaitMs?: number;
  /**
   * Ledger time moves only by warps (default true): every ledger closes at the previous close
   * time, so a simulation (at the latest close time, like stellar-rpc) and the application of
   * the transaction see the same time and time-dependent tests are deterministic. false: ledger
   * time follows the wall clock, as on a real network.
   */
  frozenClock?: boolean;
  /** Persist state to this file (loaded at start, written at close and shutdown). */
  stateFile?: string;
  /** Network passphrase; default "Standalone Network ; February 2017". */
  passphrase?: string;
  /** Milliseconds to wait for the ready line and /health. Default 60 s. */
  startTimeoutMs?: number;
}

export interface Devnet {
  rpcUrl: string;
  /** The network settings profile the devnet runs ("pubnet" or "testnet"). */
  profile: string;
  friendbotUrl: string;
  passphrase: string;
  port: number;
  process: ChildProcess;
  /** Calls a JSON-RPC method directly (for devnet_* methods and raw checks). */
  call<T = unknown>(method: string, params?: unknown): Promise<T>;
  /** Closes a ledger now (applying the queued transactions). */
  closeLedger(): Promise<{ sequence: number; closeTime: string }>;
  /** Moves ledger time forward `seconds` and closes a ledger. */
  warp(seconds: number, ledgers?: number): Promise<{ sequence: number; closeTime: string }>;
  stop(): Promise<void>;
}

const live = new Set<ChildProcess>();
process.once("exit", () => {
  for (const p of live) p.kill("SIGKILL");
});

let binary: Promise<string> | undefined;

function cargoEnv(): NodeJS.ProcessEnv {
  const cache = process.env.TRIBUTARY_CACHE ?? join(homedir(), ".cache", "tributary");
  return {
    ...process.env,
    CARGO_TARGET_DIR: process.env.CARGO_TARGET_DIR ?? join(cache, "target"),
    PATH: `${join(homedir(), ".cargo", "bin")}:${process.env.PATH ?? ""}`,
  };
}

/** Builds `devnet` (a no-op when up to date) and returns the executable's path. */
export function devnetBinary(): Promise<string> {
  // A prebuilt binary (e.g. a benchmark pinning its own build while the shared target
  // directory is rebuilt from other worktrees).
  if (process.env.TRIBUTARY_DEVNET_BIN) return Promise.resolve(process.env.TRIBUTARY_DEVNET_BIN);
  binary ??= (async () => {
    const { stdout } = await execFileAsync(
      "nice",
      [
        "-n",
        "10",
        "cargo",
        "build",
        "-p",
        "devnet",
        "--bin",
        "devnet",
        "--message-format=json-render-diagnostics",
      ],
      { cwd: ROOT, env: cargoEnv(), maxBuffer: 256 * 1024 * 1024 },
    );
    for (const line of stdout.split("\n")) {
      if (!line.startsWith("{")) continue;
      const msg = JSON.parse(line) as {
        reason?: string;
        target?: { name?: string };
        executable?: string | null;
      };
      if (msg.reason === "compiler-artifact" && msg.target?.name === "devnet" && msg.executable) {
        return msg.executable;
      }
    }
    throw new Error("cargo build -p devnet produced no devnet executable");
  })();
  return binary;
}

export async function startDevnet(opts: DevnetOptions = {}): Promise<Devnet> {
  const exe = await devnetBinary();
  // --exit-with-stdin: if this process dies without running its exit
  // handlers (a worker killed by SIGKILL), the closed pipe stops the devnet.
  const intervalMs = opts.ledgerIntervalMs ?? 50;
  const args = [
    "--port",
    "0",
    "--ledger-interval-ms",
    String(intervalMs),
    "--pending-wait-ms",
    String(opts.pendingWaitMs ?? (intervalMs > 0 ? 2000 : 0)),
    "--exit-with-stdin",
  ];
  if (opts.frozenClock ?? true) args.push("--frozen-clock");
  if (opts.profile) args.push("--profile", opts.profile);
  if (opts.settingsFile) args.push("--settings", opts.settingsFile);
  if (opts.stateFile) args.push("--state", opts.stateFile);
  if (opts.passphrase) args.push("--passphrase", opts.passphrase);
  const child = spawn(exe, args, { stdio: ["pipe", "pipe", "pipe"] });
  live.add(child);
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  const exited = new Promise<number | null>((res) =>
    child.once("exit", (code) => {
      live.delete(child);
      res(code);
    }),
  );
  const timeout = opts.startTimeoutMs ?? 60_000;
  const ready = await new Promise<{
    rpcUrl: string;
    friendbotUrl: string;
    passphrase: string;
    port: number;
    profile: string;
  }>((res, rej) => {
    const timer = setTimeout(
      () => rej(new Error(`devnet did not start within ${timeout} ms: ${stderr}`)),
      timeout,
    );
    const lines = createInterface({ input: child.stdout! });
    lines.on("line", (line) => {
      if (line.startsWith("devnet ready ")) {
        clearTimeout(timer);
        res(JSON.parse(line.slice("devnet ready ".length)));
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      rej(new Error(`devnet exited with code ${code} before it was ready: ${stderr}`));
    });
  });
  const base = ready.rpcUrl.replace(/\/rpc$/, "");
  const deadline = Date.now() + timeout;
  for (;;) {
    try {
      const r = await fetch(`${base}/health`);
      if (r.ok) break;
    } catch {
      // not accepting yet
    }
    if (Date.now() > deadline) throw new Error("devnet /health never answered");
    await new Promise((r) => setTimeout(r, 50));
  }
  let id = 0;
  const call = async <T>(method: string, params?: unknown): Promise<T> => {
    const r = await fetch(ready.rpcUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: ++id, method, params }),
    });
    const body = (await r.json()) as { result?: T; error?: { code: number; message: string } };
    if (body.error) throw Object.assign(new Error(body.error.message), { code: body.error.code });
    return body.result as T;
  };
  return {
    ...ready,
    process: child,
    call,
    closeLedger: () => call("devnet_closeLedger"),
    warp: (seconds, ledgers) =>
      call("devnet_warp", ledgers === undefined ? { seconds } : { seconds, ledgers }),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const killer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(killer);
    },
  };
}
