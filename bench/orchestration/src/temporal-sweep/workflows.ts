/**
 * The expert Temporal design's workflow: one sweep per Schedule Action. Deterministic: no I/O, every
 * side effect is an activity; batches go out in parallel (one channel account each on a real chain).
 */
import { proxyActivities, workflowInfo } from "@temporalio/workflow";
import type { SweepActivities } from "./activities.js";
import { batchRef, type SweepTiming } from "./plan.js";

export interface SweepInput {
  batchSize: number;
  timing: SweepTiming;
}

export async function sweepWorkflow(input: SweepInput): Promise<number> {
  const t = input.timing;
  const retry = { initialInterval: t.retryInitialMs, maximumInterval: t.retryMaxMs, backoffCoefficient: 2 };
  const { listDue } = proxyActivities<SweepActivities>({ startToCloseTimeout: t.listStartToCloseMs, retry });
  const { signBatch } = proxyActivities<SweepActivities>({
    startToCloseTimeout: t.signStartToCloseMs,
    retry,
  });
  const { submitAndConfirm } = proxyActivities<SweepActivities>({
    startToCloseTimeout: t.submitStartToCloseMs,
    heartbeatTimeout: t.submitHeartbeatMs,
    retry,
  });
  const batches = await listDue(input.batchSize);
  const { workflowId, runId } = workflowInfo();
  await Promise.all(
    batches.map(async (ids, i) => {
      const signed = await signBatch(ids, batchRef(workflowId, runId, i));
      await submitAndConfirm(signed);
    }),
  );
  return batches.length;
}
