import {
  CONTRACT_ERRORS,
  contractError,
  NetworkMismatchError,
  TokenError,
  TransactionTimeoutError,
  WalletError,
} from "@tributary/sdk";
import { describe, expect, it } from "vitest";
import { CONTRACT_ERROR_SENTENCES, explainError } from "../../src/lib/errors.js";

describe("explainError", () => {
  it("has a sentence for every contract error variant the SDK knows, and no stale ones", () => {
    const variants = Object.keys(CONTRACT_ERRORS).map((code) => contractError(Number(code)));
    const names = variants.map((e) => ("variant" in e ? e.variant : ""));
    expect(names.filter((n) => !CONTRACT_ERROR_SENTENCES[n])).toEqual([]);
    expect(Object.keys(CONTRACT_ERROR_SENTENCES).filter((n) => !names.includes(n))).toEqual([]);
    for (const e of variants) {
      const x = explainError(e);
      expect(x.message).not.toMatch(/\(\d+\)|Error\b|xdr/i);
      expect(x.unchanged).toBe(true);
    }
  });
  it("explains wallet refusals, wrong networks, token errors and timeouts", () => {
    expect(explainError(new WalletError("Freighter: signTransaction: User declined access")).message).toMatch(
      /declined.*Nothing/,
    );
    expect(explainError(new NetworkMismatchError("a", "b")).message).toMatch(
      /different network.*nothing was signed/,
    );
    expect(explainError(new TokenError(10)).message).toMatch(/does not hold enough/);
    const t = explainError(new TransactionTimeoutError("withdraw", "ab", 1000));
    expect(t.unchanged).toBe(false);
    expect(t.message).toMatch(/may still land/);
    expect(explainError(new Error("boom")).message).not.toMatch(/boom/);
  });
});
