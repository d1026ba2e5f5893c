// canReceive's judgement from ledger entries (pure); the devnet integration test
// (integration/receive.test.ts) reads the same entries from a real network.

import { Asset, Keypair, type xdr } from "@stellar/stellar-sdk";
import { describe, expect, it } from "vitest";
import { judgeAccount, judgeContract } from "../../src/client/receive.js";

const issuer = Keypair.random().publicKey();
const holder = Keypair.random().publicKey();
const usdc = new Asset("USDC", issuer);
const C = "CDLZFC3SYJYDZT7K67VZ75HPJVIEUVNIXF47ZG2FB2RMQQVU2HHGCYSC";

// Only flags() is read; a minimal object stands in for the XDR entries' accessors.
const trustline = (flags: number) => ({ flags: () => flags }) as unknown as xdr.TrustLineEntry;
const account = {} as xdr.AccountEntry;

describe("canReceive: accounts", () => {
  it("needs the account to exist", () => {
    expect(judgeAccount(holder, usdc, undefined, undefined)).toMatchObject({
      ok: false,
      problem: "accountMissing",
    });
    expect(judgeAccount(holder, Asset.native(), undefined, undefined)).toMatchObject({ ok: false });
  });

  it("needs a trustline for an issued asset, but not for XLM or the issuer itself", () => {
    expect(judgeAccount(holder, usdc, account, undefined)).toMatchObject({
      ok: false,
      problem: "trustlineMissing",
    });
    expect(judgeAccount(holder, Asset.native(), account, undefined)).toEqual({ ok: true, verified: true });
    expect(judgeAccount(issuer, usdc, account, undefined)).toEqual({ ok: true, verified: true });
  });

  it("needs the trustline authorized: deauthorized or liabilities-only lines cannot receive", () => {
    expect(judgeAccount(holder, usdc, account, trustline(1))).toEqual({ ok: true, verified: true });
    expect(judgeAccount(holder, usdc, account, trustline(0))).toMatchObject({
      ok: false,
      problem: "trustlineNotAuthorized",
    });
    // AUTHORIZED_TO_MAINTAIN_LIABILITIES (2) without AUTHORIZED (1).
    expect(judgeAccount(holder, usdc, account, trustline(2))).toMatchObject({ ok: false });
    // Clawback enabled (4) does not stop receiving.
    expect(judgeAccount(holder, usdc, account, trustline(1 | 4))).toMatchObject({ ok: true });
  });
});

describe("canReceive: contracts", () => {
  it("receive into a SAC balance unless it is deauthorized", () => {
    expect(judgeContract(C, usdc, { authorized: true }, 0)).toEqual({ ok: true, verified: true });
    expect(judgeContract(C, usdc, { authorized: false }, 0)).toMatchObject({
      ok: false,
      problem: "balanceNotAuthorized",
    });
  });

  it("without a balance yet, follow the issuer's AUTH_REQUIRED flag (the new balance's state)", () => {
    expect(judgeContract(C, usdc, undefined, 0)).toMatchObject({ ok: true });
    expect(judgeContract(C, usdc, undefined, 1)).toMatchObject({
      ok: false,
      problem: "balanceNotAuthorized",
    });
    expect(judgeContract(C, Asset.native(), undefined, 1)).toMatchObject({ ok: true });
  });
});
