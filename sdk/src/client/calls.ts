/**
 * The permissionless maintenance calls as bare operations, for services that run
 * their own submission (channel accounts, fee bumps): `settle_many` and
 * `extend_ttl`, their return values decoded, and the streams a simulation or a
 * transaction reports as skipped (recipient cannot receive).
 *
 * @module calls
 */

import { Operation, type xdr } from "@stellar/stellar-sdk";
import { decodeContractEvents } from "./events.js";
import * as v from "./validation.js";
import * as w from "./wire.js";

/** `settle_many(ids)` as an invoke-contract operation (ids validated: 1..=MAX_BATCH). */
export function settleManyOperation(contractId: string, ids: readonly bigint[]): xdr.Operation {
  const a = v.parse("settleMany", v.batch(v.streamId, "id"), [...ids], "ids");
  return Operation.invokeContractFunction({
    contract: contractId,
    function: "settle_many",
    args: [w.vec(a.map(w.u64))],
  });
}

/** `extend_ttl(ids)` as an invoke-contract operation (an empty list extends instance and code). */
export function extendTtlOperation(contractId: string, ids: readonly bigint[]): xdr.Operation {
  const a = v.parse("extendTtl", v.idList, [...ids], "ids");
  return Operation.invokeContractFunction({
    contract: contractId,
    function: "extend_ttl",
    args: [w.vec(a.map(w.u64))],
  });
}

/** `settle_many`'s return value: the amount paid per id, in order. */
export function decodeSettleMany(retval: xdr.ScVal | undefined): bigint[] {
  return w.parseBigintVec("amounts", retval === undefined ? undefined : w.native(retval));
}

/** `extend_ttl`'s return value: how many streams were extended. */
export function decodeExtendTtl(retval: xdr.ScVal | undefined): number {
  return Number(w.parseBigint("count", retval === undefined ? undefined : w.native(retval)));
}

/**
 * Ids of `settle_skipped` events (the recipient could not receive) among contract
 * events: from a simulation's diagnostic events or a transaction's meta.
 */
export function skippedStreamIds(
  events: readonly (xdr.DiagnosticEvent | xdr.ContractEvent)[] | undefined,
  contractId: string,
): bigint[] {
  const contractEvents = (events ?? []).map((e) =>
    "inSuccessfulContractCall" in e ? (e as xdr.DiagnosticEvent).event() : (e as xdr.ContractEvent),
  );
  return decodeContractEvents(contractEvents, contractId)
    .filter((e) => e.type === "settleSkipped")
    .map((e) => e.id);
}
