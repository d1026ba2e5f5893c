/**
 * Temporal workflows for the two flows the spike asked for. Workflow code is deterministic: no
 * I/O, no imports with side effects; time comes from the workflow clock.
 *
 * (1) `streamWorkflow`: one execution per stream; sleeps until the next tick, then settles it,
 *     and continues-as-new every `TICKS_PER_RUN` ticks to bound its event history.
 * (2) `fleetWorkflow`: a parent that starts one child `streamWorkflow` per stream. Children are
 *     abandoned on parent close so a parent failure does not stop payroll, and their ids are
 *     deterministic so a second start of the fleet (a duplicate deployment) cannot fork a stream.
 */
import {
  continueAsNew,
  ParentClosePolicy,
  proxyActivities,
  sleep,
  startChild,
  WorkflowIdReusePolicy,
} from "@temporalio/workflow";
import type { StreamSpec } from "../scenario.js";
import type { Activities } from "./activities.js";
import { msUntilTick, type StreamWorkflowInput, shouldContinueAsNew, streamWorkflowId } from "./plan.js";

export const TICKS_PER_RUN = 120;
export const START_CHUNK = 100;

/** Activity timeouts come from the fleet's input so the scaled scenario can shrink them. */
export interface Timing {
  startToCloseMs: number;
  retryInitialMs: number;
  retryMaxMs: number;
}

export async function streamWorkflow(input: StreamWorkflowInput, timing: Timing): Promise<number> {
  const { settleTick } = proxyActivities<Activities>({
    startToCloseTimeout: timing.startToCloseMs,
    retry: {
      initialInterval: timing.retryInitialMs,
      maximumInterval: timing.retryMaxMs,
      backoffCoefficient: 2,
    },
  });
  let k = input.nextTick;
  while (k <= input.spec.ticks) {
    if (shouldContinueAsNew(input, k, TICKS_PER_RUN)) {
      return continueAsNew<typeof streamWorkflow>({ spec: input.spec, nextTick: k }, timing);
    }
    const waitMs = msUntilTick(input.spec, k, Date.now());
    if (waitMs > 0) await sleep(waitMs);
    await settleTick({ streamId: input.spec.id, tick: k, amount: input.spec.amountPerTick });
    k += 1;
  }
  return k - 1;
}

export async function fleetWorkflow(streams: StreamSpec[], timing: Timing): Promise<number> {
  // Children start in chunks of START_CHUNK per workflow task (one huge task of thousands of
  // commands is slow to persist and can time out); they are abandoned on parent close.
  const handles = [];
  for (let i = 0; i < streams.length; i += START_CHUNK) {
    const chunk = streams.slice(i, i + START_CHUNK);
    handles.push(
      ...(await Promise.all(
        chunk.map((spec) =>
          startChild(streamWorkflow, {
            workflowId: streamWorkflowId(spec.id),
            args: [{ spec, nextTick: 1 }, timing],
            parentClosePolicy: ParentClosePolicy.ABANDON,
            workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
          }),
        ),
      )),
    );
  }
  await Promise.all(handles.map((h) => h.result()));
  return handles.length;
}
