// Deploys the demo setup on a running devnet with @stellar/stellar-sdk (its `rpc` and
// `contract` modules, not our SDK), as a user would:
// a funded admin, the stream contract (uploaded and deployed) and a demo token
// (an issued asset "TRIB" with its Stellar Asset Contract and a funded holder).
// Prints one JSON object. Run with Node >= 22.18 (type stripping):
//   node devnet/demo/deploy.ts http://127.0.0.1:8000/rpc path/to/stream.wasm
// Secrets are printed only for the throwaway demo accounts of a local network.

import { readFileSync } from "node:fs";
import type { xdr } from "@stellar/stellar-sdk";
import {
  Asset,
  BASE_FEE,
  contract,
  Keypair,
  Operation,
  rpc,
  scValToNative,
  TransactionBuilder,
} from "@stellar/stellar-sdk";

const [rpcUrl = "http://127.0.0.1:8000/rpc", wasmPath = "artifacts/stream.wasm"] = process.argv.slice(2);
const server = new rpc.Server(rpcUrl, { allowHttp: true });
const { passphrase } = await server.getNetwork();

async function submit(kp: Keypair, op: xdr.Operation) {
  const account = await server.getAccount(kp.publicKey());
  const built = new TransactionBuilder(account, { fee: BASE_FEE, networkPassphrase: passphrase })
    .addOperation(op)
    .setTimeout(30)
    .build();
  // Only Soroban operations are simulated; classic ones are sent as built.
  const tx =
    op.body().switch().name === "invokeHostFunction" ? await server.prepareTransaction(built) : built;
  tx.sign(kp);
  const res = await server.pollTransaction((await server.sendTransaction(tx)).hash);
  if (res.status !== "SUCCESS") throw new Error(`transaction failed: ${res.status}`);
  return res;
}

const admin = Keypair.random();
const holder = Keypair.random();
await server.requestAirdrop(admin.publicKey());
await server.requestAirdrop(holder.publicKey());

const upload = await submit(admin, Operation.uploadContractWasm({ wasm: readFileSync(wasmPath) }));
const wasmHash = Buffer.from(scValToNative(upload.returnValue!) as Uint8Array);
const deploy = await contract.Client.deploy(null, {
  rpcUrl,
  networkPassphrase: passphrase,
  allowHttp: true,
  publicKey: admin.publicKey(),
  ...contract.basicNodeSigner(admin, passphrase),
  wasmHash,
});
const stream = (await deploy.signAndSend()).result as contract.Client;

// The native XLM contract (present on testnet and pubnet) unless already deployed.
const nativeId = Asset.native().contractId(passphrase);
if (
  !(await server.getContractInstance(nativeId).then(
    () => true,
    () => false,
  ))
) {
  await submit(admin, Operation.createStellarAssetContract({ asset: Asset.native() }));
}

const token = new Asset("TRIB", admin.publicKey());
await submit(admin, Operation.createStellarAssetContract({ asset: token }));
await submit(holder, Operation.changeTrust({ asset: token }));
await submit(admin, Operation.payment({ destination: holder.publicKey(), asset: token, amount: "1000000" }));

console.log(
  JSON.stringify({
    rpcUrl,
    networkPassphrase: passphrase,
    streamContractId: stream.options.contractId,
    streamWasmHash: wasmHash.toString("hex"),
    demoToken: { asset: `${token.getCode()}:${token.getIssuer()}`, contractId: token.contractId(passphrase) },
    nativeTokenContractId: nativeId,
    admin: { publicKey: admin.publicKey(), secret: admin.secret() },
    holder: { publicKey: holder.publicKey(), secret: holder.secret() },
  }),
);
