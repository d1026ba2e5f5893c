// The devnet as a process: the --state file survives a restart, a corrupted
// file stops it with a clear message, stop() leaves no process behind, and
// the history methods (getTransactions, getLedgers) paginate.

import { execFile, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { Keypair, rpc, StrKey } from "@stellar/stellar-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { devnetBinary, startDevnet } from "../helpers/devnet.js";

const dir = mkdtempSync(join(tmpdir(), "devnet-test-"));
// Build first: compiling the devnet on a fresh machine takes minutes.
beforeAll(() => devnetBinary(), 20 * 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function gone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch {
    return true;
  }
}

describe("devnet process", () => {
  it("keeps accounts and ledger sequence across a restart with --state", async () => {
    const stateFile = join(dir, "state.json");
    const kp = Keypair.random();
    const first = await startDevnet({ stateFile });
    const s1 = new rpc.Server(first.rpcUrl, { allowHttp: true });
    await s1.requestAirdrop(kp.publicKey());
    const seqBefore = (await s1.getLatestLedger()).sequence;
    await first.stop();
    expect(gone(first.process.pid!)).toBe(true);

    const second = await startDevnet({ stateFile });
    try {
      const s2 = new rpc.Server(second.rpcUrl, { allowHttp: true });
      const entry = await s2.getAccountEntry(kp.publicKey());
      expect(entry.balance().toString()).toBe("100000000000");
      expect((await s2.getLatestLedger()).sequence).toBeGreaterThan(seqBefore);
    } finally {
      await second.stop();
    }
  });

  it("refuses a corrupted state file with a clear message", async () => {
    const stateFile = join(dir, "corrupt.json");
    writeFileSync(stateFile, '{"format":"tributary-devnet-state","version":1,');
    await expect(startDevnet({ stateFile })).rejects.toThrow(/corrupted state file/);
  });

  it("paginates getTransactions and getLedgers", async () => {
    const net = await startDevnet();
    try {
      const server = new rpc.Server(net.rpcUrl, { allowHttp: true });
      for (let i = 0; i < 3; i++) await server.requestAirdrop(Keypair.random().publicKey());
      const oldest = (await server.getHealth()).oldestLedger;
      const page1 = await server.getTransactions({ startLedger: oldest, pagination: { limit: 2 } });
      expect(page1.transactions).toHaveLength(2);
      expect(page1.transactions.every((t) => t.status === "SUCCESS")).toBe(true);
      const page2 = await server.getTransactions({ pagination: { cursor: page1.cursor, limit: 10 } });
      expect(page2.transactions).toHaveLength(1);
      expect(page2.transactions[0]!.ledger).toBeGreaterThan(page1.transactions[1]!.ledger);

      const ledgers = await server.getLedgers({ startLedger: oldest, pagination: { limit: 2 } });
      expect(ledgers.ledgers.map((l) => l.sequence)).toEqual([oldest, oldest + 1]);
      expect(ledgers.ledgers[1]!.headerXdr.header().ledgerSeq()).toBe(oldest + 1);
      const more = await server.getLedgers({ pagination: { cursor: ledgers.cursor, limit: 1 } });
      expect(more.ledgers[0]!.sequence).toBe(oldest + 2);
    } finally {
      await net.stop();
    }
    expect(gone(net.process.pid!)).toBe(true);
  });

  it("deploys the npm start demo (stream contract, native XLM and TRIB contracts)", async () => {
    const net = await startDevnet();
    try {
      const root = resolve(import.meta.dirname, "..", "..");
      const { stdout } = await promisify(execFile)(
        process.execPath,
        [join(root, "devnet", "demo", "deploy.ts"), net.rpcUrl, join(root, "artifacts", "stream.wasm")],
        { cwd: root },
      );
      const demo = JSON.parse(stdout) as {
        streamContractId: string;
        demoToken: { contractId: string };
        nativeTokenContractId: string;
      };
      const server = new rpc.Server(net.rpcUrl, { allowHttp: true });
      for (const id of [demo.streamContractId, demo.demoToken.contractId, demo.nativeTokenContractId]) {
        expect(StrKey.isValidContract(id)).toBe(true);
        await server.getContractInstance(id); // throws when missing
      }
    } finally {
      await net.stop();
    }
  });

  it("exits when its parent's end of stdin closes (no orphan if the test runner is killed)", async () => {
    const child = spawn(
      await devnetBinary(),
      ["--port", "0", "--ledger-interval-ms", "0", "--exit-with-stdin"],
      {
        stdio: ["pipe", "pipe", "ignore"],
      },
    );
    await new Promise<void>((res) => child.stdout!.once("data", () => res()));
    const exited = new Promise<number | null>((res) => child.once("exit", (code) => res(code)));
    child.stdin!.end();
    expect(await exited).toBe(0);
  });
});
