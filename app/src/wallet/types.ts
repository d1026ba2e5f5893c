import type { Signer } from "@tributary/sdk";

/** A connected wallet: an address and a signer for it. */
export interface Wallet {
  kind: "freighter" | "devnet";
  /** Shown in the header, e.g. "Freighter" or "Devnet test wallet (alice)". */
  label: string;
  address: string;
  signer: Signer;
  /** The network passphrase the wallet is on now (asked fresh each time). */
  networkPassphrase(): Promise<string>;
}
