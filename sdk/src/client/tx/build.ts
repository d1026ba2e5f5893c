/** Step 1, build: the source account's current sequence number, then the transaction. */

import { Account, type Transaction, TransactionBuilder, type xdr } from "@stellar/stellar-sdk";
import { readAccount } from "./account.js";
import type { TxContext } from "./context.js";
import { rpcCall } from "./rpc-call.js";

/** Reads the source account (fresh on every attempt: a retry after txBadSeq needs the new sequence). */
export async function loadAccount(ctx: TxContext): Promise<void> {
  ctx.account = await rpcCall(ctx.env, `${ctx.label}: getLedgerEntries(account)`, () =>
    readAccount(ctx.env.server, ctx.source),
  );
}

/** Builds the transaction around `ctx.operation(auth)` from `ctx.account`. */
export function buildTx(ctx: TxContext, auth?: xdr.SorobanAuthorizationEntry[]): Transaction {
  const source = ctx.account!;
  // A copy: TransactionBuilder.build() advances the account's sequence number.
  const account = new Account(source.accountId(), source.sequenceNumber());
  return new TransactionBuilder(account, {
    fee: ctx.env.settings.inclusionFee,
    networkPassphrase: ctx.env.network.passphrase,
  })
    .addOperation(ctx.operation(auth))
    .setTimeout(ctx.env.settings.txTimeoutS)
    .build();
}

export async function build(ctx: TxContext): Promise<void> {
  await loadAccount(ctx);
  ctx.tx = buildTx(ctx);
}
