export {
  StreamClient,
  type StreamClientOptions,
  type WriteOutcome,
  type ListFilter,
  type StreamWithTranches,
  type EventQuery,
} from "./stream-client.js";
export { type TransactOptions, type WriteOptions, type WriteResult, isTransient } from "./transact.js";
export {
  decodeEvent,
  decodeContractEvents,
  EVENT_NAMES,
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
