/** Step 4, assemble: the simulated resources and fee into the transaction; the fee cap. */

import { rpc } from "@stellar/stellar-sdk";
import { FeeTooHighError } from "../../errors.js";
import type { TxContext } from "./context.js";

export async function assemble(ctx: TxContext): Promise<void> {
  ctx.prepared = ctx.soroban ? rpc.assembleTransaction(ctx.tx!, ctx.sim!).build() : ctx.tx!;
  const fee = BigInt(ctx.prepared.fee);
  const max = ctx.env.settings.maxFeeStroops;
  if (max !== undefined && fee > max) throw new FeeTooHighError(ctx.label, fee, max);
}
