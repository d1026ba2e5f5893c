// The keeper's container, for real: the image built from the unmodified
// keeper/Dockerfile (scripts/container-check.sh), run by podman the way an
// orchestrator runs it: read-only root filesystem, the fee payer's secret as a
// mounted file, host network to reach the devnet. Checked: it runs as a non-root
// user with no shell, cannot write its root filesystem, never sees the secret in
// its environment, answers /healthz, /readyz and /metrics, settles due streams on
// the devnet, logs JSON, and drains cleanly on SIGTERM (exit 0).

import { execFile } from "node:child_process";
import { chownSync, mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { funded, linearStreams, startWorld, type World } from "../helpers/keeper-world.js";

const exec = promisify(execFile);
const IMAGE = process.env.KEEPER_IMAGE ?? "localhost/tributary-keeper:dev";
const PODMAN = (process.env.PODMAN ?? "podman").split(" ").filter(Boolean);
const LIMITS = ["--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024"];
const NAME = `tributary-keeper-check-${process.pid}`;
const DAY = 86_400n;

let world: World;
let port = 0;
let secret = "";
const ids: bigint[] = [];

const podman = async (...args: string[]) =>
  (await exec(PODMAN[0]!, [...PODMAN.slice(1), ...args])).stdout.trim();
const podmanFails = async (...args: string[]) =>
  exec(PODMAN[0]!, [...PODMAN.slice(1), ...args]).then(
    () => "",
    (e: { stderr?: string; stdout?: string }) => `${e.stdout ?? ""}${e.stderr ?? ""}`,
  );

async function freePort(): Promise<number> {
  return new Promise((res) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => res(p));
    });
  });
}

async function until<T>(what: string, f: () => Promise<T | undefined>, ms = 120_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await f().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

beforeAll(async () => {
  world = await startWorld();
  ids.push(...(await linearStreams(world, 3, { days: 30n, deposit: 300_000_000n })));
  await world.warp(2n * DAY);
  const payer = await funded(world);
  secret = payer.secret();
  const dir = mkdtempSync(join(tmpdir(), "keeper-secret-"));
  const file = join(dir, "keeper");
  writeFileSync(file, `${secret}\n`, { mode: 0o400 });
  chownSync(file, 1000, 1000); // readable by the container's user only
  port = await freePort();
  await podman(
    "run",
    "-d",
    "--name",
    NAME,
    "--network=host",
    "--read-only",
    ...LIMITS,
    "-v",
    `${file}:/run/secrets/keeper:ro`,
    "-e",
    "KEEPER_SECRET_FILE=/run/secrets/keeper",
    "-e",
    `KEEPER_RPC_URL=${world.net.rpcUrl}`,
    "-e",
    `KEEPER_NETWORK_PASSPHRASE=${world.network.passphrase}`,
    "-e",
    `KEEPER_CONTRACT_ID=${world.contractId}`,
    "-e",
    `KEEPER_TOKENS=${world.tokenId}`,
    "-e",
    `KEEPER_HEALTH_PORT=${port}`,
    "-e",
    "KEEPER_SCHEDULE=*/3 * * * * *",
    IMAGE,
  );
}, 600_000);

afterAll(async () => {
  await podmanFails("rm", "-f", NAME);
  await world?.stop();
});

describe("the keeper container", () => {
  it("runs as a non-root user, with no shell, on a read-only root filesystem, and the secret only as a mounted file", async () => {
    expect(await podman("inspect", NAME, "--format", "{{.Config.User}}")).toBe("1000:1000");
    expect(await podman("inspect", NAME, "--format", "{{.HostConfig.ReadonlyRootfs}}")).toBe("true");
    expect(
      await podman(
        "exec",
        NAME,
        "/usr/local/bin/node",
        "-e",
        "process.stdout.write(String(process.getuid()))",
      ),
    ).toBe("1000");
    const write = await podmanFails(
      "exec",
      NAME,
      "/usr/local/bin/node",
      "-e",
      "require('fs').writeFileSync('/app/x','y')",
    );
    expect(write).toMatch(/EROFS|read-only/);
    expect(await podmanFails("exec", NAME, "/bin/sh", "-c", "true")).not.toBe("");
    const env = await podman(
      "exec",
      NAME,
      "/usr/local/bin/node",
      "-e",
      "process.stdout.write(JSON.stringify(process.env))",
    );
    expect(env).not.toContain(secret);
    expect(env).not.toContain("KEEPER_SECRET=");
  });

  it("answers /healthz, settles the due streams on the devnet, then /readyz and /metrics tell so", async () => {
    const base = `http://127.0.0.1:${port}`;
    await until("/healthz", async () => ((await fetch(`${base}/healthz`)).ok ? true : undefined));
    await until("settlements", async () => {
      for (const id of ids) if ((await world.reader.snapshot(id)).stream.withdrawn === 0n) return undefined;
      return true;
    });
    await until("/readyz", async () => ((await fetch(`${base}/readyz`)).status === 200 ? true : undefined));
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/keeper_streams_settled_total\{reason="age"\} 3/);
    expect(metrics).toMatch(/keeper_fee_payer_balance_stroops \d+/);
    expect(metrics).toMatch(/keeper_process_resident_memory_bytes \d+/);
  });

  it("logs JSON lines without the secret, and drains cleanly on SIGTERM", async () => {
    await podman("stop", "--time", "40", NAME);
    expect(await podman("inspect", NAME, "--format", "{{.State.ExitCode}}")).toBe("0");
    const logs = await podman("logs", NAME);
    expect(logs).not.toContain(secret);
    const lines = logs.split("\n").filter(Boolean);
    const parsed = lines.map((l) => JSON.parse(l) as { msg?: string; txHash?: string; fee?: string });
    const msgs = parsed.map((l) => l.msg);
    expect(msgs).toContain("stopping: draining in-flight transactions");
    expect(msgs).toContain("drained");
    const tx = parsed.find((l) => l.msg === "settle_many");
    expect(tx?.txHash).toMatch(/^[0-9a-f]{64}$/);
    expect(tx?.fee).toMatch(/^[0-9]+$/);
  });
});
