import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ScheduleOverlapPolicy } from '@temporalio/client';
import { analyticsScheduleOptions } from '../../src/temporal/schedules';

const config = { ANALYTICS_INTERVAL_DAYS: 14, ANALYTICS_SCHEDULE_ID: 'analytics-refresh', TEMPORAL_TASK_QUEUE: 'pinflow' };
const DAY_MS = 86_400_000;

describe('the analytics-refresh schedule', () => {
  it('starts refreshAnalytics every 14 days at 02:00 UTC, skipping a run while one is going, catching up one missed run', () => {
    const options = analyticsScheduleOptions(config);
    assert.equal(options.scheduleId, 'analytics-refresh');
    assert.deepEqual(options.spec.intervals, [{ every: 14 * DAY_MS, offset: 2 * 3_600_000 }]);
    assert.equal(options.action.workflowType, 'refreshAnalytics');
    assert.equal(options.action.taskQueue, 'pinflow');
    assert.equal(options.policies?.overlap, ScheduleOverlapPolicy.SKIP);
    assert.equal(options.policies?.catchupWindow, 14 * DAY_MS);
  });

  it('follows a configured interval, hours included', () => {
    assert.deepEqual(analyticsScheduleOptions({ ...config, ANALYTICS_INTERVAL_DAYS: 7 }).spec.intervals, [
      { every: 7 * DAY_MS, offset: 2 * 3_600_000 },
    ]);
    assert.deepEqual(analyticsScheduleOptions({ ...config, ANALYTICS_INTERVAL_DAYS: 0.25 }).spec.intervals, [
      { every: 6 * 3_600_000, offset: 0 },
    ]);
  });

  it('refuses an interval that would let days fall out of Pinterest’s 90-day window', () => {
    assert.throws(() => analyticsScheduleOptions({ ...config, ANALYTICS_INTERVAL_DAYS: 60 }), /90-day window/);
  });
});
