// The dApp's e2e world: one devnet with the stream contract and a USDC Stellar Asset
// Contract (the SDK's integration harness), the dApp built by Vite and served by its
// own static server (app/scripts/serve.ts) with the devnet's addresses in devnet.json,
// and Debian's headless Chromium driven by playwright-core.
//
// The ONE fake: the Freighter browser extension, replaced at its message boundary.
// The real @stellar/freighter-api package in the page posts
// FREIGHTER_EXTERNAL_MSG_REQUEST messages; an init script answers them the way the
// extension does, asking Node (page.exposeFunction) for the address, the network and
// the signature, which Node makes with the wallet's key. Everything else is real.
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Keypair } from "@stellar/stellar-sdk";
import { type Browser, chromium, type Page } from "playwright-core";
import { KeypairSigner } from "../../../sdk/src/signers/keypair.js";
import { startWorld, type World } from "../../../sdk/test/integration/harness.js";
import { type AppServer, serveApp } from "../../scripts/serve.ts";

export const APP = resolve(import.meta.dirname, "..", "..");
const CHROMIUM = "/usr/bin/chromium";
const AXE = createRequire(join(APP, "package.json")).resolve("axe-core/axe.min.js");

/** What the fake extension does: whose key it signs with, on which network, and whether it refuses. */
export interface FakeWallet {
  keypair: Keypair;
  passphrase: string;
  reject: boolean;
  /** Every message type the page sent to the extension, in order. */
  calls: string[];
}

export interface AppWorld {
  world: World;
  browser: Browser;
  url: string;
  wallet: FakeWallet;
  /** A page in the shared context, or in a context of its own (`ownContext`, e.g. to fake its clock). */
  newPage(opts?: { ownContext?: boolean }): Promise<Page>;
  stop(): Promise<void>;
}

/** Builds the dApp for the devnet into a temporary directory. */
export async function buildApp(network: "devnet" | "testnet", outDir: string): Promise<void> {
  const { build } = await import("vite");
  const prev = process.env.VITE_NETWORK;
  const prevEnv = process.env.NODE_ENV;
  process.env.VITE_NETWORK = network;
  // vitest sets NODE_ENV=test, which would make Vite bundle React's development build.
  process.env.NODE_ENV = "production";
  try {
    await build({
      configFile: join(APP, "vite.config.ts"),
      mode: "production",
      logLevel: "silent",
      build: { outDir, emptyOutDir: true },
      ...(network === "testnet" ? { define: { "import.meta.env.VITE_CONTRACT_ID": '""' } } : {}),
    });
  } finally {
    if (prev === undefined) delete process.env.VITE_NETWORK;
    else process.env.VITE_NETWORK = prev;
    process.env.NODE_ENV = prevEnv;
  }
}

const FAKE_EXTENSION = `
window.freighter = true;
window.addEventListener("message", async (ev) => {
  const m = ev.data;
  if (ev.source !== window || !m || m.source !== "FREIGHTER_EXTERNAL_MSG_REQUEST") return;
  const data = await window.__fakeFreighter(m.type, m.transactionXdr ?? m.entryXdr ?? "", m.networkPassphrase ?? "");
  window.postMessage({ source: "FREIGHTER_EXTERNAL_MSG_RESPONSE", messagedId: m.messageId, ...data }, window.location.origin);
});
`;

export async function startAppWorld(): Promise<AppWorld> {
  const dist = mkdtempSync(join(tmpdir(), "tributary-app-"));
  const [world] = await Promise.all([startWorld(), buildApp("devnet", dist)]);
  const server: AppServer = await serveApp({
    dist,
    devnetJson: () =>
      JSON.stringify({
        rpcUrl: world.net.rpcUrl,
        networkPassphrase: world.net.passphrase,
        friendbotUrl: world.net.friendbotUrl,
        streamContractId: world.contractId,
        tokens: [world.tokenId],
        demoAccounts: [],
      }),
  });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu"],
  });
  const wallet: FakeWallet = {
    keypair: Keypair.random(),
    passphrase: world.net.passphrase,
    reject: false,
    calls: [],
  };
  const answer = async (type: string, payload: string, passphrase: string) => {
    wallet.calls.push(type);
    const publicKey = wallet.keypair.publicKey();
    const declined = { apiError: { code: -4, message: "User declined access" } };
    switch (type) {
      case "REQUEST_CONNECTION_STATUS":
        return { isConnected: true };
      case "REQUEST_ALLOWED_STATUS":
        return { isAllowed: true };
      case "REQUEST_ACCESS":
      case "REQUEST_PUBLIC_KEY":
        return { publicKey };
      case "REQUEST_NETWORK_DETAILS":
        return {
          networkDetails: {
            network: "CUSTOM",
            networkName: "custom",
            networkUrl: "",
            networkPassphrase: wallet.passphrase,
            sorobanRpcUrl: "",
          },
        };
      case "SUBMIT_TRANSACTION":
        if (wallet.reject) return declined;
        return {
          signedTransaction: await new KeypairSigner(wallet.keypair).signTransaction(payload, {
            networkPassphrase: passphrase,
          }),
          signerAddress: publicKey,
        };
      default:
        return { apiError: { code: -1, message: `unsupported in the fake wallet: ${type}` } };
    }
  };
  // A context per caller that asks (its clock is its own: page.clock belongs to the context).
  const newContext = async () => {
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    await context.exposeFunction("__fakeFreighter", answer);
    await context.addInitScript(FAKE_EXTENSION);
    return context;
  };
  const shared = await newContext();
  return {
    world,
    browser,
    url: server.url,
    wallet,
    async newPage(opts = {}) {
      const page = await (opts.ownContext ? await newContext() : shared).newPage();
      // Page errors fail loudly in the test log instead of as a silent blank view.
      page.on("pageerror", (e) => console.error(`[page error] ${e.message}`));
      page.on("console", (m) => m.type() === "error" && console.error(`[page console] ${m.text()}`));
      return page;
    },
    async stop() {
      await browser.close().catch(() => undefined);
      await server.close();
      await world.stop();
      rmSync(dist, { recursive: true, force: true });
    },
  };
}

/** Runs axe-core in the page; returns the serious and critical violations (ids and targets). */
export async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  const out = await page.evaluate(async () => {
    // biome-ignore lint/suspicious/noExplicitAny: axe is injected as a global script
    const r = await (window as any).axe.run(document, { resultTypes: ["violations"] });
    return (r.violations as { id: string; impact: string; nodes: { target: string[] }[] }[])
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.impact} ${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  });
  return out;
}

/** Saves a screenshot under docs/app/ only when APP_SCREENSHOTS=1 (so test runs never dirty the tree). */
export async function screenshot(page: Page, name: string, fullPage = false): Promise<void> {
  if (process.env.APP_SCREENSHOTS !== "1") return;
  await page.screenshot({ path: join(APP, "..", "docs", "app", `${name}.png`), fullPage });
}
