// The pure parts of concurrent creations (create-race.ts, tx/reserve.ts, tx/failure.ts)
// from hand-built XDR: which keys a creation reserves, when it has lost, what the extra
// entries cost, and how a lost race and a missing token function are recognised. The
// devnet tests (integration/create-race.test.ts, not-a-token.test.ts) show the same on
// real transactions.

import { Keypair, StrKey, xdr } from "@stellar/stellar-sdk";
import { describe, expect, it } from "vitest";
import { nextIdKeys } from "../../src/client/create-race.js";
import { missingFunction, outsideFootprint } from "../../src/client/tx/failure.js";
import { extraEntriesFee, type FootprintPricing } from "../../src/client/tx/reserve.js";
import * as w from "../../src/client/wire.js";

const C = StrKey.encodeContract(Buffer.alloc(32, 1));
const OTHER = StrKey.encodeContract(Buffer.alloc(32, 2));
const stream = (c: string, id: bigint) => w.persistentLedgerKey(c, w.streamKey(id));
const tranches = (c: string, id: bigint) => w.persistentLedgerKey(c, w.tranchesKey(id));
const account = xdr.LedgerKey.account(
  new xdr.LedgerKeyAccount({ accountId: Keypair.random().xdrAccountId() }),
);
const b64 = (ks: xdr.LedgerKey[]) => ks.map((k) => k.toXDR("base64"));

describe("nextIdKeys", () => {
  it("reserves the k ids after the last declared stream, and shifted tranches for tranched ones", () => {
    const rw = [
      account,
      w.instanceLedgerKey(C),
      stream(C, 5n),
      stream(C, 6n),
      tranches(C, 6n),
      stream(OTHER, 99n),
    ];
    const r = nextIdKeys(C, rw, 3);
    expect(b64(r.keys)).toEqual(
      b64([stream(C, 7n), stream(C, 8n), stream(C, 9n), tranches(C, 7n), tranches(C, 8n), tranches(C, 9n)]),
    );
    expect(r.firstId).toBe(5n);
    // Applied at count 7 it would write 8 and 9 (declared); at count 8, 9 and 10 (not).
    expect(r.lostAtCount).toBe(8n);
  });

  it("reserves nothing without a stream key of this contract, or with k = 0", () => {
    expect(nextIdKeys(C, [account, stream(OTHER, 1n)], 7)).toEqual({
      keys: [],
      firstId: null,
      lostAtCount: null,
    });
    const r = nextIdKeys(C, [stream(C, 1n)], 0);
    expect(r.keys).toEqual([]);
    expect(r.lostAtCount).toBe(1n);
  });
});

describe("extraEntriesFee", () => {
  const p: FootprintPricing = {
    feePer10kInstructions: 7n,
    feeWriteLedgerEntry: 2_500n,
    feeWrite1Kb: 875n,
    feeTxSize1Kb: 406n + 4_059n,
    txMaxWriteLedgerEntries: 200,
    txMaxFootprintEntries: 400,
    txMaxWriteBytes: 132_096,
    txMaxInstructions: 400_000_000,
  };
  it("charges the write-entry fee per key and the key bytes at the size fees, rounded up", () => {
    const keys = [stream(C, 1n), stream(C, 2n)];
    const bytes = BigInt(keys.reduce((n, k) => n + k.toXDR().length, 0));
    expect(extraEntriesFee(p, keys)).toBe(5_000n + (bytes * 4_465n + 1023n) / 1024n);
    expect(extraEntriesFee(p, [])).toBe(0n);
  });
});

function errorEvent(
  contract: string | null,
  err: xdr.ScError,
  data: xdr.ScVal,
  inSuccessfulContractCall = false,
): xdr.DiagnosticEvent {
  return new xdr.DiagnosticEvent({
    inSuccessfulContractCall,
    event: new xdr.ContractEvent({
      ext: new xdr.ExtensionPoint(0),
      contractId: contract ? (StrKey.decodeContract(contract) as unknown as xdr.Hash) : null,
      type: xdr.ContractEventType.diagnostic(),
      body: new xdr.ContractEventBody(
        0,
        new xdr.ContractEventV0({ topics: [xdr.ScVal.scvSymbol("error"), xdr.ScVal.scvError(err)], data }),
      ),
    }),
  });
}

describe("failure classification", () => {
  const storage = xdr.ScError.sceStorage(xdr.ScErrorCode.scecExceededLimit());
  const missing = xdr.ScError.sceWasmVm(xdr.ScErrorCode.scecMissingValue());
  const msg = (s: string, ...rest: xdr.ScVal[]) => xdr.ScVal.scvVec([xdr.ScVal.scvString(s), ...rest]);

  it("recognises a write outside the footprint, and nothing else, as one", () => {
    const outside = errorEvent(
      C,
      storage,
      msg("trying to access contract data key outside of the footprint"),
    );
    expect(outsideFootprint([outside])).toBe(true);
    expect(outsideFootprint([errorEvent(C, storage, msg("some other storage limit"))])).toBe(false);
    expect(outsideFootprint([errorEvent(C, missing, msg("outside of the footprint"))])).toBe(false);
    expect(outsideFootprint(undefined)).toBe(false);
  });

  it("names the contract that lacks a function and the function, from the event that contract emitted", () => {
    const ev = errorEvent(
      OTHER,
      missing,
      msg("trying to invoke non-existent contract function", xdr.ScVal.scvSymbol("transfer")),
    );
    const caller = errorEvent(C, missing, msg("contract call failed", xdr.ScVal.scvSymbol("transfer")));
    expect(missingFunction([ev, caller])).toEqual({ contractId: OTHER, fn: "transfer" });
    expect(missingFunction([caller])).toBeNull();
    expect(missingFunction(undefined)).toBeNull();
  });
});
