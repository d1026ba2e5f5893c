/**
 * The context object the transaction pipeline's steps read and fill in, one step per
 * file (`build`, `simulate`, `authorize`, `assemble`, `sign`, `send`, `confirm`), run
 * in that order by `submit` (see `pipeline.ts`).
 */

import type { Account, rpc, Transaction, xdr } from "@stellar/stellar-sdk";
import type { Network } from "../../networks.js";
import type { Signer } from "../../signers/signer.js";

/** Timeouts and retry budget. All optional. */
export interface TransactOptions {
  /** Per-HTTP-request timeout, ms. Default 30 000. */
  requestTimeoutMs?: number;
  /** How long to wait for a sent transaction to become final, ms. Default 60 000. */
  confirmTimeoutMs?: number;
  /** Transaction validity window from now, seconds (`setTimeout`). Default 60. */
  txTimeoutS?: number;
  /** Retries of transient failures per step. Default 3. */
  retries?: number;
  /** Fee per operation on top of the simulated resource fee, stroops. Default `BASE_FEE` (100). */
  inclusionFee?: string;
  /** First poll delay, ms (doubles up to 2 s). Default 250. */
  pollIntervalMs?: number;
  /**
   * Refuse (with `FeeTooHighError`, before signing) a write whose total fee, inclusion plus
   * the simulated resource fee (rent included), exceeds this many stroops. Default: no cap.
   */
  maxFeeStroops?: bigint;
}

/** {@link TransactOptions} with every default filled in. */
export type TxSettings = Required<Omit<TransactOptions, "maxFeeStroops">> & { maxFeeStroops?: bigint };

/** Fills in the defaults of {@link TransactOptions}. */
export function txSettings(opts: TransactOptions = {}): TxSettings {
  return {
    requestTimeoutMs: opts.requestTimeoutMs ?? 30_000,
    confirmTimeoutMs: opts.confirmTimeoutMs ?? 60_000,
    txTimeoutS: opts.txTimeoutS ?? 60,
    retries: opts.retries ?? 3,
    inclusionFee: opts.inclusionFee ?? "100",
    pollIntervalMs: opts.pollIntervalMs ?? 250,
    ...(opts.maxFeeStroops !== undefined ? { maxFeeStroops: opts.maxFeeStroops } : {}),
  };
}

/** Where transactions go and how patiently: shared by every submission of one client. */
export interface TxEnv {
  server: rpc.Server;
  network: Network;
  settings: TxSettings;
}

/** What to submit: one operation, signed by `signer` as the transaction source. */
export interface TxRequest {
  /** Names the call in errors, e.g. `"withdraw"` or `"uploadContractWasm"`. */
  label: string;
  /** Pays the fee and signs the envelope; authorizes as itself. */
  signer: Signer;
  /**
   * The operation, given the authorization entries to embed (none on the first build;
   * the signed entries when `authorize` re-builds).
   */
  operation: (auth?: xdr.SorobanAuthorizationEntry[]) => xdr.Operation;
  /** Signers of authorization entries for addresses other than the source. */
  authSigners?: Signer[];
  /**
   * The contract the operation invokes, when it is a stream contract call: a simulation
   * that finds no such function there is reported as `NotAStreamContractError`.
   */
  streamContractId?: string;
  /**
   * Extra read-write keys to declare, given the simulation (step 4, `reserve.ts`), and
   * the write bytes to add for them: stream creations reserve the next stream ids this way.
   */
  reserve?: (sim: rpc.Api.SimulateTransactionSuccessResponse) => {
    keys: xdr.LedgerKey[];
    writeBytes: number;
  };
}

/** One submission in flight: the request plus what each step has produced so far. */
export interface TxContext extends TxRequest {
  env: TxEnv;
  /** The source account's address. */
  source: string;
  /** True for `invokeHostFunction` (simulated, assembled); false for classic operations. */
  soroban: boolean;
  /** The source account with its current sequence number (`build`). */
  account?: Account;
  /** The transaction as built, before simulation (`build`, again by `authorize`). */
  tx?: Transaction;
  /** The successful simulation of `tx` (`simulate`). */
  sim?: rpc.Api.SimulateTransactionSuccessResponse;
  /** The keys and fee `reserve` added to the simulated footprint, if any. */
  reserved?: { keys: xdr.LedgerKey[]; writeBytes: number; fee: bigint };
  /** Ready to sign: resources and fee from the simulation (`assemble`). */
  prepared?: Transaction;
  /** Signed by the source (`sign`). */
  signed?: Transaction;
  /** The signed envelope's hash, hex (`sign`). */
  hash?: string;
  /** The final, successful `getTransaction` answer (`confirm`). */
  response?: rpc.Api.GetSuccessfulTransactionResponse;
}
