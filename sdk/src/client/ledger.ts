/**
 * Ledger reads without simulation, for services that page through a contract's
 * state (a keeper, an indexer): the latest ledger, streams by id range, the
 * contract's instance and code TTL, an account's native balance and the network's
 * Soroban per-transaction and per-ledger limits (its `ConfigSetting` entries).
 *
 * Every key is built here, so callers never build XDR keys by hand; every call
 * goes through `getLedgerEntries` (at most 200 keys each, the RPC's limit).
 *
 * @module ledger
 */

import { Keypair, type rpc, xdr } from "@stellar/stellar-sdk";
import type { Buffer } from "buffer";
import { DecodeError } from "../errors.js";
import type { Tranche } from "../types.js";
import { rpcFailure } from "./rpc-server.js";
import type { StreamWithTranches } from "./stream-client.js";
import * as w from "./wire.js";

/** The RPC's `getLedgerEntries` key limit. */
export const MAX_KEYS_PER_READ = 200;

/** The contract instance's and its Wasm code's TTL (last ledger each lives through). */
export interface ContractTtl {
  instanceLiveUntilLedger?: number;
  codeLiveUntilLedger?: number;
}

/**
 * Soroban limits as the network's `ConfigSetting` entries declare them. A field is
 * absent when the RPC does not serve that entry (some local networks do not).
 */
export interface SorobanLimits {
  txMaxInstructions?: number;
  txMemoryLimit?: number;
  txMaxDiskReadEntries?: number;
  txMaxDiskReadBytes?: number;
  txMaxWriteLedgerEntries?: number;
  txMaxWriteBytes?: number;
  txMaxFootprintEntries?: number;
  txMaxSizeBytes?: number;
  txMaxContractEventsSizeBytes?: number;
  ledgerMaxInstructions?: number;
  ledgerMaxDiskReadEntries?: number;
  ledgerMaxDiskReadBytes?: number;
  ledgerMaxWriteLedgerEntries?: number;
  ledgerMaxWriteBytes?: number;
  ledgerMaxTxsSizeBytes?: number;
  ledgerMaxTxCount?: number;
}

/** Reads one contract's state straight from ledger entries. */
export class LedgerReader {
  constructor(
    readonly server: rpc.Server,
    readonly contractId: string,
  ) {}

  async #get(keys: xdr.LedgerKey[]): Promise<rpc.Api.GetLedgerEntriesResponse> {
    if (keys.length > MAX_KEYS_PER_READ)
      throw new RangeError(`at most ${MAX_KEYS_PER_READ} keys per read (got ${keys.length})`);
    try {
      return await this.server.getLedgerEntries(...keys);
    } catch (error) {
      throw rpcFailure("getLedgerEntries", error);
    }
  }

  /** The latest ledger's sequence and close time (unix seconds). */
  async latestLedger(): Promise<{ sequence: number; closeTs: bigint }> {
    try {
      const l = await this.server.getLatestLedger();
      return { sequence: l.sequence, closeTs: BigInt(l.closeTime) };
    } catch (error) {
      throw rpcFailure("getLatestLedger", error);
    }
  }

  /** `StreamCount` from the instance entry (0 before the first stream) and the instance's TTL. */
  async instance(): Promise<{ streamCount: bigint; liveUntilLedger?: number; wasmHash?: Buffer }> {
    const res = await this.#get([w.instanceLedgerKey(this.contractId)]);
    const entry = res.entries[0];
    if (!entry)
      throw new DecodeError(`contract ${this.contractId} has no instance entry (not deployed, or archived)`);
    const instance = entry.val.contractData().val().instance();
    const wanted = w.streamCountKey().toXDR("base64");
    const hit = (instance.storage() ?? []).find((e) => e.key().toXDR("base64") === wanted);
    const exe = instance.executable();
    return {
      streamCount: hit ? w.parseBigint("StreamCount", w.native(hit.val())) : 0n,
      ...(entry.liveUntilLedgerSeq !== undefined ? { liveUntilLedger: entry.liveUntilLedgerSeq } : {}),
      ...(exe.switch().name === "contractExecutableWasm" ? { wasmHash: exe.wasmHash() } : {}),
    };
  }

  /** The instance's and the code's TTL: the contract touch-extends only its instance. */
  async contractTtl(): Promise<ContractTtl> {
    const inst = await this.instance();
    const out: ContractTtl = {};
    if (inst.liveUntilLedger !== undefined) out.instanceLiveUntilLedger = inst.liveUntilLedger;
    if (inst.wasmHash) {
      const key = xdr.LedgerKey.contractCode(new xdr.LedgerKeyContractCode({ hash: inst.wasmHash }));
      const code = (await this.#get([key])).entries[0];
      if (code?.liveUntilLedgerSeq !== undefined) out.codeLiveUntilLedger = code.liveUntilLedgerSeq;
    }
    return out;
  }

  /**
   * The streams with these ids (at most 200; ids with no entry are left out), each
   * with its TTL and, with `withTranches`, its tranches (one more read for the
   * tranched ones). Pages through any id set in bounded memory.
   */
  async streams(
    ids: readonly bigint[],
    opts: { withTranches?: boolean } = {},
  ): Promise<StreamWithTranches[]> {
    if (ids.length === 0) return [];
    const res = await this.#get(ids.map((id) => w.persistentLedgerKey(this.contractId, w.streamKey(id))));
    const byKey = new Map(res.entries.map((e) => [e.key.toXDR("base64"), e] as const));
    const out: StreamWithTranches[] = [];
    for (const id of ids) {
      const e = byKey.get(w.persistentLedgerKey(this.contractId, w.streamKey(id)).toXDR("base64"));
      if (!e) continue;
      const s: StreamWithTranches = w.parseStream(id, w.native(e.val.contractData().val()));
      if (e.liveUntilLedgerSeq !== undefined) s.liveUntilLedger = e.liveUntilLedgerSeq;
      out.push(s);
    }
    if (opts.withTranches) {
      const tranched = out.filter((s) => s.schedule.kind === "tranched");
      if (tranched.length > 0) {
        const t = await this.#get(
          tranched.map((s) => w.persistentLedgerKey(this.contractId, w.tranchesKey(s.id))),
        );
        const tByKey = new Map(t.entries.map((e) => [e.key.toXDR("base64"), e] as const));
        for (const s of tranched) {
          const e = tByKey.get(w.persistentLedgerKey(this.contractId, w.tranchesKey(s.id)).toXDR("base64"));
          if (!e) throw new DecodeError(`stream ${s.id} is tranched but has no Tranches entry`);
          s.tranches = w.parseTranches(w.native(e.val.contractData().val())) as Tranche[];
        }
      }
    }
    return out;
  }

  /** An account's sequence number and native balance (stroops); `null` when it does not exist. */
  async account(address: string): Promise<{ sequence: string; balance: bigint } | null> {
    const key = xdr.LedgerKey.account(
      new xdr.LedgerKeyAccount({ accountId: Keypair.fromPublicKey(address).xdrAccountId() }),
    );
    const entry = (await this.#get([key])).entries[0];
    if (!entry) return null;
    const a = entry.val.account();
    return { sequence: a.seqNum().toString(), balance: a.balance().toBigInt() };
  }

  /** The network's Soroban limits from its `ConfigSetting` entries (absent ones left out). */
  async sorobanLimits(): Promise<SorobanLimits> {
    const ids = [
      xdr.ConfigSettingId.configSettingContractComputeV0(),
      xdr.ConfigSettingId.configSettingContractLedgerCostV0(),
      xdr.ConfigSettingId.configSettingContractEventsV0(),
      xdr.ConfigSettingId.configSettingContractBandwidthV0(),
      xdr.ConfigSettingId.configSettingContractExecutionLanes(),
      xdr.ConfigSettingId.configSettingContractLedgerCostExtV0(),
    ];
    const res = await this.#get(
      ids.map((id) => xdr.LedgerKey.configSetting(new xdr.LedgerKeyConfigSetting({ configSettingId: id }))),
    );
    const out: SorobanLimits = {};
    for (const e of res.entries) {
      const c = e.val.configSetting();
      switch (c.switch().name) {
        case "configSettingContractComputeV0": {
          const v = c.contractCompute();
          out.txMaxInstructions = Number(v.txMaxInstructions().toBigInt());
          out.ledgerMaxInstructions = Number(v.ledgerMaxInstructions().toBigInt());
          out.txMemoryLimit = v.txMemoryLimit();
          break;
        }
        case "configSettingContractLedgerCostV0": {
          const v = c.contractLedgerCost();
          out.txMaxDiskReadEntries = v.txMaxDiskReadEntries();
          out.txMaxDiskReadBytes = v.txMaxDiskReadBytes();
          out.txMaxWriteLedgerEntries = v.txMaxWriteLedgerEntries();
          out.txMaxWriteBytes = v.txMaxWriteBytes();
          out.ledgerMaxDiskReadEntries = v.ledgerMaxDiskReadEntries();
          out.ledgerMaxDiskReadBytes = v.ledgerMaxDiskReadBytes();
          out.ledgerMaxWriteLedgerEntries = v.ledgerMaxWriteLedgerEntries();
          out.ledgerMaxWriteBytes = v.ledgerMaxWriteBytes();
          break;
        }
        case "configSettingContractEventsV0":
          out.txMaxContractEventsSizeBytes = c.contractEvents().txMaxContractEventsSizeBytes();
          break;
        case "configSettingContractBandwidthV0": {
          const v = c.contractBandwidth();
          out.txMaxSizeBytes = v.txMaxSizeBytes();
          out.ledgerMaxTxsSizeBytes = v.ledgerMaxTxsSizeBytes();
          break;
        }
        case "configSettingContractExecutionLanes":
          out.ledgerMaxTxCount = c.contractExecutionLanes().ledgerMaxTxCount();
          break;
        case "configSettingContractLedgerCostExtV0":
          out.txMaxFootprintEntries = c.contractLedgerCostExt().txMaxFootprintEntries();
          break;
      }
    }
    return out;
  }
}
