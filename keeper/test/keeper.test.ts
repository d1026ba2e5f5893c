// The long-running keeper's control flow: no two runs at once, SIGTERM-style drain
// under a deadline, fatal-error classification, and the health endpoints over real
// HTTP. The chain here is a stand-in whose reads we hold open on purpose: a run
// that is "in flight" for exactly as long as a test needs cannot be caused on a
// real network (the devnet answers in milliseconds). Everything chain-facing is
// tested for real in test/integration/keeper.test.ts.

import type { AddressInfo } from "node:net";
import { AccountNotFoundError, NetworkMismatchError, TransactionRejectedError } from "@tributary/sdk";
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import type { Chain } from "../src/chain.js";
import type { ChainState } from "../src/decide.js";
import { startHealthServer } from "../src/health.js";
import { isFatal, Keeper } from "../src/keeper.js";

const silent = pino({ level: "silent" });
const policy = { settleBatchSize: 40, extendBatchSize: 50, minSettleAmount: 1n, extendBelowLedgers: 100 };
const empty: ChainState = { streams: [], nowTs: 1n, latestLedger: 10 };

/** A chain whose next read waits until the test releases it. */
function heldChain() {
  let release!: () => void;
  let reads = 0;
  const gate = new Promise<void>((r) => (release = r));
  const chain: Chain = {
    read: async () => {
      reads += 1;
      await gate;
      return empty;
    },
    settle: async () => ({ txHash: "", ledger: 0, paid: [], skipped: [] }),
    extend: async () => ({ txHash: "", ledger: 0, extended: 0 }),
  };
  return { chain, release, reads: () => reads };
}

describe("Keeper", () => {
  it("never runs twice at once: a tick during a run is skipped", async () => {
    const h = heldChain();
    const k = new Keeper(h.chain, policy, silent);
    const first = k.tick();
    expect(await k.tick()).toBeUndefined();
    h.release();
    expect((await first)?.streams).toBe(0);
    expect(h.reads()).toBe(1);
    expect(k.health.ready).toBe(true);
  });

  it("stop drains an in-flight run, or gives up at the deadline", async () => {
    const h = heldChain();
    const k = new Keeper(h.chain, policy, silent);
    void k.tick();
    expect(await k.stop(20)).toBe(false);
    h.release();
    const h2 = heldChain();
    const k2 = new Keeper(h2.chain, policy, silent);
    void k2.tick();
    setTimeout(h2.release, 10);
    expect(await k2.stop(5_000)).toBe(true);
  });

  it("a failed run leaves the keeper unready with the error, and the next run recovers", async () => {
    let fail = true;
    const chain: Chain = {
      read: async () => {
        if (fail) throw new Error("rpc down");
        return empty;
      },
      settle: async () => ({ txHash: "", ledger: 0, paid: [], skipped: [] }),
      extend: async () => ({ txHash: "", ledger: 0, extended: 0 }),
    };
    const k = new Keeper(chain, policy, silent);
    expect(await k.tick()).toBeUndefined();
    expect(k.health).toMatchObject({ ready: false, lastError: "rpc down" });
    fail = false;
    expect(await k.tick()).toBeDefined();
    expect(k.health.ready).toBe(true);
  });

  it("classifies wrong network and unfunded fee payer as fatal, transient failures not", () => {
    expect(isFatal(new NetworkMismatchError("a", "b"))).toBe(true);
    expect(isFatal(new AccountNotFoundError("GABC"))).toBe(true);
    expect(isFatal(new TransactionRejectedError("settle_many", "00", "txBAD_SEQ"))).toBe(false);
    expect(isFatal(new Error("socket hang up"))).toBe(false);
  });
});

describe("health endpoints", () => {
  let close: (() => void) | undefined;
  afterEach(() => close?.());

  it("answer /healthz always and /readyz only when the last run reached the chain", async () => {
    const state = { ready: false };
    const server = await startHealthServer(0, () => state);
    close = () => server.close();
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(503);
    state.ready = true;
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    expect((await fetch(`${base}/nope`)).status).toBe(404);
  });
});
