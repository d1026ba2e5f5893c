/**
 * `@tributary/sdk`: a typed client for the Tributary stream contract on Stellar
 * Soroban, an exact bigint mirror of its accrual math, schedule builders,
 * discovery, event decoding, signers and network presets.
 *
 * @packageDocumentation
 */
export * from "./types.js";
export * from "./errors.js";
export * as accrual from "./accrual.js";
export { amountsAt, accruedAt, statusAt, depletionTs, runwayS, nextAccrualTs } from "./accrual.js";
export * from "./schedule.js";
export * from "./networks.js";
export * from "./client/index.js";
export * from "./signers/index.js";
