/**
 * The expert Temporal design's activities, each idempotent: reading is free to repeat, signing
 * has no side effect, and submitting resends the same envelope, which the chain applies at most
 * once per hash (and `settle_many` pays nothing twice even for a new envelope).
 */
import { createHash } from "node:crypto";
import { Context } from "@temporalio/activity";
import { decideSettlements, type StreamState } from "../accrual.js";
import type { StreamSpec } from "../scenario.js";
import type { SignedBatch } from "./plan.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function createSweepActivities(chainUrl: string, workerName: string) {
  const headers = { "content-type": "application/json", "x-worker": workerName };
  return {
    /** The due streams, in batches: the keeper's own decision, read fresh from the chain. */
    async listDue(batchSize: number): Promise<string[][]> {
      const res = await fetch(`${chainUrl}/state`, { headers });
      if (!res.ok) throw new Error(`state: ${res.status}`);
      const body = (await res.json()) as { nowMs: number; streams: { spec: StreamSpec; paid: string }[] };
      const states: StreamState[] = body.streams.map((s) => ({ spec: s.spec, paid: BigInt(s.paid) }));
      return decideSettlements(states, body.nowMs, batchSize);
    },

    /** Signs one settle_many envelope (a hash here: the mock chain checks no signatures). */
    async signBatch(ids: string[], ref: string): Promise<SignedBatch> {
      const hash = createHash("sha256")
        .update(`${ref}|${ids.join(",")}`)
        .digest("hex");
      return { ids, hash };
    },

    /** Submits the envelope (a resubmission is answered DUPLICATE) and waits for it by hash. */
    async submitAndConfirm(signed: SignedBatch): Promise<number> {
      Context.current().heartbeat(signed.hash);
      const res = await fetch(`${chainUrl}/submit`, {
        method: "POST",
        headers,
        body: JSON.stringify({ hash: signed.hash, ids: signed.ids }),
      });
      if (!res.ok) throw new Error(`submit ${signed.hash}: ${res.status}`);
      for (;;) {
        Context.current().heartbeat(signed.hash);
        const tx = await fetch(`${chainUrl}/tx/${signed.hash}`, { headers });
        if (tx.ok) return ((await tx.json()) as { settled: number }).settled;
        await sleep(100);
      }
    },
  };
}

export type SweepActivities = ReturnType<typeof createSweepActivities>;
