/**
 * The RPC client the SDK constructs, and how its failures are named.
 *
 * stellar-sdk 16.2's `rpc.Server` ignores a `timeout` option: a request to an RPC that
 * accepts the connection and never answers would hang forever. Its HTTP client (one
 * per `rpc.Server` instance) honours a timeout in its defaults, so the timeout is set
 * there, on this instance only, never on a shared or global default.
 *
 * @module rpc-server
 */

import { rpc } from "@stellar/stellar-sdk";
import { RpcError, RpcTimeoutError } from "../errors.js";

export interface RpcServerOptions {
  /** Allow `http://` (a local network). */
  allowHttp?: boolean;
  /** Per-HTTP-request timeout, ms (0: none). */
  timeoutMs: number;
  /** Extra HTTP headers (e.g. an API key). */
  headers?: Record<string, string>;
}

/** An `rpc.Server` whose every request fails after `timeoutMs` instead of hanging. */
export function createRpcServer(url: string, opts: RpcServerOptions): rpc.Server {
  const server = new rpc.Server(url, {
    allowHttp: opts.allowHttp ?? false,
    ...(opts.headers ? { headers: opts.headers } : {}),
  });
  server.httpClient.defaults.timeout = opts.timeoutMs;
  return server;
}

/** True when an HTTP client error is a request timeout (not a refused or reset connection). */
export function isRequestTimeout(error: unknown): boolean {
  if (!error || typeof error !== "object") return false;
  const e = error as { name?: unknown; code?: unknown; message?: unknown };
  if (e.name === "TimeoutError") return true;
  return e.code === "ECONNABORTED" && typeof e.message === "string" && /timeout/i.test(e.message);
}

/** The SDK's error for a failed RPC call: `RpcTimeoutError` for a timeout, else `RpcError`. */
export function rpcFailure(what: string, error: unknown): RpcError {
  const message = error instanceof Error ? error.message : String(error);
  if (isRequestTimeout(error)) {
    const ms = /timeout of (\d+)\s*ms/i.exec(message)?.[1];
    return new RpcTimeoutError(what, ms === undefined ? undefined : Number(ms), { cause: error });
  }
  return new RpcError(`${what}: ${message}`, { cause: error });
}
