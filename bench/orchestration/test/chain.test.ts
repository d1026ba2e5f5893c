import { afterEach, describe, expect, it } from "vitest";
import { MockChain } from "../src/chain.js";
import type { StreamSpec } from "../src/scenario.js";

// The mock chain is the experiment's ground truth: its settle_many models our contract, so its
// idempotence is tested here, over real HTTP on localhost (no heavy dependencies).

const now = Date.now();
const streams: StreamSpec[] = [
  { id: "a", startMs: now - 2_500_000, periodMs: 1_000_000, ticks: 6, amountPerTick: "10" }, // 2 ticks due, the 3rd in 500 s
  { id: "b", startMs: now + 60_000, periodMs: 1_000, ticks: 6, amountPerTick: "10" }, // nothing due
];

let chain: MockChain | undefined;
afterEach(async () => {
  await chain?.stop();
  chain = undefined;
});

async function post(url: string, body: unknown, worker = "A"): Promise<unknown> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", "x-worker": worker },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
  return res.json();
}

describe("MockChain", () => {
  it("settle_many pays what accrued once, and nothing on a repeat or a concurrent call", async () => {
    chain = new MockChain(streams, 0);
    const url = await chain.start();
    const hooks: number[][] = [];
    chain.onPayRequest = (_w, _at, ticks) => hooks.push(ticks);
    const [first, second] = await Promise.all([
      post(`${url}/settle_many`, { ids: ["a", "b"] }, "A"),
      post(`${url}/settle_many`, { ids: ["a", "b"] }, "B"),
    ]);
    expect([first, second]).toEqual(expect.arrayContaining([{ settled: 1 }, { settled: 0 }]));
    expect(chain.transfers).toHaveLength(1);
    expect(chain.transfers[0]).toMatchObject({ streamId: "a", amount: 20n, ticks: [1, 2] });
    expect(chain.counters).toMatchObject({ settleManyCalls: 2, settleIdsRequested: 4, settleIdsNoop: 3 });
    expect(hooks).toEqual([[1, 2]]);
    const state = (await (await fetch(`${url}/state`)).json()) as {
      streams: { spec: StreamSpec; paid: string }[];
    };
    expect(state.streams.find((s) => s.spec.id === "a")?.paid).toBe("20");
  });

  it("transfer pays every call, duplicates included (the engines' non-idempotent path)", async () => {
    chain = new MockChain(streams, 0);
    const url = await chain.start();
    await post(`${url}/transfer`, { streamId: "a", amount: "10", tick: 1 });
    await post(`${url}/transfer`, { streamId: "a", amount: "10", tick: 1 });
    await post(`${url}/transfer`, { streamId: "a", amount: "10", tick: 7 });
    expect(chain.transfers.map((t) => t.ticks)).toEqual([[1], [1], []]);
    expect(chain.counters.transferCalls).toBe(3);
  });

  it("holds the confirmation for confirmDelayMs after applying the payment", async () => {
    chain = new MockChain(streams, 150);
    const url = await chain.start();
    const started = Date.now();
    const pending = post(`${url}/transfer`, { streamId: "a", amount: "10", tick: 1 });
    await new Promise((r) => setTimeout(r, 50));
    expect(chain.transfers).toHaveLength(1); // applied before the sender hears back
    await pending;
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it("rejects unknown streams and methods", async () => {
    chain = new MockChain(streams, 0);
    const url = await chain.start();
    const r1 = await fetch(`${url}/transfer`, {
      method: "POST",
      body: JSON.stringify({ streamId: "zz", amount: "1", tick: 1 }),
    });
    expect(r1.status).toBe(404);
    const r2 = await fetch(`${url}/nope`, { method: "POST", body: "{}" });
    expect(r2.status).toBe(404);
    expect(chain.transfers).toHaveLength(0);
  });

  it("a signed envelope applies once per hash; a resubmission answers DUPLICATE; confirmation by hash", async () => {
    chain = new MockChain(streams, 0);
    const url = await chain.start();
    const missing = await fetch(`${url}/tx/h1`);
    expect(missing.status).toBe(404);
    expect(await post(`${url}/submit`, { hash: "h1", ids: ["a", "b"] })).toEqual({
      status: "SUCCESS",
      settled: 1,
    });
    expect(await post(`${url}/submit`, { hash: "h1", ids: ["a", "b"] })).toEqual({
      status: "DUPLICATE",
      settled: 1,
    });
    // a new envelope (another hash) for the same ids is still safe: settle_many pays nothing more
    expect(await post(`${url}/submit`, { hash: "h2", ids: ["a"] })).toEqual({
      status: "SUCCESS",
      settled: 0,
    });
    expect(await (await fetch(`${url}/tx/h1`)).json()).toEqual({ status: "SUCCESS", settled: 1 });
    expect(chain.transfers).toHaveLength(1);
    expect(chain.counters).toMatchObject({
      submits: 3,
      submitsOfKnownHash: 1,
      txLookups: 2,
      settleManyCalls: 2,
    });
    const bad = await fetch(`${url}/submit`, {
      method: "POST",
      body: JSON.stringify({ hash: "h3", ids: ["zz"] }),
    });
    expect(bad.status).toBe(404);
  });
});
