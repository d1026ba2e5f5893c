// The Keypair signer for real, and the Freighter signer against a FAKE wallet: the
// browser extension cannot run here, so `FreighterApi` is a stub that answers like
// @stellar/freighter-api 6 and signs with a local key. Everything else is real.

import { Account, hash, Keypair, Networks, Operation, TransactionBuilder } from "@stellar/stellar-sdk";
import { describe, expect, it } from "vitest";
import { NetworkMismatchError, WalletError } from "../../src/errors.js";
import { type FreighterApi, FreighterSigner } from "../../src/signers/freighter.js";
import { KeypairSigner } from "../../src/signers/keypair.js";

const kp = Keypair.random();
const unsigned = (passphrase: string) =>
  new TransactionBuilder(new Account(kp.publicKey(), "1"), { fee: "100", networkPassphrase: passphrase })
    .addOperation(Operation.bumpSequence({ bumpTo: "5" }))
    .setTimeout(30)
    .build()
    .toXDR();

function verifies(signedXdr: string, passphrase: string): boolean {
  const tx = TransactionBuilder.fromXDR(signedXdr, passphrase);
  return tx.signatures.length === 1 && kp.verify(tx.hash(), tx.signatures[0]!.signature());
}

function fakeWallet(
  over: Partial<{ passphrase: string; connected: boolean; signError: string }> = {},
): FreighterApi & { signed: number } {
  const local = new KeypairSigner(kp);
  const passphrase = over.passphrase ?? Networks.TESTNET;
  const api = {
    signed: 0,
    isConnected: async () => ({ isConnected: over.connected ?? true }),
    requestAccess: async () => ({ address: kp.publicKey() }),
    getNetworkDetails: async () => ({
      network: "TESTNET",
      networkPassphrase: passphrase,
      sorobanRpcUrl: "https://soroban-testnet.stellar.org",
    }),
    signTransaction: async (xdr: string, opts?: { networkPassphrase?: string }) => {
      if (over.signError)
        return { signedTxXdr: "", signerAddress: "", error: { code: -4, message: over.signError } };
      api.signed++;
      return {
        signedTxXdr: await local.signTransaction(xdr, { networkPassphrase: opts!.networkPassphrase! }),
        signerAddress: kp.publicKey(),
      };
    },
    signAuthEntry: async (entryXdr: string, opts?: { networkPassphrase?: string }) => {
      api.signed++;
      return {
        signedAuthEntry: await local.signAuthEntry(entryXdr, { networkPassphrase: opts!.networkPassphrase! }),
        signerAddress: kp.publicKey(),
      };
    },
  };
  return api;
}

describe("KeypairSigner", () => {
  it("signs over the given network passphrase", async () => {
    const s = new KeypairSigner(kp);
    expect(await s.publicKey()).toBe(kp.publicKey());
    const signed = await s.signTransaction(unsigned(Networks.STANDALONE), {
      networkPassphrase: Networks.STANDALONE,
    });
    expect(verifies(signed, Networks.STANDALONE)).toBe(true);
    expect(verifies(signed, Networks.TESTNET)).toBe(false);
    expect(await KeypairSigner.fromSecret(kp.secret()).publicKey()).toBe(kp.publicKey());
  });
});

describe("FreighterSigner (fake wallet)", () => {
  it("signs when the wallet is on the client's network", async () => {
    const wallet = fakeWallet();
    const s = new FreighterSigner(Networks.TESTNET, wallet);
    expect(await s.publicKey()).toBe(kp.publicKey());
    const signed = await s.signTransaction(unsigned(Networks.TESTNET), {
      networkPassphrase: Networks.TESTNET,
    });
    expect(verifies(signed, Networks.TESTNET)).toBe(true);
    expect(wallet.signed).toBe(1);
  });

  it("signs authorization entries over the hash of the preimage", async () => {
    const s = new FreighterSigner(Networks.TESTNET, fakeWallet());
    const preimage = Buffer.from("preimage bytes").toString("base64");
    const sig = Buffer.from(
      await s.signAuthEntry(preimage, { networkPassphrase: Networks.TESTNET }),
      "base64",
    );
    expect(kp.verify(hash(Buffer.from(preimage, "base64")), sig)).toBe(true);
    await expect(
      new FreighterSigner(Networks.TESTNET, fakeWallet({ passphrase: Networks.PUBLIC })).signAuthEntry(
        preimage,
        { networkPassphrase: Networks.TESTNET },
      ),
    ).rejects.toBeInstanceOf(NetworkMismatchError);
  });

  it("refuses to ask for a signature when the wallet is on another network", async () => {
    const wallet = fakeWallet({ passphrase: Networks.PUBLIC });
    const s = new FreighterSigner(Networks.TESTNET, wallet);
    const err = await s
      .signTransaction(unsigned(Networks.TESTNET), { networkPassphrase: Networks.TESTNET })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NetworkMismatchError);
    expect(err).toMatchObject({ expected: Networks.TESTNET, actual: Networks.PUBLIC });
    expect(wallet.signed).toBe(0);
  });

  it("refuses a transaction for a network other than its own", async () => {
    const s = new FreighterSigner(Networks.TESTNET, fakeWallet());
    await expect(
      s.signTransaction(unsigned(Networks.PUBLIC), { networkPassphrase: Networks.PUBLIC }),
    ).rejects.toBeInstanceOf(NetworkMismatchError);
  });

  it("reports a missing wallet and a user's refusal as WalletError", async () => {
    await expect(
      new FreighterSigner(Networks.TESTNET, fakeWallet({ connected: false })).publicKey(),
    ).rejects.toBeInstanceOf(WalletError);
    const refused = new FreighterSigner(Networks.TESTNET, fakeWallet({ signError: "User declined access" }));
    await expect(
      refused.signTransaction(unsigned(Networks.TESTNET), { networkPassphrase: Networks.TESTNET }),
    ).rejects.toThrow(/User declined access/);
  });
});
