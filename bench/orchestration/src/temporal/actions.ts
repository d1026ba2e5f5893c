/**
 * Billable Temporal Cloud Actions estimated from event histories (pure).
 *
 * Mapping, from https://docs.temporal.io/cloud/actions ("Operations that result in Actions"):
 * - Workflow started (client start, Continue-As-New, child start): the run's
 *   WORKFLOW_EXECUTION_STARTED event, 1 each;
 * - child workflow: the parent's START_CHILD_WORKFLOW_EXECUTION_INITIATED is a second Action
 *   ("Start Child Workflow" and "Child Workflow Execution" are two);
 * - Timer started: TIMER_STARTED, 1 each;
 * - Activity started or retried: ACTIVITY_TASK_STARTED counts its `attempt` (the history keeps
 *   one started event per activity, carrying the attempt number);
 * - Signal: WORKFLOW_EXECUTION_SIGNALED; search attribute upsert: UPSERT_WORKFLOW_SEARCH_ATTRIBUTES.
 * Queries, heartbeats and rejected duplicate starts are not in histories (none are used here).
 */

export interface HistoryEventLite {
  /** the proto enum name, e.g. "EVENT_TYPE_TIMER_STARTED" */
  type: string;
  /** for ACTIVITY_TASK_STARTED: the attempt number (1 = first try) */
  attempt?: number;
}

export interface ActionCount {
  workflowStarts: number;
  childStartsInitiated: number;
  timers: number;
  activityAttempts: number;
  signals: number;
  searchAttributeUpserts: number;
  total: number;
  historyEvents: number;
}

export function countActions(events: readonly HistoryEventLite[]): ActionCount {
  const c: ActionCount = {
    workflowStarts: 0,
    childStartsInitiated: 0,
    timers: 0,
    activityAttempts: 0,
    signals: 0,
    searchAttributeUpserts: 0,
    total: 0,
    historyEvents: events.length,
  };
  for (const e of events) {
    switch (e.type) {
      case "EVENT_TYPE_WORKFLOW_EXECUTION_STARTED":
        c.workflowStarts += 1;
        break;
      case "EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED":
        c.childStartsInitiated += 1;
        break;
      case "EVENT_TYPE_TIMER_STARTED":
        c.timers += 1;
        break;
      case "EVENT_TYPE_ACTIVITY_TASK_STARTED":
        c.activityAttempts += Math.max(1, e.attempt ?? 1);
        break;
      case "EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED":
        c.signals += 1;
        break;
      case "EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES":
        c.searchAttributeUpserts += 1;
        break;
      default:
        break;
    }
  }
  c.total =
    c.workflowStarts +
    c.childStartsInitiated +
    c.timers +
    c.activityAttempts +
    c.signals +
    c.searchAttributeUpserts;
  return c;
}

export function addCounts(a: ActionCount, b: ActionCount): ActionCount {
  return {
    workflowStarts: a.workflowStarts + b.workflowStarts,
    childStartsInitiated: a.childStartsInitiated + b.childStartsInitiated,
    timers: a.timers + b.timers,
    activityAttempts: a.activityAttempts + b.activityAttempts,
    signals: a.signals + b.signals,
    searchAttributeUpserts: a.searchAttributeUpserts + b.searchAttributeUpserts,
    total: a.total + b.total,
    historyEvents: a.historyEvents + b.historyEvents,
  };
}

export const ZERO_ACTIONS: ActionCount = countActions([]);
