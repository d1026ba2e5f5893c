// The due streams of one run, compact. A run must hold every due stream between
// reading and settling (they are settled oldest unpaid accrual first, across pages),
// so what it holds per stream is what grows with the streams: here about 36 bytes in
// typed arrays (id, unpaid-since instant, token and reason indexes, paid flag, order and
// lookup index) instead of an object, a map entry, a queue slot and a set entry (about
// 250 bytes with their bigints). 100,000 due streams take about 3.6 MB. Pure.

import type { Candidate, DueReason } from "./policy.js";

const REASONS: readonly DueReason[] = ["tranche", "age", "threshold"];

/** What a run needs to know about one due stream after deciding it. */
export interface DueInfo {
  reason: DueReason;
  token: string;
  /** Kept only for tokens the fee guard prices (`keepWithdrawable`). */
  withdrawable?: bigint;
  unpaidSinceTs: bigint;
}

export class DueList {
  #n = 0;
  #ids = new BigUint64Array(1024);
  #since = new Float64Array(1024);
  #token = new Uint16Array(1024);
  #reason = new Uint8Array(1024);
  #paid = new Uint8Array(0);
  readonly #tokens: string[] = [];
  readonly #tokenIndex = new Map<string, number>();
  readonly #withdrawable = new Map<number, bigint>();
  /** Positions, oldest unpaid first (ties by id); built by `seal`. */
  #order = new Uint32Array(0);
  #cursor = 0;
  /** Ids handed back to the front of the queue (a batch shrunk, expired or rejected). */
  #front: bigint[] = [];
  /** Ids ascending and their positions, for lookups by id (binary search). */
  #sortedIds = new BigUint64Array(0);
  #positionOf = new Uint32Array(0);
  #sealed = false;

  /** @param keepWithdrawable true for the tokens whose withdrawable amount the fee guard needs. */
  constructor(private readonly keepWithdrawable: (token: string) => boolean = () => false) {}

  get length(): number {
    return this.#n;
  }

  add(c: Candidate): void {
    if (this.#sealed) throw new Error("DueList is sealed");
    if (c.unpaidSinceTs < 0n || c.unpaidSinceTs > BigInt(Number.MAX_SAFE_INTEGER))
      throw new RangeError(`unpaidSinceTs out of range: ${c.unpaidSinceTs}`);
    if (this.#n === this.#ids.length) this.#grow();
    const i = this.#n++;
    this.#ids[i] = c.id;
    this.#since[i] = Number(c.unpaidSinceTs);
    let t = this.#tokenIndex.get(c.token);
    if (t === undefined) {
      t = this.#tokens.length;
      this.#tokens.push(c.token);
      this.#tokenIndex.set(c.token, t);
    }
    this.#token[i] = t;
    this.#reason[i] = REASONS.indexOf(c.reason);
    if (this.keepWithdrawable(c.token)) this.#withdrawable.set(i, c.withdrawable);
  }

  #grow(): void {
    const size = this.#ids.length * 2;
    const ids = new BigUint64Array(size);
    ids.set(this.#ids);
    this.#ids = ids;
    const since = new Float64Array(size);
    since.set(this.#since);
    this.#since = since;
    const token = new Uint16Array(size);
    token.set(this.#token);
    this.#token = token;
    const reason = new Uint8Array(size);
    reason.set(this.#reason);
    this.#reason = reason;
  }

  /** Ends adding: orders the queue oldest unpaid accrual first, ties by id (two replicas agree). */
  seal(): void {
    if (this.#sealed) return;
    this.#sealed = true;
    const n = this.#n;
    this.#ids = this.#ids.slice(0, n);
    this.#since = this.#since.slice(0, n);
    this.#token = this.#token.slice(0, n);
    this.#reason = this.#reason.slice(0, n);
    this.#paid = new Uint8Array(n);
    const ids = this.#ids;
    const since = this.#since;
    this.#order = new Uint32Array(n).map((_, i) => i);
    this.#order.sort((a, b) => since[a]! - since[b]! || (ids[a]! < ids[b]! ? -1 : ids[a]! > ids[b]! ? 1 : 0));
    this.#positionOf = new Uint32Array(n).map((_, i) => i);
    this.#positionOf.sort((a, b) => (ids[a]! < ids[b]! ? -1 : ids[a]! > ids[b]! ? 1 : 0));
    this.#sortedIds = new BigUint64Array(n);
    for (let k = 0; k < n; k++) this.#sortedIds[k] = ids[this.#positionOf[k]!]!;
  }

  #position(id: bigint): number | undefined {
    let lo = 0;
    let hi = this.#sortedIds.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = this.#sortedIds[mid]!;
      if (v === id) return this.#positionOf[mid];
      if (v < id) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  }

  /** The next id to settle (handed-back ids first), or undefined when none is left. */
  next(): bigint | undefined {
    const f = this.#front.shift();
    if (f !== undefined) return f;
    if (this.#cursor >= this.#order.length) return undefined;
    return this.#ids[this.#order[this.#cursor++]!];
  }

  /** Puts ids back at the front of the queue, in this order. */
  putBack(ids: readonly bigint[]): void {
    if (ids.length > 0) this.#front = [...ids, ...this.#front];
  }

  /** True while the queue has ids left. */
  get pending(): boolean {
    return this.#front.length > 0 || this.#cursor < this.#order.length;
  }

  get(id: bigint): DueInfo | undefined {
    const i = this.#position(id);
    if (i === undefined) return undefined;
    const w = this.#withdrawable.get(i);
    return {
      reason: REASONS[this.#reason[i]!]!,
      token: this.#tokens[this.#token[i]!]!,
      unpaidSinceTs: BigInt(this.#since[i]!),
      ...(w !== undefined ? { withdrawable: w } : {}),
    };
  }

  markPaid(id: bigint): void {
    const i = this.#position(id);
    if (i !== undefined) this.#paid[i] = 1;
  }

  isPaid(id: bigint): boolean {
    const i = this.#position(id);
    return i !== undefined && this.#paid[i] === 1;
  }

  /** Due streams not paid, and the oldest unpaid-since instant among them. */
  unpaid(): { count: number; oldestSinceTs?: bigint } {
    let count = 0;
    let oldest = Number.POSITIVE_INFINITY;
    for (let i = 0; i < this.#n; i++) {
      if (this.#paid[i] === 1) continue;
      count += 1;
      if (this.#since[i]! < oldest) oldest = this.#since[i]!;
    }
    return count === 0 ? { count } : { count, oldestSinceTs: BigInt(oldest) };
  }
}
