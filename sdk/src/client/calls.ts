/**
 * The permissionless maintenance calls as bare operations, for services that run
 * their own submission (channel accounts, fee bumps): `settle_many` and
 * `extend_ttl`, their return values decoded, and the streams a simulation or a
 * transaction reports as skipped (recipient cannot receive).
 *
 * @module calls
 */

import { Operation, type xdr } from "@stellar/stellar-sdk";
import { decodeContractEvents, settledPerId } from "./events.js";
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

/** `settle_many`'s return value: the total paid across the batch. */
export function decodeSettleManyTotal(retval: xdr.ScVal | undefined): bigint {
  return w.parseBigint("total", retval === undefined ? undefined : w.native(retval));
}

/**
 * The amount `settle_many(ids)` paid (or, from a simulation, would pay) per id, in
 * order, read from its `settled` events: the contract returns only the total (so 48
 * streams fit the 16 KiB events-plus-return-value budget). A skipped stream reads 0.
 * `events`: a simulation's diagnostic events or a transaction's contract events.
 */
export function decodeSettleMany(
  ids: readonly bigint[],
  events: readonly (xdr.DiagnosticEvent | xdr.ContractEvent)[] | undefined,
  contractId: string,
): bigint[] {
  return settledPerId(ids, decodeContractEvents(contractEventsOf(events), contractId));
}

function contractEventsOf(
  events: readonly (xdr.DiagnosticEvent | xdr.ContractEvent)[] | undefined,
): xdr.ContractEvent[] {
  return (events ?? []).map((e) =>
    "inSuccessfulContractCall" in e ? (e as xdr.DiagnosticEvent).event() : (e as xdr.ContractEvent),
  );
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
  return decodeContractEvents(contractEventsOf(events), contractId)
    .filter((e) => e.type === "settleSkipped")
    .map((e) => e.id);
}
