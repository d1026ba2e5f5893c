/**
 * Can an address be paid in a token? A pre-flight check for payrolls: a stream whose
 * recipient cannot receive is created without complaint and fails only when paid
 * (`PaymentFailed` on withdraw; `settleSkipped` for the keeper).
 *
 * For a Stellar Asset Contract (SAC) token, read from ledger entries, no simulation
 * of a transfer:
 * - `G...` accounts: the account exists; for a non-native asset, it holds a trustline
 *   that is authorized (`AUTHORIZED_FLAG`; "authorized to maintain liabilities" only
 *   is not enough to receive). The issuer itself always can (it burns what it gets).
 * - `C...` contracts: a SAC keeps a contract's balance in its own storage and creates
 *   it on the first payment, so a contract can receive unless its balance entry is
 *   deauthorized, or it has none yet and the issuer sets `AUTH_REQUIRED` (the new
 *   entry would start deauthorized). Whether the contract exists is not checked: the
 *   SAC does not check it either.
 * - Not checked: trustline limits (a payment that would exceed the limit fails),
 *   clawback, and any other token than a SAC: its rules are its own code, so the
 *   answer is `{ ok: true, verified: false }`.
 */

import { Address, Asset, Keypair, StrKey, xdr } from "@stellar/stellar-sdk";
import type { ReceiveProblem } from "../errors.js";
import type { TxEnv } from "./tx/context.js";
import { readContract } from "./tx/read.js";
import { rpcCall } from "./tx/rpc-call.js";
import * as w from "./wire.js";

/** The answer of `canReceive`. */
export type ReceiveCheck =
  | {
      ok: true;
      /** False when the token is not a Stellar Asset Contract, whose rules cannot be read. */
      verified: boolean;
    }
  | {
      ok: false;
      problem: ReceiveProblem;
      /** A sentence for people. */
      detail: string;
    };

const TRUSTLINE_AUTHORIZED = 1;
const ISSUER_AUTH_REQUIRED = 1;

/** What a SAC token is: the classic asset behind it. `null` when `token` is not a SAC. */
export async function sacAsset(env: TxEnv, token: string): Promise<Asset | null> {
  const res = await rpcCall(env, "getLedgerEntries(token instance)", () =>
    env.server.getLedgerEntries(w.instanceLedgerKey(token)),
  );
  const entry = res.entries[0];
  if (!entry) return null;
  const exe = entry.val.contractData().val().instance().executable();
  if (exe.switch().name !== "contractExecutableStellarAsset") return null;
  // A SAC's name() is "native" or "CODE:ISSUER".
  const name = w.native(await readContract(env, token, "name", [], false));
  if (name === "native") return Asset.native();
  const [code, issuer] = String(name).split(":");
  return new Asset(code!, issuer);
}

/**
 * Judges a `G...` account from its ledger entries (pure: the I/O is in {@link canReceive}).
 * `trustline` is ignored for the native asset and for the issuer.
 */
export function judgeAccount(
  address: string,
  asset: Asset,
  account: xdr.AccountEntry | undefined,
  trustline: xdr.TrustLineEntry | undefined,
): ReceiveCheck {
  if (!account) return { ok: false, problem: "accountMissing", detail: `account ${address} does not exist` };
  if (asset.isNative() || asset.getIssuer() === address) return { ok: true, verified: true };
  const name = `${asset.getCode()}:${asset.getIssuer()}`;
  if (!trustline)
    return { ok: false, problem: "trustlineMissing", detail: `${address} has no trustline to ${name}` };
  if ((trustline.flags() & TRUSTLINE_AUTHORIZED) === 0)
    return {
      ok: false,
      problem: "trustlineNotAuthorized",
      detail: `${address}'s trustline to ${name} is not authorized by the issuer`,
    };
  return { ok: true, verified: true };
}

/**
 * Judges a `C...` contract from its SAC balance entry (`{ amount, authorized, clawback }`)
 * and, when it has none, the issuer's flags (pure).
 */
export function judgeContract(
  address: string,
  asset: Asset,
  balance: { authorized: boolean } | undefined,
  issuerFlags: number | undefined,
): ReceiveCheck {
  if (asset.isNative()) return { ok: true, verified: true };
  if (balance ? !balance.authorized : ((issuerFlags ?? 0) & ISSUER_AUTH_REQUIRED) !== 0)
    return {
      ok: false,
      problem: "balanceNotAuthorized",
      detail: `${address}'s ${asset.getCode()} balance is not authorized by the issuer`,
    };
  return { ok: true, verified: true };
}

const accountKey = (address: string) =>
  xdr.LedgerKey.account(
    new xdr.LedgerKeyAccount({ accountId: Keypair.fromPublicKey(address).xdrAccountId() }),
  );

/** Can `address` (`G...` or `C...`) be paid in `token` (a SAC `C...`)? See the module notes. */
export async function canReceive(
  env: TxEnv,
  address: string,
  token: string,
  asset?: Asset | null,
): Promise<ReceiveCheck> {
  const a = asset === undefined ? await sacAsset(env, token) : asset;
  if (!a) return { ok: true, verified: false };
  if (StrKey.isValidEd25519PublicKey(address)) {
    const keys = [accountKey(address)];
    const own = !a.isNative() && a.getIssuer() !== address;
    if (own)
      keys.push(
        xdr.LedgerKey.trustline(
          new xdr.LedgerKeyTrustLine({
            accountId: Keypair.fromPublicKey(address).xdrAccountId(),
            asset: a.toTrustLineXDRObject(),
          }),
        ),
      );
    const res = await rpcCall(env, "getLedgerEntries(account, trustline)", () =>
      env.server.getLedgerEntries(...keys),
    );
    let account: xdr.AccountEntry | undefined;
    let trustline: xdr.TrustLineEntry | undefined;
    for (const e of res.entries) {
      const kind = e.val.switch().name;
      if (kind === "account") account = e.val.account();
      if (kind === "trustline") trustline = e.val.trustLine();
    }
    return judgeAccount(address, a, account, trustline);
  }
  if (a.isNative()) return { ok: true, verified: true };
  const balanceKey = w.persistentLedgerKey(token, w.vec([w.sym("Balance"), new Address(address).toScVal()]));
  const res = await rpcCall(env, "getLedgerEntries(balance, issuer)", () =>
    env.server.getLedgerEntries(balanceKey, accountKey(a.getIssuer()!)),
  );
  let balance: { authorized: boolean } | undefined;
  let issuerFlags: number | undefined;
  for (const e of res.entries) {
    const kind = e.val.switch().name;
    if (kind === "account") issuerFlags = e.val.account().flags();
    if (kind === "contractData") {
      const v = w.native(e.val.contractData().val()) as { authorized?: unknown };
      balance = { authorized: v.authorized === true };
    }
  }
  return judgeContract(address, a, balance, issuerFlags);
}
