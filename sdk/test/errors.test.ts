// The SDK's contract error classes (generated from contracts/stream/src/errors.rs by
// contracts/stream/src/test/generated.rs, which fails when they drift) as callers use
// them: one exported class per code, found by `contractError`, with a readable message.

import { describe, expect, it } from "vitest";
import * as errors from "../src/errors.js";
import * as sdk from "../src/index.js";

describe("contract error classes", () => {
  const codes = Object.keys(errors.CONTRACT_ERRORS).map(Number);

  it("cover the contract's four code ranges (input, authorization, state, math)", () => {
    expect(codes.length).toBeGreaterThanOrEqual(32);
    expect(codes.every((c) => c >= 100 && c < 500)).toBe(true);
    expect(codes).toContain(113);
    expect(codes).toContain(200);
  });

  it("map each code to its own exported class, named after the variant", () => {
    for (const code of codes) {
      const e = errors.contractError(code, "ctx") as errors.ContractError;
      expect(e).toBeInstanceOf(errors.ContractError);
      expect(e).toBeInstanceOf(sdk.TributaryError);
      expect(e.code).toBe(code);
      expect((e.constructor as unknown as { code: number }).code).toBe(code);
      expect(e.constructor.name).toBe(`${e.variant}Error`);
      expect(e.name).toBe(e.constructor.name);
      expect(e.message).toMatch(new RegExp(`^${e.variant} \\(${code}\\): .+ \\[ctx\\]$`));
      expect((sdk as Record<string, unknown>)[e.constructor.name]).toBe(e.constructor);
    }
  });

  it("carry the Rust doc text", () => {
    const e = new errors.AmountExceedsWithdrawableError();
    expect(e.message).toBe(
      "AmountExceedsWithdrawable (113): A withdrawal asks for more than is withdrawable now.",
    );
  });

  it("maps unknown codes and token codes to their own classes", () => {
    expect(errors.contractError(199)).toBeInstanceOf(errors.UnknownContractError);
    const t = errors.contractError(13);
    expect(t).toBeInstanceOf(errors.TokenError);
    expect(t.message).toContain("TrustlineMissingError");
  });

  it("finds the code in a host diagnostic string", () => {
    expect(errors.parseContractErrorCode("HostError: Error(Contract, #113)\n\nEvent log ...")).toBe(113);
    expect(errors.parseContractErrorCode("HostError: Error(Auth, InvalidAction)")).toBeNull();
  });
});
