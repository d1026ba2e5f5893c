// Batch sizing and isolation, pure. A settle_many batch is sized from what a
// simulation says it uses, measured against the network's limits (read from the
// chain, never written here), with headroom only where apply can measure more than
// the simulation declared; a batch rejected for resources halves the size; streams that fail a
// batch for another reason are set aside with exponential backoff.

import type { SorobanLimits } from "@tributary/sdk";

/** What a simulated transaction uses, in the units the network limits. */
export interface Usage {
  instructions: number;
  diskReadEntries: number;
  diskReadBytes: number;
  writeEntries: number;
  writeBytes: number;
  footprintEntries: number;
  txSizeBytes: number;
  /** Contract events plus the return value (stellar-core counts them together). */
  eventsBytes: number;
}

const LIMIT_OF: Record<keyof Usage, keyof SorobanLimits> = {
  instructions: "txMaxInstructions",
  diskReadEntries: "txMaxDiskReadEntries",
  diskReadBytes: "txMaxDiskReadBytes",
  writeEntries: "txMaxWriteLedgerEntries",
  writeBytes: "txMaxWriteBytes",
  footprintEntries: "txMaxFootprintEntries",
  txSizeBytes: "txMaxSizeBytes",
  eventsBytes: "txMaxContractEventsSizeBytes",
};

/**
 * Share of each limit a batch may use. The network checks the transaction's declared
 * resources (entries, bytes read and written, size) against its limits at submission,
 * and they are exactly what the simulation declared; events plus the return value are
 * counted at apply, and for settle_many they are fixed by the streams paid (a stream
 * that turns out to pay nothing, or is skipped, emits fewer bytes, never more). So
 * those use the whole limit: that is what lets a batch reach the contract's 48 streams
 * with 16,340 of 16,384 event bytes. Only instructions, a metered estimate that apply
 * re-measures, keep a margin (the simulation adds its own leeway on top).
 */
export const HEADROOM: Readonly<Record<keyof Usage, number>> = {
  instructions: 0.9,
  diskReadEntries: 1,
  diskReadBytes: 1,
  writeEntries: 1,
  writeBytes: 1,
  footprintEntries: 1,
  txSizeBytes: 1,
  eventsBytes: 1,
};

/** The limits a usage exceeds (with headroom); empty when it fits or limits are unknown. */
export function exceeded(usage: Usage, limits: SorobanLimits): (keyof Usage)[] {
  return (Object.keys(LIMIT_OF) as (keyof Usage)[]).filter((k) => {
    const limit = limits[LIMIT_OF[k]];
    return limit !== undefined && usage[k] > limit * HEADROOM[k];
  });
}

/**
 * The largest batch the limits allow, extrapolating linearly from a simulated
 * batch of `n` (each stream's share taken as usage / n, which overstates the fixed
 * part, so the estimate errs small). At least 1, at most `cap`.
 */
export function fitCount(n: number, usage: Usage, limits: SorobanLimits, cap: number): number {
  let best = cap;
  for (const k of Object.keys(LIMIT_OF) as (keyof Usage)[]) {
    const limit = limits[LIMIT_OF[k]];
    if (limit === undefined || usage[k] <= 0) continue;
    best = Math.min(best, Math.floor((n * limit * HEADROOM[k]) / usage[k]));
  }
  return Math.max(1, Math.min(cap, best));
}

/** The batch size the keeper uses now: learned from simulations and rejections. */
export class BatchSizer {
  #ceiling: number;
  #size: number;
  #learned = false;

  constructor(readonly cap: number) {
    this.#ceiling = cap;
    this.#size = cap;
  }

  get size(): number {
    return this.#size;
  }

  /**
   * True once a simulation has been measured against the limits. Until then the size
   * is only the contract's cap, so one batch probes while the other channels wait
   * (sixteen simulations of 200 streams at once cost the RPC and the keeper for nothing).
   */
  get learned(): boolean {
    return this.#learned;
  }

  /** A simulation of `n` streams used `usage`: fit the next batches to the limits. */
  observe(n: number, usage: Usage, limits: SorobanLimits): void {
    this.#size = Math.min(this.#ceiling, fitCount(n, usage, limits, this.cap));
    this.#learned = true;
  }

  /** A batch of `n` was rejected for resources: never try that many again in this process. */
  rejected(n: number): void {
    this.#ceiling = Math.max(1, Math.min(this.#ceiling, Math.floor(n / 2)));
    this.#size = Math.min(this.#size, this.#ceiling);
  }
}

/** A stream taken out of batches after it failed one, until `untilMs`. */
export interface AsideEntry {
  reason: string;
  failures: number;
  untilMs: number;
}

/**
 * Streams set aside in memory with exponential backoff (`baseMs * 2^(failures-1)`,
 * at most `maxMs`). Memory only: a restarted keeper finds them again by simulation,
 * which costs no fee.
 */
export class SetAside {
  readonly #entries = new Map<bigint, AsideEntry>();

  constructor(
    readonly baseMs: number,
    readonly maxMs: number,
  ) {}

  /** Sets `id` aside (again); returns the entry. */
  add(id: bigint, reason: string, nowMs: number): AsideEntry {
    const failures = (this.#entries.get(id)?.failures ?? 0) + 1;
    const backoff = Math.min(this.maxMs, this.baseMs * 2 ** Math.min(failures - 1, 30));
    const entry = { reason, failures, untilMs: nowMs + backoff };
    this.#entries.set(id, entry);
    return entry;
  }

  /** True while `id` is still backing off. */
  has(id: bigint, nowMs: number): boolean {
    const e = this.#entries.get(id);
    return e !== undefined && e.untilMs > nowMs;
  }

  /** The stream paid fine: forget its failures. */
  clear(id: bigint): void {
    this.#entries.delete(id);
  }

  /** How many are backing off now. */
  count(nowMs: number): number {
    let n = 0;
    for (const e of this.#entries.values()) if (e.untilMs > nowMs) n += 1;
    return n;
  }

  get(id: bigint): AsideEntry | undefined {
    return this.#entries.get(id);
  }
}

/** Halves for isolating the stream that fails a batch (bisection). */
export function halves<T>(items: readonly T[]): [T[], T[]] {
  const mid = Math.ceil(items.length / 2);
  return [items.slice(0, mid), items.slice(mid)];
}
