// refreshAnalytics on the time-skipping server, with its activities replaced by in-memory ones (the
// real activities are exercised against the emulator in test/integration/analytics-refresh.test.ts).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { AnalyticsActivities } from '../../src/activities/analytics';
import type { AccountSlice } from '../../src/analytics/refresh-plan';
import type { refreshAnalytics } from '../../src/workflows/refresh-analytics';
import { createTimeSkippingEnv } from '../support/temporal';

type SliceFn = (input: { refreshId: string; accountId: string; sliceMs: number }) => Promise<AccountSlice>;

interface Recorder {
  listed: number;
  slices: string[];
  failures: Array<{ accountId: string; code: string }>;
  finished: string[];
}

function stubActivities(accounts: string[], slice: SliceFn, rec: Recorder): AnalyticsActivities {
  return {
    async listAnalyticsAccounts() {
      rec.listed += 1;
      return accounts;
    },
    async refreshAccountAnalytics(input) {
      rec.slices.push(input.accountId);
      return slice(input);
    },
    async recordAnalyticsFailure(input) {
      rec.failures.push({ accountId: input.accountId, code: input.code });
    },
    async finishAnalyticsRefresh(input) {
      rec.finished.push(input.refreshId);
    },
  };
}

const done = (pins: number): AccountSlice => ({
  done: true,
  pins,
  requests: pins,
  rowsChanged: pins * 4,
  retries: Context.current().info.attempt - 1,
});

describe('the refreshAnalytics workflow', () => {
  let env: TestWorkflowEnvironment;
  before(async () => {
    env = await createTimeSkippingEnv();
  });
  after(async () => {
    await env?.teardown();
  });

  let queue = 0;
  async function run(accounts: string[], slice: SliceFn, options: Record<string, number> = {}) {
    const rec: Recorder = { listed: 0, slices: [], failures: [], finished: [] };
    const taskQueue = `refresh-analytics-${++queue}`;
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowsPath: require.resolve('../../src/workflows'),
      activities: stubActivities(accounts, slice, rec),
    });
    const workflowId = `analytics-refresh-test-${queue}`;
    const summary = await worker.runUntil(
      env.client.workflow.execute<typeof refreshAnalytics>('refreshAnalytics', { taskQueue, workflowId, args: [{ options }] }),
    );
    return { summary, rec, workflowId };
  }

  it('refreshes every account exactly once, continuing as new with the accounts left after each run', async () => {
    const accounts = ['soc_a', 'soc_b', 'soc_c', 'soc_d', 'soc_e'];
    const { summary, rec, workflowId } = await run(accounts, async () => done(3), { accountsPerRun: 2, accountConcurrency: 2 });
    assert.deepEqual([...rec.slices].sort(), accounts);
    assert.equal(rec.listed, 1, 'the accounts are listed once, then carried from run to run');
    assert.equal(summary.runs, 3);
    assert.equal(summary.refreshId, workflowId, 'one refresh id across the runs');
    assert.deepEqual(rec.finished, [workflowId]);
    assert.equal(summary.accountsRefreshed, 5);
    assert.equal(summary.pins, 15);
    assert.equal(summary.rowsChanged, 60);
  });

  it('calls an account again, slice after slice, until it is done, and counts its totals once', async () => {
    let calls = 0;
    const { summary, rec } = await run(['soc_big'], async () => {
      calls += 1;
      return calls < 3 ? { done: false, pins: calls * 10, requests: calls * 10, rowsChanged: 0, retries: 0 } : done(25);
    });
    assert.deepEqual(rec.slices, ['soc_big', 'soc_big', 'soc_big']);
    assert.equal(summary.accountsRefreshed, 1);
    assert.equal(summary.pins, 25);
  });

  it('waits out a 429 for the delay Pinterest asked for, then finishes the account', async () => {
    const attemptsAt: number[] = [];
    const { summary, rec } = await run(['soc_a'], async () => {
      attemptsAt.push(await env.currentTimeMs());
      if (Context.current().info.attempt === 1) {
        throw ApplicationFailure.create({ type: 'PIN_RATE_LIMITED', message: 'HTTP 429 code 8', nextRetryDelay: '10 minutes' });
      }
      return done(2);
    });
    assert.equal(rec.slices.length, 2);
    assert.ok(attemptsAt[1]! - attemptsAt[0]! >= 10 * 60_000, `retried ${attemptsAt[1]! - attemptsAt[0]!} ms later (server time)`);
    assert.equal(summary.retries, 1);
    assert.equal(summary.accountsRefreshed, 1);
    assert.equal(summary.accountsFailed, 0);
  });

  it('records an account that cannot be refreshed with its code and refreshes the others', async () => {
    const { summary, rec } = await run(['soc_a', 'soc_gone', 'soc_c'], async ({ accountId }) => {
      if (accountId === 'soc_gone') throw ApplicationFailure.nonRetryable('reconnect the account', 'ACCOUNT_RECONNECT_REQUIRED');
      return done(1);
    });
    assert.deepEqual(rec.failures, [{ accountId: 'soc_gone', code: 'ACCOUNT_RECONNECT_REQUIRED' }]);
    assert.equal(rec.slices.filter((a) => a === 'soc_gone').length, 1, 'a non-retryable failure is not retried');
    assert.equal(summary.accountsRefreshed, 2);
    assert.equal(summary.accountsFailed, 1);
    assert.deepEqual(summary.failures, [{ accountId: 'soc_gone', code: 'ACCOUNT_RECONNECT_REQUIRED' }]);
  });
});
