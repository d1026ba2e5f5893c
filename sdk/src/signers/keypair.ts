import { Keypair, TransactionBuilder } from "@stellar/stellar-sdk";
import type { Signer } from "./signer.js";

/**
 * Signs with a secret key held in memory: for servers, keepers and tests. Never
 * ship a secret key to a browser; use {@link FreighterSigner} there.
 */
export class KeypairSigner implements Signer {
  readonly #keypair: Keypair;

  constructor(keypair: Keypair) {
    this.#keypair = keypair;
  }

  /** From an `S...` secret. */
  static fromSecret(secret: string): KeypairSigner {
    return new KeypairSigner(Keypair.fromSecret(secret));
  }

  async publicKey(): Promise<string> {
    return this.#keypair.publicKey();
  }

  async signTransaction(xdr: string, opts: { networkPassphrase: string }): Promise<string> {
    const tx = TransactionBuilder.fromXDR(xdr, opts.networkPassphrase);
    tx.sign(this.#keypair);
    return tx.toXDR();
  }
}
