export { readAccount } from "./account.js";
export type { TransactOptions, TxContext, TxEnv, TxRequest, TxSettings } from "./context.js";
export { txSettings } from "./context.js";
export { STEPS, type Submitted, submit } from "./pipeline.js";
export { readContract } from "./read.js";
export { isTransient, rpcCall, TransientError } from "./rpc-call.js";
