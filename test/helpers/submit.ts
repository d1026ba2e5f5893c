// The one way the root integration tests submit a transaction: the SDK's pipeline (build,
// simulate, authorize, assemble, sign, send, confirm: sdk/src/client/tx/) through its devnet
// helper, at this commit's source. A refusal throws the SDK's typed error, so a test asserts
// the one it expects by class and code: `TransactionRejectedError` (`resultCode`, e.g.
// `txBadAuth`: never applied), `TransactionFailedError` (`opResultCode`, e.g.
// `clawbackNotClawbackEnabled`: applied and failed, fee charged), a contract error.
//
//   const submit = await submitter(net);
//   const { response } = await submit(alice, Operation.uploadContractWasm({ wasm }));
//   await submit(owner, Operation.payment(...), [cosigner]); // more signatures on the envelope

import { type Keypair, TransactionBuilder, type xdr } from "@stellar/stellar-sdk";
import type { Submitted } from "../../sdk/src/client/tx/pipeline.js";
import { Devnet as SdkDevnet } from "../../sdk/src/devnet/index.js";
import type { Signer } from "../../sdk/src/signers/signer.js";
import type { Devnet } from "./devnet.js";

export type { Submitted };

/** Submits `op` with `source` as the transaction source, the envelope signed by it and `cosigners`. */
export type Submit = (source: Keypair, op: xdr.Operation, cosigners?: Keypair[]) => Promise<Submitted>;

/**
 * Signs the envelope with every key (the first is the source), for multi-signature accounts.
 * No `signAuthEntry`: these submissions authorize as their source only.
 */
class EnvelopeSigners implements Signer {
  constructor(private readonly keys: [Keypair, ...Keypair[]]) {}

  async publicKey(): Promise<string> {
    return this.keys[0].publicKey();
  }

  async signTransaction(envelope: string, opts: { networkPassphrase: string }): Promise<string> {
    const tx = TransactionBuilder.fromXDR(envelope, opts.networkPassphrase);
    tx.sign(...this.keys);
    return tx.toXDR();
  }
}

/** A {@link Submit} on a devnet this process started (the SDK's devnet helper connected to it). */
export async function submitter(net: Devnet): Promise<Submit> {
  const dev = await SdkDevnet.connect({
    rpcUrl: net.rpcUrl,
    passphrase: net.passphrase,
    friendbotUrl: net.friendbotUrl,
  });
  return (source, op, cosigners = []) => dev.submit(new EnvelopeSigners([source, ...cosigners]), op);
}
