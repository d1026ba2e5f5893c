// Deploys the demo setup on a running devnet through the SDK's devnet helpers
// (`@tributary/sdk/devnet`), as an integrator would: a funded admin, the stream
// contract (uploaded and deployed), the native XLM contract, and a demo token (an
// issued asset "TRIB" with its Stellar Asset Contract and a funded holder). Prints
// one JSON object. Run with Node >= 22.18 (type stripping) after `npm run build`:
//   node devnet/demo/deploy.ts http://127.0.0.1:8000/rpc path/to/stream.wasm
// Secrets are printed only for the throwaway demo accounts of a local network.

import { readFileSync } from "node:fs";
import { Asset, hash, Operation } from "@stellar/stellar-sdk";
import { Devnet } from "@tributary/sdk/devnet";

const [rpcUrl = "http://127.0.0.1:8000/rpc", wasmPath = "artifacts/stream.wasm"] = process.argv.slice(2);
const dev = await Devnet.connect({ rpcUrl });
const { passphrase } = dev.network;
const wasm = readFileSync(wasmPath);

const admin = await dev.newAccount();
const streamContractId = await dev.deployStreamContract({ signer: admin.signer, wasm });

// The native XLM contract (present on testnet and pubnet) unless already deployed.
const nativeId = Asset.native().contractId(passphrase);
if (
  !(await dev.server.getContractInstance(nativeId).then(
    () => true,
    () => false,
  ))
) {
  await dev.submit(admin.signer, Operation.createStellarAssetContract({ asset: Asset.native() }));
}

const trib = await dev.issueToken({ code: "TRIB", issuer: admin });
const holder = await dev.newAccount({ token: trib, mint: 1_000_000n * 10_000_000n });

console.log(
  JSON.stringify({
    rpcUrl,
    networkPassphrase: passphrase,
    streamContractId,
    streamWasmHash: hash(wasm).toString("hex"),
    demoToken: { asset: `${trib.asset.getCode()}:${trib.asset.getIssuer()}`, contractId: trib.contractId },
    nativeTokenContractId: nativeId,
    admin: { publicKey: admin.address, secret: admin.keypair.secret() },
    holder: { publicKey: holder.address, secret: holder.keypair.secret() },
  }),
);
