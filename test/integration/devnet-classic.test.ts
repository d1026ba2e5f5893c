// Classic operations behind real-world token failures, through the unmodified
// @stellar/stellar-sdk over HTTP: an issuer freezes and unfreezes a holder
// (SetTrustLineFlags) and the Stellar Asset Contract refuses a frozen holder's
// transfer; clawback needs the issuer's clawback flag; SetOptions adds a signer
// and raises thresholds so one key is no longer enough.

import {
  Asset,
  AuthClawbackEnabledFlag,
  AuthRevocableFlag,
  contract,
  Keypair,
  Operation,
  rpc,
} from "@stellar/stellar-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TransactionFailedError, TransactionRejectedError } from "../../sdk/src/errors.js";
import { type Devnet, startDevnet } from "../helpers/devnet.js";
import type { SpecClient } from "../helpers/spec-client.js";
import { type Submit, submitter } from "../helpers/submit.js";

let net: Devnet;
let server: rpc.Server;
let submit: Submit;

beforeAll(async () => {
  net = await startDevnet();
  server = new rpc.Server(net.rpcUrl, { allowHttp: true });
  submit = await submitter(net);
}, 20 * 60_000);

afterAll(async () => {
  await net?.stop();
});

async function funded(): Promise<Keypair> {
  const kp = Keypair.random();
  await server.requestAirdrop(kp.publicKey());
  return kp;
}

async function trustlineBalance(holder: Keypair, asset: Asset): Promise<bigint> {
  const entry = await server.getTrustline(holder.publicKey(), asset);
  return entry.balance().toBigInt();
}

async function sacTransfer(sacId: string, from: Keypair, to: Keypair, amount: bigint) {
  const sac = (await contract.Client.from({
    rpcUrl: net.rpcUrl,
    networkPassphrase: net.passphrase,
    allowHttp: true,
    publicKey: from.publicKey(),
    contractId: sacId,
    ...contract.basicNodeSigner(from, net.passphrase),
  })) as SpecClient;
  return sac.transfer({ from: from.publicKey(), to: to.publicKey(), amount });
}

describe("devnet classic operations", () => {
  it("freezes a holder: a SAC transfer fails while frozen and works again once unfrozen; clawback burns", async () => {
    const issuer = await funded();
    const [holder, other] = [await funded(), await funded()];
    await submit(issuer, Operation.setOptions({ setFlags: AuthRevocableFlag }));
    await submit(issuer, Operation.setOptions({ setFlags: AuthClawbackEnabledFlag }));
    const usd = new Asset("USD", issuer.publicKey());
    await submit(holder, Operation.changeTrust({ asset: usd }));
    await submit(other, Operation.changeTrust({ asset: usd }));
    await submit(issuer, Operation.payment({ destination: holder.publicKey(), asset: usd, amount: "100" }));
    await submit(issuer, Operation.createStellarAssetContract({ asset: usd }));
    const sacId = usd.contractId(net.passphrase);

    const first = await sacTransfer(sacId, holder, other, 10_000_000n);
    await first.signAndSend();
    expect(await trustlineBalance(other, usd)).toBe(10_000_000n);

    // Freeze: clear the holder's AUTHORIZED flag.
    await submit(
      issuer,
      Operation.setTrustLineFlags({ trustor: holder.publicKey(), asset: usd, flags: { authorized: false } }),
    );
    const frozen = await sacTransfer(sacId, holder, other, 10_000_000n);
    expect(frozen.simulation && rpc.Api.isSimulationError(frozen.simulation)).toBe(true);
    expect(await trustlineBalance(holder, usd)).toBe(990_000_000n);

    // Unfreeze, and the same transfer goes through.
    await submit(
      issuer,
      Operation.setTrustLineFlags({ trustor: holder.publicKey(), asset: usd, flags: { authorized: true } }),
    );
    await (await sacTransfer(sacId, holder, other, 10_000_000n)).signAndSend();
    expect(await trustlineBalance(other, usd)).toBe(20_000_000n);

    // Clawback: the trustline was created while the issuer had clawback enabled.
    await submit(issuer, Operation.clawback({ asset: usd, from: holder.publicKey(), amount: "30" }));
    expect(await trustlineBalance(holder, usd)).toBe(980_000_000n - 300_000_000n);
  });

  it("refuses clawback when the issuer never enabled it, and freezing without AUTH_REVOCABLE", async () => {
    const issuer = await funded();
    const holder = await funded();
    const eur = new Asset("EUR", issuer.publicKey());
    await submit(holder, Operation.changeTrust({ asset: eur }));
    await submit(issuer, Operation.payment({ destination: holder.publicKey(), asset: eur, amount: "5" }));

    // Applied and failed (the fee is charged), each with its operation's result code.
    const claw = submit(issuer, Operation.clawback({ asset: eur, from: holder.publicKey(), amount: "1" }));
    await expect(claw).rejects.toBeInstanceOf(TransactionFailedError);
    await expect(claw).rejects.toMatchObject({ opResultCode: "clawbackNotClawbackEnabled" });

    const freeze = submit(
      issuer,
      Operation.setTrustLineFlags({ trustor: holder.publicKey(), asset: eur, flags: { authorized: false } }),
    );
    await expect(freeze).rejects.toBeInstanceOf(TransactionFailedError);
    await expect(freeze).rejects.toMatchObject({ opResultCode: "setTrustLineFlagsCantRevoke" });
    expect(await trustlineBalance(holder, eur)).toBe(50_000_000n);
  });

  it("adds a signer and raises thresholds: one key is no longer enough, both keys are", async () => {
    const owner = await funded();
    const cosigner = Keypair.random();
    const to = await funded();
    await submit(
      owner,
      Operation.setOptions({
        signer: { ed25519PublicKey: cosigner.publicKey(), weight: 1 },
        lowThreshold: 2,
        medThreshold: 2,
        highThreshold: 2,
      }),
    );
    const pay = () => Operation.payment({ destination: to.publicKey(), asset: Asset.native(), amount: "1" });
    // Refused before it is applied: nothing charged, the sequence number unused.
    const alone = submit(owner, pay());
    await expect(alone).rejects.toBeInstanceOf(TransactionRejectedError);
    await expect(alone).rejects.toMatchObject({ resultCode: "txBadAuth" });
    await submit(owner, pay(), [cosigner]);
    const account = await server.getAccountEntry(owner.publicKey());
    expect(account.signers().map((s) => s.weight())).toEqual([1]);
    expect(account.numSubEntries()).toBe(1);
  });
});
