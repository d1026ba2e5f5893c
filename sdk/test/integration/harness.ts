// A devnet world for SDK integration tests: a devnet started on a free port (the
// shared test/helpers/devnet.ts), the stream contract deployed through the SDK's own
// deployStreamContract, and an issued asset "USDC" with its Stellar Asset Contract,
// so recipients can lack a trustline. Real RPC over HTTP, real host, no mocks.

import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { Asset, BASE_FEE, Keypair, Operation, rpc, TransactionBuilder, type xdr } from "@stellar/stellar-sdk";
import { type Devnet, startDevnet } from "../../../test/helpers/devnet.js";
import { deployStreamContract } from "../../src/client/deploy.js";
import { StreamClient } from "../../src/client/stream-client.js";
import { type Network, network } from "../../src/networks.js";
import { KeypairSigner } from "../../src/signers/keypair.js";

export const WASM_PATH = resolve(import.meta.dirname, "..", "..", "..", "artifacts", "stream.wasm");

export interface Party {
  kp: Keypair;
  address: string;
  signer: KeypairSigner;
  /** A StreamClient signing as this party. */
  client: StreamClient;
}

export interface World {
  net: Devnet;
  network: Network;
  server: rpc.Server;
  contractId: string;
  usdc: Asset;
  tokenId: string;
  issuer: Keypair;
  /** A funded account; `trust` adds a USDC trustline, `mint` pays it that many base units. */
  party(opts?: { trust?: boolean; mint?: bigint }): Promise<Party>;
  /** A read-only client (no signer). */
  reader: StreamClient;
  /** USDC balance in base units (0 without a trustline). */
  balance(address: string): Promise<bigint>;
  /** Moves ledger time forward and closes a ledger; returns the new close time (unix s). */
  warp(seconds: number | bigint): Promise<bigint>;
  /** The latest ledger close time, unix seconds. */
  now(): Promise<bigint>;
  stop(): Promise<void>;
}

async function classic(
  server: rpc.Server,
  passphrase: string,
  source: Keypair,
  op: xdr.Operation,
): Promise<void> {
  const account = await server.getAccount(source.publicKey());
  const tx = new TransactionBuilder(account, { fee: BASE_FEE, networkPassphrase: passphrase })
    .addOperation(op)
    .setTimeout(60)
    .build();
  const soroban = op.body().switch().name === "invokeHostFunction";
  const prepared = soroban ? await server.prepareTransaction(tx) : tx;
  prepared.sign(source);
  const sent = await server.sendTransaction(prepared);
  if (sent.status !== "PENDING")
    throw new Error(
      `classic op rejected: ${JSON.stringify(sent.status)} ${sent.errorResult?.result().switch().name}`,
    );
  const res = await server.pollTransaction(sent.hash, { attempts: 40 });
  if (res.status !== rpc.Api.GetTransactionStatus.SUCCESS)
    throw new Error(`classic op ${op.body().switch().name} failed: ${res.status}`);
}

const toDecimal7 = (units: bigint): string =>
  `${units / 10_000_000n}.${(units % 10_000_000n).toString().padStart(7, "0")}`;

export async function startWorld(): Promise<World> {
  const net = await startDevnet();
  const net_ = network("devnet", {
    rpcUrl: net.rpcUrl,
    passphrase: net.passphrase,
    friendbotUrl: net.friendbotUrl,
  });
  const server = new rpc.Server(net.rpcUrl, { allowHttp: true });
  const fund = async (): Promise<Keypair> => {
    const kp = Keypair.random();
    await server.requestAirdrop(kp.publicKey());
    return kp;
  };
  const issuer = await fund();
  const usdc = new Asset("USDC", issuer.publicKey());
  await classic(server, net.passphrase, issuer, Operation.createStellarAssetContract({ asset: usdc }));
  const tokenId = usdc.contractId(net.passphrase);
  const deployer = await fund();
  const contractId = await deployStreamContract({
    network: net_,
    signer: new KeypairSigner(deployer),
    wasm: readFileSync(WASM_PATH),
    server,
  });
  const clientFor = (signer?: KeypairSigner) =>
    new StreamClient({
      network: net_,
      contractId,
      server,
      ...(signer ? { signer } : {}),
      confirmTimeoutMs: 20_000,
    });
  return {
    net,
    network: net_,
    server,
    contractId,
    usdc,
    tokenId,
    issuer,
    reader: clientFor(),
    async party(opts = {}) {
      const kp = await fund();
      if (opts.trust ?? true)
        await classic(server, net.passphrase, kp, Operation.changeTrust({ asset: usdc }));
      if (opts.mint && opts.mint > 0n)
        await classic(
          server,
          net.passphrase,
          issuer,
          Operation.payment({ destination: kp.publicKey(), asset: usdc, amount: toDecimal7(opts.mint) }),
        );
      const signer = new KeypairSigner(kp);
      return { kp, address: kp.publicKey(), signer, client: clientFor(signer) };
    },
    async balance(address) {
      try {
        const line = await server.getTrustline(address, usdc);
        return line.balance().toBigInt();
      } catch {
        return 0n;
      }
    },
    async warp(seconds) {
      const r = await net.warp(Number(seconds));
      return BigInt(r.closeTime);
    },
    async now() {
      return BigInt((await server.getLatestLedger()).closeTime);
    },
    stop: () => net.stop(),
  };
}
