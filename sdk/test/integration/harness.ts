// A devnet world for SDK integration tests, built on the SDK's own devnet helpers
// (`@tributary/sdk/devnet`, here from source): a devnet process on a free port (the
// shared test/helpers/devnet.ts), the stream contract deployed from the Wasm the
// package ships, and an issued asset "USDC" with its Stellar Asset Contract, so
// recipients can lack a trustline. Real RPC over HTTP, real host, no mocks.

import type { Asset, Keypair, rpc } from "@stellar/stellar-sdk";
import {
  type DevnetOptions,
  type Devnet as DevnetProcess,
  startDevnet,
} from "../../../test/helpers/devnet.js";
import type { StreamClient } from "../../src/client/stream-client.js";
import { Devnet, type TestToken } from "../../src/devnet/index.js";
import type { Network } from "../../src/networks.js";
import type { KeypairSigner } from "../../src/signers/keypair.js";

export interface Party {
  kp: Keypair;
  address: string;
  signer: KeypairSigner;
  /** A StreamClient signing as this party. */
  client: StreamClient;
}

export interface World {
  net: DevnetProcess;
  /** The SDK's devnet helpers on this devnet. */
  dev: Devnet;
  network: Network;
  server: rpc.Server;
  contractId: string;
  /** The test token (USDC with its SAC). */
  token: TestToken;
  usdc: Asset;
  tokenId: string;
  issuer: Keypair;
  /** A funded account; `trust` (default true) adds a USDC trustline, `mint` pays it that many base units. */
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

/** `devnet`: the devnet's options; default the helper's. */
export async function startWorld(devnet: DevnetOptions = {}): Promise<World> {
  return worldOn(await startDevnet(devnet));
}

/** The world on an already started devnet (e.g. one whose ledgers the test closes). */
export async function worldOn(net: DevnetProcess): Promise<World> {
  const dev = await Devnet.connect({ rpcUrl: net.rpcUrl, confirmTimeoutMs: 20_000 });
  const [token, contractId] = await Promise.all([
    dev.issueToken({ code: "USDC" }),
    dev.deployStreamContract(),
  ]);
  return {
    net,
    dev,
    network: dev.network,
    server: dev.server,
    contractId,
    token,
    usdc: token.asset,
    tokenId: token.contractId,
    issuer: token.issuer.keypair,
    reader: dev.client(contractId),
    async party(opts = {}) {
      const a = await dev.newAccount({
        ...((opts.trust ?? true) ? { token } : {}),
        ...(opts.mint ? { mint: opts.mint } : {}),
      });
      return {
        kp: a.keypair,
        address: a.address,
        signer: a.signer,
        client: dev.client(contractId, a.signer),
      };
    },
    balance: (address) => token.balance(address),
    warp: async (seconds) => (await dev.warp(seconds)).closeTs,
    now: () => dev.now(),
    stop: () => net.stop(),
  };
}
