/**
 * The write options and outcome of `StreamClient` writes. The pipeline itself lives in
 * `tx/` (one file per step, see `tx/pipeline.ts`).
 */

import type { Signer } from "../signers/signer.js";
import type { Submitted } from "./tx/pipeline.js";

export type { TransactOptions } from "./tx/context.js";
export { isTransient } from "./tx/rpc-call.js";

/** Per-call options of a write. */
export interface WriteOptions {
  /**
   * Signers for authorizations the call needs from addresses other than the
   * transaction source (the client's signer): e.g. each other sender of a
   * `createBatch`, or the recipient when a relayer submits (and pays for) a withdrawal.
   * Each must implement `signAuthEntry`.
   */
  authSigners?: Signer[];
}

/** The outcome of a write. */
export interface WriteResult<T> extends Submitted {
  /** The entry point's return value, decoded. */
  result: T;
}
