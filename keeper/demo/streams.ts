// The demo streams of `npm start`, created through the SDK as an integrator would:
// three recipients with a TRIB trustline (the SDK's devnet helpers) and, from the
// demo token holder, one stream of each shape on a fast clock, so the keeper has
// something to settle every run.
// Run with Node >= 22.18 (type stripping) after `npm run build`:
//   node keeper/demo/streams.ts ~/.cache/tributary/devnet-demo.json
// Prints one JSON object: the stream ids and a funded keeper fee-payer (a throwaway
// devnet account; its secret is for this local network only).

import { readFileSync } from "node:fs";
import { Asset, Keypair } from "@stellar/stellar-sdk";
import { Devnet } from "@tributary/sdk/devnet";

const demo = JSON.parse(readFileSync(process.argv[2] ?? "", "utf8"));
const dev = await Devnet.connect({ rpcUrl: demo.rpcUrl, passphrase: demo.networkPassphrase });
const [code, issuer] = demo.demoToken.asset.split(":");
const trib = dev.token(new Asset(code, issuer), dev.account(Keypair.fromSecret(demo.admin.secret)));
const holder = dev.account(Keypair.fromSecret(demo.holder.secret));
const sender = dev.client(demo.streamContractId, holder.signer);

const UNIT = 10_000_000n; // TRIB has 7 decimals, like every classic asset
const [alice, bob, carol, keeper] = await Promise.all([
  dev.newAccount({ token: trib }),
  dev.newAccount({ token: trib }),
  dev.newAccount({ token: trib }),
  dev.newAccount(),
]);
const now = await dev.now();
const base = {
  sender: holder.address,
  token: trib.contractId,
  cancelable: true,
  transferable: true,
};
const { result: ids } = await sender.createBatch(
  [
    // 600 TRIB over 10 minutes: about 1 TRIB a second.
    {
      ...base,
      recipient: alice.address,
      schedule: { kind: "linear", startTs: now, cliffTs: now, endTs: now + 600n, deposit: 600n * UNIT },
    },
    // A "monthly" salary on a demo clock: 100 TRIB every 2 minutes, 5 times.
    {
      ...base,
      recipient: bob.address,
      schedule: {
        kind: "tranched",
        startTs: now,
        tranches: [1n, 2n, 3n, 4n, 5n].map((k) => ({ unlockTs: now + k * 120n, amount: 100n * UNIT })),
      },
    },
    // Open-ended: 1 TRIB every 10 seconds, 50 TRIB of runway, then debt until a top-up.
    {
      ...base,
      recipient: carol.address,
      schedule: { kind: "openEnded", amountPerPeriod: UNIT, periodS: 10n, startTs: 0n, deposit: 50n * UNIT },
    },
  ],
  { checkRecipients: true },
);
console.log(
  JSON.stringify({
    streams: ids.map(String),
    recipients: { alice: alice.address, bob: bob.address, carol: carol.address },
    // Throwaway keys of this local devnet, for the dApp's devnet test wallet (app/scripts/devnet-json.ts).
    accounts: Object.fromEntries(
      Object.entries({ alice, bob, carol }).map(([name, acct]) => [
        name,
        { publicKey: acct.address, secret: acct.keypair.secret() },
      ]),
    ),
    keeper: { publicKey: keeper.address, secret: keeper.keypair.secret() },
  }),
);
