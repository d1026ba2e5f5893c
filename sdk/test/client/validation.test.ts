import { Keypair, StrKey } from "@stellar/stellar-sdk";
import { describe, expect, expectTypeOf, it } from "vitest";
import type * as z from "zod/mini";
import { StreamClient } from "../../src/client/stream-client.js";
import { createParams, parse } from "../../src/client/validation.js";
import { ValidationError } from "../../src/errors.js";
import { network } from "../../src/networks.js";
import type { CreateParams, CreateParamsInput } from "../../src/types.js";

const G1 = Keypair.random().publicKey();
const G2 = Keypair.random().publicKey();
const C = StrKey.encodeContract(Buffer.alloc(32, 7));

function issues(input: unknown): string[] {
  try {
    parse("create", createParams, input, "params");
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return (e as ValidationError).issues.map((i) => `${i.path}: ${i.message}`);
  }
  return [];
}

const base = { sender: G1, recipient: G2, token: C, cancelable: true, transferable: false };

describe("create validation names the field and the rule", () => {
  it("accepts a valid linear stream and normalizes numbers and strings to bigint, cliff defaulting to start", () => {
    const p = parse("create", createParams, {
      ...base,
      schedule: { kind: "linear", startTs: 10, endTs: "20", deposit: 5n },
    });
    expect(p.schedule).toEqual({
      kind: "linear",
      startTs: 10n,
      cliffTs: 10n,
      endTs: 20n,
      deposit: 5n,
      startUnlock: 0n,
      cliffUnlock: 0n,
    });
  });

  it("linear unlock amounts: non-negative and within the deposit together", () => {
    const lin = { kind: "linear", startTs: 10n, endTs: 20n, deposit: 100n };
    expect(issues({ ...base, schedule: { ...lin, startUnlock: 60n, cliffUnlock: 40n } })).toEqual([]);
    expect(issues({ ...base, schedule: { ...lin, startUnlock: 60n, cliffUnlock: 41n } })).toEqual([
      "params.schedule.cliffUnlock: startUnlock + cliffUnlock must not exceed the deposit (InvalidUnlockAmounts)",
    ]);
    expect(issues({ ...base, schedule: { ...lin, startUnlock: -1n } })).toEqual([
      "params.schedule.startUnlock: must be >= 0 base units (InvalidUnlockAmounts)",
    ]);
  });

  it("relative schedules: durations from when the transaction lands", () => {
    expect(
      issues({
        ...base,
        schedule: { kind: "linearIn", startInS: 0n, durationS: 100n, cliffS: 101n, deposit: 1n },
      }),
    ).toEqual(["params.schedule.cliffS: must be <= durationS (InvalidCliff)"]);
    expect(
      issues({ ...base, schedule: { kind: "linearIn", startInS: 5n, durationS: 0n, deposit: 1n } }),
    ).toEqual(["params.schedule.durationS: must be >= 1 second (InvalidTimeRange)"]);
    expect(
      issues({
        ...base,
        schedule: {
          kind: "tranchedIn",
          startInS: 0n,
          tranches: [
            { afterS: 10n, amount: 1n },
            { afterS: 10n, amount: 1n },
          ],
        },
      }),
    ).toEqual([
      "params.schedule.tranches.1.afterS: must be after the previous tranche's afterS (TranchesNotIncreasing)",
    ]);
  });

  it("references: bytes or UTF-8 text of at most 64 bytes", () => {
    const lin = { kind: "linear", startTs: 10n, endTs: 20n, deposit: 100n };
    const p = parse("create", createParams, { ...base, schedule: lin, reference: "INV-42" });
    expect(p.reference).toEqual(new TextEncoder().encode("INV-42"));
    expect(issues({ ...base, schedule: lin, reference: new Uint8Array(64) })).toEqual([]);
    expect(issues({ ...base, schedule: lin, reference: new Uint8Array(65) })).toEqual([
      "params.reference: must be at most 64 bytes (ReferenceTooLong)",
    ]);
  });

  it("linear: end before start, cliff outside, zero deposit", () => {
    expect(issues({ ...base, schedule: { kind: "linear", startTs: 10n, endTs: 10n, deposit: 1n } })).toEqual([
      "params.schedule.endTs: must be after startTs (InvalidTimeRange)",
    ]);
    expect(
      issues({ ...base, schedule: { kind: "linear", startTs: 10n, cliffTs: 30n, endTs: 20n, deposit: 1n } }),
    ).toEqual(["params.schedule.cliffTs: must lie in [startTs, endTs] (InvalidCliff)"]);
    expect(issues({ ...base, schedule: { kind: "linear", startTs: 0n, endTs: 20n, deposit: 0n } })).toEqual([
      "params.schedule.deposit: must be a positive amount in base units (> 0)",
    ]);
  });

  it("tranched: empty, not increasing, zero amount", () => {
    expect(issues({ ...base, schedule: { kind: "tranched", startTs: 0n, tranches: [] } })).toEqual([
      "params.schedule.tranches: must hold at least one tranche (InvalidTrancheCount)",
    ]);
    expect(
      issues({
        ...base,
        schedule: {
          kind: "tranched",
          startTs: 5n,
          tranches: [
            { unlockTs: 4n, amount: 1n },
            { unlockTs: 9n, amount: 1n },
            { unlockTs: 9n, amount: 0n },
          ],
        },
      }),
    ).toEqual([
      "params.schedule.tranches.2.amount: must be a positive amount in base units (> 0)",
      "params.schedule.tranches.0.unlockTs: must be >= startTs (TranchesNotIncreasing)",
      "params.schedule.tranches.2.unlockTs: must be after the previous tranche's unlockTs (TranchesNotIncreasing)",
    ]);
    expect(
      issues({
        ...base,
        schedule: {
          kind: "tranched",
          startTs: 5n,
          tranches: [
            { unlockTs: 4n, amount: 1n },
            { unlockTs: 9n, amount: 1n },
            { unlockTs: 9n, amount: 2n },
          ],
        },
      }),
    ).toEqual([
      "params.schedule.tranches.0.unlockTs: must be >= startTs (TranchesNotIncreasing)",
      "params.schedule.tranches.2.unlockTs: must be after the previous tranche's unlockTs (TranchesNotIncreasing)",
    ]);
  });

  it("open-ended: zero period, rate too high, missing, zero or negative deposit", () => {
    expect(
      issues({ ...base, schedule: { kind: "openEnded", amountPerPeriod: 1n, periodS: 0n, deposit: 1n } }),
    ).toEqual(["params.schedule.periodS: must be >= 1 second (InvalidPeriod)"]);
    expect(
      issues({
        ...base,
        schedule: { kind: "openEnded", amountPerPeriod: 1n << 126n, periodS: 1n, deposit: 1n },
      }),
    ).toEqual([
      "params.schedule.amountPerPeriod: could overflow i128 accrual within 100 years (RateTooHigh)",
    ]);
    for (const deposit of [-1n, 0n])
      expect(
        issues({ ...base, schedule: { kind: "openEnded", amountPerPeriod: 1n, periodS: 1n, deposit } }),
      ).toEqual(["params.schedule.deposit: must be a positive amount in base units (> 0)"]);
    expect(
      issues({ ...base, schedule: { kind: "openEnded", amountPerPeriod: 1n, periodS: 1n } }),
    ).toHaveLength(1);
  });

  it("addresses, flags, kinds and integer types", () => {
    const got = issues({
      ...base,
      sender: "GXYZ",
      token: G1,
      cancelable: "yes",
      schedule: { kind: "weekly" },
    });
    expect(got).toEqual([
      "params.sender: must be a G... account or C... contract strkey",
      "params.token: must be a C... contract strkey",
      'params.schedule.kind: must have kind "linear", "tranched", "openEnded", "linearIn" or "tranchedIn"',
      "params.cancelable: must be a boolean",
    ]);
    expect(
      issues({ ...base, schedule: { kind: "linear", startTs: 1.5, endTs: 2n ** 64n, deposit: 1n } }),
    ).toEqual([
      "params.schedule.startTs: must be an integer (bigint, number or decimal string)",
      "params.schedule.endTs: must fit in u64",
    ]);
  });
});

describe("client argument validation happens before any network call", () => {
  // An RPC URL nothing listens on: a validation error must come first.
  const client = new StreamClient({
    network: network("devnet", { rpcUrl: "http://127.0.0.1:9/rpc" }),
    contractId: C,
    retries: 0,
  });

  it("withdraw names id, to and amount", async () => {
    await expect(client.withdraw({ id: 0, to: "nope", amount: -5n })).rejects.toThrow(
      "withdraw: invalid input: id: must be a stream id >= 1; to: must be a G... account or C... contract strkey; amount: must be a positive amount in base units (> 0)",
    );
  });

  it("settleMany refuses an empty or oversized batch", async () => {
    await expect(client.settleMany([])).rejects.toThrow("ids: must hold at least one id (EmptyBatch)");
    await expect(client.settleMany(Array.from({ length: 201 }, (_, i) => i + 1))).rejects.toThrow(
      "ids: must hold at most 200 ids (BatchTooLarge)",
    );
  });

  it("the constructor refuses a bad contract id and a missing RPC URL", () => {
    expect(() => new StreamClient({ network: network("mainnet"), contractId: "CABC" })).toThrow(
      "StreamClient: invalid input: network.rpcUrl: must be set (mainnet has no default RPC; pass your provider's URL); contractId: must be a C... contract strkey",
    );
  });

  it("reads against an unreachable RPC fail with RpcError after retries, not a raw fetch error", async () => {
    await expect(client.get(1n)).rejects.toMatchObject({ name: "RpcError" });
  });
});

describe("public input types", () => {
  it("are our own types, and exactly what the schemas accept and produce (checked by tsc)", () => {
    expectTypeOf<CreateParamsInput>().toExtend<z.input<typeof createParams>>();
    expectTypeOf<z.input<typeof createParams>>().toExtend<CreateParamsInput>();
    expectTypeOf<z.output<typeof createParams>>().toExtend<CreateParams>();
    expectTypeOf<CreateParams>().toExtend<CreateParamsInput>();
    expectTypeOf<StreamClient["create"]>().parameter(0).toEqualTypeOf<CreateParamsInput>();
  });
});
