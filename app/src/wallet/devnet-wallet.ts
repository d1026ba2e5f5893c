/**
 * The devnet test wallet: a throwaway key kept in sessionStorage (gone when the tab
 * closes), funded by the devnet's friendbot, plus the `npm start` demo accounts one
 * click away. Only devnet builds import this module (see App.tsx: it is loaded behind
 * the compile-time `__DEVNET__` flag, so testnet and mainnet bundles do not contain it).
 */
import { Keypair } from "@stellar/stellar-sdk";
import { KeypairSigner } from "@tributary/sdk";
import type { AppConfig } from "../lib/config.js";
import type { Wallet } from "./types.js";

const STORAGE_KEY = "tributary.devnetTestWallet.secret";

function walletFor(secret: string, name: string, passphrase: string): Wallet {
  const kp = Keypair.fromSecret(secret);
  return {
    kind: "devnet",
    label: `Devnet test wallet (${name})`,
    address: kp.publicKey(),
    signer: new KeypairSigner(kp),
    networkPassphrase: async () => passphrase,
  };
}

/** The throwaway key of this tab, made (and funded by friendbot) on first use. */
export async function throwawayWallet(config: AppConfig): Promise<Wallet> {
  let secret = sessionStorage.getItem(STORAGE_KEY);
  if (!secret) {
    const kp = Keypair.random();
    const url = `${config.network.friendbotUrl}?addr=${encodeURIComponent(kp.publicKey())}`;
    const r = await fetch(url);
    if (!r.ok) throw new Error(`friendbot refused to fund the throwaway account (HTTP ${r.status})`);
    secret = kp.secret();
    sessionStorage.setItem(STORAGE_KEY, secret);
  }
  return walletFor(secret, "throwaway", config.network.passphrase);
}

/** One of the `npm start` demo accounts. */
export function demoWallet(config: AppConfig, name: string): Wallet {
  const a = config.demoAccounts.find((d) => d.name === name);
  if (!a) throw new Error(`no demo account named ${name}`);
  return walletFor(a.secret, name, config.network.passphrase);
}
