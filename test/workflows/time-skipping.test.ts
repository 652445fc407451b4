import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createTimeSkippingEnv } from '../support/temporal';

describe('the time-skipping test server', () => {
  let env: TestWorkflowEnvironment;
  before(async () => {
    env = await createTimeSkippingEnv();
  });
  after(async () => {
    await env?.teardown();
  });

  it('runs a workflow that sleeps 14 days to completion, skipping the wait', async () => {
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: 'sleep',
      workflowsPath: require.resolve('../support/sleep-workflow'),
    });
    const fourteenDays = 14 * 24 * 3600 * 1000;
    const startedWall = Date.now();
    const slept = await worker.runUntil(
      env.client.workflow.execute('sleepFor', { args: [fourteenDays], taskQueue: 'sleep', workflowId: 'sleep-14-days' }),
    );
    assert.ok(slept >= fourteenDays, `workflow clock advanced ${slept} ms`);
    // Not a timing assertion: a real 14-day wait could never get here; the figure is for the log.
    console.log(`14-day sleep completed in ${Date.now() - startedWall} ms of wall time`);
  });
});
