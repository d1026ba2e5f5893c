export {
  decodeExtendTtl,
  decodeSettleMany,
  decodeSettleManyTotal,
  extendTtlOperation,
  settleManyOperation,
  skippedStreamIds,
} from "./calls.js";
export { DEFAULT_RESERVE_IDS, MAX_RESERVE_IDS, nextIdKeys } from "./create-race.js";
export { type DeployOptions, deployStreamContract } from "./deploy.js";
export {
  decodeContractEvents,
  decodeEvent,
  EVENT_NAMES,
  EVENT_TOPICS,
  type EventMeta,
  type EventName,
  type StreamEvent,
} from "./events.js";
export {
  type ContractTtl,
  LedgerReader,
  MAX_KEYS_PER_READ,
  type SorobanLimits,
} from "./ledger.js";
export type { ReceiveCheck } from "./receive.js";
export { createRpcServer, type RpcServerOptions } from "./rpc-server.js";
export {
  type CreateOptions,
  type EventQuery,
  type ListFilter,
  StreamClient,
  type StreamClientOptions,
  type StreamWithTranches,
  type WriteOutcome,
} from "./stream-client.js";
export { isTransient, type TransactOptions, type WriteOptions, type WriteResult } from "./transact.js";
export type { Submitted } from "./tx/pipeline.js";
export { MAX_BATCH, MAX_REFERENCE_BYTES, MAX_TRANCHES } from "./validation.js";
