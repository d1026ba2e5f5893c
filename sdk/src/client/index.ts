export {
  StreamClient,
  type StreamClientOptions,
  type WriteOutcome,
  type ListFilter,
  type StreamWithTranches,
  type EventQuery,
  type CreateOptions,
} from "./stream-client.js";
export { type ReceiveCheck } from "./receive.js";
export { type TransactOptions, type WriteOptions, type WriteResult, isTransient } from "./transact.js";
export type { Submitted } from "./tx/pipeline.js";
export {
  decodeEvent,
  decodeContractEvents,
  EVENT_NAMES,
  EVENT_TOPICS,
  type EventName,
  type StreamEvent,
  type EventMeta,
} from "./events.js";
export { deployStreamContract, type DeployOptions } from "./deploy.js";
export { MAX_BATCH, MAX_TRANCHES } from "./validation.js";
export {
  LedgerReader,
  MAX_KEYS_PER_READ,
  type ContractTtl,
  type SorobanLimits,
} from "./ledger.js";
export {
  settleManyOperation,
  extendTtlOperation,
  decodeSettleMany,
  decodeExtendTtl,
  skippedStreamIds,
} from "./calls.js";
