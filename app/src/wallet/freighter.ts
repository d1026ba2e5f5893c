/**
 * Freighter through `@stellar/freighter-api`, the tested wallet path. Signing goes
 * through the SDK's FreighterSigner, which checks the wallet's network before every
 * signature (NetworkMismatchError, never a failed signature).
 */
import * as freighterApi from "@stellar/freighter-api";
import { type FreighterApi, FreighterSigner, WalletError } from "@tributary/sdk";
import type { Wallet } from "./types.js";

const api = freighterApi as unknown as FreighterApi;

/** Asks Freighter for access and returns the wallet; throws WalletError when unavailable. */
export async function connectFreighter(expectedPassphrase: string): Promise<Wallet> {
  const conn = await api.isConnected();
  if (conn.error || !conn.isConnected) throw new WalletError("Freighter is not installed or not connected");
  const access = await api.requestAccess();
  if (access.error || !access.address)
    throw new WalletError(
      `Freighter: requestAccess: ${String((access.error as { message?: string })?.message ?? "declined")}`,
    );
  const signer = new FreighterSigner(expectedPassphrase, api);
  const address = access.address;
  return {
    kind: "freighter",
    label: "Freighter",
    address,
    signer,
    async networkPassphrase() {
      const net = await api.getNetworkDetails();
      if (net.error) throw new WalletError("Freighter: getNetworkDetails failed");
      return net.networkPassphrase;
    },
  };
}
