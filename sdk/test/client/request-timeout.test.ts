// The request timeout against a real local HTTP server that accepts every request and
// never answers (an RPC that hangs). stellar-sdk 16.2's rpc.Server ignores its own
// `timeout` option, so without the SDK's createRpcServer each of these calls would hang
// until the test's own timeout fails it. No devnet is needed: nothing ever answers.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { rpc } from "@stellar/stellar-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LedgerReader } from "../../src/client/ledger.js";
import { createRpcServer } from "../../src/client/rpc-server.js";
import { StreamClient } from "../../src/client/stream-client.js";
import { Devnet } from "../../src/devnet/index.js";
import { RpcError, RpcTimeoutError } from "../../src/errors.js";
import { network } from "../../src/networks.js";

const CONTRACT = "CDLZFC3SYJYDZT7K67VZ75HPJVIEUVNIXF47ZG2FB2RMQQVU2HHGCYSC";
const TIMEOUT_MS = 300;

interface Silent {
  rpcUrl: string;
  /** JSON-RPC methods received, in order. */
  methods: string[];
  /** Requests whose connection the client closed (it gave up), in order. */
  abandoned: string[];
  close(): Promise<void>;
}

/** An HTTP server that reads each request and never writes a byte back. */
async function startSilentRpc(): Promise<Silent> {
  const s: Silent = { rpcUrl: "", methods: [], abandoned: [], close: async () => {} };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = "";
    req.on("data", (c: Buffer) => {
      body += c.toString();
    });
    req.on("end", () => {
      const method = (JSON.parse(body) as { method: string }).method;
      s.methods.push(method);
      res.on("close", () => s.abandoned.push(method));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  s.rpcUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/rpc`;
  s.close = () =>
    new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    });
  return s;
}

let silent: Silent;
beforeAll(async () => {
  silent = await startSilentRpc();
});
afterAll(() => silent.close());

const devnetNetwork = () => network("devnet", { rpcUrl: silent.rpcUrl });

/** Runs `call`, expecting it to fail; returns the error and how long it took. */
async function failure(call: () => Promise<unknown>): Promise<{ error: unknown; elapsedMs: number }> {
  const t0 = performance.now();
  try {
    await call();
  } catch (error) {
    return { error, elapsedMs: performance.now() - t0 };
  }
  throw new Error("the call succeeded against a server that never answers");
}

describe("requestTimeoutMs against an RPC that never answers", () => {
  // A hang (the bug) fails these by the test timeout, far above the request timeout.
  const testTimeout = 20 * TIMEOUT_MS + 5_000;

  it(
    "StreamClient: a read fails with RpcTimeoutError naming the call and the timeout, after one request",
    async () => {
      silent.methods.length = 0;
      silent.abandoned.length = 0;
      const client = new StreamClient({
        network: devnetNetwork(),
        contractId: CONTRACT,
        requestTimeoutMs: TIMEOUT_MS,
        retries: 0,
      });
      const { error, elapsedMs } = await failure(() => client.latestLedger());
      expect(error).toBeInstanceOf(RpcTimeoutError);
      expect(error).toBeInstanceOf(RpcError); // callers catching RpcError still catch it
      expect((error as RpcTimeoutError).timeoutMs).toBe(TIMEOUT_MS);
      expect((error as Error).message).toBe(
        `getLatestLedger: the RPC did not answer within ${TIMEOUT_MS} ms`,
      );
      // Not before the timeout (the upper bound is the test's own timeout).
      expect(elapsedMs).toBeGreaterThanOrEqual(TIMEOUT_MS - 5);
      expect(silent.methods).toEqual(["getLatestLedger"]);
      // The client closed the connection: it gave up, it did not just stop listening.
      await expect.poll(() => silent.abandoned).toEqual(["getLatestLedger"]);
    },
    testTimeout,
  );

  it(
    "retries a timed-out request (it changed nothing) and then reports RpcTimeoutError",
    async () => {
      silent.methods.length = 0;
      const client = new StreamClient({
        network: devnetNetwork(),
        contractId: CONTRACT,
        requestTimeoutMs: TIMEOUT_MS,
        retries: 2,
      });
      const { error, elapsedMs } = await failure(() => client.latestLedger());
      expect(error).toBeInstanceOf(RpcTimeoutError);
      expect(silent.methods).toEqual(["getLatestLedger", "getLatestLedger", "getLatestLedger"]);
      expect(elapsedMs).toBeGreaterThanOrEqual(3 * TIMEOUT_MS - 5);
    },
    testTimeout,
  );

  it(
    "Devnet.connect and LedgerReader (the keeper's reads) time out the same way",
    async () => {
      silent.methods.length = 0;
      const connect = await failure(() =>
        Devnet.connect({ rpcUrl: silent.rpcUrl, requestTimeoutMs: TIMEOUT_MS, retries: 0 }),
      );
      expect(connect.error).toBeInstanceOf(RpcTimeoutError);
      expect((connect.error as Error).message).toMatch(/^getNetwork: /);

      const reader = new LedgerReader(
        createRpcServer(silent.rpcUrl, { allowHttp: true, timeoutMs: TIMEOUT_MS }),
        CONTRACT,
      );
      const read = await failure(() => reader.streams([1n]));
      expect(read.error).toBeInstanceOf(RpcTimeoutError);
      expect((read.error as Error).message).toMatch(/^getLedgerEntries: /);
      expect(silent.methods).toEqual(["getNetwork", "getLedgerEntries"]);
    },
    testTimeout,
  );

  it("sets the timeout on each server's own HTTP client, with no global side effect", () => {
    const a = createRpcServer(silent.rpcUrl, { allowHttp: true, timeoutMs: 111 });
    const b = createRpcServer(silent.rpcUrl, { allowHttp: true, timeoutMs: 222 });
    const plain = new rpc.Server(silent.rpcUrl, { allowHttp: true });
    expect(a.httpClient.defaults.timeout).toBe(111);
    expect(b.httpClient.defaults.timeout).toBe(222);
    expect(plain.httpClient.defaults.timeout).toBeUndefined();
    expect(() => createRpcServer("http://example.org/rpc", { timeoutMs: 1 })).toThrow(/allowHttp/);
  });
});
