// One keeper run: read the chain in pages (only this shard's ids), decide each page
// with the pure policy, then settle the due streams oldest unpaid accrual first, in
// batches sized from simulation, through the channel accounts, within the fee
// budget; then keep entries alive. Stateless towards the chain: everything is
// decided again from it each run, so a run after any outage catches up exactly and
// a failed batch is simply decided again next run. In memory only: the learned
// batch size, the streams set aside with backoff and the day's fee budget.

import {
  decodeExtendTtl,
  decodeSettleMany,
  extendTtlOperation,
  type LedgerReader,
  type SorobanLimits,
  settleManyOperation,
  skippedStreamIds,
  TransactionRejectedError,
} from "@tributary/sdk";
import type { Logger } from "pino";
import { type BatchSizer, exceeded, halves, type SetAside } from "./batching.js";
import {
  type Channel,
  type ChannelPool,
  Expired,
  type Prepared,
  resultCode,
  retrying,
  SimulationFailed,
} from "./channels.js";
import {
  chunk,
  type DecideSettings,
  decidePage,
  instanceNeedsExtending,
  type Now,
  type StreamView,
} from "./decide.js";
import { DueList } from "./due.js";
import type { Metrics } from "./metrics.js";
import { type FeeBudget, feeTooHigh } from "./policy.js";

export interface RunSettings {
  decide: Omit<DecideSettings, "feePerStreamStroops">;
  /** Stream ids per read (<= 200, the RPC's limit). */
  pageSize: number;
  /** Pages read at once. */
  readConcurrency: number;
  extendBatchSize: number;
}

/** What a run needs, injected (the keeper's state across runs lives in the sizer, set-aside and budget). */
export interface RunDeps {
  reader: LedgerReader;
  pool: ChannelPool;
  contractId: string;
  feePayer: string;
  sizer: BatchSizer;
  aside: SetAside;
  budget: FeeBudget;
  metrics: Metrics;
  log: Logger;
  settings: RunSettings;
  /** Wall clock, ms (injected for tests). */
  clock?: () => number;
  /** True once shutdown began: no new batch is started. */
  stopping?: () => boolean;
  /** Fee per settled stream seen last (stroops), for the fee guard at decide time. */
  feePerStream?: { value: bigint };
}

export interface RunSummary {
  ledger: number;
  streams: number;
  inScope: number;
  due: number;
  settledStreams: number;
  paid: bigint;
  feeCharged: bigint;
  feeWasted: bigint;
  transactions: number;
  skipped: bigint[];
  setAside: number;
  extended: number;
  failedBatches: number;
  rejectedBatches: number;
  /** Due streams a simulation showed paying nothing (another keeper settled them first). */
  alreadySettled: number;
  budgetExhausted: boolean;
  /** Due streams left unpaid at the end of the run (budget, failures, shutdown). */
  unpaid: number;
  /** False when there was work and nothing at all got done while batches failed. */
  progress: boolean;
}

/** The process's memory now and its peak so far (MB), for the plan and summary logs. */
export function memoryFields(): { rssMb: number; maxRssMb: number; heapUsedMb: number } {
  const m = process.memoryUsage();
  return {
    rssMb: Math.round(m.rss / 1_048_576),
    maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    heapUsedMb: Math.round(m.heapUsed / 1_048_576),
  };
}

/** Ids of this shard in `[first, last]`, ascending. */
function* shardIds(count: bigint, shard: { index: bigint; count: bigint }): Generator<bigint> {
  let id = shard.index === 0n ? shard.count : shard.index;
  for (; id <= count; id += shard.count) yield id;
}

/** Maps pages through `f` with `limit` in flight, handing results to `sink` in order. */
async function pages<T>(
  source: Generator<bigint>,
  size: number,
  limit: number,
  f: (ids: bigint[]) => Promise<T>,
  sink: (r: T) => void,
): Promise<void> {
  const inflight: Promise<T>[] = [];
  const next = (): bigint[] => {
    const ids: bigint[] = [];
    for (let r = source.next(); !r.done; r = source.next()) {
      ids.push(r.value);
      if (ids.length === size) break;
    }
    return ids;
  };
  for (;;) {
    while (inflight.length < limit) {
      const ids = next();
      if (ids.length === 0) break;
      inflight.push(f(ids));
    }
    const head = inflight.shift();
    if (!head) return;
    sink(await head);
  }
}

export async function runOnce(deps: RunDeps): Promise<RunSummary> {
  const { reader, metrics, log, settings } = deps;
  const clock = deps.clock ?? Date.now;
  const feePerStream = deps.feePerStream ?? { value: 0n };
  deps.budget.startRun();

  const latest = await retrying(() => reader.latestLedger());
  const now: Now = { ts: latest.closeTs, ledger: latest.sequence };
  const instance = await retrying(() => reader.instance());
  const ttl = await retrying(() => reader.contractTtl());
  const limits: SorobanLimits = await retrying(() => reader.sorobanLimits()).catch(() => ({}));

  // ---------------------------------------------------------------- read and decide, page by page
  const decideSettings: DecideSettings = { ...settings.decide, feePerStreamStroops: feePerStream.value };
  const due = new DueList((token) => settings.decide.policy.prices.has(token));
  const extend: bigint[] = [];
  const s = {
    streams: 0,
    inScope: 0,
    tooCostly: 0,
    inDebt: 0,
    lowestTtl: undefined as number | undefined,
    runway: undefined as bigint | undefined,
  };
  await pages(
    shardIds(instance.streamCount, settings.decide.scope.shard),
    settings.pageSize,
    settings.readConcurrency,
    (ids) => retrying(() => reader.streams(ids, { withTranches: true })),
    (streams) => {
      const views: StreamView[] = streams.map(({ tranches, liveUntilLedger, ...stream }) => ({
        stream,
        ...(tranches ? { tranches } : {}),
        ...(liveUntilLedger !== undefined ? { liveUntilLedger } : {}),
      }));
      const d = decidePage(views, now, decideSettings, (id) => deps.aside.has(id, clock()));
      s.streams += d.seen;
      s.inScope += d.inScope;
      s.tooCostly += d.tooCostly;
      s.inDebt += d.inDebt;
      if (d.lowestTtlLedgers !== undefined)
        s.lowestTtl = Math.min(s.lowestTtl ?? d.lowestTtlLedgers, d.lowestTtlLedgers);
      if (d.shortestRunwayS !== undefined)
        s.runway = s.runway === undefined || d.shortestRunwayS < s.runway ? d.shortestRunwayS : s.runway;
      for (const c of d.candidates) due.add(c);
      extend.push(...d.extend);
    },
  );
  due.seal();

  const summary: RunSummary = {
    ledger: now.ledger,
    streams: s.streams,
    inScope: s.inScope,
    due: due.length,
    settledStreams: 0,
    paid: 0n,
    feeCharged: 0n,
    feeWasted: 0n,
    transactions: 0,
    skipped: [],
    setAside: 0,
    extended: 0,
    failedBatches: 0,
    rejectedBatches: 0,
    alreadySettled: 0,
    budgetExhausted: false,
    unpaid: 0,
    progress: true,
  };
  log.info(
    {
      ledger: now.ledger,
      streams: s.streams,
      inScope: s.inScope,
      due: due.length,
      batchSize: deps.sizer.size,
      ...memoryFields(),
    },
    "plan",
  );

  // ---------------------------------------------------------------- settle, oldest first
  /** Forced groups (halves of a batch that failed on chain) are sent exactly as split. */
  const forced: bigint[][] = [];
  const attempts = new Map<string, number>();
  let stopSettling = false;

  const setAside = (id: bigint, reason: string) => {
    const e = deps.aside.add(id, reason, clock());
    summary.setAside += 1;
    log.warn(
      { streamId: id.toString(), reason, failures: e.failures, retryAt: new Date(e.untilMs).toISOString() },
      "stream set aside",
    );
  };
  const giveBack = (ids: bigint[]) => {
    const key = ids.join(",");
    const n = (attempts.get(key) ?? 0) + 1;
    attempts.set(key, n);
    if (n <= 3) due.putBack(ids); // at most 3 tries per batch per run; the next run decides again
  };

  /**
   * Finds, by simulation (no fee), the streams that fail a batch on their own: halves
   * that simulate cleanly are kept, failing halves are split again, a single failing
   * stream is set aside. When every half passes, the batch was only too big.
   */
  const isolate = async (c: Channel, ids: bigint[], reason: string): Promise<bigint[]> => {
    if (ids.length === 1) {
      setAside(ids[0]!, reason);
      return [];
    }
    const good: bigint[] = [];
    let failed = 0;
    for (const half of halves(ids)) {
      if (half.length === 0) continue;
      try {
        await c.simulate(settleManyOperation(deps.contractId, half));
        good.push(...half);
      } catch (e) {
        if (!(e instanceof SimulationFailed)) throw e;
        failed += 1;
        good.push(...(await isolate(c, half, e.message)));
      }
    }
    if (failed === 0) {
      deps.sizer.rejected(ids.length);
      log.info(
        { from: ids.length, to: deps.sizer.size, reason },
        "batch too big for one transaction; shrunk",
      );
    }
    return good;
  };

  const priceGuard = (ids: bigint[], fee: bigint): bigint[] => {
    const per = fee / BigInt(ids.length);
    return ids.filter((id) => {
      const c = due.get(id);
      const price = c && settings.decide.policy.prices.get(c.token);
      return !(
        price &&
        c?.withdrawable !== undefined &&
        feeTooHigh(per, c.withdrawable, price, settings.decide.policy.maxFeeSharePpm)
      );
    });
  };

  /**
   * Prepares a batch: drops skipped and too-costly streams, shrinks to the limits. The
   * simulation is not kept: a transaction waits a ledger or more in flight, and 16
   * channels' parsed simulations (every event of every stream) were the run's largest
   * live objects.
   */
  const prepare = async (
    c: Channel,
    ids: bigint[],
  ): Promise<{ ids: bigint[]; p: Omit<Prepared, "sim"> } | undefined> => {
    for (;;) {
      if (ids.length > deps.sizer.size) {
        due.putBack(ids.slice(deps.sizer.size));
        ids = ids.slice(0, deps.sizer.size);
      }
      if (ids.length === 0) return undefined;
      let p: Prepared;
      try {
        p = await c.prepare(settleManyOperation(deps.contractId, ids));
      } catch (e) {
        if (!(e instanceof SimulationFailed)) throw e;
        ids = await isolate(c, ids, e.message);
        continue;
      }
      const over = exceeded(p.usage, limits);
      const first = !deps.sizer.learned;
      if (over.length > 0 && ids.length > 1) {
        deps.sizer.observe(ids.length, p.usage, limits);
        if (first) done(); // the waiting channels can take batches of the learned size now
        const keep = ids.slice(0, Math.min(deps.sizer.size, ids.length - 1));
        due.putBack(ids.slice(keep.length));
        log.debug({ over, from: ids.length, to: keep.length }, "batch shrunk to the network's limits");
        ids = keep;
        continue;
      }
      deps.sizer.observe(ids.length, p.usage, limits);
      if (first) done();
      // Streams the simulation pays nothing (another keeper was first): not worth a fee.
      const simulated = decodeSettleMany(ids, p.sim.events, deps.contractId);
      const nothing = ids.filter((_, i) => simulated[i] === 0n);
      const skipped = skippedStreamIds(p.sim.events, deps.contractId);
      const unpaid = nothing.filter((id) => !skipped.includes(id));
      if (unpaid.length > 0) {
        for (const id of unpaid) due.markPaid(id);
        summary.alreadySettled += unpaid.length;
        ids = ids.filter((id) => !unpaid.includes(id));
        continue;
      }
      if (skipped.length > 0) {
        for (const id of skipped) {
          setAside(id, "recipient cannot receive (simulation)");
          summary.skipped.push(id);
        }
        ids = ids.filter((id) => !skipped.includes(id));
        continue;
      }
      const affordable = priceGuard(ids, p.maxFee);
      if (affordable.length < ids.length) {
        ids = affordable;
        continue;
      }
      const { sim: _sim, ...sendable } = p;
      return { ids, p: sendable };
    }
  };

  const latestClose = async () => Number((await reader.latestLedger()).closeTs);

  const settleBatch = async (c: Channel, batch: bigint[], isForced: boolean): Promise<void> => {
    const ready = await prepare(c, batch);
    if (!ready) return;
    const { ids, p } = ready;
    if (!deps.budget.reserve(p.maxFee, clock())) {
      stopSettling = true;
      summary.budgetExhausted = true;
      due.putBack(ids);
      return;
    }
    let charged = 0n;
    try {
      const landed = await c.send(p, latestClose);
      charged = landed.feeCharged;
      summary.transactions += 1;
      summary.feeCharged += charged;
      metrics.feeSpent.inc(Number(charged));
      if (!landed.success) {
        summary.failedBatches += 1;
        summary.feeWasted += charged;
        metrics.feeWasted.inc(Number(charged));
        metrics.batches.inc({ kind: "settle", outcome: "failed" });
        const code = resultCode(landed.result);
        log.error(
          { txHash: p.hash, fee: charged.toString(), streams: ids.map(String), code },
          "settle_many failed on chain",
        );
        if (/ResourceLimitExceeded/i.test(code)) {
          deps.sizer.rejected(ids.length);
          giveBack(ids);
        } else if (ids.length > 1) forced.push(...halves(ids).filter((h) => h.length > 0));
        else setAside(ids[0]!, `failed on chain: ${code}`);
        return;
      }
      const paid = decodeSettleMany(ids, landed.contractEvents(), deps.contractId);
      let zero = 0;
      paid.forEach((amount, i) => {
        const id = ids[i]!;
        if (amount > 0n) {
          due.markPaid(id);
          summary.settledStreams += 1;
          summary.paid += amount;
          deps.aside.clear(id);
          const info = due.get(id);
          metrics.settled.inc({ reason: info?.reason ?? "unknown" });
          metrics.paid.inc({ token: info?.token ?? "unknown" }, Number(amount));
        } else zero += 1;
      });
      const wasted = zero > 0 ? (charged * BigInt(zero)) / BigInt(ids.length) : 0n;
      summary.feeWasted += wasted;
      if (wasted > 0n) metrics.feeWasted.inc(Number(wasted));
      if (charged > 0n && summary.settledStreams > 0)
        feePerStream.value = charged / BigInt(Math.max(1, ids.length - zero));
      metrics.batches.inc({ kind: "settle", outcome: "ok" });
      log.info(
        {
          txHash: p.hash,
          ledger: landed.ledger,
          fee: charged.toString(),
          streams: ids.map(String),
          paidNothing: zero,
          channel: c.address,
          forced: isForced || undefined,
        },
        "settle_many",
      );
    } catch (e) {
      if (e instanceof Expired) {
        metrics.batches.inc({ kind: "settle", outcome: "expired" });
        log.warn({ txHash: e.hash, streams: ids.length }, "transaction expired unapplied; rebuilding");
        giveBack(ids);
      } else if (e instanceof TransactionRejectedError) {
        summary.rejectedBatches += 1;
        metrics.batches.inc({ kind: "settle", outcome: "rejected" });
        log.warn({ txHash: p.hash, code: e.resultCode, streams: ids.length }, "settle_many rejected");
        if (/SorobanInvalid|Resource/i.test(e.resultCode)) deps.sizer.rejected(ids.length);
        if (/InsufficientBalance|InsufficientFee/i.test(e.resultCode)) stopSettling = true;
        giveBack(ids);
      } else {
        summary.failedBatches += 1;
        log.error({ err: e, streams: ids.map(String) }, "settle_many failed; decided again next run");
      }
    } finally {
      deps.budget.settle(p.maxFee, charged, clock());
    }
  };

  // One worker per channel. A worker that finds nothing to do waits while others
  // still have batches in flight: a batch may come back (split, shrunk, expired).
  let inflight = 0;
  let wake: () => void = () => {};
  let woken = new Promise<void>((r) => {
    wake = r;
  });
  const done = () => {
    const w = wake;
    woken = new Promise<void>((r) => {
      wake = r;
    });
    w();
  };
  const worker = async () => {
    for (;;) {
      if (stopSettling || deps.stopping?.()) return;
      // Until a simulation has taught the batch size, one batch at a time.
      if (!deps.sizer.learned && inflight > 0) {
        await woken;
        continue;
      }
      const group = forced.shift();
      let batch: bigint[] = [];
      if (group) batch = group;
      else {
        while (due.pending && batch.length < deps.sizer.size) {
          const id = due.next()!;
          if (!due.isPaid(id) && !deps.aside.has(id, clock())) batch.push(id);
        }
      }
      if (batch.length === 0) {
        if (inflight === 0) return;
        await woken;
        continue;
      }
      inflight += 1;
      try {
        await deps.pool.with((c) => settleBatch(c, batch, !!group));
      } finally {
        inflight -= 1;
        done();
      }
    }
  };
  await Promise.all(deps.pool.channels.map(() => worker()));
  if (summary.budgetExhausted) {
    metrics.budgetExhausted.inc();
    log.warn(
      { spent: deps.budget.spentThisRun().toString() },
      "fee budget reached; the oldest accruals were paid first",
    );
  }

  // ---------------------------------------------------------------- keep entries alive
  const extendBatches = chunk(extend, settings.extendBatchSize);
  if (
    extendBatches.length === 0 &&
    instanceNeedsExtending(
      {
        ...(ttl.instanceLiveUntilLedger !== undefined ? { instance: ttl.instanceLiveUntilLedger } : {}),
        ...(ttl.codeLiveUntilLedger !== undefined ? { code: ttl.codeLiveUntilLedger } : {}),
      },
      now,
      settings.decide.extendBelowLedgers,
    )
  )
    extendBatches.push([]);
  for (const ids of extendBatches) {
    if (deps.stopping?.()) break;
    await deps.pool.with(async (c) => {
      let p: Prepared | undefined;
      let charged = 0n;
      try {
        p = await c.prepare(extendTtlOperation(deps.contractId, ids));
        if (!deps.budget.reserve(p.maxFee, clock())) {
          summary.budgetExhausted = true;
          p = undefined;
          return;
        }
        const landed = await c.send(p, latestClose);
        charged = landed.feeCharged;
        summary.transactions += 1;
        summary.feeCharged += charged;
        metrics.feeSpent.inc(Number(charged));
        if (landed.success) {
          const n = decodeExtendTtl(landed.returnValue());
          summary.extended += n;
          metrics.batches.inc({ kind: "extend", outcome: "ok" });
          log.info(
            { txHash: p.hash, ledger: landed.ledger, fee: charged.toString(), streams: ids.map(String) },
            "extend_ttl",
          );
        } else {
          summary.failedBatches += 1;
          metrics.batches.inc({ kind: "extend", outcome: "failed" });
          log.error(
            { txHash: p.hash, fee: charged.toString(), streams: ids.map(String) },
            "extend_ttl failed on chain",
          );
        }
      } catch (e) {
        summary.failedBatches += 1;
        metrics.batches.inc({ kind: "extend", outcome: "error" });
        log.error({ err: e, streams: ids.map(String) }, "extend_ttl failed; decided again next run");
      } finally {
        if (p) deps.budget.settle(p.maxFee, charged, clock());
      }
    });
  }

  // ---------------------------------------------------------------- observe
  const nowMs = clock();
  const left = due.unpaid();
  const oldestLeft = left.oldestSinceTs;
  summary.unpaid = left.count;
  summary.progress = !(
    due.length > 0 &&
    summary.settledStreams === 0 &&
    summary.failedBatches + summary.rejectedBatches > 0
  );
  metrics.streamsSeen.set(s.streams);
  metrics.streamsInScope.set(s.inScope);
  metrics.streamsDue.set(due.length);
  metrics.streamsTooCostly.set(s.tooCostly);
  metrics.setAside.set(deps.aside.count(nowMs));
  metrics.batchSize.set(deps.sizer.size);
  metrics.oldestUnpaidAge.set(oldestLeft === undefined ? 0 : Number(now.ts - oldestLeft));
  const ttls = [s.lowestTtl, ttl.instanceLiveUntilLedger, ttl.codeLiveUntilLedger]
    .filter((x): x is number => x !== undefined)
    .map((x, i) => (i === 0 ? x : x - now.ledger));
  if (ttls.length > 0) metrics.lowestTtl.set(Math.min(...ttls));
  metrics.inDebt.set(s.inDebt);
  if (s.runway !== undefined) metrics.shortestRunway.set(Number(s.runway));
  metrics.budgetRemaining.set(Number(deps.budget.remaining(nowMs)));
  const payer = await retrying(() => reader.account(deps.feePayer)).catch(() => null);
  if (payer) metrics.feePayerBalance.set(Number(payer.balance));
  return summary;
}
