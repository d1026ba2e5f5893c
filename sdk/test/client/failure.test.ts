// Which error a failed call is reported as (tx/failure.ts), from hand-built XDR: only
// the error that failed the call counts, never one an inner call returned and the
// contract caught. The devnet integration test (client.test.ts, "unpayable batch")
// shows the same on a real failed transaction.

import { type rpc, xdr } from "@stellar/stellar-sdk";
import { describe, expect, it } from "vitest";
import { failingContractCode, simulationFailure, transactionFailure } from "../../src/client/tx/failure.js";
import {
  AmountExceedsWithdrawableError,
  PaymentFailedError,
  ResourceLimitExceededError,
  SimulationError,
  TokenError,
  TransactionFailedError,
} from "../../src/errors.js";

const contractErr = (code: number) => xdr.ScVal.scvError(xdr.ScError.sceContract(code));
const budgetErr = () => xdr.ScVal.scvError(xdr.ScError.sceBudget(xdr.ScErrorCode.scecExceededLimit()));

function diag(topic0: string, err: xdr.ScVal, inSuccessfulContractCall: boolean): xdr.DiagnosticEvent {
  return new xdr.DiagnosticEvent({
    inSuccessfulContractCall,
    event: new xdr.ContractEvent({
      ext: new xdr.ExtensionPoint(0),
      contractId: null,
      type: xdr.ContractEventType.diagnostic(),
      body: new xdr.ContractEventBody(
        0,
        new xdr.ContractEventV0({ topics: [xdr.ScVal.scvSymbol(topic0), err], data: xdr.ScVal.scvVoid() }),
      ),
    }),
  });
}

function failed(op: xdr.InvokeHostFunctionResult, events: xdr.DiagnosticEvent[]) {
  const resultXdr = new xdr.TransactionResult({
    feeCharged: xdr.Int64.fromString("12345"),
    result: xdr.TransactionResultResult.txFailed([
      xdr.OperationResult.opInner(xdr.OperationResultTr.invokeHostFunction(op)),
    ]),
    ext: new xdr.TransactionResultExt(0),
  });
  return {
    status: "FAILED",
    ledger: 7,
    resultXdr,
    diagnosticEventsXdr: events,
  } as unknown as rpc.Api.GetFailedTransactionResponse;
}

// A settle_many whose try_transfer caught the SAC's TrustlineMissing (13).
const caught = diag("error", contractErr(13), false);

describe("failingContractCode", () => {
  it("is the last error event: the outermost failing call", () => {
    expect(failingContractCode([caught, diag("error", contractErr(308), false)])).toBe(308);
  });

  it("is nothing when the last error is not a contract error (resources, storage)", () => {
    expect(failingContractCode([caught, diag("error", budgetErr(), false)])).toBeNull();
  });

  it("ignores events of calls that succeeded, and events that are not errors", () => {
    expect(failingContractCode([diag("error", contractErr(13), true)])).toBeNull();
    expect(failingContractCode([diag("fn_return", contractErr(13), false)])).toBeNull();
  });
});

describe("transactionFailure", () => {
  it("reports a resource-limit failure as that, whatever an inner call returned", () => {
    const e = transactionFailure(
      "settle_many",
      "ab",
      failed(xdr.InvokeHostFunctionResult.invokeHostFunctionResourceLimitExceeded(), [caught]),
    );
    expect(e).toBeInstanceOf(ResourceLimitExceededError);
    expect(e).toBeInstanceOf(TransactionFailedError);
    expect(e).toMatchObject({
      resultCode: "txFailed",
      opResultCode: "invokeHostFunctionResourceLimitExceeded",
    });
    expect(e).not.toBeInstanceOf(TokenError);
  });

  it("reports a trapped call as the contract error that failed it", () => {
    const trapped = xdr.InvokeHostFunctionResult.invokeHostFunctionTrapped();
    expect(
      transactionFailure("withdraw", "ab", failed(trapped, [caught, diag("error", contractErr(308), false)])),
    ).toBeInstanceOf(PaymentFailedError);
    expect(
      transactionFailure("withdraw", "ab", failed(trapped, [diag("error", contractErr(13), false)])),
    ).toBeInstanceOf(TokenError);
    // Trapped with no readable contract error: the result codes.
    expect(transactionFailure("withdraw", "ab", failed(trapped, []))).toMatchObject({
      opResultCode: "invokeHostFunctionTrapped",
    });
  });

  it("reports other failures with their real codes", () => {
    const e = transactionFailure(
      "settle",
      "ab",
      failed(xdr.InvokeHostFunctionResult.invokeHostFunctionEntryArchived(), [caught]),
    );
    expect(e).toBeInstanceOf(TransactionFailedError);
    expect(e.message).toMatch(/txFailed \/ invokeHostFunctionEntryArchived/);
  });
});

describe("simulationFailure", () => {
  it("reads the host error on the first line, not codes further down the event log", () => {
    const sim = {
      error:
        "HostError: Error(Contract, #113)\n\nEvent log (newest first):\n  [Diagnostic Event] Error(Contract, #13)",
      events: [caught],
    } as unknown as rpc.Api.SimulateTransactionErrorResponse;
    expect(simulationFailure("withdraw", sim)).toBeInstanceOf(AmountExceedsWithdrawableError);
    const host = {
      error: "HostError: Error(Budget, ExceededLimit)",
      events: [caught, diag("error", budgetErr(), false)],
    };
    expect(
      simulationFailure("settle_many", host as unknown as rpc.Api.SimulateTransactionErrorResponse),
    ).toBeInstanceOf(SimulationError);
  });
});
