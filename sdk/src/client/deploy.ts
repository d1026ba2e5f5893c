import { Address, hash, Operation, type rpc } from "@stellar/stellar-sdk";
import { Buffer } from "buffer";
import { SimulationError } from "../errors.js";
import type { Network } from "../networks.js";
import type { Signer } from "../signers/signer.js";
import { loadStreamWasm } from "../wasm.js";
import { createRpcServer } from "./rpc-server.js";
import { type TransactOptions, txSettings } from "./tx/context.js";
import { submit } from "./tx/pipeline.js";

/** Options for {@link deployStreamContract}. */
export interface DeployOptions extends TransactOptions {
  network: Network;
  /** Pays, and is the deployer address the contract id derives from. */
  signer: Signer;
  /**
   * The contract's Wasm. Default: the release build shipped in this package
   * (`@tributary/sdk/stream.wasm`, the same bytes as the repository's `artifacts/stream.wasm`).
   */
  wasm?: Uint8Array;
  /** 32-byte salt; random by default. */
  salt?: Uint8Array;
  server?: rpc.Server;
}

/**
 * Uploads the stream contract's Wasm (a no-op on chain when already uploaded) and
 * deploys a new instance; returns its contract id (`C...`). The contract has no
 * constructor and no admin, so the instance is ready to use at once. Both
 * transactions go through the same pipeline as every `StreamClient` write.
 */
export async function deployStreamContract(opts: DeployOptions): Promise<string> {
  const settings = txSettings(opts);
  const server =
    opts.server ??
    createRpcServer(opts.network.rpcUrl, {
      allowHttp: opts.network.allowHttp,
      timeoutMs: settings.requestTimeoutMs,
    });
  const env = { server, network: opts.network, settings };
  const wasm = Buffer.from(opts.wasm ?? (await loadStreamWasm()));
  await submit(env, {
    label: "uploadContractWasm",
    signer: opts.signer,
    operation: () => Operation.uploadContractWasm({ wasm }),
  });
  const wasmHash = hash(wasm);
  const salt = Buffer.from(opts.salt ?? crypto.getRandomValues(new Uint8Array(32)));
  const deployer = await opts.signer.publicKey();
  const res = await submit(env, {
    label: "createCustomContract",
    signer: opts.signer,
    operation: () =>
      Operation.createCustomContract({ address: Address.fromString(deployer), wasmHash, salt }),
  });
  const ret = res.response.returnValue;
  if (!ret) throw new SimulationError("createCustomContract", "no contract address returned");
  return Address.fromScVal(ret).toString();
}
