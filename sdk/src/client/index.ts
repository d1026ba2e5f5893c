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
  settledPerId,
  type StreamEvent,
  type EventMeta,
} from "./events.js";
export { deployStreamContract, type DeployOptions } from "./deploy.js";
export { MAX_BATCH, MAX_REFERENCE_BYTES, MAX_TRANCHES } from "./validation.js";
