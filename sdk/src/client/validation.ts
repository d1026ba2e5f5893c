/**
 * Input validation with zod: one schema per entry point's arguments. Each rule the
 * contract enforces at creation that can be checked offline is checked here too, so
 * a wrong field fails before signing with an error naming the field and the rule
 * (the contract stays the authority: what cannot be checked offline, such as
 * `StartInPast`, still comes back as a contract error).
 *
 * Integers are accepted as `bigint`, safe-integer `number` or decimal string, and
 * come out as `bigint`.
 *
 * `zod/mini`, not `zod`: the same parser and rules with a functional, tree-shakable
 * API, about a tenth of the classic API's weight in a browser bundle (see
 * docs/benchmarks/sdk.md, "Bundle").
 */

import { StrKey } from "@stellar/stellar-sdk";
import * as z from "zod/mini";
import { I128_MAX, rateWithinBounds, U64_MAX } from "../accrual.js";
import { ValidationError, type ValidationIssue } from "../errors.js";
import {
  MAX_BATCH,
  MAX_DURATION_S,
  MAX_REFERENCE_BYTES,
  MAX_TRANCHES,
} from "../generated/contract-limits.js";

export { MAX_BATCH, MAX_REFERENCE_BYTES, MAX_TRANCHES };

const integer = z.pipe(
  z.union(
    [
      z.bigint(),
      z
        .number()
        .check(
          z.int("must be an integer"),
          z.refine(Number.isSafeInteger, "must be a safe integer; pass a bigint"),
        ),
      z.string().check(z.regex(/^-?\d+$/, "must be a decimal integer string")),
    ],
    { error: "must be an integer (bigint, number or decimal string)" },
  ),
  z.transform((v: bigint | number | string) => BigInt(v)),
);

/** An integer in `[min, max]`, each bound with its own message. */
const bigintIn = (min: bigint, minMsg: string, max: bigint, maxMsg: string) =>
  z.pipe(integer, z.bigint().check(z.gte(min, minMsg), z.lte(max, maxMsg)));

/** u64: `0 ..= 2^64-1`. */
export const u64 = bigintIn(0n, "must be >= 0 (u64)", U64_MAX, "must fit in u64");
/** A u64 unix time or duration in seconds. */
export const seconds = u64;
/** A stream id: `>= 1`. */
export const streamId = bigintIn(1n, "must be a stream id >= 1", U64_MAX, "must fit in u64");
/** A positive i128 amount in base units. */
export const positiveAmount = bigintIn(
  1n,
  "must be a positive amount in base units (> 0)",
  I128_MAX,
  "must fit in i128",
);
/** A non-negative i128 amount in base units. */
export const nonNegativeAmount = bigintIn(0n, "must be >= 0 base units", I128_MAX, "must fit in i128");

/** A `G...` account or `C...` contract strkey. */
export const address = z
  .string({ error: "must be a strkey string" })
  .check(
    z.refine(
      (s: string) => StrKey.isValidEd25519PublicKey(s) || StrKey.isValidContract(s),
      "must be a G... account or C... contract strkey",
    ),
  );

/** A `C...` contract strkey. */
export const contractAddress = z
  .string({ error: "must be a strkey string" })
  .check(z.refine((s: string) => StrKey.isValidContract(s), "must be a C... contract strkey"));

/** A whole number in `[min, max]` (page sizes, concurrency, ledger sequences). */
export const smallInt = (
  min: number,
  max: number,
  minMsg = `must be >= ${min}`,
  maxMsg = `must be <= ${max}`,
) => z.number().check(z.int(), z.gte(min, minMsg), z.lte(max, maxMsg));

const tranche = z.object({ unlockTs: seconds, amount: positiveAmount });

/** Unlock amounts must be >= 0 and fit the deposit together (InvalidUnlockAmounts). */
function checkUnlocks(
  p: { deposit: bigint; startUnlock: bigint; cliffUnlock: bigint },
  ctx: { addIssue: (issue: { code: "custom"; path: PropertyKey[]; message: string }) => void },
): void {
  if (p.startUnlock + p.cliffUnlock > p.deposit)
    ctx.addIssue({
      code: "custom",
      path: ["cliffUnlock"],
      message: "startUnlock + cliffUnlock must not exceed the deposit (InvalidUnlockAmounts)",
    });
}

const unlockAmount = z._default(
  z.optional(bigintIn(0n, "must be >= 0 base units (InvalidUnlockAmounts)", I128_MAX, "must fit in i128")),
  0n,
);

const linearParams = z
  .pipe(
    z.object({
      kind: z.literal("linear"),
      startTs: seconds,
      cliffTs: z.optional(seconds),
      endTs: seconds,
      deposit: positiveAmount,
      startUnlock: unlockAmount,
      cliffUnlock: unlockAmount,
    }),
    z.transform(<P extends { startTs: bigint; cliffTs?: bigint | undefined }>(p: P) => ({
      ...p,
      cliffTs: p.cliffTs ?? p.startTs,
    })),
  )
  .check(
    z.superRefine((p, ctx) => {
      if (![p.startTs, p.endTs, p.cliffTs, p.startUnlock, p.cliffUnlock].every((x) => typeof x === "bigint"))
        return; // reported above
      checkUnlocks(p, ctx);
      // startTs 0 = when the transaction lands: only the contract knows that instant.
      if (p.startTs === 0n) return;
      if (p.endTs <= p.startTs)
        ctx.addIssue({
          code: "custom",
          path: ["endTs"],
          message: "must be after startTs (InvalidTimeRange)",
        });
      else if (p.endTs - p.startTs > MAX_DURATION_S)
        ctx.addIssue({
          code: "custom",
          path: ["endTs"],
          message: "must be within 100 years of startTs (DurationTooLong)",
        });
      if (p.cliffTs < p.startTs || p.cliffTs > p.endTs)
        ctx.addIssue({
          code: "custom",
          path: ["cliffTs"],
          message: "must lie in [startTs, endTs] (InvalidCliff)",
        });
    }),
  );

const linearInParams = z
  .object({
    kind: z.literal("linearIn"),
    startInS: seconds,
    cliffS: z._default(z.optional(seconds), 0n),
    durationS: bigintIn(
      1n,
      "must be >= 1 second (InvalidTimeRange)",
      MAX_DURATION_S,
      "must be at most 100 years (DurationTooLong)",
    ),
    deposit: positiveAmount,
    startUnlock: unlockAmount,
    cliffUnlock: unlockAmount,
  })
  .check(
    z.superRefine((p, ctx) => {
      if (
        ![p.cliffS, p.durationS, p.deposit, p.startUnlock, p.cliffUnlock].every((x) => typeof x === "bigint")
      )
        return; // reported above
      checkUnlocks(p, ctx);
      if (p.cliffS > p.durationS)
        ctx.addIssue({ code: "custom", path: ["cliffS"], message: "must be <= durationS (InvalidCliff)" });
    }),
  );

const tranchedInParams = z
  .object({
    kind: z.literal("tranchedIn"),
    startInS: seconds,
    tranches: z
      .array(z.object({ afterS: seconds, amount: positiveAmount }))
      .check(
        z.minLength(1, "must hold at least one tranche (InvalidTrancheCount)"),
        z.maxLength(MAX_TRANCHES, `must hold at most ${MAX_TRANCHES} tranches (InvalidTrancheCount)`),
      ),
  })
  .check(
    z.superRefine((p, ctx) => {
      let prev: bigint | undefined;
      let sum = 0n;
      p.tranches.forEach((t, i) => {
        if (typeof t.afterS !== "bigint" || typeof t.amount !== "bigint") return; // reported above
        if (prev !== undefined && t.afterS <= prev)
          ctx.addIssue({
            code: "custom",
            path: ["tranches", i, "afterS"],
            message: "must be after the previous tranche's afterS (TranchesNotIncreasing)",
          });
        prev = t.afterS;
        sum += t.amount;
      });
      if (sum > I128_MAX)
        ctx.addIssue({
          code: "custom",
          path: ["tranches"],
          message: "amounts must sum to a value that fits in i128 (InvalidTrancheSum)",
        });
      if (prev !== undefined && prev > MAX_DURATION_S)
        ctx.addIssue({
          code: "custom",
          path: ["tranches", p.tranches.length - 1, "afterS"],
          message: "must be within 100 years of the start (DurationTooLong)",
        });
    }),
  );

const tranchedParams = z
  .object({
    kind: z.literal("tranched"),
    startTs: seconds,
    tranches: z
      .array(tranche)
      .check(
        z.minLength(1, "must hold at least one tranche (InvalidTrancheCount)"),
        z.maxLength(MAX_TRANCHES, `must hold at most ${MAX_TRANCHES} tranches (InvalidTrancheCount)`),
      ),
  })
  .check(
    z.superRefine((p, ctx) => {
      let prev: bigint | undefined;
      let sum = 0n;
      if (typeof p.startTs !== "bigint") return; // reported above
      // startTs 0 = when the transaction lands: the order of unlocks still holds.
      p.tranches.forEach((t, i) => {
        if (typeof t.unlockTs !== "bigint" || typeof t.amount !== "bigint") return; // reported above
        if (prev === undefined ? t.unlockTs < p.startTs : t.unlockTs <= prev)
          ctx.addIssue({
            code: "custom",
            path: ["tranches", i, "unlockTs"],
            message:
              prev === undefined
                ? "must be >= startTs (TranchesNotIncreasing)"
                : "must be after the previous tranche's unlockTs (TranchesNotIncreasing)",
          });
        prev = t.unlockTs;
        sum += t.amount;
      });
      if (sum > I128_MAX)
        ctx.addIssue({
          code: "custom",
          path: ["tranches"],
          message: "amounts must sum to a value that fits in i128 (InvalidTrancheSum)",
        });
      const last = p.tranches.at(-1);
      if (last && last.unlockTs >= p.startTs && last.unlockTs - p.startTs > MAX_DURATION_S)
        ctx.addIssue({
          code: "custom",
          path: ["tranches", p.tranches.length - 1, "unlockTs"],
          message: "must be within 100 years of startTs (DurationTooLong)",
        });
    }),
  );

const openEndedParams = z
  .object({
    kind: z.literal("openEnded"),
    amountPerPeriod: positiveAmount,
    periodS: bigintIn(
      1n,
      "must be >= 1 second (InvalidPeriod)",
      MAX_DURATION_S,
      "must be at most 100 years (InvalidPeriod)",
    ),
    startTs: z._default(z.optional(seconds), 0n),
    // Positive: the deposit is the contract's proof that `token` is a token (InvalidAmount).
    deposit: positiveAmount,
  })
  .check(
    z.superRefine((p, ctx) => {
      if (typeof p.periodS !== "bigint" || p.periodS < 1n || typeof p.amountPerPeriod !== "bigint") return; // reported above
      if (!rateWithinBounds(0n, p.amountPerPeriod, p.periodS))
        ctx.addIssue({
          code: "custom",
          path: ["amountPerPeriod"],
          message: "could overflow i128 accrual within 100 years (RateTooHigh)",
        });
    }),
  );

/** A schedule: `kind` is `linear`, `tranched`, `openEnded`, `linearIn` or `tranchedIn`. */
export const scheduleParams = z.discriminatedUnion(
  "kind",
  [linearParams, tranchedParams, openEndedParams, linearInParams, tranchedInParams],
  { error: 'must have kind "linear", "tranched", "openEnded", "linearIn" or "tranchedIn"' },
);

/** A stream reference: bytes (or a string, taken as UTF-8) of at most `MAX_REFERENCE_BYTES`. */
export const reference = z
  .pipe(
    z.union([z.custom<Uint8Array>((x) => x instanceof Uint8Array), z.string()], {
      error: "must be a Uint8Array or a string",
    }),
    z.transform(
      (r: Uint8Array | string): Uint8Array => (typeof r === "string" ? new TextEncoder().encode(r) : r),
    ),
  )
  .check(
    z.refine(
      (b: Uint8Array) => b.length <= MAX_REFERENCE_BYTES,
      `must be at most ${MAX_REFERENCE_BYTES} bytes (ReferenceTooLong)`,
    ),
  );

/** `CreateParams`. */
export const createParams = z.object({
  sender: address,
  recipient: address,
  token: contractAddress,
  schedule: scheduleParams,
  cancelable: z.boolean({ error: "must be a boolean" }),
  transferable: z.boolean({ error: "must be a boolean" }),
  reference: z.optional(reference),
});

/** A non-empty batch of at most `MAX_BATCH` items. */
export function batch<T extends z.ZodMiniType>(item: T, what: string) {
  return z
    .array(item)
    .check(
      z.minLength(1, `must hold at least one ${what} (EmptyBatch)`),
      z.maxLength(MAX_BATCH, `must hold at most ${MAX_BATCH} ${what}s (BatchTooLarge)`),
    );
}

/** A list of ids for reads and permissionless batches (may be empty where the contract allows it). */
export const idList = z
  .array(streamId)
  .check(z.maxLength(MAX_BATCH, `must hold at most ${MAX_BATCH} ids (BatchTooLarge)`));

/**
 * Parses `input` with `schema`; on failure throws one {@link ValidationError} that lists
 * every problem as `path: rule`, paths prefixed with the argument name.
 */
export function parse<T extends z.ZodMiniType>(
  method: string,
  schema: T,
  input: unknown,
  prefix?: string,
): z.output<T> {
  const r = z.safeParse(schema, input);
  if (r.success) return r.data;
  const issues: ValidationIssue[] = r.error.issues.map((i) => ({
    path: [prefix, ...i.path.map(String)].filter((x) => x !== undefined && x !== "").join("."),
    message: i.message,
  }));
  throw new ValidationError(method, issues);
}

/** Validates a whole argument object at once: `{ id, amount, ... }`. */
export function parseArgs<S extends Record<string, z.ZodMiniType>>(
  method: string,
  shape: S,
  args: unknown,
): z.output<z.ZodMiniObject<S>> {
  return parse(method, z.object(shape), args);
}
