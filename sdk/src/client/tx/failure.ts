/**
 * Which error a failed call is reported as. Only what failed the call counts:
 * - A failed simulation: the host error on the first line of the RPC's `error` text
 *   (`HostError: Error(Contract, #113)`), else the last error event of a call that
 *   did not succeed. Errors the contract caught (a `try_transfer` that found no
 *   trustline, inside a call that then succeeded) are diagnostics, not the failure.
 * - A failed transaction: its result code first. Only `invokeHostFunctionTrapped`
 *   means the contract (or a contract it called) failed; then the contract error is
 *   read from the diagnostic events as above. Any other code (resources exceeded,
 *   an entry archived, too little refundable fee) is reported as that code
 *   ({@link TransactionFailedError}, `ResourceLimitExceededError`), never as an
 *   error code some inner call returned and the contract handled.
 * - A missing function, named by the host's diagnostic event: in a contract the stream
 *   contract called (as a token), `NotATokenError` naming that contract and function;
 *   in the stream contract itself, `NotAStreamContractError`.
 * - A stream client pointed at a contract that is not the stream contract: when a
 *   call fails with a host error (not a contract error), the contract is looked at:
 *   no contract there, a Stellar Asset Contract, or a Wasm contract without the
 *   function is `NotAStreamContractError` saying which.
 */

import { type rpc, StrKey, type xdr } from "@stellar/stellar-sdk";
import { Buffer } from "buffer";
import {
  contractError,
  NotAStreamContractError,
  NotATokenError,
  OutsideFootprintError,
  parseContractErrorCode,
  ResourceLimitExceededError,
  SimulationError,
  TransactionFailedError,
  type TributaryError,
} from "../../errors.js";
import { instanceLedgerKey } from "../wire.js";
import type { TxEnv } from "./context.js";
import { rpcCall } from "./rpc-call.js";

function contractCodeInScVal(v: xdr.ScVal): number | null {
  if (v.switch().name === "scvError") {
    const err = v.error();
    if (err.switch().name === "sceContract") return err.contractCode();
  }
  return null;
}

/**
 * The contract error code of the last `error` diagnostic event outside successful
 * calls (topics `["error", Error(Contract, #n)]`): the host emits one per failing
 * frame, innermost first, so the last is the error the outermost call failed with.
 */
export function failingContractCode(events: xdr.DiagnosticEvent[] | undefined): number | null {
  let found: number | null = null;
  for (const d of events ?? []) {
    if (d.inSuccessfulContractCall()) continue;
    const topics = d.event().body().v0().topics();
    if (topics.length < 2 || topics[0]!.switch().name !== "scvSymbol") continue;
    if (topics[0]!.sym().toString() !== "error") continue;
    const code = contractCodeInScVal(topics[1]!);
    // A non-contract error (budget, storage...) after a contract error is the failure.
    found = code;
  }
  return found;
}

/**
 * True when the diagnostic events show a storage access outside the footprint: the
 * host's `Error(Storage, ExceededLimit)` with "outside of the footprint" in its message.
 * (RPCs that do not return diagnostic events give nothing to look at: false.)
 */
export function outsideFootprint(events: xdr.DiagnosticEvent[] | undefined): boolean {
  return (events ?? []).some((d) => {
    const body = d.event().body().v0();
    const topics = body.topics();
    if (topics.length < 2 || topics[1]!.switch().name !== "scvError") return false;
    const err = topics[1]!.error();
    if (err.switch().name !== "sceStorage" || err.code().name !== "scecExceededLimit") return false;
    const data = body.data();
    const first = data.switch().name === "scvVec" ? data.vec()?.[0] : data;
    return first?.switch().name === "scvString" && /outside of the footprint/.test(first.str().toString());
  });
}

/**
 * The contract and function of a call to a function that does not exist, from the
 * host's diagnostic event (emitted by the called contract: `["error",
 * Error(WasmVm, MissingValue)]`, data `["trying to invoke non-existent contract
 * function", name]`); `null` when there is none.
 */
export function missingFunction(
  events: xdr.DiagnosticEvent[] | undefined,
): { contractId: string; fn: string } | null {
  for (const d of events ?? []) {
    const ev = d.event();
    const id = ev.contractId();
    const data = ev.body().v0().data();
    if (!id || data.switch().name !== "scvVec") continue;
    const [msg, fn] = data.vec() ?? [];
    if (msg?.switch().name !== "scvString" || !/non-existent contract function/.test(msg.str().toString()))
      continue;
    const name =
      fn?.switch().name === "scvSymbol"
        ? fn.sym().toString()
        : fn?.switch().name === "scvString"
          ? fn.str().toString()
          : "?";
    return { contractId: StrKey.encodeContract(Buffer.from(id as unknown as Uint8Array)), fn: name };
  }
  return null;
}

/** The error a failed simulation reports (before looking at the contract, see {@link notAStreamContract}). */
export function simulationFailure(
  label: string,
  sim: rpc.Api.SimulateTransactionErrorResponse,
): TributaryError {
  const head = sim.error.split("\n")[0] ?? "";
  const code = parseContractErrorCode(head) ?? failingContractCode(sim.events);
  if (code !== null) return contractError(code, label);
  return new SimulationError(label, sim.error);
}

/**
 * Why `contractId` is not a stream contract, or `null` when it may be one: no contract
 * instance there, a Stellar Asset Contract, or a Wasm contract whose failure says the
 * function does not exist. One `getLedgerEntries` call; used only after a failure.
 */
export async function notAStreamContract(
  env: TxEnv,
  contractId: string,
  hostError: string,
): Promise<string | null> {
  const res = await rpcCall(env, "getLedgerEntries(contract instance)", () =>
    env.server.getLedgerEntries(instanceLedgerKey(contractId)),
  );
  const entry = res.entries[0];
  if (!entry) return "no contract is deployed at this address";
  const exe = entry.val.contractData().val().instance().executable();
  if (exe.switch().name === "contractExecutableStellarAsset")
    return "it is a Stellar Asset Contract (a token)";
  if (/non-existent contract function|Error\(WasmVm, MissingValue\)/i.test(hostError))
    return "its Wasm has no such function";
  return null;
}

/**
 * {@link NotATokenError} when the diagnostic events show a contract the stream contract
 * called lacks the function; {@link NotAStreamContractError} when the stream contract
 * does, or when {@link notAStreamContract} finds a reason; else `error`.
 */
export async function explainFailure(
  env: TxEnv,
  label: string,
  error: TributaryError,
  contractId: string,
  events?: xdr.DiagnosticEvent[],
): Promise<TributaryError> {
  if (!(error instanceof SimulationError)) return error;
  const missing = missingFunction(events);
  if (missing && missing.contractId !== contractId)
    return new NotATokenError(label, missing.contractId, missing.fn);
  if (missing)
    return new NotAStreamContractError(contractId, label, `its Wasm has no function \`${missing.fn}\``);
  const why = await notAStreamContract(env, contractId, error.detail);
  return why ? new NotAStreamContractError(contractId, label, why) : error;
}

/** `txFailed` and the operation's own code, e.g. `invokeHostFunctionResourceLimitExceeded`. */
export function resultCodes(result: xdr.TransactionResult): { tx: string; op?: string } {
  const tx = result.result().switch().name;
  const op = result.result().results?.()[0];
  if (!op) return { tx };
  const tr = op.value() as
    | { switch?: () => { name: string }; value?: () => { switch?: () => { name: string } } }
    | undefined;
  const inner = tr?.value?.()?.switch?.().name;
  return inner ? { tx, op: inner } : { tx };
}

/** The error a transaction that was applied and failed reports. */
export function transactionFailure(
  label: string,
  hash: string,
  res: rpc.Api.GetFailedTransactionResponse,
): TributaryError {
  const codes = resultCodes(res.resultXdr);
  if (codes.op === "invokeHostFunctionTrapped") {
    const code = failingContractCode(res.diagnosticEventsXdr);
    if (code !== null) return contractError(code, `${label} in transaction ${hash}`);
    if (outsideFootprint(res.diagnosticEventsXdr))
      return new OutsideFootprintError(label, hash, res.ledger, codes.tx, codes.op);
  }
  if (codes.op === "invokeHostFunctionResourceLimitExceeded")
    return new ResourceLimitExceededError(label, hash, res.ledger);
  return new TransactionFailedError(label, hash, res.ledger, codes.tx, codes.op);
}
