// The keeper's decision for one page of streams, pure: which are due (by the
// settlement policy), which entries to keep alive, and what an on-call person
// watches (oldest unpaid accrual, lowest TTL, debt, runway). No I/O, no clock, no
// randomness: a run is a function of chain state, so a keeper that was down for a
// month decides exactly what one that never stopped would, and two replicas decide
// alike (the contract makes a second settlement pay nothing).

import { accrual, type Stream, type Tranche } from "@tributary/sdk";
import { type Candidate, inScope, judge, type Scope, type SettlePolicy } from "./policy.js";

/** One stream as read from its ledger entry. */
export interface StreamView {
  stream: Stream;
  /** Tranched streams only. */
  tranches?: readonly Tranche[];
  /** Last ledger the stream's entry lives through (its TTL), when known. */
  liveUntilLedger?: number;
}

/** The chain's "now" for a run. */
export interface Now {
  /** Latest ledger close time, unix seconds. */
  ts: bigint;
  ledger: number;
}

export interface DecideSettings {
  policy: SettlePolicy;
  scope: Scope;
  /** Expected fee of one stream's settlement (stroops), for the fee guard. */
  feePerStreamStroops: bigint;
  /** Extend an entry whose TTL has fewer ledgers left than this. */
  extendBelowLedgers: number;
}

/** What one page contributes to a run. */
export interface PageDecision {
  candidates: Candidate[];
  /** Streams whose entries to extend, ids ascending. */
  extend: bigint[];
  seen: number;
  inScope: number;
  /** Due by the policy but refused by the fee guard. */
  tooCostly: number;
  /** Oldest `unpaidSinceTs` among due streams, when any. */
  oldestDueUnpaidSinceTs?: bigint;
  /** Fewest TTL ledgers left among in-scope live streams. */
  lowestTtlLedgers?: number;
  /** Open-ended streams owing more than they hold. */
  inDebt: number;
  /** Shortest funding runway (s) among active open-ended streams that will run dry. */
  shortestRunwayS?: bigint;
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

const min = <T extends number | bigint>(a: T | undefined, b: T): T => (a === undefined || b < a ? b : a);

/** Decides one page. `setAside(id)` is true for streams isolated after failures. */
export function decidePage(
  views: readonly StreamView[],
  now: Now,
  settings: DecideSettings,
  setAside: (id: bigint) => boolean = () => false,
): PageDecision {
  const out: PageDecision = {
    candidates: [],
    extend: [],
    seen: views.length,
    inScope: 0,
    tooCostly: 0,
    inDebt: 0,
  };
  const sorted = [...views].sort((a, b) =>
    a.stream.id < b.stream.id ? -1 : a.stream.id > b.stream.id ? 1 : 0,
  );
  for (const v of sorted) {
    const s = v.stream;
    if (!inScope(s, settings.scope)) continue;
    out.inScope += 1;
    const finished = isFinished(v, now.ts);
    if (v.liveUntilLedger !== undefined && !finished) {
      const left = v.liveUntilLedger - now.ledger;
      out.lowestTtlLedgers = min(out.lowestTtlLedgers, left);
      if (left < settings.extendBelowLedgers) out.extend.push(s.id);
    }
    if (s.schedule.kind === "openEnded") {
      const a = accrual.amountsAt(s, now.ts, v.tranches);
      if (a.debt > 0n) out.inDebt += 1;
      const runway = accrual.runwayS(s, now.ts);
      if (runway !== null) out.shortestRunwayS = min(out.shortestRunwayS, runway);
    }
    if (setAside(s.id)) continue;
    const verdict = judge(s, now.ts, settings.policy, settings.feePerStreamStroops, v.tranches);
    if (verdict.tooCostly) out.tooCostly += 1;
    if (!verdict.reason || verdict.unpaidSinceTs === null) continue;
    out.candidates.push({
      id: s.id,
      unpaidSinceTs: verdict.unpaidSinceTs,
      withdrawable: verdict.withdrawable,
      reason: verdict.reason,
      token: s.token,
    });
    out.oldestDueUnpaidSinceTs = min(out.oldestDueUnpaidSinceTs, verdict.unpaidSinceTs);
  }
  return out;
}

/** The contract instance and code need extending (every extend_ttl call also extends them). */
export function instanceNeedsExtending(
  liveUntil: { instance?: number; code?: number },
  now: Now,
  extendBelowLedgers: number,
): boolean {
  return [liveUntil.instance, liveUntil.code].some(
    (l) => l !== undefined && l - now.ledger < extendBelowLedgers,
  );
}

/** Splits items into consecutive chunks of at most `size`. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
