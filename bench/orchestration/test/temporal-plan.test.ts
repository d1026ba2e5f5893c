import { describe, expect, it } from "vitest";
import type { StreamSpec } from "../src/scenario.js";
import { countActions } from "../src/temporal/actions.js";
import { msUntilTick, shouldContinueAsNew, streamWorkflowId } from "../src/temporal/plan.js";
import { timingFor } from "../src/temporal/timing.js";

const spec: StreamSpec = { id: "s1", startMs: 0, periodMs: 1_000, ticks: 300, amountPerTick: "1" };

describe("streamWorkflow plan", () => {
  it("sleeps until the tick is due, and not at all once it is", () => {
    expect(msUntilTick(spec, 1, 250)).toBe(750);
    expect(msUntilTick(spec, 1, 1_000)).toBe(0);
    expect(msUntilTick(spec, 1, 5_000)).toBe(0); // catch-up after an outage: settle at once
  });
  it("continues as new after ticksPerRun ticks, not before and not after the last tick", () => {
    const input = { spec, nextTick: 11 };
    expect(shouldContinueAsNew(input, 11, 120)).toBe(false);
    expect(shouldContinueAsNew(input, 130, 120)).toBe(false);
    expect(shouldContinueAsNew(input, 131, 120)).toBe(true);
    expect(shouldContinueAsNew({ spec: { ...spec, ticks: 100 }, nextTick: 1 }, 101, 50)).toBe(false);
    expect(() => shouldContinueAsNew(input, 12, 0)).toThrow(RangeError);
  });
  it("derives one workflow id per stream", () => {
    expect(streamWorkflowId("s1")).toBe("stream-s1");
    expect(streamWorkflowId("s1")).not.toBe(streamWorkflowId("s2"));
  });
  it("scales activity timeouts with the month", () => {
    expect(timingFor(4_000)).toEqual({ startToCloseMs: 1_000, retryInitialMs: 100, retryMaxMs: 500 });
    expect(() => timingFor(0)).toThrow(RangeError);
  });
});

describe("countActions", () => {
  it("counts the billable events of a child stream workflow", () => {
    const events = [
      { type: "EVENT_TYPE_WORKFLOW_EXECUTION_STARTED" },
      { type: "EVENT_TYPE_WORKFLOW_TASK_SCHEDULED" },
      { type: "EVENT_TYPE_TIMER_STARTED" },
      { type: "EVENT_TYPE_TIMER_FIRED" },
      { type: "EVENT_TYPE_ACTIVITY_TASK_SCHEDULED" },
      { type: "EVENT_TYPE_ACTIVITY_TASK_STARTED", attempt: 3 },
      { type: "EVENT_TYPE_ACTIVITY_TASK_COMPLETED" },
      { type: "EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED" },
    ];
    const c = countActions(events);
    expect(c).toMatchObject({
      workflowStarts: 1,
      timers: 1,
      activityAttempts: 3,
      total: 5,
      historyEvents: 8,
    });
  });
  it("counts a parent's child start intents", () => {
    const c = countActions([
      { type: "EVENT_TYPE_WORKFLOW_EXECUTION_STARTED" },
      { type: "EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED" },
      { type: "EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED" },
      { type: "EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED" },
    ]);
    expect(c.childStartsInitiated).toBe(2);
    expect(c.total).toBe(3);
  });
});
