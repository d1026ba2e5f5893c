/** Step 5, sign: the source signs the envelope; its hash identifies it from now on. */

import { type Transaction, TransactionBuilder } from "@stellar/stellar-sdk";
import type { TxContext } from "./context.js";

export async function sign(ctx: TxContext): Promise<void> {
  const { passphrase } = ctx.env.network;
  const signedXdr = await ctx.signer.signTransaction(ctx.prepared!.toXDR(), {
    networkPassphrase: passphrase,
  });
  ctx.signed = TransactionBuilder.fromXDR(signedXdr, passphrase) as Transaction;
  ctx.hash = ctx.signed.hash().toString("hex");
}
