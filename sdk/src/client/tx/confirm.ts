/** Step 7, confirm: polls `getTransaction` until the transaction is final or the deadline passes. */

import { rpc } from "@stellar/stellar-sdk";
import { TransactionTimeoutError } from "../../errors.js";
import type { TxContext } from "./context.js";
import { transactionFailure } from "./failure.js";
import { rpcCall } from "./rpc-call.js";

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function confirm(ctx: TxContext): Promise<void> {
  const { server, settings } = ctx.env;
  const hash = ctx.hash!;
  const deadline = Date.now() + settings.confirmTimeoutMs;
  let delay = settings.pollIntervalMs;
  for (;;) {
    const res = await rpcCall(ctx.env, `${ctx.label}: getTransaction`, () => server.getTransaction(hash));
    if (res.status === rpc.Api.GetTransactionStatus.SUCCESS) {
      ctx.response = res;
      return;
    }
    if (res.status === rpc.Api.GetTransactionStatus.FAILED) throw transactionFailure(ctx.label, hash, res);
    if (Date.now() + delay > deadline)
      throw new TransactionTimeoutError(ctx.label, hash, settings.confirmTimeoutMs);
    await sleep(delay);
    delay = Math.min(delay * 2, 2_000);
  }
}
