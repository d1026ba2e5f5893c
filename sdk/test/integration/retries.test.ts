// Transient failures between the SDK and a real devnet: a real HTTP proxy in front
// of the devnet's RPC injects 503s, cuts a connection after the devnet accepted a
// transaction, and hides a transaction's result. The SDK must retry what is safe,
// never apply a write twice, and give up with the right error.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Keypair } from "@stellar/stellar-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { StreamClient } from "../../src/client/stream-client.js";
import {
  AccountNotFoundError,
  AmountExceedsWithdrawableError,
  RpcError,
  TransactionTimeoutError,
} from "../../src/errors.js";
import { network } from "../../src/networks.js";
import { linear } from "../../src/schedule.js";
import { KeypairSigner } from "../../src/signers/keypair.js";
import { type Party, startWorld, type World } from "./harness.js";

type Fault = (
  method: string,
  n: number,
) => "pass" | "503" | "cut-after-forward" | "not-found" | "hold" | "try-again-later";

interface Proxy {
  url: string;
  fault: Fault;
  /** Requests answered "hold" wait for this before being forwarded. */
  gate: Promise<void>;
  /** Resolves when a request is being held. */
  onHold: () => void;
  seen: string[];
  close(): Promise<void>;
}

async function startProxy(target: string): Promise<Proxy> {
  const counts = new Map<string, number>();
  const proxy: Proxy = {
    url: "",
    fault: () => "pass",
    gate: Promise.resolve(),
    onHold: () => {},
    seen: [],
    close: async () => {},
  };
  const body = (req: IncomingMessage) =>
    new Promise<string>((res) => {
      let b = "";
      req.on("data", (c: Buffer) => (b += c.toString()));
      req.on("end", () => res(b));
    });
  const server: Server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const text = await body(req);
    const method = (JSON.parse(text) as { method: string }).method;
    const n = (counts.get(method) ?? 0) + 1;
    counts.set(method, n);
    proxy.seen.push(method);
    const action = proxy.fault(method, n);
    if (action === "503") {
      res.writeHead(503, { "content-type": "text/plain" }).end("overloaded");
      return;
    }
    if (action === "try-again-later") {
      // What a loaded stellar-rpc answers: not accepted, nothing forwarded.
      const id = (JSON.parse(text) as { id: unknown }).id;
      const latest = (await (
        await fetch(target, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "getLatestLedger" }),
        })
      ).json()) as { result: { sequence: number } };
      res.writeHead(200, { "content-type": "application/json" }).end(
        JSON.stringify({
          jsonrpc: "2.0",
          id,
          result: {
            status: "TRY_AGAIN_LATER",
            hash: "00".repeat(32),
            latestLedger: latest.result.sequence,
            latestLedgerCloseTime: "0",
          },
        }),
      );
      return;
    }
    if (action === "hold") {
      proxy.onHold();
      await proxy.gate;
    }
    const upstream = await fetch(target, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: text,
    });
    const answer = await upstream.text();
    if (action === "cut-after-forward") {
      req.socket.destroy(); // the devnet applied it; the client never hears back
      return;
    }
    if (action === "not-found") {
      const parsed = JSON.parse(answer) as { id: unknown; result: Record<string, unknown> };
      const { latestLedger, latestLedgerCloseTime, oldestLedger, oldestLedgerCloseTime } = parsed.result;
      res.writeHead(200, { "content-type": "application/json" }).end(
        JSON.stringify({
          jsonrpc: "2.0",
          id: parsed.id,
          result: {
            status: "NOT_FOUND",
            latestLedger,
            latestLedgerCloseTime,
            oldestLedger,
            oldestLedgerCloseTime,
          },
        }),
      );
      return;
    }
    res.writeHead(upstream.status, { "content-type": "application/json" }).end(answer);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/rpc`;
  proxy.close = () => new Promise((r) => server.close(() => r()));
  return proxy;
}

let world: World;
let proxy: Proxy;
let sender: Party;
let recipient: Party;

beforeAll(async () => {
  world = await startWorld();
  sender = await world.party({ mint: 1_000n * 10_000_000n });
  recipient = await world.party();
  proxy = await startProxy(world.net.rpcUrl);
}, 900_000);

afterAll(async () => {
  await proxy?.close();
  await world?.stop();
});

function viaProxy(party: Party, opts: { retries?: number; confirmTimeoutMs?: number } = {}): StreamClient {
  return new StreamClient({
    network: network("devnet", { rpcUrl: proxy.url, passphrase: world.net.passphrase }),
    contractId: world.contractId,
    signer: party.signer,
    retries: opts.retries ?? 3,
    confirmTimeoutMs: opts.confirmTimeoutMs ?? 20_000,
    pollIntervalMs: 50,
  });
}

async function createParams() {
  const now = await world.now();
  return {
    sender: sender.address,
    recipient: recipient.address,
    token: world.tokenId,
    schedule: linear({ start: now, durationS: 100n, deposit: 5n }),
    cancelable: true,
    transferable: true,
  };
}

describe("transient failures", () => {
  it("retries 503s on every step of a write and creates the stream once", async () => {
    const before = await world.reader.streamCount();
    let calls = 0;
    proxy.fault = () => (++calls % 2 === 1 ? "503" : "pass"); // every other request fails
    proxy.seen = [];
    const out = await viaProxy(sender).create(await createParams());
    proxy.fault = () => "pass";
    expect(out.result).toBe(before + 1n);
    expect(await world.reader.streamCount()).toBe(before + 1n);
    for (const method of ["getLedgerEntries", "simulateTransaction", "sendTransaction", "getTransaction"]) {
      expect(proxy.seen.filter((x) => x === method).length, method).toBeGreaterThanOrEqual(2);
    }
  });

  it("re-sends the same envelope when the connection drops after the RPC accepted it: applied exactly once", async () => {
    const before = await world.reader.streamCount();
    const senderBalance = await world.balance(sender.address);
    let firstSend = true;
    proxy.fault = (m) => {
      if (m === "sendTransaction" && firstSend) {
        firstSend = false;
        return "cut-after-forward";
      }
      return "pass";
    };
    const out = await viaProxy(sender).create(await createParams());
    proxy.fault = () => "pass";
    expect(out.result).toBe(before + 1n);
    expect(await world.reader.streamCount()).toBe(before + 1n); // not 2
    expect(await world.balance(sender.address)).toBe(senderBalance - 5n);
  });

  it("refuses a signer whose account does not exist, without retrying", async () => {
    const ghost = { ...sender, signer: new KeypairSigner(Keypair.random()) };
    proxy.seen = [];
    await expect(viaProxy(ghost).settle(1n)).rejects.toBeInstanceOf(AccountNotFoundError);
    expect(proxy.seen).toEqual(["getLedgerEntries"]);
  });

  it("a write that simulated fine but lost a race fails on chain with the contract's named error", async () => {
    const now = await world.now();
    const { result: id } = await sender.client.create({
      ...(await createParams()),
      schedule: linear({ start: now - 100n, durationS: 10n, deposit: 5n }),
    });
    // Client A's send is held at the proxy until B has withdrawn everything.
    let release!: () => void;
    proxy.gate = new Promise((r) => (release = r));
    const held = new Promise<void>((r) => (proxy.onHold = r));
    proxy.fault = (m) => (m === "sendTransaction" ? "hold" : "pass");
    // A relays (its own source account; the recipient signs only the auth entry), so
    // A's and B's transactions differ and both reach the ledger.
    const relayer = await world.party({ trust: false });
    const a = viaProxy(relayer)
      .withdraw({ id, to: recipient.address, amount: 5n }, { authSigners: [recipient.signer] })
      .catch((e: unknown) => e);
    await held;
    const b = await recipient.client.withdraw({ id, to: recipient.address, amount: 5n });
    expect(b.result).toBe(5n);
    release();
    const err = await a;
    proxy.fault = () => "pass";
    expect(err).toBeInstanceOf(AmountExceedsWithdrawableError);
    expect((await world.reader.get(id)).withdrawn).toBe(5n);
  });

  it("rebuilds and resends after TRY_AGAIN_LATER: created once", async () => {
    const before = await world.reader.streamCount();
    let first = true;
    proxy.seen = [];
    proxy.fault = (m) => {
      if (m === "sendTransaction" && first) {
        first = false;
        return "try-again-later";
      }
      return "pass";
    };
    const out = await viaProxy(sender).create(await createParams());
    proxy.fault = () => "pass";
    expect(out.result).toBe(before + 1n);
    expect(await world.reader.streamCount()).toBe(before + 1n);
    expect(proxy.seen.filter((m) => m === "simulateTransaction")).toHaveLength(2); // rebuilt, not just resent
  });

  it("rebuilds with a fresh sequence number after txBadSeq (another transaction of the same account landed first)", async () => {
    const before = await world.reader.streamCount();
    let release!: () => void;
    proxy.gate = new Promise((r) => (release = r));
    const held = new Promise<void>((r) => (proxy.onHold = r));
    let holdOnce = true;
    proxy.fault = (m) => {
      if (m === "sendTransaction" && holdOnce) {
        holdOnce = false;
        return "hold";
      }
      return "pass";
    };
    const a = viaProxy(sender).create(await createParams());
    await held;
    // Same account, different transaction: it takes the sequence number A was built with.
    await sender.client.create({
      ...(await createParams()),
      schedule: linear({ start: await world.now(), durationS: 50n, deposit: 3n }),
    });
    release();
    const out = await a;
    proxy.fault = () => "pass";
    expect(await world.reader.streamCount()).toBe(before + 2n);
    expect((await world.reader.get(out.result)).deposited).toBe(5n);
  });

  it("gives up with RpcError when the RPC keeps answering TRY_AGAIN_LATER", async () => {
    const before = await world.reader.streamCount();
    proxy.fault = (m) => (m === "sendTransaction" ? "try-again-later" : "pass");
    const err = await viaProxy(sender, { retries: 1 })
      .create(await createParams())
      .catch((e: unknown) => e);
    proxy.fault = () => "pass";
    expect(err).toBeInstanceOf(RpcError);
    expect((err as Error).message).toMatch(/TRY_AGAIN_LATER \(after 1 retries\)/);
    expect(await world.reader.streamCount()).toBe(before);
  });

  it("gives up with RpcError when the RPC keeps failing, after the retry budget", async () => {
    proxy.fault = () => "503";
    proxy.seen = [];
    const err = await viaProxy(sender, { retries: 2 })
      .get(1n)
      .catch((e: unknown) => e);
    proxy.fault = () => "pass";
    expect(err).toBeInstanceOf(RpcError);
    expect(proxy.seen).toEqual(["simulateTransaction", "simulateTransaction", "simulateTransaction"]);
  });

  it("reports TransactionTimeoutError with the hash when the result never shows, though it landed", async () => {
    const before = await world.reader.streamCount();
    proxy.fault = (m) => (m === "getTransaction" ? "not-found" : "pass");
    const err = await viaProxy(sender, { confirmTimeoutMs: 1_500 })
      .create(await createParams())
      .catch((e: unknown) => e);
    proxy.fault = () => "pass";
    expect(err).toBeInstanceOf(TransactionTimeoutError);
    const hash = (err as TransactionTimeoutError).hash;
    const res = await world.server.getTransaction(hash);
    expect(res.status).toBe("SUCCESS"); // the caller can look it up: it did land
    expect(await world.reader.streamCount()).toBe(before + 1n);
  });
});
