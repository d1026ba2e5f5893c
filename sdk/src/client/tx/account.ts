import { Account, Keypair, type rpc, xdr } from "@stellar/stellar-sdk";
import { AccountNotFoundError } from "../../errors.js";

/**
 * The account with its current sequence number, read with getLedgerEntries.
 * NOTE: not `rpc.Server.getAccount`, which in stellar-sdk 16.2.0 reports any HTTP
 * failure (a 503 included) as "Account not found", so it cannot be retried safely.
 */
export async function readAccount(server: rpc.Server, address: string): Promise<Account> {
  const key = xdr.LedgerKey.account(
    new xdr.LedgerKeyAccount({ accountId: Keypair.fromPublicKey(address).xdrAccountId() }),
  );
  const res = await server.getLedgerEntries(key);
  const entry = res.entries[0];
  if (!entry) throw new AccountNotFoundError(address);
  return new Account(address, entry.val.account().seqNum().toString());
}
