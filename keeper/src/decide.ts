// The keeper's whole decision, pure: given what the chain says now, which streams
// to settle and which to keep alive, in batches. No I/O, no clock, no randomness,
// so it is tested exhaustively and a run is a function of chain state alone: a
// keeper that was down for a month decides exactly what one that never stopped
// would, and two keepers decide the same thing (the contract makes the second
// settlement pay nothing).

import { accrual, type Stream, type Tranche } from "@tributary/sdk";

/** One stream as read from its ledger entry. */
export interface StreamView {
  stream: Stream;
  /** Tranched streams only. */
  tranches?: readonly Tranche[];
  /** Last ledger the stream's entry lives through (its TTL), when known. */
  liveUntilLedger?: number;
}

/** What the chain says now. */
export interface ChainState {
  streams: readonly StreamView[];
  /** Latest ledger close time, unix seconds. */
  nowTs: bigint;
  latestLedger: number;
  /** Last ledger both the contract instance and its code live through, when known. */
  instanceLiveUntilLedger?: number;
}

export interface Policy {
  /** Streams per `settle_many` transaction (pubnet fits 48; see docs/benchmarks/contract.md). */
  settleBatchSize: number;
  /** Streams per `extend_ttl` transaction. */
  extendBatchSize: number;
  /** Settle a stream only when at least this much is withdrawable (base units, >= 1). */
  minSettleAmount: bigint;
  /** Extend an entry whose TTL has fewer ledgers left than this. */
  extendBelowLedgers: number;
}

export interface Plan {
  /** `settle_many` batches, ids ascending. */
  settle: bigint[][];
  /** `extend_ttl` batches, ids ascending; `[[]]` extends only the instance and code. */
  extend: bigint[][];
  /** Per stream to settle: what the keeper expects to pay at `nowTs` (the contract pays
   * what is withdrawable when the transaction executes, which may be more). */
  due: Map<bigint, bigint>;
}

/** A stream that can never pay anything again: its entry may be left to expire. */
export function isFinished(v: StreamView, nowTs: bigint): boolean {
  const s = v.stream;
  const a = accrual.amountsAt(s, nowTs, v.tranches);
  if (a.withdrawable > 0n || a.debt > 0n || a.balance > 0n) return false;
  if (s.status === "canceled") return true;
  // Fixed streams with nothing held are done; open-ended ones can still be topped up.
  return s.schedule.kind !== "openEnded";
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export function decide(state: ChainState, policy: Policy): Plan {
  const threshold = policy.minSettleAmount > 0n ? policy.minSettleAmount : 1n;
  const due = new Map<bigint, bigint>();
  const extend: bigint[] = [];
  const sorted = [...state.streams].sort((a, b) =>
    a.stream.id < b.stream.id ? -1 : a.stream.id > b.stream.id ? 1 : 0,
  );
  for (const v of sorted) {
    const { withdrawable } = accrual.amountsAt(v.stream, state.nowTs, v.tranches);
    if (withdrawable >= threshold) due.set(v.stream.id, withdrawable);
    const ttlLeft = v.liveUntilLedger === undefined ? undefined : v.liveUntilLedger - state.latestLedger;
    if (ttlLeft !== undefined && ttlLeft < policy.extendBelowLedgers && !isFinished(v, state.nowTs))
      extend.push(v.stream.id);
  }
  const extendBatches = chunk(extend, policy.extendBatchSize);
  const instanceLow =
    state.instanceLiveUntilLedger !== undefined &&
    state.instanceLiveUntilLedger - state.latestLedger < policy.extendBelowLedgers;
  // Every extend_ttl call also extends the instance and the code; with no stream to
  // extend, an empty call does just that.
  if (instanceLow && extendBatches.length === 0) extendBatches.push([]);
  return { settle: chunk([...due.keys()], policy.settleBatchSize), extend: extendBatches, due };
}
