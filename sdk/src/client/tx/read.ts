/** Read-only contract calls: simulation only, no signer, no account. */

import { Account, Operation, TransactionBuilder, type xdr } from "@stellar/stellar-sdk";
import { SimulationError } from "../../errors.js";
import type { TxEnv } from "./context.js";
import { simulateTx } from "./simulate.js";

/** A source account for read-only simulation: never needs to exist or sign. */
const NULL_ACCOUNT = "GAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAWHF";

/**
 * Calls a read-only contract function by simulation; returns its return value. With
 * `stream` (the default) a missing function is reported as `NotAStreamContractError`.
 */
export async function readContract(
  env: TxEnv,
  contractId: string,
  method: string,
  args: xdr.ScVal[],
  stream = true,
): Promise<xdr.ScVal> {
  const tx = new TransactionBuilder(new Account(NULL_ACCOUNT, "0"), {
    fee: env.settings.inclusionFee,
    networkPassphrase: env.network.passphrase,
  })
    .addOperation(Operation.invokeContractFunction({ contract: contractId, function: method, args }))
    .setTimeout(env.settings.txTimeoutS)
    .build();
  const sim = await simulateTx(env, method, tx, stream ? contractId : undefined);
  const retval = sim.result?.retval;
  if (!retval) throw new SimulationError(method, "simulation returned no value");
  return retval;
}
