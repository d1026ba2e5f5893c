/**
 * Step 4, reserve (writes that ask for it: stream creations): extra read-write
 * footprint entries, declared after simulation, so that the transaction still applies
 * when the state it was simulated against has moved on in a predictable way.
 *
 * Why: a `create` writes `DataKey::Stream(count + 1)`, and a simulation declares
 * exactly that key. Creations simulated against the same `StreamCount` all declare the
 * same key; the first applied takes it and every other one fails on chain (a write
 * outside its footprint), fee charged. Declaring the next ids too lets a creation take
 * whichever id is free when it applies (see `create-race.ts` for which keys).
 *
 * The cost is the network's own price for what the extra entries add, read from the
 * network's `ConfigSetting` entries (once per client) and added to the declared resource
 * fee: per entry the write-entry fee, the transaction bytes of its key (bandwidth and
 * history fees) and host instructions; plus write bytes. A read-write entry that exists
 * when the transaction applies is written back (and counted in its write bytes) even
 * when unchanged, so a creation that lands after others declares room for the records
 * they wrote into its reserved ids (the caller says how many bytes). The extra keys are
 * capped by the network's per-transaction limits: write entries, footprint entries, write
 * bytes and instructions.
 */

import { xdr } from "@stellar/stellar-sdk";
import type { TxContext, TxEnv } from "./context.js";
import { rpcCall } from "./rpc-call.js";

/** The network settings that price and bound extra footprint entries. */
export interface FootprintPricing {
  /** Stroops per 10,000 instructions. */
  feePer10kInstructions: bigint;
  /** Stroops per written (read-write) ledger entry. */
  feeWriteLedgerEntry: bigint;
  /** Stroops per 1 KiB written. */
  feeWrite1Kb: bigint;
  /** Stroops per 1 KiB of transaction size, bandwidth plus history. */
  feeTxSize1Kb: bigint;
  /** Read-write entries a transaction may declare. */
  txMaxWriteLedgerEntries: number;
  /** Footprint entries (read-only plus read-write) a transaction may declare. */
  txMaxFootprintEntries: number;
  /** Bytes a transaction may write. */
  txMaxWriteBytes: number;
  /** Instructions a transaction may use. */
  txMaxInstructions: number;
}

/**
 * Host instructions the extra entries cost, which the simulation did not count: per
 * declared key (decoding it, the storage and TTL maps, the ledger changes) plus, per
 * byte of a record a racing creator wrote there, loading it and writing it back.
 * Measured on the devnet (the real host, bench/create-race): 8 creations racing with 7
 * reserved ids, every reserved id of the last one holding another's record (about
 * 1.1 KB, 1.35 KB declared), all apply at 70 instructions per declared byte and not all
 * at 50; twice 70, for margin: about 210,000 instructions per reserved id, about 150
 * stroops at pubnet's 7 stroops per 10,000.
 */
export const EXTRA_INSTRUCTIONS_PER_ENTRY = 20_000;
export const EXTRA_INSTRUCTIONS_PER_WRITE_BYTE = 140;

const pricing = new WeakMap<TxEnv, Promise<FootprintPricing | null>>();

const configKey = (id: xdr.ConfigSettingId) =>
  xdr.LedgerKey.configSetting(new xdr.LedgerKeyConfigSetting({ configSettingId: id }));

/**
 * The network's pricing of footprint entries, read once per {@link TxEnv}; `null` when the
 * RPC does not serve one of the settings (then nothing is reserved: a creation that loses a
 * race is still retried once).
 */
export function footprintPricing(env: TxEnv): Promise<FootprintPricing | null> {
  let p = pricing.get(env);
  if (!p) {
    p = readPricing(env);
    pricing.set(env, p);
    // A failed read is not cached: the next write tries again.
    p.catch(() => pricing.delete(env));
  }
  return p;
}

async function readPricing(env: TxEnv): Promise<FootprintPricing | null> {
  const keys = [
    xdr.ConfigSettingId.configSettingContractComputeV0(),
    xdr.ConfigSettingId.configSettingContractLedgerCostV0(),
    xdr.ConfigSettingId.configSettingContractLedgerCostExtV0(),
    xdr.ConfigSettingId.configSettingContractBandwidthV0(),
    xdr.ConfigSettingId.configSettingContractHistoricalDataV0(),
  ].map(configKey);
  const res = await rpcCall(env, "getLedgerEntries(network fee settings)", () =>
    env.server.getLedgerEntries(...keys),
  );
  const out: Partial<FootprintPricing> & { bandwidth?: bigint; history?: bigint } = {};
  for (const e of res.entries) {
    const c = e.val.configSetting();
    switch (c.switch().name) {
      case "configSettingContractComputeV0":
        out.feePer10kInstructions = c.contractCompute().feeRatePerInstructionsIncrement().toBigInt();
        out.txMaxInstructions = Number(c.contractCompute().txMaxInstructions().toBigInt());
        break;
      case "configSettingContractLedgerCostV0":
        out.feeWriteLedgerEntry = c.contractLedgerCost().feeWriteLedgerEntry().toBigInt();
        out.txMaxWriteLedgerEntries = c.contractLedgerCost().txMaxWriteLedgerEntries();
        out.txMaxWriteBytes = c.contractLedgerCost().txMaxWriteBytes();
        break;
      case "configSettingContractLedgerCostExtV0":
        out.txMaxFootprintEntries = c.contractLedgerCostExt().txMaxFootprintEntries();
        out.feeWrite1Kb = c.contractLedgerCostExt().feeWrite1Kb().toBigInt();
        break;
      case "configSettingContractBandwidthV0":
        out.bandwidth = c.contractBandwidth().feeTxSize1Kb().toBigInt();
        break;
      case "configSettingContractHistoricalDataV0":
        out.history = c.contractHistoricalData().feeHistorical1Kb().toBigInt();
        break;
    }
  }
  const {
    feePer10kInstructions,
    feeWriteLedgerEntry,
    feeWrite1Kb,
    txMaxWriteLedgerEntries,
    txMaxFootprintEntries,
    txMaxWriteBytes,
    txMaxInstructions,
    bandwidth,
    history,
  } = out;
  if (
    feePer10kInstructions === undefined ||
    feeWriteLedgerEntry === undefined ||
    feeWrite1Kb === undefined ||
    txMaxWriteLedgerEntries === undefined ||
    txMaxFootprintEntries === undefined ||
    txMaxWriteBytes === undefined ||
    txMaxInstructions === undefined ||
    bandwidth === undefined ||
    history === undefined
  )
    return null;
  return {
    feePer10kInstructions,
    feeWriteLedgerEntry,
    feeWrite1Kb,
    feeTxSize1Kb: bandwidth + history,
    txMaxWriteLedgerEntries,
    txMaxFootprintEntries,
    txMaxWriteBytes,
    txMaxInstructions,
  };
}

/**
 * The resource fee `extra` read-write entries add: the write-entry fee each, plus the
 * bytes they add to the transaction at the size fees (rounded up, as the network does).
 */
export function extraEntriesFee(p: FootprintPricing, extra: xdr.LedgerKey[]): bigint {
  const bytes = extra.reduce((n, k) => n + BigInt(k.toXDR().length), 0n);
  return BigInt(extra.length) * p.feeWriteLedgerEntry + (bytes * p.feeTxSize1Kb + 1023n) / 1024n;
}

export async function reserve(ctx: TxContext): Promise<void> {
  if (!ctx.soroban || !ctx.reserve) return;
  const data = ctx.sim!.transactionData;
  const readWrite = data.getReadWrite();
  const wanted = ctx.reserve(ctx.sim!);
  const readOnly = data.getReadOnly();
  const have = new Set(readWrite.map((k) => k.toXDR("base64")));
  const p = await footprintPricing(ctx.env);
  if (!p) return;
  const res = data.build().resources();
  // Per key: the write bytes asked for and the instructions they take.
  const bytesPerKey = wanted.keys.length ? wanted.writeBytes / wanted.keys.length : 0;
  const instructionsPerKey = EXTRA_INSTRUCTIONS_PER_ENTRY + EXTRA_INSTRUCTIONS_PER_WRITE_BYTE * bytesPerKey;
  const room = Math.max(
    0,
    Math.min(
      p.txMaxWriteLedgerEntries - readWrite.length,
      p.txMaxFootprintEntries - readWrite.length - readOnly.length,
      bytesPerKey > 0 ? Math.floor((p.txMaxWriteBytes - res.writeBytes()) / bytesPerKey) : Infinity,
      Math.floor((p.txMaxInstructions - res.instructions()) / instructionsPerKey),
    ),
  );
  const extra = wanted.keys
    .filter((k) => {
      const id = k.toXDR("base64");
      if (have.has(id)) return false;
      have.add(id);
      return true;
    })
    .slice(0, room);
  if (extra.length === 0) return;
  const built = data.build();
  // Write bytes in proportion to the keys kept (the limits may have dropped some).
  const writeBytes = Math.ceil(bytesPerKey * extra.length);
  const instructions = BigInt(Math.ceil(instructionsPerKey * extra.length));
  const fee =
    extraEntriesFee(p, extra) +
    (instructions * p.feePer10kInstructions + 9_999n) / 10_000n +
    (BigInt(writeBytes) * p.feeWrite1Kb + 1023n) / 1024n;
  data.setReadWrite([...readWrite, ...extra]);
  data.setResources(
    res.instructions() + Number(instructions),
    res.diskReadBytes(),
    res.writeBytes() + writeBytes,
  );
  data.setResourceFee(built.resourceFee().toBigInt() + fee);
  ctx.reserved = { keys: extra, writeBytes, fee };
}
