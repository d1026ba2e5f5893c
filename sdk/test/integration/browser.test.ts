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

// A FAKE Freighter extension, at the level the real @stellar/freighter-api 6 talks to
// it (window.postMessage with FREIGHTER_EXTERNAL_MSG_REQUEST / _RESPONSE). The wallet
// is the one thing faked: the SDK's FreighterSigner, the real freighter-api package,
// the bundle and the devnet are real. The fake signs with a key given in the URL.
const FAKE_WALLET = `
import { KeypairSigner } from "./sdk.js";
export function installFakeFreighter({ secret, passphrase, publicKey }) {
  window.freighter = true;
  const key = KeypairSigner.fromSecret(secret);
  window.addEventListener("message", async (ev) => {
    const m = ev.data;
    if (ev.source !== window || !m || m.source !== "FREIGHTER_EXTERNAL_MSG_REQUEST") return;
    const reply = (data) => window.postMessage({ source: "FREIGHTER_EXTERNAL_MSG_RESPONSE", messagedId: m.messageId, ...data }, window.location.origin);
    window.walletCalls = (window.walletCalls || []).concat(m.type);
    switch (m.type) {
      case "REQUEST_CONNECTION_STATUS": return reply({ isConnected: true });
      case "REQUEST_ALLOWED_STATUS": return reply({ isAllowed: true });
      case "REQUEST_ACCESS": case "REQUEST_PUBLIC_KEY": return reply({ publicKey });
      case "REQUEST_NETWORK_DETAILS":
        return reply({ networkDetails: { network: "STANDALONE", networkName: "devnet", networkUrl: "", networkPassphrase: passphrase, sorobanRpcUrl: "" } });
      case "SUBMIT_TRANSACTION":
        return reply({ signedTransaction: await key.signTransaction(m.transactionXdr, { networkPassphrase: m.networkPassphrase }), signerAddress: publicKey });
      case "SUBMIT_AUTH_ENTRY":
        return reply({ signedAuthEntry: await key.signAuthEntry(m.entryXdr, { networkPassphrase: m.networkPassphrase }), signerAddress: publicKey });
      default: return reply({ apiError: { code: -1, message: "unsupported in the fake wallet: " + m.type } });
    }
  });
}
`;

const PAGE = `<!doctype html><html><body>pending<script type="module">
import { StreamClient, FreighterSigner, network, amountsAt } from "./sdk.js";
import { installFakeFreighter } from "./fake-freighter.js";
const q = new URLSearchParams(location.search);
const net = network("devnet", { rpcUrl: q.get("rpc"), passphrase: q.get("pp") });
const show = (o) => (document.body.textContent = "RESULT " + JSON.stringify(o));
try {
  if (q.get("mode") === "wallet") {
    installFakeFreighter({ secret: q.get("secret"), publicKey: q.get("pk"), passphrase: q.get("walletpp") });
    const signer = new FreighterSigner(q.get("pp"));
    const client = new StreamClient({ network: net, contractId: q.get("contract"), signer });
    const me = await signer.publicKey();
    const out = await client.withdrawMax({ id: BigInt(q.get("id")), to: me });
    show({ me, paid: String(out.result), hash: out.hash, walletCalls: window.walletCalls });
  } else {
    const client = new StreamClient({ network: net, contractId: q.get("contract") });
    const count = await client.streamCount();
    const streams = await client.listStreams({ withTranches: true });
    const { closeTs } = await client.latestLedger();
    const s = streams[0];
    const local = amountsAt(s, closeTs, s.tranches);
    show({ count: String(count), listed: streams.length, closeTs: String(closeTs), withdrawable: String(local.withdrawable), nodeBuffer: typeof globalThis.Buffer, nodeProcess: typeof globalThis.process });
  }
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
  writeFileSync(join(dir, "fake-freighter.js"), FAKE_WALLET);
  http = createServer((req, res) => {
    const path = join(dir, new URL(req.url ?? "/", "http://x").pathname);
    try {
      const body = readFileSync(path);
      res
        .writeHead(200, { "content-type": extname(path) === ".html" ? "text/html" : "text/javascript" })
        .end(body);
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

async function runPage(
  params: Record<string, string>,
): Promise<{ ok: boolean; text: string; got: Record<string, unknown> }> {
  const url = `${base}/index.html?${new URLSearchParams({ rpc: world.net.rpcUrl, pp: world.net.passphrase, contract: world.contractId, ...params })}`;
  const { stdout } = await promisify(execFile)(
    CHROMIUM,
    ["--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=20000", "--dump-dom", url],
    {
      timeout: 90_000,
    },
  );
  const text = (/(RESULT|FAILED)[^<]*/.exec(stdout)?.[0] ?? stdout)
    .replaceAll("&quot;", '"')
    .replaceAll("&amp;", "&");
  return {
    ok: text.startsWith("RESULT "),
    text,
    got: text.startsWith("RESULT ") ? (JSON.parse(text.slice(7)) as Record<string, unknown>) : {},
  };
}

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
    const page = await runPage({ mode: "read" });
    expect(page.text).toMatch(/^RESULT /);
    const got = page.got as Record<string, string | number>;
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

  it("withdraws through FreighterSigner and the real freighter-api package talking to a fake wallet", async () => {
    const sender = await world.party({ mint: 1_000n * 10_000_000n });
    const recipient = await world.party();
    const now = await world.now();
    const { result: id } = await sender.client.create({
      sender: sender.address,
      recipient: recipient.address,
      token: world.tokenId,
      schedule: linear({ start: now - 2_000n, durationS: 1_000n, deposit: 777n }),
      cancelable: true,
      transferable: true,
    });
    const wallet = { secret: recipient.kp.secret(), pk: recipient.address };
    // On another network: the signer refuses before the wallet is asked to sign.
    const wrong = await runPage({
      mode: "wallet",
      id: String(id),
      walletpp: "Public Global Stellar Network ; September 2015",
      ...wallet,
    });
    expect(wrong.text).toMatch(
      /^FAILED NetworkMismatchError: wallet network passphrase "Public Global Stellar Network ; September 2015" does not match/,
    );
    expect(await world.balance(recipient.address)).toBe(0n);
    // On the right network: a real withdrawal signed in the browser.
    const ok = await runPage({ mode: "wallet", id: String(id), walletpp: world.net.passphrase, ...wallet });
    expect(ok.text).toMatch(/^RESULT /);
    expect(ok.got).toMatchObject({ me: recipient.address, paid: "777" });
    expect(ok.got.walletCalls).toContain("SUBMIT_TRANSACTION");
    expect(await world.balance(recipient.address)).toBe(777n);
  }, 180_000);
});
