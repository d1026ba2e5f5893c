import { hash, Keypair, TransactionBuilder } from "@stellar/stellar-sdk";
import { Buffer } from "buffer";
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

  async signAuthEntry(preimageXdr: string, _opts: { networkPassphrase: string }): Promise<string> {
    // The preimage embeds the network id, so the passphrase is already bound in.
    return this.#keypair.sign(hash(Buffer.from(preimageXdr, "base64"))).toString("base64");
  }
}
