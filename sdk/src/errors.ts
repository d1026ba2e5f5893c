/**
 * Every error the SDK throws. One class per failure, all extending
 * {@link TributaryError}, so callers can `instanceof` on exactly what they handle.
 *
 * Contract errors (`StreamError` in `contracts/stream/src/errors.rs`) are ABI: each
 * numeric code maps to one class carrying the Rust doc text. Those classes live in
 * `generated/contract-errors.ts`, written from the contract by
 * `contracts/stream/src/test/generated.rs` (a test that fails when they drift), and
 * are re-exported here.
 *
 * @module errors
 */

import { ContractError, TributaryError } from "./errors-base.js";
import { CONTRACT_ERRORS } from "./generated/contract-errors.js";

export { ContractError, TributaryError } from "./errors-base.js";
export * from "./generated/contract-errors.js";

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

/**
 * The transaction was included in a ledger and failed for a reason other than a
 * contract error: `resultCode` is the transaction's (`txFailed`), `opResultCode` the
 * operation's (e.g. `invokeHostFunctionEntryArchived`). The fee was charged.
 */
export class TransactionFailedError extends TributaryError {
  readonly hash: string;
  readonly ledger: number;
  /** The transaction result code, e.g. `txFailed`. */
  readonly resultCode: string;
  /** The operation result code, e.g. `invokeHostFunctionResourceLimitExceeded`, when there is one. */
  readonly opResultCode: string | undefined;
  constructor(method: string, hash: string, ledger: number, resultCode: string, opResultCode?: string) {
    super(
      `${method}: transaction ${hash} failed in ledger ${ledger}: ${resultCode}${opResultCode ? ` / ${opResultCode}` : ""}`,
    );
    this.hash = hash;
    this.ledger = ledger;
    this.resultCode = resultCode;
    this.opResultCode = opResultCode;
  }
}

/**
 * The transaction touched a ledger entry its footprint did not declare
 * (`invokeHostFunctionTrapped`, host error `Storage, ExceededLimit`): the state it was
 * simulated against changed before it applied. The fee was charged. For stream
 * creations see {@link CreateRaceError}; other calls can simply be sent again.
 */
export class OutsideFootprintError extends TransactionFailedError {}

/**
 * A `create` or `createBatch` lost the race for the next stream ids twice: other
 * creations in the same contract took every id it had reserved (the `reserveIds`
 * option), in the ledger it first landed in and again after it was simulated and sent
 * once more. Both fees were charged and no stream was created. Send it again, or with a
 * larger `reserveIds` when many creators race.
 */
export class CreateRaceError extends TributaryError {
  /** The failed transactions' hashes, in order. */
  readonly hashes: string[];
  /** How many ids past the simulated ones each attempt reserved. */
  readonly reserveIds: number;
  constructor(method: string, hashes: string[], reserveIds: number) {
    super(
      `${method}: other creations took the stream ids this one reserved (${reserveIds} past the simulated ones), twice; transactions ${hashes.join(", ")} failed, fees charged, nothing created`,
    );
    this.hashes = hashes;
    this.reserveIds = reserveIds;
  }
}

/**
 * The transaction ran out of the resources it declared (`invokeHostFunctionResourceLimitExceeded`):
 * the network charged the fee and applied nothing. Usually the simulation underestimated
 * the work (e.g. a batch whose payouts all failed and were caught); retrying the same call
 * simulates again, a smaller batch needs fewer resources.
 */
export class ResourceLimitExceededError extends TransactionFailedError {
  constructor(method: string, hash: string, ledger: number) {
    super(method, hash, ledger, "txFailed", "invokeHostFunctionResourceLimitExceeded");
  }
}

/**
 * The client's `contractId` is not a Tributary stream contract: the host found no such
 * function there (another contract, e.g. a token) or no contract at all.
 */
export class NotAStreamContractError extends TributaryError {
  readonly contractId: string;
  /** Why, e.g. "it is a Stellar Asset Contract (a token)". */
  readonly reason: string;
  constructor(contractId: string, method: string, reason: string) {
    super(`${method}: ${contractId} is not a Tributary stream contract: ${reason}`);
    this.contractId = contractId;
    this.reason = reason;
  }
}

/**
 * A contract the stream contract called as a token lacks a SEP-41 function (e.g. a
 * contract that is not a token was passed as `token`): found in simulation, nothing sent.
 */
export class NotATokenError extends TributaryError {
  /** The contract passed as the token. */
  readonly tokenId: string;
  /** The function it lacks, e.g. `"balance"` or `"transfer"`. */
  readonly missingFunction: string;
  constructor(method: string, tokenId: string, missingFunction: string) {
    super(
      `${method}: ${tokenId} is not a SEP-41 token: it has no \`${missingFunction}\` function, which the stream contract called`,
    );
    this.tokenId = tokenId;
    this.missingFunction = missingFunction;
  }
}

/** Why an address cannot receive a token (see `StreamClient.canReceive`). */
export type ReceiveProblem =
  | "accountMissing"
  | "trustlineMissing"
  | "trustlineNotAuthorized"
  | "balanceNotAuthorized";

/**
 * `createBatch` / `create` with `checkRecipients`: some recipients cannot be paid in the
 * stream's token, so nothing was sent. Lists each one with its index and problem.
 */
export class RecipientCannotReceiveError extends TributaryError {
  readonly recipients: { index: number; address: string; token: string; problem: ReceiveProblem }[];
  constructor(
    method: string,
    recipients: { index: number; address: string; token: string; problem: ReceiveProblem }[],
  ) {
    super(
      `${method}: ${recipients.length} recipient(s) cannot receive the token; nothing was sent: ${recipients
        .map((r) => `params.${r.index}.recipient ${r.address}: ${r.problem}`)
        .join("; ")}`,
    );
    this.recipients = recipients;
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

/**
 * The RPC did not answer within the request timeout (`requestTimeoutMs`), after retries:
 * it accepted the connection and sent nothing back in time.
 */
export class RpcTimeoutError extends RpcError {
  /** The per-request timeout that passed, ms (when the HTTP client reported it). */
  readonly timeoutMs: number | undefined;
  constructor(method: string, timeoutMs: number | undefined, options?: { cause?: unknown }) {
    super(
      `${method}: the RPC did not answer within ${timeoutMs === undefined ? "the request timeout" : `${timeoutMs} ms`}`,
      options,
    );
    this.timeoutMs = timeoutMs;
  }
}

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
