/**
 * The two base classes every other error module builds on, apart so that the generated
 * contract error classes can extend {@link ContractError} without an import cycle with
 * `errors.ts`.
 *
 * @module
 */

/** Base of every error this SDK throws. */
export class TributaryError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
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
