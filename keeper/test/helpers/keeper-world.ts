// A devnet world for keeper tests: the SDK's integration harness (devnet, stream
// contract, USDC) plus funded fee payer and channel accounts, and keepers wired
// from real configuration through `assemble`, exactly as `main` wires them.

import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Keypair } from "@stellar/stellar-sdk";
import { accrual } from "@tributary/sdk";
import { type Logger, pino } from "pino";
import { expect } from "vitest";
import { startWorld, type World } from "../../../sdk/test/integration/harness.js";
import { assemble } from "../../src/assemble.js";
import { parseConfig } from "../../src/config.js";
import { createMetrics } from "../../src/metrics.js";
import type { RunDeps } from "../../src/run.js";

export { startWorld, type World };

/** Silent unless KEEPER_TEST_LOG names a level (debugging a failing test). */
export const silent: Logger = pino({ level: process.env.KEEPER_TEST_LOG ?? "silent" });

/** A funded account. */
export async function funded(world: World): Promise<Keypair> {
  const kp = Keypair.random();
  await world.server.requestAirdrop(kp.publicKey());
  return kp;
}

export interface TestKeeper {
  deps: Omit<RunDeps, "stopping">;
  feePayer: Keypair;
  channels: Keypair[];
  env: Record<string, string>;
}

/** A keeper with its own fee payer and `channels` channel accounts, configured from `env`. */
export async function keeper(
  world: World,
  opts: { channels?: number; env?: Record<string, string>; rpcUrl?: string; log?: Logger } = {},
): Promise<TestKeeper> {
  const dir = mkdtempSync(join(tmpdir(), "keeper-"));
  const feePayer = await funded(world);
  const channels: Keypair[] = [];
  for (let i = 0; i < (opts.channels ?? 0); i++) channels.push(await funded(world));
  writeFileSync(join(dir, "secret"), feePayer.secret(), { mode: 0o600 });
  const env: Record<string, string> = {
    KEEPER_RPC_URL: opts.rpcUrl ?? world.net.rpcUrl,
    KEEPER_NETWORK_PASSPHRASE: world.network.passphrase,
    KEEPER_CONTRACT_ID: world.contractId,
    KEEPER_SECRET_FILE: join(dir, "secret"),
    KEEPER_TOKENS: world.tokenId,
    KEEPER_TX_TIMEOUT_S: "30",
    ...opts.env,
  };
  if (channels.length > 0) {
    writeFileSync(join(dir, "channels"), channels.map((c) => c.secret()).join("\n"), { mode: 0o600 });
    env.KEEPER_CHANNEL_SECRETS_FILE = join(dir, "channels");
  }
  const deps = await assemble(parseConfig(env), opts.log ?? silent, {
    metrics: createMetrics({ defaultMetrics: false }),
  });
  return { deps, feePayer, channels, env };
}

/**
 * `count` linear streams of `deposit` each over `days` from now, from a fresh sender (minted
 * 1,000 USDC) to one fresh recipient; returns their ids.
 */
export async function linearStreams(
  world: World,
  count: number,
  opts: { days: bigint; deposit: bigint },
): Promise<bigint[]> {
  const sender = await world.party({ mint: 10_000_000_000n });
  const recipient = await world.party();
  const now = await world.now();
  const params = Array.from({ length: count }, () => ({
    sender: sender.address,
    recipient: recipient.address,
    token: world.tokenId,
    schedule: {
      kind: "linear" as const,
      startTs: now,
      cliffTs: now,
      endTs: now + opts.days * 86_400n,
      deposit: opts.deposit,
    },
    cancelable: true,
    transferable: false,
  }));
  return (await sender.client.createBatch(params)).result;
}

/** Each stream holds exactly what had accrued when its one settlement since `startLedger` landed. */
export async function expectPaidExactly(world: World, ids: bigint[], startLedger: number): Promise<void> {
  for (const id of ids) {
    const { stream } = await world.reader.snapshot(id);
    const { events } = await world.reader.events({ startLedger, streamId: id, names: ["settled"] });
    expect(events).toHaveLength(1);
    const settledAt = BigInt(Date.parse(events[0]!.ledgerClosedAt!) / 1000);
    expect(stream.withdrawn).toBe(accrual.accruedAt(stream, settledAt));
  }
}
