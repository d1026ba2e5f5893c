// The devnet test wallet exists only in devnet builds: a testnet (or mainnet) build
// must not contain it at all (the `__DEVNET__` compile-time flag tree-shakes it).
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildApp } from "../e2e/harness.js";

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function bundleText(network: "devnet" | "testnet"): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), `tributary-app-${network}-`));
  dirs.push(dir);
  await buildApp(network, dir);
  const assets = join(dir, "assets");
  return readdirSync(assets)
    .filter((f) => f.endsWith(".js"))
    .map((f) => readFileSync(join(assets, f), "utf8"))
    .join("\n");
}

describe("production bundles", () => {
  it("a devnet build ships the devnet test wallet; a testnet build does not", async () => {
    const devnet = await bundleText("devnet");
    expect(devnet).toContain("Devnet test wallet");
    expect(devnet).toContain("tributary.devnetTestWallet.secret");
    const testnet = await bundleText("testnet");
    expect(testnet).not.toContain("Devnet test wallet");
    expect(testnet).not.toContain("tributary.devnetTestWallet.secret");
    expect(testnet).not.toContain("devnet.json");
    // Still the real app: Freighter is there.
    expect(testnet).toContain("Connect Freighter");
  }, 180_000);
});
