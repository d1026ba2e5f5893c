import type { contract } from "@stellar/stellar-sdk";

/**
 * A `contract.Client` with the methods it builds at runtime from a contract's spec
 * (`client.create(...)`, `sac.transfer(...)`), for tests that drive contracts through
 * `@stellar/stellar-sdk` directly rather than through our SDK.
 */
// biome-ignore lint/suspicious/noExplicitAny: those methods exist only at runtime, so they have no static types
export type SpecClient = contract.Client & Record<string, any>;
