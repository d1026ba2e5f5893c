import { xdr } from "@stellar/stellar-sdk";
import { describe, expect, it } from "vitest";
import { ChannelPool, resultCode } from "../src/channels.js";

const inner = (code: xdr.InnerTransactionResultResult) =>
  new xdr.TransactionResult({
    feeCharged: xdr.Int64.fromString("100"),
    result: xdr.TransactionResultResult.txFeeBumpInnerFailed(
      new xdr.InnerTransactionResultPair({
        transactionHash: Buffer.alloc(32),
        result: new xdr.InnerTransactionResult({
          feeCharged: xdr.Int64.fromString("100"),
          result: code,
          ext: new xdr.InnerTransactionResultExt(0),
        }),
      }),
    ),
    ext: new xdr.TransactionResultExt(0),
  });

describe("resultCode", () => {
  it("reads inside a fee bump, and names the failed operation", () => {
    expect(resultCode(inner(xdr.InnerTransactionResultResult.txSorobanInvalid()))).toBe("txSorobanInvalid");
    const op = xdr.OperationResult.opInner(
      xdr.OperationResultTr.invokeHostFunction(
        xdr.InvokeHostFunctionResult.invokeHostFunctionResourceLimitExceeded(),
      ),
    );
    expect(resultCode(inner(xdr.InnerTransactionResultResult.txFailed([op])))).toBe(
      "txFailed / invokeHostFunctionResourceLimitExceeded",
    );
    const plain = new xdr.TransactionResult({
      feeCharged: xdr.Int64.fromString("100"),
      result: xdr.TransactionResultResult.txBadSeq(),
      ext: new xdr.TransactionResultExt(0),
    });
    expect(resultCode(plain)).toBe("txBadSeq");
    expect(resultCode(undefined)).toBe("unknown");
  });
});

describe("ChannelPool", () => {
  it("hands each channel to one holder at a time, waiters in order", async () => {
    const a = { address: "A" } as never;
    const b = { address: "B" } as never;
    const pool = new ChannelPool([a, b]);
    const order: string[] = [];
    let inUse = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        pool.with(async (c) => {
          inUse += 1;
          most = Math.max(most, inUse);
          await new Promise((r) => setTimeout(r, 5));
          order.push(`${i}:${(c as unknown as { address: string }).address}`);
          inUse -= 1;
        }),
      ),
    );
    expect(most).toBe(2);
    expect(order).toHaveLength(6);
  });
});
