/**
 * Signers: one interface ({@link Signer}) for a server-side {@link KeypairSigner}
 * and a browser {@link FreighterSigner}.
 *
 * @module signers
 */
export type { Signer } from "./signer.js";
export { KeypairSigner } from "./keypair.js";
export { FreighterSigner, type FreighterApi } from "./freighter.js";
