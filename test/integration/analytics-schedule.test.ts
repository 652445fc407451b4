// The analytics-refresh Schedule on the dev server (the time-skipping server has no Schedules): created
// when the worker starts, updated when it starts again with another interval, and able to run a refresh.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { ScheduleOverlapPolicy, type Client, type ScheduleDescription } from '@temporalio/client';
import type { RefreshSummary } from '../../src/analytics/refresh-plan';
import { startSystem, type RunningSystem } from '../../src/main/system';
import { startTestSystem, type TestSystem } from '../support/system';

const DAY_MS = 86_400_000;

describe('the analytics-refresh schedule', () => {
  // A schedule id of this test's own: other test files' workers keep `analytics-refresh` for themselves.
  const scheduleId = `analytics-refresh-${randomBytes(4).toString('hex')}`;
  let ts: TestSystem;
  let client: Client;
  let secondWorker: RunningSystem | undefined;

  before(async () => {
    ts = await startTestSystem({ worker: true, env: { ANALYTICS_SCHEDULE_ID: scheduleId, ANALYTICS_INTERVAL_DAYS: '14' } });
    client = ts.system.temporal.client;
  });
  after(async () => {
    await secondWorker?.stop();
    await client?.schedule
      .getHandle(scheduleId)
      .delete()
      .catch(() => undefined);
    await ts?.stop();
  });

  const describeSchedule = (): Promise<ScheduleDescription> => client.schedule.getHandle(scheduleId).describe();

  it('exists once the worker has started: every 14 days, overlap SKIP, a catch-up window, starting refreshAnalytics on our task queue', async () => {
    const schedule = await describeSchedule();
    assert.deepEqual(schedule.spec.intervals, [{ every: 14 * DAY_MS, offset: 2 * 3_600_000 }]);
    assert.equal(schedule.policies.overlap, ScheduleOverlapPolicy.SKIP);
    assert.equal(schedule.policies.catchupWindow, 14 * DAY_MS);
    assert.equal(schedule.state.paused, false);
    assert.equal(schedule.action.type, 'startWorkflow');
    assert.equal(schedule.action.workflowType, 'refreshAnalytics');
    assert.equal(schedule.action.taskQueue, ts.config.TEMPORAL_TASK_QUEUE);
    const next = schedule.info.nextActionTimes[0];
    assert.ok(next && next.getTime() > Date.now(), 'the next refresh is in the future: nothing runs at creation');
  });

  it('is updated, not duplicated, when a worker starts again with another interval', async () => {
    secondWorker = await startSystem({ ...ts.config, ANALYTICS_INTERVAL_DAYS: 7 }, { api: false, worker: true });
    const schedule = await describeSchedule();
    assert.deepEqual(schedule.spec.intervals, [{ every: 7 * DAY_MS, offset: 2 * 3_600_000 }]);
    assert.equal(schedule.policies.catchupWindow, 7 * DAY_MS);

    // Listing is eventually consistent: wait until it shows the update, then count.
    let listed: Array<{ id: string; every: number | undefined }> = [];
    for (let i = 0; i < 100; i++) {
      listed = [];
      for await (const s of client.schedule.list()) {
        if (s.scheduleId.startsWith(scheduleId)) listed.push({ id: s.scheduleId, every: s.spec?.intervals?.[0]?.every });
      }
      if (listed.length === 1 && listed[0]!.every === 7 * DAY_MS) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.deepEqual(listed, [{ id: scheduleId, every: 7 * DAY_MS }]);
  });

  it('keeps a schedule an operator paused paused when a worker starts', async () => {
    await client.schedule.getHandle(scheduleId).pause('paused by the test');
    const third = await startSystem(ts.config, { api: false, worker: true });
    try {
      const schedule = await describeSchedule();
      assert.equal(schedule.state.paused, true);
      assert.deepEqual(schedule.spec.intervals, [{ every: 14 * DAY_MS, offset: 2 * 3_600_000 }]);
    } finally {
      await third.stop();
      await client.schedule.getHandle(scheduleId).unpause();
    }
  });

  it('starts a refresh when triggered, which the worker runs to the end', async () => {
    await client.schedule.getHandle(scheduleId).trigger();
    let workflowId: string | undefined;
    for (let i = 0; i < 100 && !workflowId; i++) {
      const schedule = await describeSchedule();
      workflowId = schedule.info.recentActions[0]?.action.workflow.workflowId;
      if (!workflowId) await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(workflowId?.startsWith(`${scheduleId}-`), `the refresh is named after the schedule: ${workflowId}`);
    assert.ok(workflowId);
    const summary: RefreshSummary = await client.workflow.getHandle(workflowId).result();
    assert.equal(summary.refreshId, workflowId);
    assert.equal(summary.accountsFailed, 0);
  });
});
