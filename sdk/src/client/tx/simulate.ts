/** Step 2, simulate (Soroban operations only): resources, footprint and the authorizations needed. */

import { rpc, type Transaction } from "@stellar/stellar-sdk";
import { SimulationError } from "../../errors.js";
import type { TxContext, TxEnv } from "./context.js";
import { explainFailure, simulationFailure } from "./failure.js";
import { rpcCall } from "./rpc-call.js";

/** Simulates `tx`; a failed simulation throws the error that failed it (see `failure.ts`). */
export async function simulateTx(
  env: TxEnv,
  label: string,
  tx: Transaction,
  streamContractId?: string,
): Promise<rpc.Api.SimulateTransactionSuccessResponse> {
  const sim = await rpcCall(env, `${label}: simulateTransaction`, () => env.server.simulateTransaction(tx));
  if (rpc.Api.isSimulationError(sim)) {
    const error = simulationFailure(label, sim);
    throw streamContractId ? await explainFailure(env, label, error, streamContractId, sim.events) : error;
  }
  if (rpc.Api.isSimulationRestore(sim)) {
    // Protocol < 23 RPCs ask for an explicit restore first; protocol 23+ restores
    // automatically from the footprint the simulation declares.
    throw new SimulationError(
      label,
      "archived entries must be restored first (RestoreFootprint); retry after restoring",
    );
  }
  return sim;
}

export async function simulate(ctx: TxContext): Promise<void> {
  if (!ctx.soroban) return;
  ctx.sim = await simulateTx(ctx.env, ctx.label, ctx.tx!, ctx.streamContractId);
}
