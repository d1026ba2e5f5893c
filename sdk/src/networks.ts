/**
 * Network presets: passphrase and RPC URL for the local devnet, testnet and
 * mainnet. Every field can be overridden (`network("testnet", { rpcUrl })`), and a
 * custom {@link Network} object works anywhere a preset does.
 *
 * @module networks
 */

import { Networks } from "@stellar/stellar-sdk";

/** Where and what a client talks to. */
export interface Network {
  /** Short name, for logs and wallet checks (`"devnet"`, `"testnet"`, `"mainnet"` or your own). */
  name: string;
  /** Network passphrase; transactions are signed over it. */
  passphrase: string;
  /** Stellar RPC endpoint (JSON-RPC). */
  rpcUrl: string;
  /** Allow `http://` RPC URLs (only sensible for a local devnet). */
  allowHttp: boolean;
  /** Friendbot URL, when the network has one. */
  friendbotUrl?: string;
  /** The deployed stream contract (`C...`), when known for this network. */
  contractId?: string;
}

/** The presets. `devnet` is `devnet/` started on port 8000 (`cargo run -p devnet`). */
export const NETWORKS = {
  devnet: {
    name: "devnet",
    passphrase: Networks.STANDALONE,
    rpcUrl: "http://127.0.0.1:8000/rpc",
    allowHttp: true,
    friendbotUrl: "http://127.0.0.1:8000/friendbot",
  },
  testnet: {
    name: "testnet",
    passphrase: Networks.TESTNET,
    rpcUrl: "https://soroban-testnet.stellar.org",
    allowHttp: false,
    friendbotUrl: "https://friendbot.stellar.org",
  },
  mainnet: {
    name: "mainnet",
    passphrase: Networks.PUBLIC,
    // SDF runs no public mainnet RPC: pass your provider's URL as an override
    // (`network("mainnet", { rpcUrl })`); a client refuses an empty URL.
    rpcUrl: "",
    allowHttp: false,
  },
} as const satisfies Record<string, Network>;

/** A preset name. */
export type NetworkName = keyof typeof NETWORKS;

/**
 * A preset with any fields overridden, e.g. `network("devnet", { rpcUrl: net.rpcUrl })`.
 * The devnet serves its friendbot next to its RPC, so a devnet `rpcUrl` ending in
 * `/rpc` without a `friendbotUrl` override brings its own: `http://host:port/friendbot`.
 */
export function network(name: NetworkName, overrides: Partial<Network> = {}): Network {
  const out: Network = { ...NETWORKS[name], ...overrides };
  if (name === "devnet" && overrides.rpcUrl !== undefined && overrides.friendbotUrl === undefined) {
    if (/\/rpc\/?$/.test(overrides.rpcUrl))
      out.friendbotUrl = overrides.rpcUrl.replace(/\/rpc\/?$/, "/friendbot");
    else delete out.friendbotUrl;
  }
  return out;
}
