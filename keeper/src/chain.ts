// The keeper's only I/O: reads the chain state `decide` needs and sends the two
// permissionless calls it plans. Built on the SDK's StreamClient, which validates,
// simulates, signs, sends, waits and retries transient RPC failures.

import { Address, type rpc, xdr } from "@stellar/stellar-sdk";
import type { StreamClient } from "@tributary/sdk";
import type { ChainState } from "./decide.js";

export interface SettleResult {
  txHash: string;
  ledger: number;
  paid: bigint[];
  /** Streams the contract skipped because their recipient could not receive. */
  skipped: bigint[];
}

export interface Chain {
  read(): Promise<ChainState>;
  settle(ids: bigint[]): Promise<SettleResult>;
  extend(ids: bigint[]): Promise<{ txHash: string; ledger: number; extended: number }>;
}

export class SorobanChain implements Chain {
  constructor(
    private readonly client: StreamClient,
    private readonly server: rpc.Server,
    private readonly contractId: string,
  ) {}

  async read(): Promise<ChainState> {
    const latest = await this.server.getLatestLedger();
    const streams = await this.client.listStreams({ withTranches: true });
    const instance = await this.instanceLiveUntil();
    return {
      streams: streams.map(({ tranches, liveUntilLedger, ...stream }) => ({
        stream,
        ...(tranches ? { tranches } : {}),
        ...(liveUntilLedger !== undefined ? { liveUntilLedger } : {}),
      })),
      nowTs: BigInt(latest.closeTime),
      latestLedger: latest.sequence,
      ...(instance !== undefined ? { instanceLiveUntilLedger: instance } : {}),
    };
  }

  /** The earlier of the instance's and the code's TTL: the contract only touch-extends
   * its instance, so keeping the code alive is the keeper's job. */
  private async instanceLiveUntil(): Promise<number | undefined> {
    const key = xdr.LedgerKey.contractData(
      new xdr.LedgerKeyContractData({
        contract: Address.fromString(this.contractId).toScAddress(),
        key: xdr.ScVal.scvLedgerKeyContractInstance(),
        durability: xdr.ContractDataDurability.persistent(),
      }),
    );
    const instance = (await this.server.getLedgerEntries(key)).entries[0];
    if (!instance) return undefined;
    const executable = instance.val.contractData().val().instance().executable();
    if (executable.switch().name !== "contractExecutableWasm") return instance.liveUntilLedgerSeq;
    const code = (
      await this.server.getLedgerEntries(
        xdr.LedgerKey.contractCode(new xdr.LedgerKeyContractCode({ hash: executable.wasmHash() })),
      )
    ).entries[0];
    const ttls = [instance.liveUntilLedgerSeq, code?.liveUntilLedgerSeq].filter(
      (x): x is number => x !== undefined,
    );
    return ttls.length ? Math.min(...ttls) : undefined;
  }

  async settle(ids: bigint[]): Promise<SettleResult> {
    const out = await this.client.settleMany(ids);
    const skipped = out.events.filter((e) => e.type === "settleSkipped").map((e) => e.id);
    return { txHash: out.hash, ledger: out.ledger, paid: out.result, skipped };
  }

  async extend(ids: bigint[]): Promise<{ txHash: string; ledger: number; extended: number }> {
    const out = await this.client.extendTtl(ids);
    return { txHash: out.hash, ledger: out.ledger, extended: out.result };
  }
}
