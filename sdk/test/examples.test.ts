// The README's examples (sdk/examples/*.ts) run against the devnet, imported the way
// integrators import the SDK: `@tributary/sdk` resolved through the package's
// exports map to the built `dist/` (built here first), so a broken example, a broken
// build or a broken exports map fails this test. One example also runs as a plain
// `node` process through its command-line entry.

import { execFile } from "node:child_process";
import { resolve } from "node:path";
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
    const ids = await createPayroll({
      rpcUrl: world.net.rpcUrl,
      contractId: world.contractId,
      token: world.tokenId,
      senderSecret: employer.kp.secret(),
      employees: [
        { address: alice.address, salaryPerMonth: 5_000n * UNIT },
        { address: bob.address, salaryPerMonth: 4_200n * UNIT },
      ],
      start,
      months: 12,
    });
    expect(ids).toHaveLength(2);

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
