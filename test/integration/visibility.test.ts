import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { PostId, ScheduledAt } from '../../src/temporal/search-attributes';
import { temporalAddress, uniqueTaskQueue } from '../support/temporal';

describe('the Temporal dev server', () => {
  let connection: Connection;
  let client: Client;
  before(async () => {
    connection = await Connection.connect({ address: temporalAddress() });
    client = new Client({ connection });
  });
  after(async () => {
    await connection?.close();
  });

  it('finds a workflow by its PostId and ScheduledAt search attributes', async () => {
    const postId = `post_visibility_${Date.now()}`;
    const scheduledAt = new Date(Date.now() + 3 * 24 * 3600 * 1000);
    const handle = await client.workflow.start('sleepFor', {
      taskQueue: uniqueTaskQueue('visibility'), // no worker: the workflow stays open, which is all we need
      workflowId: postId,
      args: [1000],
      typedSearchAttributes: [
        { key: PostId, value: postId },
        { key: ScheduledAt, value: scheduledAt },
      ],
    });
    try {
      const query = `PostId = "${postId}" AND ScheduledAt > "${new Date(scheduledAt.getTime() - 60_000).toISOString()}"`;
      let found: string[] = [];
      for (let i = 0; i < 100 && found.length === 0; i++) {
        found = [];
        for await (const wf of client.workflow.list({ query })) found.push(wf.workflowId);
        if (found.length === 0) await new Promise((r) => setTimeout(r, 100));
      }
      assert.deepEqual(found, [postId]);
      const other = `PostId = "${postId}" AND ScheduledAt > "${new Date(scheduledAt.getTime() + 60_000).toISOString()}"`;
      const none: string[] = [];
      for await (const wf of client.workflow.list({ query: other })) none.push(wf.workflowId);
      assert.deepEqual(none, [], 'a later ScheduledAt bound excludes it');
    } finally {
      await handle.terminate('test done');
    }
  });
});
