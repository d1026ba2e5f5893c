// The demo streams of `npm start`, created through the SDK as an integrator would:
// three recipients with a TRIB trustline and, from the demo token holder, one stream
// of each shape on a fast clock, so the keeper has something to settle every run.
// Run with Node >= 22.18 (type stripping) after `npm run build`:
//   node keeper/demo/streams.ts ~/.cache/tributary/devnet-demo.json
// Prints one JSON object: the stream ids and a funded keeper fee-payer (a throwaway
// devnet account; its secret is for this local network only).

import { readFileSync } from "node:fs";
import { Asset, BASE_FEE, Keypair, Operation, rpc, TransactionBuilder } from "@stellar/stellar-sdk";
import { KeypairSigner, network, StreamClient } from "@tributary/sdk";

const demo = JSON.parse(readFileSync(process.argv[2] ?? "", "utf8"));
const server = new rpc.Server(demo.rpcUrl, { allowHttp: true });
const [code, issuer] = demo.demoToken.asset.split(":");
const trib = new Asset(code, issuer);
const net = network("devnet", { rpcUrl: demo.rpcUrl, passphrase: demo.networkPassphrase });
const holder = Keypair.fromSecret(demo.holder.secret);
const sender = new StreamClient({
  network: net,
  contractId: demo.streamContractId,
  server,
  signer: new KeypairSigner(holder),
});

async function funded(trust: boolean): Promise<Keypair> {
  const kp = Keypair.random();
  await server.requestAirdrop(kp.publicKey());
  if (trust) {
    const tx = new TransactionBuilder(await server.getAccount(kp.publicKey()), {
      fee: BASE_FEE,
      networkPassphrase: demo.networkPassphrase,
    })
      .addOperation(Operation.changeTrust({ asset: trib }))
      .setTimeout(30)
      .build();
    tx.sign(kp);
    const sent = await server.sendTransaction(tx);
    const res = await server.pollTransaction(sent.hash);
    if (res.status !== "SUCCESS") throw new Error(`changeTrust failed: ${res.status}`);
  }
  return kp;
}

const UNIT = 10_000_000n; // TRIB has 7 decimals, like every classic asset
const [alice, bob, carol, keeper] = await Promise.all([
  funded(true),
  funded(true),
  funded(true),
  funded(false),
]);
const now = BigInt((await server.getLatestLedger()).closeTime);
const base = {
  sender: holder.publicKey(),
  token: demo.demoToken.contractId,
  cancelable: true,
  transferable: true,
};
const { result: ids } = await sender.createBatch([
  // 600 TRIB over 10 minutes: about 1 TRIB a second.
  {
    ...base,
    recipient: alice.publicKey(),
    schedule: { kind: "linear", startTs: now, cliffTs: now, endTs: now + 600n, deposit: 600n * UNIT },
  },
  // A "monthly" salary on a demo clock: 100 TRIB every 2 minutes, 5 times.
  {
    ...base,
    recipient: bob.publicKey(),
    schedule: {
      kind: "tranched",
      startTs: now,
      tranches: [1n, 2n, 3n, 4n, 5n].map((k) => ({ unlockTs: now + k * 120n, amount: 100n * UNIT })),
    },
  },
  // Open-ended: 1 TRIB every 10 seconds, 50 TRIB of runway, then debt until a top-up.
  {
    ...base,
    recipient: carol.publicKey(),
    schedule: { kind: "openEnded", amountPerPeriod: UNIT, periodS: 10n, startTs: 0n, deposit: 50n * UNIT },
  },
]);
console.log(
  JSON.stringify({
    streams: ids.map(String),
    recipients: { alice: alice.publicKey(), bob: bob.publicKey(), carol: carol.publicKey() },
    keeper: { publicKey: keeper.publicKey(), secret: keeper.secret() },
  }),
);
