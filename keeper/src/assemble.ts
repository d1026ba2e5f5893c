// Wires a keeper from its configuration: the RPC client, the SDK's ledger reader,
// the fee payer and channel accounts, and the state a keeper carries between runs
// (learned batch size, streams set aside, fee budget, metrics). Checks the network.

import { Keypair } from "@stellar/stellar-sdk";
import { createRpcServer, LedgerReader, MAX_BATCH, NetworkMismatchError } from "@tributary/sdk";
import type { Logger } from "pino";
import { BatchSizer, SetAside } from "./batching.js";
import { Channel, ChannelPool, retrying } from "./channels.js";
import type { KeeperConfig } from "./config.js";
import { createMetrics, type Metrics } from "./metrics.js";
import { FeeBudget } from "./policy.js";
import type { RunDeps } from "./run.js";

export async function assemble(
  config: KeeperConfig,
  log: Logger,
  opts: { metrics?: Metrics } = {},
): Promise<Omit<RunDeps, "stopping">> {
  // Every request times out (a hung RPC would otherwise hang a run forever).
  const server = createRpcServer(config.rpcUrl, {
    allowHttp: config.rpcUrl.startsWith("http://"),
    timeoutMs: config.rpcTimeoutMs,
  });
  // A transient RPC failure at start is retried; a wrong network is fatal.
  const actual = (await retrying(() => server.getNetwork())).passphrase;
  if (actual !== config.networkPassphrase) throw new NetworkMismatchError(config.networkPassphrase, actual);
  const reader = new LedgerReader(server, config.contractId);
  const feePayer = Keypair.fromSecret(config.secret);
  const channelKeys = config.channelSecrets.length
    ? config.channelSecrets.map((s) => Keypair.fromSecret(s))
    : [feePayer];
  const channelOpts = {
    passphrase: config.networkPassphrase,
    inclusionFee: config.inclusionFee,
    txTimeoutS: config.txTimeoutS,
    pollMs: 250,
  };
  const pool = new ChannelPool(channelKeys.map((k) => new Channel(k, feePayer, server, reader, channelOpts)));
  log.info(
    {
      rpcUrl: config.rpcUrl,
      contractId: config.contractId,
      feePayer: feePayer.publicKey(),
      channels: pool.channels.map((c) => c.address),
      shard: `${config.shard.index}/${config.shard.count}`,
      tokens: config.tokens === "any" ? "*" : [...config.tokens],
      budgetPerRun: config.budgetPerRun.toString(),
      budgetPerDay: config.budgetPerDay.toString(),
    },
    "keeper assembled",
  );
  return {
    reader,
    pool,
    contractId: config.contractId,
    feePayer: feePayer.publicKey(),
    sizer: new BatchSizer(MAX_BATCH),
    aside: new SetAside(config.setAsideBackoffS * 1000, 86_400_000),
    budget: new FeeBudget(config.budgetPerRun, config.budgetPerDay),
    metrics: opts.metrics ?? createMetrics(),
    log,
    feePerStream: { value: 0n },
    settings: {
      decide: {
        policy: {
          payIntervalS: config.payIntervalS,
          onTrancheUnlock: config.onTrancheUnlock,
          thresholds: config.thresholds ?? new Map(),
          prices: config.prices ?? new Map(),
          maxFeeSharePpm: config.maxFeeSharePpm,
        },
        scope: {
          tokens: config.tokens,
          ...(config.senders ? { senders: config.senders } : {}),
          shard: config.shard,
        },
        extendBelowLedgers: config.extendBelowLedgers,
      },
      pageSize: config.pageSize,
      readConcurrency: 4,
      extendBatchSize: config.extendBatchSize,
    },
  };
}
