// The SDK's error classes against contracts/stream/src/errors.rs: every StreamError
// variant has a class with its code, its name and its Rust doc text. Fails when
// either side gains, loses or renumbers a code.

import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import * as errors from "../src/errors.js";

const rust = readFileSync(resolve(import.meta.dirname, "../../contracts/stream/src/errors.rs"), "utf8");
const body = rust.slice(rust.indexOf("pub enum StreamError"));
const variants = [...body.matchAll(/((?:\s*\/\/\/[^\n]*\n)+)\s*(\w+) = (\d+),/g)].map((m) => ({
  doc: m[1]!
    .trim()
    .split("\n")
    .map((l) => l.trim().slice(3).trim())
    .join(" "),
  name: m[2]!,
  code: Number(m[3]),
}));

describe("contract error classes mirror errors.rs", () => {
  it("parses the Rust enum (sanity)", () => {
    expect(variants.length).toBeGreaterThanOrEqual(26);
  });

  it("has one class per code, with the variant name and the doc text", () => {
    expect(
      Object.keys(errors.CONTRACT_ERRORS)
        .map(Number)
        .sort((a, b) => a - b),
    ).toEqual(variants.map((v) => v.code).sort((a, b) => a - b));
    for (const v of variants) {
      const e = errors.contractError(v.code, "ctx");
      expect(e).toBeInstanceOf(errors.ContractError);
      expect(e.constructor.name).toBe(v.name.endsWith("Error") ? v.name : `${v.name}Error`);
      expect((e as errors.ContractError).variant).toBe(v.name);
      expect(e.message).toBe(`${v.name} (${v.code}): ${v.doc} [ctx]`);
      expect((errors as Record<string, unknown>)[e.constructor.name]).toBe(e.constructor);
    }
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
