export type { TransactOptions, TxEnv, TxRequest, TxContext, TxSettings } from "./context.js";
export { txSettings } from "./context.js";
export { submit, STEPS, type Submitted } from "./pipeline.js";
export { readContract } from "./read.js";
export { rpcCall, isTransient, TransientError } from "./rpc-call.js";
export { readAccount } from "./account.js";
