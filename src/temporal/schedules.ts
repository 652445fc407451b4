// pinflow's Schedules (Web UI → Schedules), created or updated by every worker at start, so a changed
// setting takes effect with the next deploy and any number of replicas agree on one schedule each:
// `analytics-refresh` starts refreshAnalytics every ANALYTICS_INTERVAL_DAYS; `posts-reconcile` starts
// reconcilePosts every minute.
import {
  ScheduleAlreadyRunning,
  ScheduleOverlapPolicy,
  type Client,
  type ScheduleHandle,
  type ScheduleOptions,
  type ScheduleOptionsAction,
  type ScheduleOptionsStartWorkflowAction,
} from '@temporalio/client';
import type { Config } from '../config';
import type { refreshAnalytics } from '../workflows/refresh-analytics';
import type { reconcilePosts } from '../workflows/reconcile-posts';
import { BACKFILL_DAYS } from '../analytics/window';

type AnalyticsScheduleConfig = Pick<Config, 'ANALYTICS_INTERVAL_DAYS' | 'ANALYTICS_SCHEDULE_ID' | 'TEMPORAL_TASK_QUEUE'>;
type RefreshAction = ScheduleOptionsStartWorkflowAction<typeof refreshAnalytics>;

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/**
 * Pinterest keeps 90 days; a refresh must come around before a day leaves that window, with room for a
 * missed run and its catch-up.
 */
export const MAX_INTERVAL_DAYS = BACKFILL_DAYS / 2;

export function analyticsScheduleOptions(config: AnalyticsScheduleConfig): ScheduleOptions<RefreshAction> {
  const everyMs = Math.round(config.ANALYTICS_INTERVAL_DAYS * DAY_MS);
  if (config.ANALYTICS_INTERVAL_DAYS > MAX_INTERVAL_DAYS) {
    throw new Error(
      `ANALYTICS_INTERVAL_DAYS is ${config.ANALYTICS_INTERVAL_DAYS}: above ${MAX_INTERVAL_DAYS} days, pin analytics would fall out of Pinterest's 90-day window unrecorded`,
    );
  }
  return {
    scheduleId: config.ANALYTICS_SCHEDULE_ID,
    // Intervals count from the Unix epoch; 02:00 UTC keeps a run away from the UTC midnight on which
    // Pinterest's "90 days back" moves.
    spec: { intervals: [{ every: everyMs, offset: everyMs >= DAY_MS ? 2 * HOUR_MS : 0 }] },
    action: {
      type: 'startWorkflow',
      workflowType: 'refreshAnalytics',
      // The server appends the scheduled time: `analytics-refresh-2025-06-01T02:00:00Z` is the refresh id.
      workflowId: config.ANALYTICS_SCHEDULE_ID,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      args: [{}],
    },
    policies: {
      // A refresh still running when the next is due (a huge backfill) is not doubled: the next is skipped.
      overlap: ScheduleOverlapPolicy.SKIP,
      // A run missed while Temporal was down is taken when it is back, up to one interval late; the
      // refresh fetches from the last stored day, so nothing is lost by running late.
      catchupWindow: Math.max(everyMs, 60_000),
      pauseOnFailure: false,
    },
  };
}

type ReconcileScheduleConfig = Pick<Config, 'RECONCILE_SCHEDULE_ID' | 'TEMPORAL_TASK_QUEUE'>;
type ReconcileAction = ScheduleOptionsStartWorkflowAction<typeof reconcilePosts>;

export function reconcileScheduleOptions(config: ReconcileScheduleConfig): ScheduleOptions<ReconcileAction> {
  return {
    scheduleId: config.RECONCILE_SCHEDULE_ID,
    spec: { intervals: [{ every: '1 minute' }] },
    action: {
      type: 'startWorkflow',
      workflowType: 'reconcilePosts',
      workflowId: config.RECONCILE_SCHEDULE_ID,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      args: [{}],
    },
    // Each run looks at what is due next: a missed run is not worth catching up, and runs never overlap.
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: 60_000, pauseOnFailure: false },
  };
}

/** Creates the schedule, or brings an existing one to this configuration (keeping it paused if an operator paused it). */
async function createOrUpdate<A extends ScheduleOptionsAction>(client: Client, options: ScheduleOptions<A>): Promise<ScheduleHandle> {
  try {
    return await client.schedule.create(options);
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
  const handle = client.schedule.getHandle(options.scheduleId);
  await handle.update((previous) => ({ spec: options.spec, action: options.action, policies: options.policies, state: previous.state }));
  return handle;
}

export function createOrUpdateAnalyticsSchedule(client: Client, config: AnalyticsScheduleConfig): Promise<ScheduleHandle> {
  return createOrUpdate(client, analyticsScheduleOptions(config));
}

export function createOrUpdateReconcileSchedule(client: Client, config: ReconcileScheduleConfig): Promise<ScheduleHandle> {
  return createOrUpdate(client, reconcileScheduleOptions(config));
}
