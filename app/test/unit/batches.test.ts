import {
  BatchTooLargeError,
  SimulationError,
  TransactionTimeoutError,
  ValidationError,
} from "@tributary/sdk";
import { describe, expect, it } from "vitest";
import { createInBatches, isTooLarge } from "../../src/lib/batches.js";

const rows = Array.from({ length: 20 }, (_, i) => i + 1);

describe("createInBatches", () => {
  it("sends everything in one transaction when it fits", async () => {
    const sent: number[][] = [];
    const r = await createInBatches(rows, async (b) => {
      sent.push(b);
      return b.map((x) => BigInt(x) + 100n);
    });
    expect(sent).toEqual([rows]);
    expect(r.transactions).toBe(1);
    expect(r.landed.map((l) => [l.row, l.id])).toEqual(rows.map((x) => [x, BigInt(x) + 100n]));
  });

  it("halves batches the network refuses as too large, and learns the size", async () => {
    const sizes: number[] = [];
    const r = await createInBatches(rows, async (b) => {
      sizes.push(b.length);
      if (b.length > 6) throw new SimulationError("create_batch", "HostError: Budget, ExceededLimit");
      return b.map(BigInt);
    });
    expect(sizes).toEqual([20, 10, 5, 5, 5, 5]);
    expect(r.transactions).toBe(4);
    expect(r.landed).toHaveLength(20);
    expect(r.error).toBeNull();
  });

  it("stops at a content failure and names what landed and what did not", async () => {
    let calls = 0;
    const r = await createInBatches(
      rows,
      async (b) => {
        if (++calls === 2) throw new ValidationError("createBatch", [{ path: "x", message: "bad" }]);
        return b.map(BigInt);
      },
      { maxBatch: 8 },
    );
    expect(r.landed.map((l) => l.row)).toEqual(rows.slice(0, 8));
    expect(r.notCreated).toEqual(rows.slice(8));
    expect(r.unknown).toEqual([]);
    expect(r.error).toBeInstanceOf(ValidationError);
  });

  it("reports a timed-out batch as unknown, not as not created", async () => {
    const r = await createInBatches(
      rows,
      async () => {
        throw new TransactionTimeoutError("create_batch", "h", 1);
      },
      { maxBatch: 15 },
    );
    expect(r.unknown).toEqual(rows.slice(0, 15));
    expect(r.notCreated).toEqual(rows.slice(15));
  });

  it("classifies size errors", () => {
    expect(isTooLarge(new BatchTooLargeError())).toBe(true);
    expect(isTooLarge(new SimulationError("x", "resource limit exceeded"))).toBe(true);
    expect(isTooLarge(new SimulationError("x", "Error(Contract, #111)"))).toBe(false);
  });
});
