// PostgreSQL drops the worker's connection at the one moment that matters: Pinterest has created the pin and
// pinflow is writing it down. The write is lost with the connection; the pin must still count exactly once.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client } from 'pg';
import { demo } from '../../src/emulator';
import { extraBoards, startChaosSystem, type ChaosSystem } from './support/harness';
import {
  audit,
  connectAccount,
  createPosts,
  figures,
  postsOverBoards,
  spread,
  uploadImage,
  waitForFinal,
  type Created,
} from './support/posts';
import { sizeFromEnv } from './support/random';

const POSTS = sizeFromEnv('CHAOS_RECORD_POSTS', 5);

describe('the database connection lost while a created pin is recorded', () => {
  let sys: ChaosSystem;
  before(async () => {
    sys = await startChaosSystem({ name: 'record-interrupted', fixture: extraBoards(2) });
  });
  after(async () => {
    await sys?.stop();
  });

  it('keeps one pin per post when the write of a created pin dies with its connection', { timeout: 4 * 60_000 }, async (t) => {
    const started = Date.now();
    const account = await connectAccount(sys, demo.userId);
    const mediaId = await uploadImage(sys);
    // Creates take 3 s at Pinterest (under PINTEREST_TIMEOUT_MS): time to hold the targets' rows before
    // pinflow writes the result.
    sys.emulator.state.setFaults({ latencyMs: 3_000, routes: ['POST /v5/pins'] });
    const specs = postsOverBoards('record', account, mediaId, spread(POSTS, Date.now() + 8_000, 500), 2);
    let created: Created[] = [];
    // One connection holds the rows; another watches (pg_stat_activity is a snapshot inside a transaction).
    const holder = new Client({ connectionString: sys.databaseUrl });
    const admin = new Client({ connectionString: sys.databaseUrl });
    await holder.connect();
    await admin.connect();
    try {
      created = await createPosts(sys, specs, 4);
      const ids = created.map((c) => c.id);
      // Every create is in flight (its attempt recorded as pending)…
      let pending = 0;
      for (let i = 0; i < 600 && pending < POSTS; i++) {
        const { rows } = await admin.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM publish_attempts a JOIN post_targets t ON t.id = a.target_id WHERE t.post_id = ANY($1) AND a.outcome = 'pending'`,
          [ids],
        );
        pending = rows[0]!.n;
        if (pending < POSTS) await new Promise((r) => setTimeout(r, 50));
      }
      assert.equal(pending, POSTS, 'every create was in flight at once');
      // …then the targets' rows are held, so each result write waits on its row…
      await holder.query('BEGIN');
      await holder.query('SELECT id FROM post_targets WHERE post_id = ANY($1) FOR UPDATE', [ids]);
      let waiting: number[] = [];
      for (let i = 0; i < 200 && waiting.length < POSTS; i++) {
        await new Promise((r) => setTimeout(r, 50));
        const { rows } = await admin.query<{ pid: number }>(
          `SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%SET outcome = ''created''%'`,
        );
        waiting = rows.map((r) => r.pid);
      }
      const pinsAtCut = sys.emulator.state.createdPins().filter((p) => p.requestBody.title?.startsWith('record-')).length;
      // …and the server drops those connections (a failover, an admin, a proxy's idle cut would do the same).
      for (const pid of waiting) await admin.query('SELECT pg_terminate_backend($1)', [pid]);
      await holder.query('COMMIT');
      sys.emulator.state.clearFaults();

      await waitForFinal(sys, ids, 2 * 60_000);
      const result = await audit(sys, created);
      figures('result write cut', {
        posts: result.posts,
        'writes cut with their connection': waiting.length,
        'pins at Pinterest when cut': pinsAtCut,
        statuses: result.byStatus,
        pins: result.pins,
        duplicates: result.duplicates,
        lost: result.lost,
        'pins not recorded': result.unrecorded,
        attempts: result.attempts,
        'total time': `${((Date.now() - started) / 1000).toFixed(1)} s`,
      });
      assert.equal(waiting.length, POSTS, 'every result write was caught waiting and cut');
      assert.equal(result.duplicates, 0, 'no post has a second pin');
      assert.equal(result.unrecorded, 0, 'every pin at Pinterest is recorded on its target');
      assert.equal(result.lost, 0);
      assert.equal(result.byStatus.published, POSTS);
    } catch (err) {
      t.diagnostic(sys.logs());
      throw err;
    } finally {
      await holder.end().catch(() => undefined);
      await admin.end().catch(() => undefined);
    }
  });
});
