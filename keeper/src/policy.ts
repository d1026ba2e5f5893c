// The settlement policy, pure: which streams are worth a settlement now, decided
// from chain state alone (the keeper keeps no state between runs). A stream is due
// when a whole tranche has unlocked and none of it is paid, when its oldest unpaid
// unit has waited longer than the pay interval, or when what it can pay passes its
// token's threshold; never when the fee would exceed a set share of what it pays
// (where the token's price is known). Scope filters (token allowlist, senders,
// shard) and the fee budget (oldest unpaid accrual first) live here too.

import { accrual, type Stream, type Tranche } from "@tributary/sdk";

/** Why a stream is due. */
export type DueReason = "tranche" | "age" | "threshold";

/** A token's price: `num / den` stroops per base unit. */
export interface Price {
  num: bigint;
  den: bigint;
}

export interface SettlePolicy {
  /** Settle when the oldest unpaid unit has accrued at least this long ago (seconds); `null`: never for age. */
  payIntervalS: bigint | null;
  /** Settle when a whole tranche has unlocked and none of it is paid. */
  onTrancheUnlock: boolean;
  /** Settle when withdrawable reaches this many base units, per token (C... → amount). */
  thresholds: ReadonlyMap<string, bigint>;
  /** Known prices per token; where one is known, the fee guard applies. */
  prices: ReadonlyMap<string, Price>;
  /** Largest fee as a share of the value paid, in parts per million (10_000 = 1%). */
  maxFeeSharePpm: bigint;
}

export interface Scope {
  /** Tokens the keeper settles; `"any"` opts in to every token (hostile ones included). */
  tokens: ReadonlySet<string> | "any";
  /** Only streams from these senders, when set. */
  senders?: ReadonlySet<string>;
  /** This replica's share: streams with `id % count === index`. */
  shard: { index: bigint; count: bigint };
}

export interface Verdict {
  /** Due now, and why (the first reason that applies). */
  reason?: DueReason;
  /** What a settlement would pay now. */
  withdrawable: bigint;
  /** When the oldest unpaid unit accrued (unix s); `null` when nothing is unpaid. */
  unpaidSinceTs: bigint | null;
  /** Due by reason, but the fee would exceed its share of the value paid. */
  tooCostly?: boolean;
}

/** The id shard a replica owns (`i/N`): decided without coordination. */
export function inShard(id: bigint, shard: Scope["shard"]): boolean {
  return id % shard.count === shard.index;
}

/** Token allowlist and sender filter (the shard is applied before reading). */
export function inScope(stream: Stream, scope: Scope): boolean {
  if (scope.tokens !== "any" && !scope.tokens.has(stream.token)) return false;
  if (scope.senders && !scope.senders.has(stream.sender)) return false;
  return inShard(stream.id, scope.shard);
}

/**
 * The instant (unix s) at which the stream's oldest unpaid unit accrued: the first
 * `t` with `accrued(t) > withdrawn`, from the schedule and `withdrawn` with the SDK's
 * exact mirror. `null` when nothing accrued is unpaid at `nowTs`.
 *
 * Open-ended streams store accrual only since their last snapshot (pause, resume,
 * set_rate): units accrued before it are dated at the snapshot, so their age is
 * understated, never overstated (the keeper settles them late, never early).
 */
export function unpaidSinceTs(stream: Stream, nowTs: bigint, tranches?: readonly Tranche[]): bigint | null {
  const accrued = accrual.accruedAt(stream, nowTs, tranches);
  const target = stream.withdrawn + 1n;
  if (accrued < target) return null;
  const s = stream.schedule;
  switch (s.kind) {
    case "linear": {
      // linearAccrued is monotonic in t and reaches `target` by min(now, canceledTs).
      const at = (t: bigint) => accrual.linearAccrued(stream.deposited, s.startTs, s.cliffTs, s.endTs, t);
      let lo = s.startTs;
      let hi = s.endTs < nowTs ? s.endTs : nowTs;
      if (at(lo) >= target) return lo;
      while (lo + 1n < hi) {
        const mid = lo + (hi - lo) / 2n;
        if (at(mid) >= target) hi = mid;
        else lo = mid;
      }
      return hi;
    }
    case "tranched": {
      let sum = 0n;
      for (const t of tranches ?? []) {
        sum += t.amount;
        if (sum >= target) return t.unlockTs;
      }
      return null;
    }
    case "openEnded":
      return accrual.rateTimeToReach(
        s.accruedAtSnapshot,
        s.remainder,
        s.amountPerPeriod,
        s.periodS,
        s.snapshotTs,
        target,
      );
  }
}

/** True when some unlocked tranche is entirely unpaid (it unlocked after the last payment reached it). */
export function wholeTrancheUnpaid(stream: Stream, nowTs: bigint, tranches?: readonly Tranche[]): boolean {
  if (stream.schedule.kind !== "tranched") return false;
  const until = stream.status === "canceled" && stream.canceledTs < nowTs ? stream.canceledTs : nowTs;
  let before = 0n;
  for (const t of tranches ?? []) {
    if (t.unlockTs > until) return false;
    if (before >= stream.withdrawn && t.amount > 0n) return true;
    before += t.amount;
  }
  return false;
}

/** The fee guard: `fee <= share * value`, exact in integers; true when the fee is too high. */
export function feeTooHigh(feeStroops: bigint, amount: bigint, price: Price, sharePpm: bigint): boolean {
  // fee * 1e6 * den > sharePpm * amount * num
  return feeStroops * 1_000_000n * price.den > sharePpm * amount * price.num;
}

/** The policy's verdict on one stream at `nowTs`, given the fee one settlement is expected to cost. */
export function judge(
  stream: Stream,
  nowTs: bigint,
  policy: SettlePolicy,
  feePerStreamStroops: bigint,
  tranches?: readonly Tranche[],
): Verdict {
  const { withdrawable } = accrual.amountsAt(stream, nowTs, tranches);
  if (withdrawable <= 0n) return { withdrawable, unpaidSinceTs: null };
  const since = unpaidSinceTs(stream, nowTs, tranches);
  let reason: DueReason | undefined;
  if (policy.onTrancheUnlock && wholeTrancheUnpaid(stream, nowTs, tranches)) reason = "tranche";
  else if (policy.payIntervalS !== null && since !== null && nowTs - since >= policy.payIntervalS)
    reason = "age";
  else {
    const threshold = policy.thresholds.get(stream.token);
    if (threshold !== undefined && withdrawable >= threshold) reason = "threshold";
  }
  if (!reason) return { withdrawable, unpaidSinceTs: since };
  const price = policy.prices.get(stream.token);
  if (price && feeTooHigh(feePerStreamStroops, withdrawable, price, policy.maxFeeSharePpm))
    return { withdrawable, unpaidSinceTs: since, tooCostly: true };
  return { reason, withdrawable, unpaidSinceTs: since };
}

/** A due stream, compact: all a run keeps per stream between reading and settling. */
export interface Candidate {
  id: bigint;
  /** When its oldest unpaid unit accrued (the budget spends oldest first). */
  unpaidSinceTs: bigint;
  withdrawable: bigint;
  reason: DueReason;
  token: string;
}

/** Oldest unpaid accrual first; ties by id, so two replicas order alike. */
export function byOldestUnpaid(a: Candidate, b: Candidate): number {
  if (a.unpaidSinceTs !== b.unpaidSinceTs) return a.unpaidSinceTs < b.unpaidSinceTs ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * Fee budgets in stroops: per run and per rolling day, never exceeded. Spending is
 * reserved before a transaction is sent (at its maximum fee) and settled to what was
 * charged. The day window lives in memory: a restarted keeper starts a new one, so
 * bound the fee payer's balance too (see docs/keeper-security.md).
 */
export class FeeBudget {
  #run = 0n;
  #day: { atMs: number; stroops: bigint }[] = [];
  #reserved = 0n;

  constructor(
    readonly perRun: bigint,
    readonly perDay: bigint,
    readonly dayMs = 86_400_000,
  ) {}

  /** Starts a run's budget (the day's carries on). */
  startRun(): void {
    this.#run = 0n;
  }

  /** Spent in the window ending at `nowMs`. */
  spentToday(nowMs: number): bigint {
    this.#day = this.#day.filter((e) => e.atMs > nowMs - this.dayMs);
    return this.#day.reduce((s, e) => s + e.stroops, 0n);
  }

  spentThisRun(): bigint {
    return this.#run;
  }

  /** What may still be reserved now. */
  remaining(nowMs: number): bigint {
    const run = this.perRun - this.#run - this.#reserved;
    const day = this.perDay - this.spentToday(nowMs) - this.#reserved;
    const r = run < day ? run : day;
    return r > 0n ? r : 0n;
  }

  /** Reserves `max` stroops; false (nothing reserved) when that would exceed a budget. */
  reserve(max: bigint, nowMs: number): boolean {
    if (max > this.remaining(nowMs)) return false;
    this.#reserved += max;
    return true;
  }

  /** Releases a reservation of `max` and records what was actually `charged` (<= max). */
  settle(max: bigint, charged: bigint, nowMs: number): void {
    this.#reserved -= max;
    if (charged > 0n) {
      this.#run += charged;
      this.#day.push({ atMs: nowMs, stroops: charged });
    }
  }
}
