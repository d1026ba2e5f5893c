/**
 * Step 3, authorize: recording-mode simulation lists every authorization the call
 * needs; entries with address credentials are for someone other than the source.
 * Sign them with the matching `authSigners` and re-simulate, or refuse now rather
 * than send a transaction that must fail.
 */

import { Address, authorizeEntry, type xdr } from "@stellar/stellar-sdk";
import { Buffer } from "buffer";
import { AuthorizationError } from "../../errors.js";
import type { Signer } from "../../signers/signer.js";
import { buildTx } from "./build.js";
import type { TxContext } from "./context.js";
import { rpcCall } from "./rpc-call.js";
import { simulateTx } from "./simulate.js";

const isAddressCredential = (a: xdr.SorobanAuthorizationEntry) =>
  a.credentials().switch().name === "sorobanCredentialsAddress";

const addressOf = (a: xdr.SorobanAuthorizationEntry) =>
  Address.fromScAddress(a.credentials().address().address()).toString();

export async function authorize(ctx: TxContext): Promise<void> {
  if (!ctx.soroban) return;
  const entries = ctx.sim!.result?.auth ?? [];
  const others = entries.filter(isAddressCredential).map(addressOf);
  if (others.length === 0) return;
  const byAddress = new Map<string, Signer>();
  for (const s of ctx.authSigners ?? []) byAddress.set(await s.publicKey(), s);
  const missing = [...new Set(others)].filter((a) => !byAddress.get(a)?.signAuthEntry);
  if (missing.length) throw new AuthorizationError(ctx.label, ctx.source, missing);
  const { env } = ctx;
  const latest = await rpcCall(env, `${ctx.label}: getLatestLedger`, () => env.server.getLatestLedger());
  // Valid a little longer than the transaction (ledgers close about every 5 s).
  const validUntil = latest.sequence + Math.ceil(env.settings.txTimeoutS / 5) + 20;
  const signed = await Promise.all(
    entries.map(async (entry) => {
      if (!isAddressCredential(entry)) return entry;
      const s = byAddress.get(addressOf(entry))!;
      return authorizeEntry(
        entry,
        async (preimage) =>
          Buffer.from(
            await s.signAuthEntry!(preimage.toXDR("base64"), {
              networkPassphrase: env.network.passphrase,
            }),
            "base64",
          ),
        validUntil,
        env.network.passphrase,
      );
    }),
  );
  // Re-simulate with the signed entries (enforcing mode) so the footprint and the
  // resources cover signature verification; assembly keeps the signed entries.
  ctx.tx = buildTx(ctx, signed);
  ctx.sim = await simulateTx(env, ctx.label, ctx.tx, ctx.streamContractId);
}
