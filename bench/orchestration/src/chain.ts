/**
 * The mock chain the experiment pays through (I/O: an HTTP server inside the harness).
 *
 * It is the ground truth: every transfer it applies is logged with the wall-clock time, so the
 * checker sees exactly what recipients received whatever the engine believes.
 * - POST /transfer {streamId, amount, tick}: a plain token transfer, applied on arrival
 *   (what an engine's "pay this month" job does). Not idempotent.
 * - GET /state and POST /settle_many {ids}: the model of our contract: settle pays
 *   owed(schedule, now) - paid, so a repeated or concurrent call pays nothing more.
 * - POST /submit {hash, ids} and GET /tx/<hash>: a *signed* settle_many envelope, applied at most
 *   once per hash (a resubmission answers with the first outcome, as stellar-core's DUPLICATE
 *   does), and its confirmation looked up by hash: what the expert Temporal design's
 *   submit-and-confirm activity talks to.
 * Each request is applied when it arrives and answered `confirmDelayMs` later: the window
 * between a transaction landing and its sender seeing the confirmation.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { settleAmount } from "./accrual.js";
import { type Transfer, ticksCovered } from "./checker.js";
import type { StreamSpec } from "./scenario.js";

export interface ChainCounters {
  transferCalls: number;
  stateReads: number;
  settleManyCalls: number;
  settleIdsRequested: number;
  settleIdsNoop: number;
  /** signed settle_many envelopes submitted (POST /submit), and how many repeated a known hash */
  submits: number;
  submitsOfKnownHash: number;
  /** confirmations asked by hash (GET /tx/<hash>) */
  txLookups: number;
}

/** Called after a payment was applied, with the ticks it paid (the harness crashes a worker on it). */
export type RequestHook = (worker: string, atMs: number, ticks: number[]) => void;

export class MockChain {
  readonly transfers: Transfer[] = [];
  readonly counters: ChainCounters = {
    transferCalls: 0,
    stateReads: 0,
    settleManyCalls: 0,
    settleIdsRequested: 0,
    settleIdsNoop: 0,
    submits: 0,
    submitsOfKnownHash: 0,
    txLookups: 0,
  };
  /** transaction hash -> how many streams it paid: a signed envelope applies once, like on a real chain */
  private readonly applied = new Map<string, number>();
  private readonly specs: Map<string, StreamSpec>;
  private readonly paid = new Map<string, bigint>();
  private server: Server | undefined;
  onPayRequest: RequestHook | undefined;

  constructor(
    streams: StreamSpec[],
    private readonly confirmDelayMs: number,
  ) {
    this.specs = new Map(streams.map((s) => [s.id, s]));
    for (const s of streams) this.paid.set(s.id, 0n);
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      this.handle(req)
        .then(({ status, body }) => {
          setTimeout(
            () => {
              res.writeHead(status, { "content-type": "application/json" });
              res.end(JSON.stringify(body));
            },
            status === 200 && req.method === "POST" ? this.confirmDelayMs : 0,
          );
        })
        .catch((err: unknown) => {
          res.writeHead(500);
          res.end(String(err));
        });
    });
    this.server.keepAliveTimeout = 60_000;
    await new Promise<void>((r) => this.server!.listen(0, "127.0.0.1", r));
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  private async handle(req: IncomingMessage): Promise<{ status: number; body: unknown }> {
    const worker = String(req.headers["x-worker"] ?? "?");
    const nowMs = Date.now();
    if (req.method === "GET" && req.url === "/state") {
      this.counters.stateReads += 1;
      return {
        status: 200,
        body: {
          nowMs,
          streams: [...this.specs.values()].map((spec) => ({
            spec,
            paid: String(this.paid.get(spec.id) ?? 0n),
          })),
        },
      };
    }
    if (req.method === "GET" && req.url?.startsWith("/tx/")) {
      this.counters.txLookups += 1;
      const paid = this.applied.get(req.url.slice("/tx/".length));
      return paid === undefined
        ? { status: 404, body: { status: "NOT_FOUND" } }
        : { status: 200, body: { status: "SUCCESS", settled: paid } };
    }
    const body = JSON.parse(await readBody(req)) as Record<string, unknown>;
    if (req.method === "POST" && req.url === "/submit") {
      this.counters.submits += 1;
      const hash = String(body.hash);
      const known = this.applied.get(hash);
      if (known !== undefined) {
        this.counters.submitsOfKnownHash += 1;
        return { status: 200, body: { status: "DUPLICATE", settled: known } };
      }
      const settled = this.settleMany(worker, (body.ids as string[]) ?? [], nowMs);
      if (settled === undefined) return { status: 404, body: { error: "unknown stream" } };
      this.applied.set(hash, settled);
      return { status: 200, body: { status: "SUCCESS", settled } };
    }
    if (req.method === "POST" && req.url === "/transfer") {
      this.counters.transferCalls += 1;
      const spec = this.specs.get(String(body.streamId));
      if (spec === undefined) return { status: 404, body: { error: "unknown stream" } };
      const amount = BigInt(String(body.amount));
      // a tick outside the schedule (or none) is logged with no tick: the checker counts it as unscheduled
      const tick = Number(body.tick);
      const ticks = Number.isInteger(tick) && tick >= 1 && tick <= spec.ticks ? [tick] : [];
      this.apply(spec, amount, ticks, nowMs, worker);
      this.onPayRequest?.(worker, nowMs, ticks);
      return { status: 200, body: { ok: true } };
    }
    if (req.method === "POST" && req.url === "/settle_many") {
      const settled = this.settleMany(worker, (body.ids as string[]) ?? [], nowMs);
      if (settled === undefined) return { status: 404, body: { error: "unknown stream" } };
      return { status: 200, body: { settled } };
    }
    return { status: 404, body: { error: "no such method" } };
  }

  /** The contract's settle_many: pays owed(now) - paid per id; undefined for an unknown id. */
  private settleMany(worker: string, ids: string[], nowMs: number): number | undefined {
    this.counters.settleManyCalls += 1;
    if (ids.some((id) => !this.specs.has(id))) return undefined;
    let paidNow = 0;
    const paidTicks = new Set<number>();
    for (const id of ids) {
      this.counters.settleIdsRequested += 1;
      const spec = this.specs.get(id)!;
      const before = this.paid.get(id) ?? 0n;
      const amount = settleAmount(spec, before, nowMs);
      if (amount === 0n) {
        this.counters.settleIdsNoop += 1;
        continue;
      }
      const ticks = ticksCovered(BigInt(spec.amountPerTick), before, before + amount);
      for (const k of ticks) paidTicks.add(k);
      this.apply(spec, amount, ticks, nowMs, worker);
      paidNow += 1;
    }
    if (paidNow > 0) this.onPayRequest?.(worker, nowMs, [...paidTicks]);
    return paidNow;
  }

  private apply(spec: StreamSpec, amount: bigint, ticks: number[], atMs: number, worker: string): void {
    this.paid.set(spec.id, (this.paid.get(spec.id) ?? 0n) + amount);
    this.transfers.push({ streamId: spec.id, amount, ticks, atMs, worker });
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = "";
    req.setEncoding("utf8");
    req.on("data", (c: string) => (data += c));
    req.on("end", () => resolve(data));
    req.on("error", reject);
  });
}
