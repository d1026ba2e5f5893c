/**
 * Stream creations that race: several senders' `create` / `create_batch` simulated
 * against the same `StreamCount` and applied in the same ledger.
 *
 * The contract numbers streams sequentially (`StreamCount + 1`, ...), so a simulation
 * declares exactly the `DataKey::Stream(id)` (and, for tranched streams,
 * `DataKey::Tranches(id)`) keys of the ids it saw free. Every creation applied after
 * another one in the same ledger would write the next ids instead: outside its
 * footprint, so it fails on chain, fee charged. Two defences, both here:
 *
 * 1. Reserve: declare the keys of the next `reserveIds` ids as well (pipeline step 4,
 *    `tx/reserve.ts`, which prices them at the network's fees). Up to `reserveIds + 1`
 *    creations simulated against the same count then all apply in one ledger.
 * 2. Retry once: a creation that still lost the race (more racers than it reserved for)
 *    is simulated and sent once more; if that fails the same way, `CreateRaceError`.
 *
 * A lost race is recognised from the diagnostic events (a write outside the footprint)
 * or, on RPCs that return none, from a trapped transaction while the stream count has
 * moved past every id the creation reserved.
 */

import { Address, type rpc, type xdr } from "@stellar/stellar-sdk";
import {
  CreateRaceError,
  OutsideFootprintError,
  ResourceLimitExceededError,
  TransactionFailedError,
  ValidationError,
} from "../errors.js";
import type { TxEnv, TxRequest } from "./tx/context.js";
import { type Submitted, submit } from "./tx/pipeline.js";
import * as w from "./wire.js";

/**
 * Stream ids a creation reserves past the ones its simulation saw free, by default.
 * Measured on the devnet (pubnet profile, 5-second ledgers, bench/create-race; see
 * docs/benchmarks/devnet.md "Concurrent creates"): with 8 creations racing in one ledger
 * all 8 apply at 7 (2 of 8 without), and each reserved id costs about 3,800 stroops at
 * pubnet fees (26,600 for 7, about 2% of a creation's fee).
 */
export const DEFAULT_RESERVE_IDS = 7;
/** The most ids a creation may reserve (each is a write entry; pubnet allows 200). */
export const MAX_RESERVE_IDS = 64;

/**
 * Write bytes declared per reserved `Stream(id)` key beyond the size of the largest
 * record this creation writes: room for a racing creator's larger record (a longer
 * reference, up to 64 bytes, or a schedule with unlock amounts). A record that exists
 * when the transaction applies is written back and counted, even unchanged.
 */
export const STREAM_RECORD_SLACK_BYTES = 256;
/** Write bytes per reserved `Stream(id)` key when the RPC returned no state changes. */
export const STREAM_RECORD_FALLBACK_BYTES = 1_024;

/** Parses `reserveIds` (default {@link DEFAULT_RESERVE_IDS}); a named error for a bad value. */
export function reserveIdsOption(method: string, value: number | undefined): number {
  const k = value ?? DEFAULT_RESERVE_IDS;
  if (!Number.isInteger(k) || k < 0 || k > MAX_RESERVE_IDS)
    throw new ValidationError(method, [
      { path: "opts.reserveIds", message: `must be an integer from 0 to ${MAX_RESERVE_IDS}` },
    ]);
  return k;
}

/** The stream contract's `[name, id]` data key in `key`, if it is one. */
function idKey(contractId: string, key: xdr.LedgerKey): { name: string; id: bigint } | null {
  if (key.switch().name !== "contractData") return null;
  const cd = key.contractData();
  if (Address.fromScAddress(cd.contract()).toString() !== contractId) return null;
  const v = cd.key();
  if (v.switch().name !== "scvVec") return null;
  const [name, id] = v.vec() ?? [];
  if (name?.switch().name !== "scvSymbol" || id?.switch().name !== "scvU64") return null;
  return { name: name.sym().toString(), id: id.u64().toBigInt() };
}

/**
 * The keys a creation reserves, given its simulated read-write footprint: `Stream(id)`
 * for the `k` ids after the last one it declared, and for each declared `Tranches(t)`
 * the `Tranches(t + 1..=t + k)` a shifted tranched stream would write. Also returns the
 * stream count at which the creation no longer fits what it declared (`lostAtCount`:
 * its first simulated id plus `k`; `null` when the footprint declares no stream).
 */
export function nextIdKeys(
  contractId: string,
  readWrite: xdr.LedgerKey[],
  k: number,
): { keys: xdr.LedgerKey[]; firstId: bigint | null; lostAtCount: bigint | null } {
  let first: bigint | null = null;
  let last: bigint | null = null;
  const tranched: bigint[] = [];
  for (const key of readWrite) {
    const hit = idKey(contractId, key);
    if (hit?.name === "Stream") {
      if (last === null || hit.id > last) last = hit.id;
      if (first === null || hit.id < first) first = hit.id;
    }
    if (hit?.name === "Tranches") tranched.push(hit.id);
  }
  if (last === null || first === null) return { keys: [], firstId: null, lostAtCount: null };
  const keys: xdr.LedgerKey[] = [];
  for (let j = 1n; j <= BigInt(k); j++) keys.push(w.persistentLedgerKey(contractId, w.streamKey(last + j)));
  for (const t of tranched)
    for (let j = 1n; j <= BigInt(k); j++) keys.push(w.persistentLedgerKey(contractId, w.tranchesKey(t + j)));
  // Applied at count c, the creation writes ids c + 1..; they stay within first..=last + k
  // while c < first + k.
  return { keys, firstId: first, lostAtCount: first + BigInt(k) };
}

/**
 * What a creation reserves given its simulation: {@link nextIdKeys}, and the write bytes
 * the records racing creators may have written under those keys take. Per `Stream` key:
 * the largest record this creation writes plus {@link STREAM_RECORD_SLACK_BYTES}; per
 * `Tranches` key: the largest tranches entry it writes (a racer with more tranches can
 * still exceed it: the creation then fails with `ResourceLimitExceededError` and, as a
 * lost race, is sent once more).
 */
export function reservation(
  contractId: string,
  sim: rpc.Api.SimulateTransactionSuccessResponse,
  k: number,
): { keys: xdr.LedgerKey[]; writeBytes: number; firstId: bigint | null; lostAtCount: bigint | null } {
  const r = nextIdKeys(contractId, sim.transactionData.getReadWrite(), k);
  let stream = 0;
  let tranches = 0;
  for (const c of sim.stateChanges ?? []) {
    const hit = idKey(contractId, c.key);
    const size = c.after ? c.after.toXDR().length : 0;
    if (hit?.name === "Stream") stream = Math.max(stream, size);
    if (hit?.name === "Tranches") tranches = Math.max(tranches, size);
  }
  const perStream = stream > 0 ? stream + STREAM_RECORD_SLACK_BYTES : STREAM_RECORD_FALLBACK_BYTES;
  let writeBytes = 0;
  for (const key of r.keys) writeBytes += idKey(contractId, key)?.name === "Tranches" ? tranches : perStream;
  return { ...r, writeBytes };
}

/**
 * Submits a creation with its next ids reserved; on a lost race, once more; then
 * {@link CreateRaceError}. `streamCount` reads the contract's count from the ledger
 * (used only when a trapped transaction came without diagnostic events).
 */
export async function submitCreate(
  env: TxEnv,
  req: TxRequest,
  contractId: string,
  reserveIds: number,
  streamCount: () => Promise<bigint>,
): Promise<Submitted> {
  const hashes: string[] = [];
  for (let attempt = 0; ; attempt++) {
    let ids: { firstId: bigint | null; lostAtCount: bigint | null } = { firstId: null, lostAtCount: null };
    try {
      const out = await submit(env, {
        ...req,
        reserve: (sim) => {
          const r = reservation(contractId, sim, reserveIds);
          ids = r;
          return r;
        },
      });
      return hashes.length ? { ...out, raceRetries: hashes } : out;
    } catch (error) {
      if (!(await lostRace(error, ids, streamCount))) throw error;
      hashes.push((error as TransactionFailedError).hash);
      if (attempt >= 1) throw new CreateRaceError(req.label, hashes, reserveIds);
    }
  }
}

async function lostRace(
  error: unknown,
  ids: { firstId: bigint | null; lostAtCount: bigint | null },
  streamCount: () => Promise<bigint>,
): Promise<boolean> {
  if (error instanceof OutsideFootprintError) return true;
  const { firstId, lostAtCount } = ids;
  if (!(error instanceof TransactionFailedError) || firstId === null || lostAtCount === null) return false;
  // Without diagnostic events: a trapped creation while others took every id it reserved.
  if (error.opResultCode === "invokeHostFunctionTrapped") return (await streamCount()) >= lostAtCount;
  // Racers' records written back in this transaction's reserved ids took more write bytes
  // than it declared: only possible when another creation landed first.
  if (error instanceof ResourceLimitExceededError) return (await streamCount()) >= firstId;
  return false;
}
