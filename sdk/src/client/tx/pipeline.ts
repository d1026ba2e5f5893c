/**
 * The one way this SDK submits a transaction: build -> simulate -> authorize ->
 * reserve -> assemble -> sign -> send -> confirm, each step a function over a {@link TxContext}
 * (one file each), used by every `StreamClient` write, by contract deployment and by
 * the devnet helpers (classic operations skip the Soroban-only steps).
 *
 * What is retried, and why it is safe:
 * - RPC calls that failed at the transport level or with HTTP 429/5xx (reads,
 *   simulation, `getTransaction`): they change nothing (`rpc-call.ts`).
 * - `sendTransaction` of the SAME signed envelope after a transport failure: the hash
 *   is the same, so a second send answers DUPLICATE (still queued) or txBadSeq (already
 *   applied: `send.ts` then finds it with `getTransaction`) and never applies twice.
 * - The whole submission (rebuilt with a fresh sequence number) only when the RPC said
 *   the envelope was not accepted: `TRY_AGAIN_LATER` or `txBadSeq` (`send.ts`).
 * Nothing else is retried: contract errors, validation errors and failed
 * transactions are final.
 */

import type { rpc, xdr } from "@stellar/stellar-sdk";
import pRetry from "p-retry";
import { RpcError } from "../../errors.js";
import { assemble } from "./assemble.js";
import { authorize } from "./authorize.js";
import { build } from "./build.js";
import { confirm } from "./confirm.js";
import type { TxContext, TxEnv, TxRequest } from "./context.js";
import { reserve } from "./reserve.js";
import { TransientError } from "./rpc-call.js";
import { send } from "./send.js";
import { sign } from "./sign.js";
import { simulate } from "./simulate.js";

/** The steps, in order. */
export const STEPS: readonly ((ctx: TxContext) => Promise<void>)[] = [
  build,
  simulate,
  authorize,
  reserve,
  assemble,
  sign,
  send,
  confirm,
];

/** A submitted transaction's final, successful outcome. */
export interface Submitted {
  /** Transaction hash (hex). */
  hash: string;
  /** Ledger the transaction was applied in. */
  ledger: number;
  /** Fee actually charged, stroops (after the refund of unused resource fee). */
  feeCharged: bigint;
  /**
   * Creations only: hashes of earlier attempts that lost the race for the next stream
   * ids and were sent again (each was charged its fee; see `create-race.ts`).
   */
  raceRetries?: string[];
  /** What step 4 (`reserve`) added to the footprint: keys, write bytes and resource fee (stroops). */
  reserved?: { keys: xdr.LedgerKey[]; writeBytes: number; fee: bigint };
  /** The raw successful `getTransaction` response (return value, events, meta, fees). */
  response: rpc.Api.GetSuccessfulTransactionResponse;
}

/** Runs every step for `req`; retries the whole submission only on a transient rejection. */
export async function submit(env: TxEnv, req: TxRequest): Promise<Submitted> {
  const source = await req.signer.publicKey();
  const soroban = req.operation().body().switch().name === "invokeHostFunction";
  const attempt = async (): Promise<Submitted> => {
    const ctx: TxContext = { ...req, env, source, soroban };
    for (const step of STEPS) await step(ctx);
    const res = ctx.response!;
    return {
      hash: ctx.hash!,
      ledger: res.ledger,
      feeCharged: res.resultXdr.feeCharged().toBigInt(),
      ...(ctx.reserved ? { reserved: ctx.reserved } : {}),
      response: res,
    };
  };
  try {
    return await pRetry(attempt, {
      retries: env.settings.retries,
      minTimeout: 300,
      maxTimeout: 3_000,
      shouldRetry: ({ error }) => error instanceof TransientError,
    });
  } catch (error) {
    // Out of retries on a transient condition: report it as the RPC failure it is.
    if (error instanceof TransientError)
      throw new RpcError(`${error.message} (after ${env.settings.retries} retries)`, { cause: error });
    throw error;
  }
}
