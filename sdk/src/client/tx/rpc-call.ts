/**
 * RPC calls with retries of transient failures (transport errors, HTTP 429/5xx): safe
 * because every call retried here changes nothing, or re-sends the same signed
 * envelope (same hash, so it can never apply twice).
 */

import pRetry from "p-retry";
import { TributaryError } from "../../errors.js";
import { rpcFailure } from "../rpc-server.js";
import type { TxEnv } from "./context.js";

/** A failure worth trying again (transport, rate limit, server error, TRY_AGAIN_LATER). */
export class TransientError extends TributaryError {}

/** True for transport-level failures and HTTP 429/5xx answers. */
export function isTransient(error: unknown): boolean {
  if (error instanceof TransientError) return true;
  if (error instanceof TributaryError) return false;
  if (!error || typeof error !== "object") return false;
  const e = error as {
    code?: unknown;
    response?: { status?: unknown };
    status?: unknown;
    message?: unknown;
    cause?: unknown;
  };
  const status =
    typeof e.response?.status === "number"
      ? e.response.status
      : typeof e.status === "number"
        ? e.status
        : undefined;
  if (status !== undefined) return status === 429 || status >= 500;
  const code = typeof e.code === "string" ? e.code : "";
  if (
    /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|EAI_AGAIN|ENOTFOUND|ECONNABORTED|ERR_NETWORK|UND_ERR_\w+)$/.test(
      code,
    )
  )
    return true;
  const msg = typeof e.message === "string" ? e.message : "";
  if (/fetch failed|network|socket hang up|timeout|ECONNRESET|ECONNREFUSED/i.test(msg)) return true;
  return e.cause !== undefined && e.cause !== error ? isTransient(e.cause) : false;
}

/** Runs an idempotent RPC call with retries of transient failures; other failures become `RpcError`. */
export async function rpcCall<T>(env: TxEnv, what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await pRetry(fn, {
      retries: env.settings.retries,
      minTimeout: 200,
      maxTimeout: 2_000,
      shouldRetry: ({ error }) => isTransient(error),
    });
  } catch (error) {
    if (error instanceof TributaryError) throw error;
    throw rpcFailure(what, error);
  }
}
