// The package as integrators get it. The README's examples (sdk/examples/*.ts) run
// against the devnet, imported the way integrators import the SDK: `@tributary/sdk`
// resolved through the package's exports map to the built `dist/` (built here first),
// so a broken example, a broken build or a broken exports map fails this test. One
// example also runs as a plain `node` process through its command-line entry. Then
// the package is packed as if published, installed from the tarball into a fresh
// project next to that project's own @stellar/stellar-sdk (a peer dependency), and a
// consumer script (test/consumer/first-hour.ts) is type-checked with `strict` and run
// with plain `node` against the devnet. One file, so the build happens once.

import { execFile } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DAY_S } from "../src/schedule.js";
import { type Party, startWorld, type World } from "./integration/harness.js";

const run = promisify(execFile);
const SDK = resolve(import.meta.dirname, "..");
const UNIT = 10_000_000n;

let world: World;
let employer: Party;
let alice: Party;
let bob: Party;

beforeAll(async () => {
  // Build dist/ (the examples import the package, not src/).
  await run("nice", [
    "-n",
    "5",
    process.execPath,
    resolve(SDK, "..", "node_modules", "typescript", "bin", "tsc"),
    "-p",
    resolve(SDK, "tsconfig.build.json"),
  ]);
  await run(process.execPath, [resolve(SDK, "scripts", "copy-wasm.mjs")]);
  world = await startWorld();
  [employer, alice, bob] = await Promise.all([
    world.party({ mint: 200_000n * UNIT }),
    world.party(),
    world.party(),
  ]);
}, 900_000); // a cold devnet build on a busy 2-core machine takes minutes

afterAll(async () => {
  await world?.stop();
});

describe("the package's exports map", () => {
  it("resolves every subpath to the built files with the expected exports", async () => {
    const root = await import("@tributary/sdk");
    const acc = await import("@tributary/sdk/accrual");
    const sched = await import("@tributary/sdk/schedule");
    const signers = await import("@tributary/sdk/signers");
    expect(typeof root.StreamClient).toBe("function");
    expect(acc.linearAccrued(10n, 0n, 0n, 3n, 1n)).toBe(3n);
    expect(root.accrual.rateAccrued).toBe(acc.rateAccrued);
    expect(sched.monthly({ start: 0n, months: 1, amountPerMonth: 1n }).tranches).toHaveLength(1);
    expect(typeof signers.FreighterSigner).toBe("function");
    expect(root.KeypairSigner).toBe(signers.KeypairSigner);
  });
});

describe("examples", () => {
  it("monthly payroll -> live balance -> withdraw, a month later", async () => {
    const { createPayroll } = await import("../examples/monthly-payroll.js");
    const { liveBalance } = await import("../examples/live-balance.js");
    const { withdraw } = await import("../examples/withdraw.js");
    const start = new Date(Number(await world.now()) * 1000);
    const noTrustline = await world.party({ trust: false });
    const { ids, skipped } = await createPayroll({
      rpcUrl: world.net.rpcUrl,
      contractId: world.contractId,
      token: world.tokenId,
      senderSecret: employer.kp.secret(),
      employees: [
        { address: alice.address, salaryPerMonth: 5_000n * UNIT },
        { address: bob.address, salaryPerMonth: 4_200n * UNIT },
        { address: noTrustline.address, salaryPerMonth: 1n },
      ],
      start,
      months: 12,
    });
    expect(ids).toHaveLength(2);
    expect(skipped).toEqual([
      { address: noTrustline.address, problem: expect.stringMatching(/no trustline/) },
    ]);

    // Nothing is due before the first pay day.
    const before = await liveBalance(
      { rpcUrl: world.net.rpcUrl, contractId: world.contractId, streamId: ids[0]!, ticks: 1, intervalMs: 0 },
      () => {},
    );
    expect(before[0]!.withdrawable).toBe(0n);

    await world.warp(32n * DAY_S);
    const shown = await liveBalance(
      { rpcUrl: world.net.rpcUrl, contractId: world.contractId, streamId: ids[0]!, ticks: 2, intervalMs: 10 },
      () => {},
    );
    expect(shown.map((a) => a.withdrawable)).toEqual([5_000n * UNIT, 5_000n * UNIT]);

    const paid = await withdraw({
      rpcUrl: world.net.rpcUrl,
      contractId: world.contractId,
      recipientSecret: alice.kp.secret(),
      streamId: ids[0]!,
    });
    expect(paid.paid).toBe(5_000n * UNIT);
    expect(await world.balance(alice.address)).toBe(5_000n * UNIT);
    await expect(
      withdraw({
        rpcUrl: world.net.rpcUrl,
        contractId: world.contractId,
        recipientSecret: bob.kp.secret(),
        streamId: ids[1]!,
        amount: 4_201n * UNIT,
      }),
    ).rejects.toMatchObject({ name: "AmountExceedsWithdrawableError", code: 113 });
  });

  it("runs the live-balance example as a node process from its command line", async () => {
    const { stdout } = await run(process.execPath, [resolve(SDK, "examples", "live-balance.ts")], {
      env: {
        ...process.env,
        TRIBUTARY_RPC_URL: world.net.rpcUrl,
        TRIBUTARY_CONTRACT_ID: world.contractId,
        STREAM_ID: "2",
        TICKS: "3",
        INTERVAL_MS: "50",
      },
      timeout: 60_000,
    });
    const lines = stdout.trim().split("\n");
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(
      /^\d{4}-\d\d-\d\dT.* withdrawable 4200\.0000000 \(accrued 4200\.0000000, debt 0\.0000000\)$/,
    );
  }, 60_000);
});

describe("the packed tarball in a fresh project", () => {
  const version = (pkg: string) =>
    (
      JSON.parse(readFileSync(resolve(SDK, "..", "node_modules", pkg, "package.json"), "utf8")) as {
        version: string;
      }
    ).version;
  let tmp = "";

  afterAll(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it("installs next to the project's own stellar-sdk, type-checks strictly and runs the first hour on the devnet", async () => {
    tmp = mkdtempSync(join(tmpdir(), "tributary-consumer-"));
    // dist/ and stream.wasm were built above; pack exactly what would be published.
    const packed = await run("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", tmp], {
      cwd: SDK,
    });
    const [info] = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[];
    const files = info!.files.map((f) => f.path);
    expect(files).toEqual(
      expect.arrayContaining([
        "stream.wasm",
        "dist/index.js",
        "dist/index.d.ts",
        "dist/devnet/index.js",
        "examples/monthly-payroll.ts",
        "README.md",
      ]),
    );
    expect(files.some((f) => f.startsWith("test/"))).toBe(false);
    const manifest = JSON.parse(readFileSync(resolve(SDK, "package.json"), "utf8")) as {
      dependencies: Record<string, string>;
      peerDependencies: Record<string, string>;
    };
    expect(manifest.dependencies["@stellar/stellar-sdk"]).toBeUndefined();
    expect(manifest.peerDependencies["@stellar/stellar-sdk"]).toBeDefined();

    writeFileSync(
      join(tmp, "package.json"),
      JSON.stringify({ name: "consumer", private: true, type: "module" }),
    );
    // The registry is reachable, but everything needed is in npm's cache after `npm ci`.
    await run(
      "npm",
      [
        "install",
        "--prefer-offline",
        "--no-audit",
        "--no-fund",
        "--loglevel=error",
        join(tmp, info!.filename),
        `@stellar/stellar-sdk@${version("@stellar/stellar-sdk")}`,
        `@types/node@${version("@types/node")}`,
      ],
      { cwd: tmp, timeout: 300_000 },
    );
    // One stellar-sdk in the tree: ours is a peer, so the SDK uses the project's.
    const ls = await run("npm", ["ls", "@stellar/stellar-sdk", "--all", "--parseable"], { cwd: tmp });
    expect(ls.stdout.trim().split("\n")).toHaveLength(1);

    for (const f of ["first-hour.ts", "tsconfig.json"])
      copyFileSync(resolve(SDK, "test", "consumer", f), join(tmp, f));
    const tsc = resolve(SDK, "..", "node_modules", "typescript", "bin", "tsc");
    const typecheck = (...extra: string[]) =>
      run(process.execPath, [tsc, "-p", join(tmp, "tsconfig.json"), ...extra], { cwd: tmp }).then(
        () => "",
        (e: { stdout?: string }) => e.stdout ?? String(e),
      );
    // strict, with skipLibCheck as the README says: clean.
    expect(await typecheck()).toBe("");
    // Without skipLibCheck, the only errors are inside stellar-sdk's own declarations
    // (the README names them); none in ours.
    const deep = await typecheck("--skipLibCheck", "false");
    const errorFiles = [...deep.matchAll(/^(\S+?)\(\d+,\d+\): error/gm)].map((m) => m[1]!);
    expect(errorFiles.filter((f) => !f.startsWith("node_modules/@stellar/stellar-sdk/"))).toEqual([]);

    const { stdout } = await run(process.execPath, [join(tmp, "first-hour.ts"), world.net.rpcUrl], {
      cwd: tmp,
      timeout: 120_000,
    });
    console.log(`consumer output:\n${stdout}`);
    const lines = stdout.trim().split("\n");
    expect(lines[0]).toMatch(
      /^network: Standalone Network ; February 2017 \(friendbot http:\/\/127\.0\.0\.1:\d+\/friendbot\)$/,
    );
    expect(lines).toEqual(
      expect.arrayContaining([
        "canReceive alice: yes",
        "canReceive bob: no (trustlineMissing)",
        "payroll refused: #1 trustlineMissing",
        "alice can withdraw 5000 USDC",
        "withdrawing 6000: AmountExceedsWithdrawable (113)",
        "alice withdrew 5000 USDC; balance 5000 USDC",
      ]),
    );
    expect(lines.some((l) => /^payroll created: streams \d+, \d+$/.test(l))).toBe(true);
  }, 600_000);
});
