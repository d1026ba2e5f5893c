/**
 * The one place that says which network and contract the app talks to.
 *
 * The network is chosen at build time (`VITE_NETWORK`: devnet, the default, testnet
 * or mainnet). The devnet's addresses change with every `npm start`, so a devnet
 * build reads them at load from `devnet.json`, which the app's server writes from what
 * `npm start` deployed; testnet and mainnet builds take the contract id (and
 * mainnet's RPC URL) from `VITE_CONTRACT_ID` / `VITE_RPC_URL` at build time.
 */
import { type Network, network } from "@tributary/sdk";

/** True only in devnet builds; a compile-time constant, so devnet-only code is tree-shaken elsewhere. */
declare const __DEVNET__: boolean;
export const IS_DEVNET_BUILD: boolean = __DEVNET__;

/** A throwaway devnet account offered by the devnet test wallet. */
export interface DemoAccount {
  name: string;
  publicKey: string;
  /** Devnet only: a throwaway secret of a local network. */
  secret: string;
}

export interface AppConfig {
  network: Network;
  contractId: string;
  /** Tokens offered in the Create form (the demo token on the devnet). */
  tokens: string[];
  /** Devnet only: the `npm start` demo accounts. */
  demoAccounts: DemoAccount[];
}

/** The shape of `devnet.json` (see app/scripts/serve.ts). */
export interface DevnetJson {
  rpcUrl: string;
  networkPassphrase: string;
  friendbotUrl?: string;
  streamContractId: string;
  tokens?: string[];
  demoAccounts?: DemoAccount[];
}

export function configFromDevnetJson(d: DevnetJson): AppConfig {
  return {
    network: network("devnet", {
      rpcUrl: d.rpcUrl,
      passphrase: d.networkPassphrase,
      friendbotUrl: d.friendbotUrl ?? d.rpcUrl.replace(/\/rpc$/, "/friendbot"),
      contractId: d.streamContractId,
    }),
    contractId: d.streamContractId,
    tokens: d.tokens ?? [],
    demoAccounts: d.demoAccounts ?? [],
  };
}

/** Loads the configuration for this build. */
export async function loadConfig(): Promise<AppConfig> {
  if (__DEVNET__) {
    const r = await fetch(`${import.meta.env.BASE_URL}devnet.json`);
    if (!r.ok) throw new Error("devnet.json is missing: start the app with `npm start`.");
    return configFromDevnetJson((await r.json()) as DevnetJson);
  }
  const name = import.meta.env.VITE_NETWORK === "mainnet" ? "mainnet" : "testnet";
  const contractId = import.meta.env.VITE_CONTRACT_ID ?? "";
  const rpcUrl = import.meta.env.VITE_RPC_URL;
  return {
    network: network(name, { contractId, ...(rpcUrl ? { rpcUrl } : {}) }),
    contractId,
    tokens: (import.meta.env.VITE_TOKENS ?? "").split(",").filter(Boolean),
    demoAccounts: [],
  };
}
