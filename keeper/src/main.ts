// Entry point: parse the configuration once (all problems at once), check the
// network, then run on schedule (or once). Exit codes: 0 stopped cleanly,
// 1 a run-once run had failures or the drain deadline passed, 2 fatal
// (configuration, wrong network, unfunded fee payer).

import { Keypair, rpc } from "@stellar/stellar-sdk";
import { KeypairSigner, type Network, StreamClient } from "@tributary/sdk";
import { SorobanChain } from "./chain.js";
import { ConfigError, type KeeperConfig, parseConfig } from "./config.js";
import { startHealthServer } from "./health.js";
import { Keeper, summaryFields } from "./keeper.js";
import { createLogger } from "./logger.js";
import { runOnce } from "./run.js";

async function main(): Promise<number> {
  let config: KeeperConfig;
  try {
    config = parseConfig(process.env);
  } catch (e) {
    if (e instanceof ConfigError) {
      createLogger("fatal").fatal({ problems: e.problems }, e.message);
      return 2;
    }
    throw e;
  }
  const log = createLogger(config.logLevel);
  const signer = new KeypairSigner(Keypair.fromSecret(config.secret));
  const net: Network = {
    name: "keeper",
    passphrase: config.networkPassphrase,
    rpcUrl: config.rpcUrl,
    allowHttp: config.rpcUrl.startsWith("http://"),
  };
  const server = new rpc.Server(config.rpcUrl, { allowHttp: net.allowHttp });
  const actual = (await server.getNetwork()).passphrase;
  if (actual !== config.networkPassphrase) {
    log.fatal({ expected: config.networkPassphrase, actual }, "the RPC serves another network");
    return 2;
  }
  const client = new StreamClient({ network: net, contractId: config.contractId, signer, server });
  const chain = new SorobanChain(client, server, config.contractId);
  const policy = {
    settleBatchSize: config.settleBatchSize,
    extendBatchSize: config.extendBatchSize,
    minSettleAmount: config.minSettleAmount,
    extendBelowLedgers: config.extendBelowLedgers,
  };
  log.info(
    {
      rpcUrl: config.rpcUrl,
      contractId: config.contractId,
      feePayer: await signer.publicKey(),
      schedule: config.schedule,
    },
    "keeper starting",
  );

  if (config.runOnce) {
    const s = await runOnce(chain, policy, log.child({ component: "run" }));
    log.info(summaryFields(s), "run complete");
    return s.failedBatches > 0 ? 1 : 0;
  }

  const keeper = new Keeper(chain, policy, log.child({ component: "run" }));
  const health =
    config.healthPort > 0 ? await startHealthServer(config.healthPort, () => keeper.health) : undefined;
  let exitCode = 0;
  const shutdown = async (signal: string) => {
    log.info({ signal, deadlineMs: config.shutdownDeadlineMs }, "stopping: draining the in-flight run");
    const drained = await keeper.stop(config.shutdownDeadlineMs);
    if (!drained) {
      log.warn("drain deadline passed; exiting with a run in flight (it is safe to repeat)");
      exitCode = 1;
    }
    health?.close();
  };
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
  process.once("SIGINT", () => void shutdown("SIGINT"));
  try {
    await keeper.run(config.schedule);
  } catch {
    health?.close();
    return 2;
  }
  return exitCode;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    createLogger("fatal").fatal({ err: error }, "keeper crashed");
    process.exit(2);
  },
);
