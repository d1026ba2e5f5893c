/**
 * Step 6, send. The RPC not accepting the envelope (`TRY_AGAIN_LATER`, or `txBadSeq`
 * after another transaction of the same source landed first) is transient: the whole
 * submission is rebuilt with a fresh sequence number. Any other rejection is final.
 */

import { rpc } from "@stellar/stellar-sdk";
import { TransactionRejectedError } from "../../errors.js";
import type { TxContext } from "./context.js";
import { rpcCall, TransientError } from "./rpc-call.js";

export async function send(ctx: TxContext): Promise<void> {
  const { server } = ctx.env;
  const sent = await rpcCall(ctx.env, `${ctx.label}: sendTransaction`, () =>
    server.sendTransaction(ctx.signed!),
  );
  if (sent.status === "TRY_AGAIN_LATER")
    throw new TransientError(`${ctx.label}: RPC answered TRY_AGAIN_LATER`);
  if (sent.status === "ERROR") {
    const resultCode = sent.errorResult?.result().switch().name ?? "unknown";
    if (resultCode === "txBadSeq") {
      // A resend of an envelope that was already applied is txBadSeq too (stellar-core
      // keeps no record of applied hashes): if this very envelope landed, let `confirm`
      // read its result instead of rebuilding and applying the write twice.
      const landed = await rpcCall(ctx.env, `${ctx.label}: getTransaction`, () =>
        server.getTransaction(ctx.hash!),
      );
      if (landed.status !== rpc.Api.GetTransactionStatus.NOT_FOUND) return;
      throw new TransientError(`${ctx.label}: stale sequence number`);
    }
    throw new TransactionRejectedError(ctx.label, ctx.hash!, resultCode);
  }
}
