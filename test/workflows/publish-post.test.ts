// The publishPost workflow on the time-skipping server, with its real activities against PostgreSQL and the
// Pinterest emulator: days pass in seconds, and what the workflow clock says is what is asserted.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { demo } from '../../src/emulator';
import { PinflowError } from '../../src/domain/errors';
import { cancelPost, createPost, getPost, updatePost } from '../../src/posts/service';
import { statusQuery } from '../../src/workflows/publish-post';
import { createWebhook } from '../../src/webhooks/service';
import type { PostView } from '../../src/posts/schemas';
import { startTimeSkippingSystem, type TimeSkippingSystem } from '../support/time-skipping-system';

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;

describe('publishPost on the workflow clock', () => {
  let sys: TimeSkippingSystem;
  let image: string;

  before(async () => {
    sys = await startTimeSkippingSystem();
    image = await sys.newImage();
  });
  after(async () => {
    await sys?.stop();
  });

  /** Schedules through the posts service, `aheadMs` after the test server's clock. */
  async function schedule(title: string, aheadMs: number, board: string = demo.boards.recipes): Promise<string> {
    const at = new Date((await sys.env.currentTimeMs()) + aheadMs).toISOString();
    const post = await createPost(sys.deps, sys.workspaceId, {
      content: `About ${title}`,
      scheduledFor: at,
      mediaIds: [image],
      platforms: [{ accountId: sys.accountId, platformOptions: { platform: 'PINTEREST', board, title } }],
    });
    return post.id;
  }

  const pinsTitled = (title: string): number => sys.emulator.state.createdPins().filter((p) => p.requestBody.title === title).length;
  const handle = (postId: string) => sys.env.client.workflow.getHandle(postId);

  /**
   * Waits (in real time) for the workflow to close, then reads the post. Not `handle.result()`: waiting on a
   * result lets the test server skip time freely, and it then runs the clock years ahead while an activity runs.
   */
  async function settled(postId: string): Promise<PostView> {
    for (let i = 0; i < 600; i++) {
      const { status } = await handle(postId).describe();
      if (status.name !== 'RUNNING') return getPost(sys.deps, sys.workspaceId, postId);
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`${postId} did not finish`);
  }

  it('publishes a post scheduled 3 days ahead at its time, not before', async () => {
    await sys.withWorker(async () => {
      const id = await schedule('Three days', 3 * day);
      await sys.env.sleep(3 * day - minute);
      const waiting = await handle(id).query(statusQuery);
      assert.equal(waiting.status, 'scheduled', 'a minute before its time it still waits');
      assert.equal(pinsTitled('Three days'), 0, 'and nothing reached Pinterest');
      await sys.env.sleep(2 * minute);
      const done = await settled(id);
      assert.equal(done.status, 'published');
      assert.equal(pinsTitled('Three days'), 1);
      assert.equal((await getPost(sys.deps, sys.workspaceId, id)).status, 'published');
    });
  });

  it('moves the timer when a post is rescheduled later, and when it is rescheduled earlier', async () => {
    await sys.withWorker(async () => {
      const laterId = await schedule('Moved later', 1 * day);
      const earlierId = await schedule('Moved earlier', 5 * day);
      const now = await sys.env.currentTimeMs();
      await updatePost(sys.deps, sys.workspaceId, laterId, { scheduledAt: new Date(now + 4 * day).toISOString() });
      await updatePost(sys.deps, sys.workspaceId, earlierId, { scheduledAt: new Date(now + 2 * day).toISOString() });

      await sys.env.sleep(2 * day + minute);
      assert.equal((await settled(earlierId)).status, 'published', 'the earlier time was kept');
      assert.equal((await handle(laterId).query(statusQuery)).status, 'scheduled', 'the old, earlier time of the other passed unused');
      assert.equal(pinsTitled('Moved later'), 0);
      await sys.env.sleep(2 * day);
      assert.equal((await settled(laterId)).status, 'published');
    });
  });

  it('cancels a post before its time: nothing is published', async () => {
    await sys.withWorker(async () => {
      const id = await schedule('Canceled', 2 * day);
      // Not at the 24-hour preflight itself: Temporal's Java test server (not the real server) sometimes
      // fails an Update that lands while that activity runs ("invalid history builder state for action").
      await sys.env.sleep(day - hour);
      const view = await cancelPost(sys.deps, sys.workspaceId, id);
      assert.equal(view.status, 'canceled');
      assert.equal((await settled(id)).status, 'canceled');
      assert.equal(pinsTitled('Canceled'), 0);
    });
  });

  it('settles a cancel that races the timer one way or the other, never both', async () => {
    await sys.withWorker(async () => {
      for (const offset of [-1, 0, 1]) {
        const title = `Race ${offset}`;
        const id = await schedule(title, hour);
        await sys.env.sleep(hour + offset);
        const canceled = await cancelPost(sys.deps, sys.workspaceId, id).then(
          () => true,
          (err: unknown) => {
            assert.ok(err instanceof PinflowError && err.code === 'POST_NOT_EDITABLE', `a lost race says so: ${String(err)}`);
            return false;
          },
        );
        const final = await settled(id);
        if (canceled) {
          assert.equal(final.status, 'canceled', title);
          assert.equal(pinsTitled(title), 0, `${title}: canceled means no pin`);
        } else {
          assert.equal(final.status, 'published', title);
          assert.equal(pinsTitled(title), 1, `${title}: a refused cancel means exactly one pin`);
        }
      }
    });
  });

  it('sends what an edit before the due time says', async () => {
    await sys.withWorker(async () => {
      const id = await schedule('Before the edit', day);
      await sys.env.sleep(hour);
      await updatePost(sys.deps, sys.workspaceId, id, { title: 'After the edit', caption: 'Edited words' });
      await sys.env.sleep(day);
      assert.equal((await settled(id)).status, 'published');
      const pin = sys.emulator.state.createdPins().find((p) => p.requestBody.title === 'After the edit');
      assert.ok(pin, 'the pin carries the edited title');
      assert.equal(pin.requestBody.description, 'Edited words');
      assert.equal(pinsTitled('Before the edit'), 0);
    });
  });

  it('flags a post at risk a day before when its board was deleted, then fails it with PIN_BOARD_NOT_FOUND at its time', async () => {
    await sys.withWorker(async () => {
      await createWebhook(sys.deps, sys.workspaceId, { url: 'http://127.0.0.1:9/hooks', events: ['post.at_risk'] });
      const id = await schedule('Doomed', 3 * day, demo.boards.travel);
      await sys.env.sleep(day);
      sys.emulator.state.store.boards.delete(demo.boards.travel); // two days before the slot
      await sys.env.sleep(day - hour);
      assert.equal((await getPost(sys.deps, sys.workspaceId, id)).risk, null, 'not checked again before the 24-hour point');
      await sys.env.sleep(hour + minute);
      // The preflight runs beside the timer (it never holds publishing back): give its activity a moment.
      let risk = (await getPost(sys.deps, sys.workspaceId, id)).risk;
      for (let i = 0; i < 100 && !risk; i++) {
        await new Promise((r) => setTimeout(r, 100));
        risk = (await getPost(sys.deps, sys.workspaceId, id)).risk;
      }
      assert.equal(risk?.code, 'PIN_BOARD_NOT_FOUND', 'flagged a day before');
      const { rows } = await sys.deps.db.query<{ body: string }>(`SELECT body FROM webhook_events WHERE type = 'post.at_risk' AND ordering_key = $1`, [id]);
      assert.equal(rows.length, 1, 'a post.at_risk event is queued for the webhook');
      assert.equal((JSON.parse(rows[0]!.body) as { data: { errorCode: string } }).data.errorCode, 'PIN_BOARD_NOT_FOUND');
      await sys.env.sleep(day);
      const final = await settled(id);
      assert.equal(final.status, 'failed');
      const view = await getPost(sys.deps, sys.workspaceId, id);
      assert.equal(view.targets[0]!.error?.code, 'PIN_BOARD_NOT_FOUND');
      assert.equal(pinsTitled('Doomed'), 0);
    });
  });
});
