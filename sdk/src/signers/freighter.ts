import { NetworkMismatchError, WalletError } from "../errors.js";
import type { Signer } from "./signer.js";

/**
 * The subset of `@stellar/freighter-api` the signer uses. Injectable so an app can
 * pass its own import (or a test a fake wallet); by default the real package is
 * imported lazily, on first use, so merely importing the SDK never touches `window`.
 */
export interface FreighterApi {
  isConnected(): Promise<{ isConnected: boolean; error?: unknown }>;
  requestAccess(): Promise<{ address: string; error?: unknown }>;
  getNetworkDetails(): Promise<{
    network: string;
    networkPassphrase: string;
    sorobanRpcUrl?: string;
    error?: unknown;
  }>;
  signTransaction(
    xdr: string,
    opts?: { networkPassphrase?: string; address?: string },
  ): Promise<{ signedTxXdr: string; signerAddress: string; error?: unknown }>;
  signAuthEntry(
    entryXdr: string,
    opts?: { networkPassphrase?: string; address?: string },
  ): Promise<{ signedAuthEntry: string | null; signerAddress: string; error?: unknown }>;
}

function walletError(what: string, error: unknown): WalletError {
  const msg =
    typeof error === "string"
      ? error
      : error && typeof error === "object" && "message" in error
        ? String(error.message)
        : JSON.stringify(error);
  return new WalletError(`Freighter: ${what}: ${msg}`);
}

/**
 * Signs in the browser through the Freighter extension. Before every signature it
 * checks that the wallet is on the client's network (same passphrase) and refuses
 * with {@link NetworkMismatchError} otherwise, so a user on mainnet is never asked to
 * sign a testnet transaction or the reverse.
 */
export class FreighterSigner implements Signer {
  readonly #networkPassphrase: string;
  readonly #api: () => Promise<FreighterApi>;
  #address: string | undefined;

  /**
   * @param networkPassphrase the passphrase the wallet must be on.
   * @param api the Freighter API (default: `@stellar/freighter-api`, imported lazily).
   */
  constructor(networkPassphrase: string, api?: FreighterApi) {
    this.#networkPassphrase = networkPassphrase;
    let loaded: Promise<FreighterApi> | undefined = api ? Promise.resolve(api) : undefined;
    this.#api = () =>
      (loaded ??= import("@stellar/freighter-api").then((m) => (m.default ?? m) as unknown as FreighterApi));
  }

  /** Throws unless Freighter is installed, allows this site, and is on the expected network. */
  async checkNetwork(): Promise<void> {
    const api = await this.#api();
    const conn = await api.isConnected();
    if (conn.error || !conn.isConnected)
      throw conn.error
        ? walletError("isConnected", conn.error)
        : new WalletError("Freighter is not installed or not connected");
    const net = await api.getNetworkDetails();
    if (net.error) throw walletError("getNetworkDetails", net.error);
    if (net.networkPassphrase !== this.#networkPassphrase)
      throw new NetworkMismatchError(this.#networkPassphrase, net.networkPassphrase);
  }

  async publicKey(): Promise<string> {
    if (this.#address) return this.#address;
    await this.checkNetwork();
    const api = await this.#api();
    const res = await api.requestAccess();
    if (res.error || !res.address) throw walletError("requestAccess", res.error ?? "no address");
    this.#address = res.address;
    return res.address;
  }

  async signTransaction(xdr: string, opts: { networkPassphrase: string }): Promise<string> {
    if (opts.networkPassphrase !== this.#networkPassphrase)
      throw new NetworkMismatchError(this.#networkPassphrase, opts.networkPassphrase);
    await this.checkNetwork();
    const address = await this.publicKey();
    const api = await this.#api();
    const res = await api.signTransaction(xdr, { networkPassphrase: this.#networkPassphrase, address });
    if (res.error || !res.signedTxXdr) throw walletError("signTransaction", res.error ?? "empty signature");
    return res.signedTxXdr;
  }

  async signAuthEntry(preimageXdr: string, opts: { networkPassphrase: string }): Promise<string> {
    if (opts.networkPassphrase !== this.#networkPassphrase)
      throw new NetworkMismatchError(this.#networkPassphrase, opts.networkPassphrase);
    await this.checkNetwork();
    const address = await this.publicKey();
    const api = await this.#api();
    const res = await api.signAuthEntry(preimageXdr, { networkPassphrase: this.#networkPassphrase, address });
    if (res.error || !res.signedAuthEntry) throw walletError("signAuthEntry", res.error ?? "empty signature");
    return res.signedAuthEntry;
  }
}
