import {
  Address,
  BASE_FEE,
  hash,
  Operation,
  rpc,
  type Transaction,
  TransactionBuilder,
  type xdr,
} from "@stellar/stellar-sdk";
import { Buffer } from "buffer";
import {
  SimulationError,
  TransactionFailedError,
  TransactionRejectedError,
  TransactionTimeoutError,
} from "../errors.js";
import type { Network } from "../networks.js";
import type { Signer } from "../signers/signer.js";
import { readAccount } from "./transact.js";

/** Options for {@link deployStreamContract}. */
export interface DeployOptions {
  network: Network;
  /** Pays, and is the deployer address the contract id derives from. */
  signer: Signer;
  /** The release Wasm (`artifacts/stream.wasm`). */
  wasm: Uint8Array;
  /** 32-byte salt; random by default. */
  salt?: Uint8Array;
  server?: rpc.Server;
  /** Wait this long for each transaction, ms. Default 60 000. */
  confirmTimeoutMs?: number;
}

async function submit(
  server: rpc.Server,
  network: Network,
  signer: Signer,
  op: xdr.Operation,
  what: string,
  timeoutMs: number,
): Promise<rpc.Api.GetSuccessfulTransactionResponse> {
  const account = await readAccount(server, await signer.publicKey());
  const tx = new TransactionBuilder(account, { fee: BASE_FEE, networkPassphrase: network.passphrase })
    .addOperation(op)
    .setTimeout(60)
    .build();
  const sim = await server.simulateTransaction(tx);
  if (rpc.Api.isSimulationError(sim)) throw new SimulationError(what, sim.error);
  const prepared = rpc.assembleTransaction(tx, sim).build();
  const signed = TransactionBuilder.fromXDR(
    await signer.signTransaction(prepared.toXDR(), { networkPassphrase: network.passphrase }),
    network.passphrase,
  ) as Transaction;
  const sent = await server.sendTransaction(signed);
  if (sent.status === "ERROR" || sent.status === "TRY_AGAIN_LATER")
    throw new TransactionRejectedError(
      what,
      sent.hash,
      sent.errorResult?.result().switch().name ?? sent.status,
    );
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await server.getTransaction(sent.hash);
    if (res.status === rpc.Api.GetTransactionStatus.SUCCESS) return res;
    if (res.status === rpc.Api.GetTransactionStatus.FAILED)
      throw new TransactionFailedError(what, sent.hash, res.ledger, res.resultXdr.result().switch().name);
    if (Date.now() > deadline) throw new TransactionTimeoutError(what, sent.hash, timeoutMs);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * Uploads the stream contract's Wasm (a no-op on chain when already uploaded) and
 * deploys a new instance; returns its contract id (`C...`). The contract has no
 * constructor and no admin, so the instance is ready to use at once.
 */
export async function deployStreamContract(opts: DeployOptions): Promise<string> {
  const server = opts.server ?? new rpc.Server(opts.network.rpcUrl, { allowHttp: opts.network.allowHttp });
  const timeout = opts.confirmTimeoutMs ?? 60_000;
  await submit(
    server,
    opts.network,
    opts.signer,
    Operation.uploadContractWasm({ wasm: Buffer.from(opts.wasm) }),
    "uploadContractWasm",
    timeout,
  );
  const wasmHash = hash(Buffer.from(opts.wasm));
  const salt = Buffer.from(opts.salt ?? crypto.getRandomValues(new Uint8Array(32)));
  const deployer = await opts.signer.publicKey();
  const res = await submit(
    server,
    opts.network,
    opts.signer,
    Operation.createCustomContract({ address: Address.fromString(deployer), wasmHash, salt }),
    "createCustomContract",
    timeout,
  );
  const ret = res.returnValue;
  if (!ret) throw new SimulationError("createCustomContract", "no contract address returned");
  return Address.fromScVal(ret).toString();
}
