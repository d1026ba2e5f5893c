// The browser path for real: sdk/src bundled for browsers by Vite (no Node
// polyfills, no Node built-ins), served over HTTP, and run in headless Chromium
// against the devnet (which answers CORS). The page enumerates streams, reads the
// ledger clock and computes a live balance with the mirror; the test compares that
// with what the contract reports.

import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { extname, join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { amountsAt } from "../../src/accrual.js";
import { linear } from "../../src/schedule.js";
import { startWorld, type World } from "./harness.js";

const CHROMIUM = "/usr/bin/chromium";
const SDK = resolve(import.meta.dirname, "..", "..");

let world: World;
let dir: string;
let http: Server;
let base: string;
const warnings: string[] = [];

const PAGE = `<!doctype html><html><body>pending<script type="module">
import { StreamClient, network, amountsAt } from "./sdk.js";
const q = new URLSearchParams(location.search);
try {
  const client = new StreamClient({ network: network("devnet", { rpcUrl: q.get("rpc"), passphrase: q.get("pp") }), contractId: q.get("contract") });
  const count = await client.streamCount();
  const streams = await client.listStreams({ withTranches: true });
  const { closeTs } = await client.latestLedger();
  const s = streams[0];
  const local = amountsAt(s, closeTs, s.tranches);
  document.body.textContent = "RESULT " + JSON.stringify({ count: String(count), listed: streams.length, closeTs: String(closeTs), withdrawable: String(local.withdrawable), nodeBuffer: typeof globalThis.Buffer, nodeProcess: typeof globalThis.process });
} catch (e) {
  document.body.textContent = "FAILED " + e.name + ": " + e.message;
}
</script></body></html>`;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "sdk-browser-"));
  const { build } = await import("vite");
  await build({
    root: SDK,
    configFile: false,
    logLevel: "silent",
    build: {
      outDir: dir,
      emptyOutDir: true,
      minify: false,
      lib: { entry: resolve(SDK, "src", "index.ts"), formats: ["es"], fileName: "sdk" },
      rollupOptions: { onwarn: (w) => void warnings.push(String(w.message)) },
    },
  });
  writeFileSync(join(dir, "index.html"), PAGE);
  http = createServer((req, res) => {
    const path = join(dir, new URL(req.url ?? "/", "http://x").pathname);
    try {
      const body = readFileSync(path);
      res.writeHead(200, { "content-type": extname(path) === ".html" ? "text/html" : "text/javascript" }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((r) => http.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  world = await startWorld();
}, 900_000);

afterAll(async () => {
  await new Promise((r) => http?.close(r));
  await world?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("browser bundle", () => {
  it("bundles for browsers without warnings about Node built-ins", () => {
    expect(warnings.filter((w) => /node:|externalized for browser|Buffer|process/i.test(w))).toEqual([]);
  });

  it("runs in headless Chromium: discovery, ledger clock and the mirror against the devnet", async () => {
    const sender = await world.party({ mint: 1_000n * 10_000_000n });
    const recipient = await world.party();
    const now = await world.now();
    await sender.client.create({
      sender: sender.address,
      recipient: recipient.address,
      token: world.tokenId,
      schedule: linear({ start: now - 500n, durationS: 1_000n, deposit: 1_000n }),
      cancelable: true,
      transferable: true,
    });
    const url = `${base}/index.html?${new URLSearchParams({ rpc: world.net.rpcUrl, pp: world.net.passphrase, contract: world.contractId })}`;
    const { stdout } = await promisify(execFile)(
      CHROMIUM,
      ["--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=20000", "--dump-dom", url],
      { timeout: 90_000 },
    );
    const text = /(RESULT|FAILED)[^<]*/.exec(stdout)?.[0] ?? stdout;
    expect(text).toMatch(/^RESULT /);
    const got = JSON.parse(text.slice("RESULT ".length).replaceAll("&quot;", '"')) as Record<string, string | number>;
    expect(got.count).toBe("1");
    expect(got.listed).toBe(1);
    // The page's mirror at the ledger's close time equals Node's mirror there: 500 of
    // 1000 over 1000 s, started 500 s before that close time.
    expect(got.closeTs).toBe(String(await world.now()));
    const s = await world.reader.get(1n);
    if (s.schedule.kind !== "linear") throw new Error("expected the linear stream");
    expect(got.withdrawable).toBe(String(amountsAt(s, BigInt(got.closeTs as string)).withdrawable));
    expect(got.withdrawable).toBe(String(BigInt(got.closeTs as string) - s.schedule.startTs));
    expect(got.nodeProcess).toBe("undefined");
  }, 120_000);
});
