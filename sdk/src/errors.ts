/**
 * Every error the SDK throws. One class per failure, all extending
 * {@link TributaryError}, so callers can `instanceof` on exactly what they handle.
 *
 * Contract errors (`StreamError` in `contracts/stream/src/errors.rs`) are ABI: each
 * numeric code maps to one class below carrying the Rust doc text. The classes
 * between the markers are generated from errors.rs (see `test/errors.test.ts`,
 * which fails when the two drift).
 *
 * @module errors
 */

/** Base of every error this SDK throws. */
export class TributaryError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** One problem found by input validation: the field's path and the rule it broke. */
export interface ValidationIssue {
  /** Dotted path of the field, e.g. `schedule.tranches.2.unlockTs`. */
  path: string;
  /** The rule, e.g. `must be after schedule.startTs`. */
  message: string;
}

/** Inputs failed validation before anything was sent. Lists every problem. */
export class ValidationError extends TributaryError {
  readonly issues: ValidationIssue[];
  constructor(method: string, issues: ValidationIssue[]) {
    super(
      `${method}: invalid input: ${issues.map((i) => `${i.path || "(input)"}: ${i.message}`).join("; ")}`,
    );
    this.issues = issues;
  }
}

/** A contract call failed with one of the contract's `StreamError` codes. */
export class ContractError extends TributaryError {
  /** The numeric `StreamError` code (ABI). */
  readonly code: number;
  /** The Rust variant name, e.g. `AmountExceedsWithdrawable`. */
  readonly variant: string;
  constructor(code: number, variant: string, doc: string, context?: string) {
    super(`${variant} (${code}): ${doc}${context ? ` [${context}]` : ""}`);
    this.code = code;
    this.variant = variant;
  }
}

/** A contract error code this SDK version does not know (a newer contract?). */
export class UnknownContractError extends ContractError {
  constructor(code: number, context?: string) {
    super(code, "Unknown", "A contract error code unknown to this SDK version.", context);
  }
}

/**
 * SEP-41 / Stellar Asset Contract error codes, for errors raised by the token a
 * stream moves rather than by the stream contract (codes below 100).
 */
export const TOKEN_ERROR_NAMES: Readonly<Record<number, string>> = Object.freeze({
  1: "InternalError",
  2: "OperationNotSupportedError",
  3: "AlreadyInitializedError",
  4: "UnauthorizedError",
  5: "AuthenticationError",
  6: "AccountMissingError",
  7: "AccountIsNotClassic",
  8: "NegativeAmountError",
  9: "AllowanceError",
  10: "BalanceError (insufficient balance)",
  11: "BalanceDeauthorizedError",
  12: "OverflowError",
  13: "TrustlineMissingError",
});

/**
 * A contract error code outside the stream contract's ranges (100-499): raised by
 * the token contract the call moved funds through, e.g. the sender cannot pay a
 * deposit (`10`, insufficient balance) or a recipient has no trustline (`13`).
 */
export class TokenError extends TributaryError {
  readonly code: number;
  constructor(code: number, context?: string) {
    const name = TOKEN_ERROR_NAMES[code] ?? "unknown token error";
    super(
      `token contract error ${code}: ${name} (Stellar Asset Contract codes)${context ? ` [${context}]` : ""}`,
    );
    this.code = code;
  }
}

/**
 * The call needs authorization from an address other than the signer's account
 * (e.g. a withdrawal signed by the sender, not the recipient). Found in simulation,
 * before anything is sent; sign with that address's signer instead.
 */
export class AuthorizationError extends TributaryError {
  /** The addresses whose authorization the call needs. */
  readonly addresses: string[];
  constructor(method: string, signer: string, addresses: string[]) {
    super(`${method}: needs authorization by ${addresses.join(", ")}, but the signer is ${signer}`);
    this.addresses = addresses;
  }
}

/** Simulation failed for a reason other than a contract error (host trap, bad footprint, auth...). */
export class SimulationError extends TributaryError {
  readonly detail: string;
  constructor(method: string, detail: string) {
    super(`${method}: simulation failed: ${detail.split("\n")[0]}`);
    this.detail = detail;
  }
}

/** The RPC refused the transaction at submission (`sendTransaction` status ERROR). */
export class TransactionRejectedError extends TributaryError {
  readonly hash: string;
  /** The transaction result code, e.g. `txInsufficientBalance`. */
  readonly resultCode: string;
  constructor(method: string, hash: string, resultCode: string) {
    super(`${method}: transaction ${hash} rejected: ${resultCode}`);
    this.hash = hash;
    this.resultCode = resultCode;
  }
}

/** The transaction was included in a ledger and failed (no contract error code could be read). */
export class TransactionFailedError extends TributaryError {
  readonly hash: string;
  readonly ledger: number;
  constructor(method: string, hash: string, ledger: number, detail: string) {
    super(`${method}: transaction ${hash} failed in ledger ${ledger}: ${detail}`);
    this.hash = hash;
    this.ledger = ledger;
  }
}

/** The transaction's final status was not known before the deadline. It may still land. */
export class TransactionTimeoutError extends TributaryError {
  readonly hash: string;
  constructor(method: string, hash: string, timeoutMs: number) {
    super(
      `${method}: transaction ${hash} not final after ${timeoutMs} ms (it may still be applied; check getTransaction)`,
    );
    this.hash = hash;
  }
}

/** The RPC could not be reached or answered with an error, after retries. */
export class RpcError extends TributaryError {}

/** A value read from the chain did not have the shape this SDK expects. */
export class DecodeError extends TributaryError {}

/** The assembled transaction's fee exceeds the client's `maxFeeStroops`; nothing was signed or sent. */
export class FeeTooHighError extends TributaryError {
  /** The fee the transaction would pay (inclusion + resource fee), stroops. */
  readonly fee: bigint;
  readonly maxFee: bigint;
  constructor(method: string, fee: bigint, maxFee: bigint) {
    super(`${method}: fee ${fee} stroops exceeds maxFeeStroops ${maxFee}; nothing was sent`);
    this.fee = fee;
    this.maxFee = maxFee;
  }
}

/** The signer's account does not exist on this network (fund it first). */
export class AccountNotFoundError extends TributaryError {
  readonly address: string;
  constructor(address: string) {
    super(`account ${address} does not exist on this network; fund it first`);
    this.address = address;
  }
}

/** A write was attempted without a signer. */
export class NoSignerError extends TributaryError {
  constructor(method: string) {
    super(`${method}: this client has no signer; pass { signer } to StreamClient`);
  }
}

/** The wallet is on a different network than the client. */
export class NetworkMismatchError extends TributaryError {
  readonly expected: string;
  readonly actual: string;
  constructor(expected: string, actual: string) {
    super(`wallet network passphrase "${actual}" does not match the client's "${expected}"`);
    this.expected = expected;
    this.actual = actual;
  }
}

/** The wallet (Freighter) is missing, refused, or returned an error. */
export class WalletError extends TributaryError {}

// BEGIN GENERATED contract errors (from contracts/stream/src/errors.rs)
/** Contract error 100 `InvalidAmount`: An amount is zero or negative where a positive amount is required. */
export class InvalidAmountError extends ContractError {
  static readonly code = 100;
  constructor(context?: string) {
    super(
      100,
      "InvalidAmount",
      "An amount is zero or negative where a positive amount is required.",
      context,
    );
  }
}

/** Contract error 101 `InvalidTimeRange`: A linear stream's `end_ts` is not after its `start_ts`. */
export class InvalidTimeRangeError extends ContractError {
  static readonly code = 101;
  constructor(context?: string) {
    super(101, "InvalidTimeRange", "A linear stream's `end_ts` is not after its `start_ts`.", context);
  }
}

/** Contract error 102 `InvalidCliff`: A linear stream's `cliff_ts` lies outside `[start_ts, end_ts]`. */
export class InvalidCliffError extends ContractError {
  static readonly code = 102;
  constructor(context?: string) {
    super(102, "InvalidCliff", "A linear stream's `cliff_ts` lies outside `[start_ts, end_ts]`.", context);
  }
}

/** Contract error 103 `DurationTooLong`: A schedule spans more than 100 years (`MAX_DURATION_S`). */
export class DurationTooLongError extends ContractError {
  static readonly code = 103;
  constructor(context?: string) {
    super(103, "DurationTooLong", "A schedule spans more than 100 years (`MAX_DURATION_S`).", context);
  }
}

/** Contract error 104 `InvalidTrancheCount`: A tranched stream has no tranches, or more than `MAX_TRANCHES`. */
export class InvalidTrancheCountError extends ContractError {
  static readonly code = 104;
  constructor(context?: string) {
    super(
      104,
      "InvalidTrancheCount",
      "A tranched stream has no tranches, or more than `MAX_TRANCHES`.",
      context,
    );
  }
}

/** Contract error 105 `TranchesNotIncreasing`: Tranche unlock times are not strictly increasing, or the first is before `start_ts`. */
export class TranchesNotIncreasingError extends ContractError {
  static readonly code = 105;
  constructor(context?: string) {
    super(
      105,
      "TranchesNotIncreasing",
      "Tranche unlock times are not strictly increasing, or the first is before `start_ts`.",
      context,
    );
  }
}

/** Contract error 106 `InvalidTrancheSum`: Tranche amounts do not sum to a positive deposit that fits in i128. */
export class InvalidTrancheSumError extends ContractError {
  static readonly code = 106;
  constructor(context?: string) {
    super(
      106,
      "InvalidTrancheSum",
      "Tranche amounts do not sum to a positive deposit that fits in i128.",
      context,
    );
  }
}

/** Contract error 107 `InvalidPeriod`: An open-ended stream's `period_s` is zero or longer than 100 years. */
export class InvalidPeriodError extends ContractError {
  static readonly code = 107;
  constructor(context?: string) {
    super(
      107,
      "InvalidPeriod",
      "An open-ended stream's `period_s` is zero or longer than 100 years.",
      context,
    );
  }
}

/** Contract error 108 `RateTooHigh`: The rate could overflow i128 accrual within 100 years. */
export class RateTooHighError extends ContractError {
  static readonly code = 108;
  constructor(context?: string) {
    super(108, "RateTooHigh", "The rate could overflow i128 accrual within 100 years.", context);
  }
}

/** Contract error 109 `EmptyBatch`: A batch is empty. */
export class EmptyBatchError extends ContractError {
  static readonly code = 109;
  constructor(context?: string) {
    super(109, "EmptyBatch", "A batch is empty.", context);
  }
}

/** Contract error 110 `BatchTooLarge`: A batch has more than `MAX_BATCH` items. */
export class BatchTooLargeError extends ContractError {
  static readonly code = 110;
  constructor(context?: string) {
    super(110, "BatchTooLarge", "A batch has more than `MAX_BATCH` items.", context);
  }
}

/** Contract error 111 `StartInPast`: An open-ended stream's `start_ts` is in the past. */
export class StartInPastError extends ContractError {
  static readonly code = 111;
  constructor(context?: string) {
    super(111, "StartInPast", "An open-ended stream's `start_ts` is in the past.", context);
  }
}

/** Contract error 112 `InvalidRecipient`: A transfer names the current recipient. */
export class InvalidRecipientError extends ContractError {
  static readonly code = 112;
  constructor(context?: string) {
    super(112, "InvalidRecipient", "A transfer names the current recipient.", context);
  }
}

/** Contract error 113 `AmountExceedsWithdrawable`: A withdrawal asks for more than is withdrawable now. */
export class AmountExceedsWithdrawableError extends ContractError {
  static readonly code = 113;
  constructor(context?: string) {
    super(113, "AmountExceedsWithdrawable", "A withdrawal asks for more than is withdrawable now.", context);
  }
}

/** Contract error 114 `AmountExceedsRefundable`: A refund asks for more than the unaccrued balance. */
export class AmountExceedsRefundableError extends ContractError {
  static readonly code = 114;
  constructor(context?: string) {
    super(114, "AmountExceedsRefundable", "A refund asks for more than the unaccrued balance.", context);
  }
}

/** Contract error 115 `AmountExceedsDebt`: A top-up of a canceled stream exceeds its outstanding debt. */
export class AmountExceedsDebtError extends ContractError {
  static readonly code = 115;
  constructor(context?: string) {
    super(115, "AmountExceedsDebt", "A top-up of a canceled stream exceeds its outstanding debt.", context);
  }
}

/** Contract error 116 `DestinationIsContract`: A recipient, withdrawal target or transfer target is this contract itself (the funds would be stranded). */
export class DestinationIsContractError extends ContractError {
  static readonly code = 116;
  constructor(context?: string) {
    super(
      116,
      "DestinationIsContract",
      "A recipient, withdrawal target or transfer target is this contract itself (the funds would be stranded).",
      context,
    );
  }
}

/** Contract error 117 `InvalidUnlockAmounts`: A linear stream's unlock amounts are negative or add up to more than its deposit. */
export class InvalidUnlockAmountsError extends ContractError {
  static readonly code = 117;
  constructor(context?: string) {
    super(
      117,
      "InvalidUnlockAmounts",
      "A linear stream's unlock amounts are negative or add up to more than its deposit.",
      context,
    );
  }
}

/** Contract error 118 `ReferenceTooLong`: A stream's `reference` is longer than `MAX_REFERENCE_BYTES`. */
export class ReferenceTooLongError extends ContractError {
  static readonly code = 118;
  constructor(context?: string) {
    super(118, "ReferenceTooLong", "A stream's `reference` is longer than `MAX_REFERENCE_BYTES`.", context);
  }
}

/** Contract error 200 `NotSenderOrRecipient`: The caller is neither the stream's sender nor its recipient. */
export class NotSenderOrRecipientError extends ContractError {
  static readonly code = 200;
  constructor(context?: string) {
    super(
      200,
      "NotSenderOrRecipient",
      "The caller is neither the stream's sender nor its recipient.",
      context,
    );
  }
}

/** Contract error 300 `StreamNotFound`: No stream has this id. */
export class StreamNotFoundError extends ContractError {
  static readonly code = 300;
  constructor(context?: string) {
    super(300, "StreamNotFound", "No stream has this id.", context);
  }
}

/** Contract error 301 `NotCancelable`: The stream is not cancelable (created so, or renounced): no cancel, pause, lower rate, refund or void. */
export class NotCancelableError extends ContractError {
  static readonly code = 301;
  constructor(context?: string) {
    super(
      301,
      "NotCancelable",
      "The stream is not cancelable (created so, or renounced): no cancel, pause, lower rate, refund or void.",
      context,
    );
  }
}

/** Contract error 302 `NotTransferable`: The stream is not transferable. */
export class NotTransferableError extends ContractError {
  static readonly code = 302;
  constructor(context?: string) {
    super(302, "NotTransferable", "The stream is not transferable.", context);
  }
}

/** Contract error 303 `StreamCanceled`: The stream has been canceled. */
export class StreamCanceledError extends ContractError {
  static readonly code = 303;
  constructor(context?: string) {
    super(303, "StreamCanceled", "The stream has been canceled.", context);
  }
}

/** Contract error 304 `NotOpenEnded`: The operation is only for open-ended streams. */
export class NotOpenEndedError extends ContractError {
  static readonly code = 304;
  constructor(context?: string) {
    super(304, "NotOpenEnded", "The operation is only for open-ended streams.", context);
  }
}

/** Contract error 305 `StreamPaused`: The stream is paused. */
export class StreamPausedError extends ContractError {
  static readonly code = 305;
  constructor(context?: string) {
    super(305, "StreamPaused", "The stream is paused.", context);
  }
}

/** Contract error 306 `NotPaused`: The stream is not paused. */
export class NotPausedError extends ContractError {
  static readonly code = 306;
  constructor(context?: string) {
    super(306, "NotPaused", "The stream is not paused.", context);
  }
}

/** Contract error 307 `StreamCompleted`: Everything has already accrued: there is nothing left to cancel. */
export class StreamCompletedError extends ContractError {
  static readonly code = 307;
  constructor(context?: string) {
    super(
      307,
      "StreamCompleted",
      "Everything has already accrued: there is nothing left to cancel.",
      context,
    );
  }
}

/** Contract error 308 `PaymentFailed`: The token transfer to the recipient failed (no trustline, frozen, ...). */
export class PaymentFailedError extends ContractError {
  static readonly code = 308;
  constructor(context?: string) {
    super(
      308,
      "PaymentFailed",
      "The token transfer to the recipient failed (no trustline, frozen, ...).",
      context,
    );
  }
}

/** Contract error 309 `TransferShortfall`: The contract received less than the amount transferred in (a fee-on-transfer or rebasing token). */
export class TransferShortfallError extends ContractError {
  static readonly code = 309;
  constructor(context?: string) {
    super(
      309,
      "TransferShortfall",
      "The contract received less than the amount transferred in (a fee-on-transfer or rebasing token).",
      context,
    );
  }
}

/** Contract error 310 `StreamVoided`: The stream has been voided. */
export class StreamVoidedError extends ContractError {
  static readonly code = 310;
  constructor(context?: string) {
    super(310, "StreamVoided", "The stream has been voided.", context);
  }
}

/** Contract error 400 `Overflow`: An amount does not fit in i128. */
export class OverflowError extends ContractError {
  static readonly code = 400;
  constructor(context?: string) {
    super(400, "Overflow", "An amount does not fit in i128.", context);
  }
}

export const CONTRACT_ERRORS: Readonly<Record<number, new (context?: string) => ContractError>> =
  Object.freeze({
    100: InvalidAmountError,
    101: InvalidTimeRangeError,
    102: InvalidCliffError,
    103: DurationTooLongError,
    104: InvalidTrancheCountError,
    105: TranchesNotIncreasingError,
    106: InvalidTrancheSumError,
    107: InvalidPeriodError,
    108: RateTooHighError,
    109: EmptyBatchError,
    110: BatchTooLargeError,
    111: StartInPastError,
    112: InvalidRecipientError,
    113: AmountExceedsWithdrawableError,
    114: AmountExceedsRefundableError,
    115: AmountExceedsDebtError,
    116: DestinationIsContractError,
    117: InvalidUnlockAmountsError,
    118: ReferenceTooLongError,
    200: NotSenderOrRecipientError,
    300: StreamNotFoundError,
    301: NotCancelableError,
    302: NotTransferableError,
    303: StreamCanceledError,
    304: NotOpenEndedError,
    305: StreamPausedError,
    306: NotPausedError,
    307: StreamCompletedError,
    308: PaymentFailedError,
    309: TransferShortfallError,
    310: StreamVoidedError,
    400: OverflowError,
  });
// END GENERATED

/**
 * The named error class for a contract error code: a {@link ContractError} subclass
 * for the stream contract's codes (100-499; {@link UnknownContractError} for an
 * unknown one in that range), a {@link TokenError} below 100.
 */
export function contractError(code: number, context?: string): ContractError | TokenError {
  if (code < 100) return new TokenError(code, context);
  const Cls = CONTRACT_ERRORS[code];
  return Cls ? new Cls(context) : new UnknownContractError(code, context);
}

/**
 * Finds a contract error code in a host diagnostic string, e.g.
 * `HostError: Error(Contract, #113)`; `null` when there is none.
 */
export function parseContractErrorCode(text: string): number | null {
  const m = /Error\(Contract, #(\d+)\)/.exec(text);
  return m ? Number(m[1]) : null;
}
