/**
 * `@tributary/sdk`: a typed client for the Tributary stream contract on Stellar
 * Soroban, an exact bigint mirror of its accrual math, schedule builders,
 * discovery, event decoding, signers and network presets.
 *
 * @packageDocumentation
 */

export * as accrual from "./accrual.js";
export { accruedAt, amountsAt, depletionTs, nextAccrualTs, runwayS, statusAt } from "./accrual.js";
export * from "./client/index.js";
export * from "./errors.js";
export * from "./networks.js";
export * from "./schedule.js";
export * from "./signers/index.js";
export { type TokenMetadata, TokenReader } from "./token.js";
export * from "./types.js";
export { loadStreamWasm, StreamWasmUnavailableError } from "./wasm.js";
