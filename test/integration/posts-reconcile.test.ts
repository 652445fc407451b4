// A post stored without its workflow (the API died between storing it and starting the workflow) is found by
// the `posts-reconcile` Schedule and published at its time, once; posts that have their workflow are left alone.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ScheduleHandle } from '@temporalio/client';
import { insertPost } from '../../src/db/posts';
import { newId } from '../../src/domain/ids';
import { demo } from '../../src/emulator';
import type { PostView } from '../../src/posts/schemas';
import type { ReconcileResult } from '../../src/posts/reconcile';
import { connectDemoAccount } from '../support/accounts';
import { jpeg } from '../support/images';
import { uploadImage } from '../support/media';
import { startTestSystem, type TestSystem } from '../support/system';

describe('the posts reconciler', () => {
  let ts: TestSystem;
  before(async () => {
    ts = await startTestSystem({ worker: true });
  });
  after(async () => {
    await ts?.stop();
  });

  async function waitForStatus(id: string, status: string): Promise<PostView> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const { body } = await ts.call<PostView>('GET', `/v1/posts/${id}`);
      if (body.status === status) return body;
      if (Date.now() > deadline) throw new Error(`post ${id} is ${body.status}, not ${status}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** The result of the schedule's latest run (after `previous`, if given). */
  async function waitForRun(schedule: ScheduleHandle, previous?: string): Promise<ReconcileResult & { workflowId: string }> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const latest = (await schedule.describe()).info.recentActions.at(-1)?.action.workflow.workflowId;
      if (latest && latest !== previous) {
        const handle = ts.system.temporal.client.workflow.getHandle(latest);
        return { ...((await handle.result()) as ReconcileResult), workflowId: latest };
      }
      if (Date.now() > deadline) throw new Error('the reconcile schedule did not run');
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  it('starts the workflow of a post stored without one, which then publishes at its time, once', async () => {
    // Paused, so that only the runs this test triggers happen (a trigger runs a paused schedule).
    const schedule = ts.system.temporal.client.schedule.getHandle(ts.config.RECONCILE_SCHEDULE_ID);
    await schedule.pause('test: runs only when triggered');
    const { accountId } = await connectDemoAccount(ts);
    const mediaId = await uploadImage(ts.apiUrl, ts.workspace.apiKey, await jpeg(1000, 1500));
    const dueAt = new Date(Date.now() + 4000);
    // A post accepted normally, due at the same time: it has its workflow and must not get a second.
    const normal = await ts.call<PostView>('POST', '/v1/posts', {
      content: 'Started by the API',
      scheduledFor: dueAt.toISOString(),
      mediaIds: [mediaId],
      platforms: [{ accountId, platformOptions: { platform: 'PINTEREST', board: demo.boards.recipes, title: 'normal' } }],
    });
    assert.equal(normal.status, 201, JSON.stringify(normal.body));
    // What a crash between the store and the start leaves: the rows, and no workflow.
    const orphanId = newId('post');
    await insertPost(ts.system.db, {
      id: orphanId,
      workspaceId: ts.workspace.id,
      description: 'Stored, then the API died',
      scheduledAt: dueAt,
      optimize: true,
      mediaIds: [mediaId],
      targets: [{ id: newId('target'), accountId, boardId: demo.boards.travel, title: 'orphan' }],
    });
    await ts.system.db.query(`UPDATE posts SET created_at = now() - interval '2 minutes' WHERE id = ANY($1)`, [[orphanId, normal.body.id]]);

    const previousRun = (await schedule.describe()).info.recentActions.at(-1)?.action.workflow.workflowId;
    await schedule.trigger();
    const run = await waitForRun(schedule, previousRun);
    assert.deepEqual(run.started, [orphanId], 'only the post without a workflow is started');
    assert.ok(run.checked >= 2, `both posts were looked at (${run.checked})`);

    const orphan = await waitForStatus(orphanId, 'published');
    await waitForStatus(normal.body.id, 'published');
    const pins = ts.emulator.state.createdPins();
    assert.equal(pins.filter((p) => p.requestBody.title === 'orphan').length, 1, 'one pin for the orphan');
    assert.equal(pins.filter((p) => p.requestBody.title === 'normal').length, 1, 'one pin for the normal post');
    const pin = pins.find((p) => p.requestBody.title === 'orphan')!;
    assert.equal(pin.id, orphan.targets[0]!.pinId);
    assert.ok(Date.parse(pin.createdAt) >= dueAt.getTime(), 'not before its time');

    // A second run finds nothing left to start.
    await schedule.trigger();
    assert.deepEqual((await waitForRun(schedule, run.workflowId)).started, []);
  });
});
