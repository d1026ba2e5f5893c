// Classic operations behind real-world token failures, through the unmodified
// @stellar/stellar-sdk over HTTP: an issuer freezes and unfreezes a holder
// (SetTrustLineFlags) and the Stellar Asset Contract refuses a frozen holder's
// transfer; clawback needs the issuer's clawback flag; SetOptions adds a signer
// and raises thresholds so one key is no longer enough.

import {
  Asset,
  AuthClawbackEnabledFlag,
  AuthRevocableFlag,
  BASE_FEE,
  contract,
  Keypair,
  Operation,
  rpc,
  TransactionBuilder,
  type xdr,
} from "@stellar/stellar-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Devnet, startDevnet } from "../helpers/devnet.js";
import type { SpecClient } from "../helpers/spec-client.js";

let net: Devnet;
let server: rpc.Server;

beforeAll(async () => {
  net = await startDevnet();
  server = new rpc.Server(net.rpcUrl, { allowHttp: true });
}, 20 * 60_000);

afterAll(async () => {
  await net?.stop();
});

async function funded(): Promise<Keypair> {
  const kp = Keypair.random();
  await server.requestAirdrop(kp.publicKey());
  return kp;
}

/** Builds, prepares when Soroban, signs with `signers` and sends; the send answer and the final status. */
async function submit(source: Keypair, op: xdr.Operation, signers: Keypair[] = [source]) {
  const account = await server.getAccount(source.publicKey());
  const built = new TransactionBuilder(account, { fee: BASE_FEE, networkPassphrase: net.passphrase })
    .addOperation(op)
    .setTimeout(30)
    .build();
  const prepared =
    op.body().switch().name === "invokeHostFunction" ? await server.prepareTransaction(built) : built;
  for (const s of signers) prepared.sign(s);
  const sent = await server.sendTransaction(prepared);
  if (sent.status !== "PENDING") return { sent, final: undefined };
  return { sent, final: await server.pollTransaction(sent.hash, { attempts: 20 }) };
}

async function ok(source: Keypair, op: xdr.Operation, signers?: Keypair[]) {
  const { sent, final } = await submit(source, op, signers);
  expect(final?.status, `${op.body().switch().name}: ${sent.status}`).toBe(
    rpc.Api.GetTransactionStatus.SUCCESS,
  );
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
    await ok(issuer, Operation.setOptions({ setFlags: AuthRevocableFlag }));
    await ok(issuer, Operation.setOptions({ setFlags: AuthClawbackEnabledFlag }));
    const usd = new Asset("USD", issuer.publicKey());
    await ok(holder, Operation.changeTrust({ asset: usd }));
    await ok(other, Operation.changeTrust({ asset: usd }));
    await ok(issuer, Operation.payment({ destination: holder.publicKey(), asset: usd, amount: "100" }));
    await ok(issuer, Operation.createStellarAssetContract({ asset: usd }));
    const sacId = usd.contractId(net.passphrase);

    const first = await sacTransfer(sacId, holder, other, 10_000_000n);
    await first.signAndSend();
    expect(await trustlineBalance(other, usd)).toBe(10_000_000n);

    // Freeze: clear the holder's AUTHORIZED flag.
    await ok(
      issuer,
      Operation.setTrustLineFlags({ trustor: holder.publicKey(), asset: usd, flags: { authorized: false } }),
    );
    const frozen = await sacTransfer(sacId, holder, other, 10_000_000n);
    expect(frozen.simulation && rpc.Api.isSimulationError(frozen.simulation)).toBe(true);
    expect(await trustlineBalance(holder, usd)).toBe(990_000_000n);

    // Unfreeze, and the same transfer goes through.
    await ok(
      issuer,
      Operation.setTrustLineFlags({ trustor: holder.publicKey(), asset: usd, flags: { authorized: true } }),
    );
    await (await sacTransfer(sacId, holder, other, 10_000_000n)).signAndSend();
    expect(await trustlineBalance(other, usd)).toBe(20_000_000n);

    // Clawback: the trustline was created while the issuer had clawback enabled.
    await ok(issuer, Operation.clawback({ asset: usd, from: holder.publicKey(), amount: "30" }));
    expect(await trustlineBalance(holder, usd)).toBe(980_000_000n - 300_000_000n);
  });

  it("refuses clawback when the issuer never enabled it, and freezing without AUTH_REVOCABLE", async () => {
    const issuer = await funded();
    const holder = await funded();
    const eur = new Asset("EUR", issuer.publicKey());
    await ok(holder, Operation.changeTrust({ asset: eur }));
    await ok(issuer, Operation.payment({ destination: holder.publicKey(), asset: eur, amount: "5" }));

    const claw = await submit(
      issuer,
      Operation.clawback({ asset: eur, from: holder.publicKey(), amount: "1" }),
    );
    expect(claw.final?.status).toBe(rpc.Api.GetTransactionStatus.FAILED);
    const clawResult = (claw.final as rpc.Api.GetFailedTransactionResponse).resultXdr.result().results()[0]!;
    expect(clawResult.tr().clawbackResult().switch().name).toBe("clawbackNotClawbackEnabled");

    const freeze = await submit(
      issuer,
      Operation.setTrustLineFlags({ trustor: holder.publicKey(), asset: eur, flags: { authorized: false } }),
    );
    expect(freeze.final?.status).toBe(rpc.Api.GetTransactionStatus.FAILED);
    const freezeResult = (freeze.final as rpc.Api.GetFailedTransactionResponse).resultXdr
      .result()
      .results()[0]!;
    expect(freezeResult.tr().setTrustLineFlagsResult().switch().name).toBe("setTrustLineFlagsCantRevoke");
  });

  it("adds a signer and raises thresholds: one key is no longer enough, both keys are", async () => {
    const owner = await funded();
    const cosigner = Keypair.random();
    const to = await funded();
    await ok(
      owner,
      Operation.setOptions({
        signer: { ed25519PublicKey: cosigner.publicKey(), weight: 1 },
        lowThreshold: 2,
        medThreshold: 2,
        highThreshold: 2,
      }),
    );
    const pay = () => Operation.payment({ destination: to.publicKey(), asset: Asset.native(), amount: "1" });
    const alone = await submit(owner, pay());
    expect(alone.sent.status).toBe("ERROR");
    expect(alone.sent.errorResult!.result().switch().name).toBe("txBadAuth");
    await ok(owner, pay(), [owner, cosigner]);
    const account = await server.getAccountEntry(owner.publicKey());
    expect(account.signers().map((s) => s.weight())).toEqual([1]);
    expect(account.numSubEntries()).toBe(1);
  });
});
