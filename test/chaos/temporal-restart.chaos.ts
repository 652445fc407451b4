// Restart the Temporal dev server (SQLite file, `--db-filename`) while a thousand posts wait on their
// durable timers: after the restart every timer fires, and none fires twice — one pin per post.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { demo } from '../../src/emulator';
import { extraBoards, startChaosSystem, type ChaosSystem } from './support/harness';
import {
  audit,
  connectAccount,
  createPosts,
  figures,
  lateness,
  percentiles,
  statusCounts,
  uploadImage,
  postsOverBoards,
  waitForFinal,
  type Created,
} from './support/posts';
import { sizeFromEnv } from './support/random';

const POSTS = sizeFromEnv('CHAOS_TIMER_POSTS', 1000);
/** How long after the last post is created the first is due: the restart (down 5 s) fits well before it. */
const MARGIN_MS = sizeFromEnv('CHAOS_TIMER_MARGIN_MS', 20_000);
const DOWN_MS = 5_000;

const BOARDS = 10;
/** SIGKILL instead of a graceful stop: CHAOS_TEMPORAL_KILL=1. */
const KILL = process.env.CHAOS_TEMPORAL_KILL === '1';

describe('the Temporal dev server restarted with pending timers', () => {
  let sys: ChaosSystem;
  before(async () => {
    sys = await startChaosSystem({ name: 'temporal-restart', fixture: extraBoards(BOARDS) });
  });
  after(async () => {
    await sys?.stop();
  });

  it(`fires all ${POSTS} pending timers after the restart, none twice`, { timeout: 8 * 60_000 }, async (t) => {
    const started = Date.now();
    const account = await connectAccount(sys, demo.userId);
    const mediaId = await uploadImage(sys);
    // Each post is due when creation is projected to be over plus the margin, from the rate so far (a slow
    // machine gets later due times, not a restart after the timers fired); they land within seconds of each other.
    const creationStart = Date.now();
    let sent = 0;
    const dueFor = (i: number) => (): Date => {
      sent++;
      const elapsed = Date.now() - creationStart;
      const rate = sent < 50 ? 20 / 1000 : sent / Math.max(1, elapsed);
      const projectedEnd = Date.now() + (POSTS - sent) / rate;
      return new Date(Math.ceil((projectedEnd + MARGIN_MS) / 1000) * 1000 + (i % 10) * 100);
    };
    const specs = postsOverBoards(
      'timer',
      account,
      mediaId,
      Array.from({ length: POSTS }, (_, i) => dueFor(i)),
      BOARDS,
    );
    let created: Created[] = [];
    try {
      created = await createPosts(sys, specs, 8);
      const firstDue = Math.min(...created.map((c) => c.spec.scheduledAt.getTime()));
      const lastDue = Math.max(...created.map((c) => c.spec.scheduledAt.getTime()));
      const createdIn = Date.now() - started;
      const ids = created.map((c) => c.id);

      // Every post waits on its timer when the server goes down.
      const before = await statusCounts(sys, ids);
      const pinsBefore = sys.emulator.state.createdPins().length;
      const stoppedAt = Date.now();
      await sys.temporal.stop({ kill: KILL });
      await new Promise((r) => setTimeout(r, DOWN_MS));
      await sys.temporal.start();
      const restartedAt = Date.now();
      assert.equal(before?.scheduled, POSTS, `all ${POSTS} posts were waiting when the server stopped: ${JSON.stringify(before)}`);
      assert.equal(pinsBefore, 0, 'no pin existed before the restart');
      assert.ok(
        restartedAt < firstDue,
        `the server was back ${((firstDue - restartedAt) / 1000).toFixed(1)} s before the first due time (raise CHAOS_TIMER_MARGIN_MS if not)`,
      );

      const final = await waitForFinal(sys, ids, 5 * 60_000);
      const result = await audit(sys, created);
      const { late, slowest } = await lateness(sys, created);
      figures('Temporal dev server restart', {
        posts: result.posts,
        'pending timers at stop': before?.scheduled,
        'created in': `${(createdIn / 1000).toFixed(1)} s`,
        'due times': `${((firstDue - creationStart) / 1000).toFixed(1)}–${((lastDue - creationStart) / 1000).toFixed(1)} s after creation began`,
        restart: `${KILL ? 'SIGKILL' : 'SIGTERM'}, down ${((restartedAt - stoppedAt) / 1000).toFixed(1)} s, back ${((firstDue - restartedAt) / 1000).toFixed(1)} s before the first due time`,
        statuses: final,
        pins: result.pins,
        duplicates: result.duplicates,
        lost: result.lost,
        'pg/emulator mismatches': result.mismatches.length,
        'pins not recorded': result.unrecorded,
        'early pins': late.filter((ms) => ms < 0).length,
        'lateness p50/p90/max': percentiles(late),
        'latest post': slowest,
        attempts: result.attempts,
        'total time': `${((Date.now() - started) / 1000).toFixed(1)} s`,
      });
      assert.equal(result.lost, 0, `no post lost: ${JSON.stringify(result.byStatus)}`);
      assert.equal(result.duplicates, 0, 'no timer fired twice: no post has a second pin');
      assert.equal(result.unrecorded, 0, 'every pin is recorded on its target');
      assert.deepEqual(result.mismatches, []);
      assert.equal(result.byStatus.published, POSTS, `every post published: ${JSON.stringify(result.byStatus)}`);
      assert.equal(result.pins, POSTS, 'one pin per post');
      assert.equal(late.filter((ms) => ms < 0).length, 0, 'no pin before its time');
      assert.deepEqual([...sys.workers[0]!.crashes(), ...sys.api.crashes()], [], 'the worker and the api rode out the restart');
    } catch (err) {
      t.diagnostic(sys.logs());
      throw err;
    }
  });
});
