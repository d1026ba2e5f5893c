/**
 * Signers: one interface ({@link Signer}) for a server-side {@link KeypairSigner}
 * and a browser {@link FreighterSigner}.
 *
 * @module signers
 */

export { type FreighterApi, FreighterSigner } from "./freighter.js";
export { KeypairSigner } from "./keypair.js";
export type { Signer } from "./signer.js";
