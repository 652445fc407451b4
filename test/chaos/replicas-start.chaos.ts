// Replicas started at once, as an orchestrator starts them: the api and three workers come up while
// another replica holds the migration lock, wait for it instead of exiting, and then publish.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PG_MIGRATE_LOCK_ID } from 'node-pg-migrate';
import { Client } from 'pg';
import { demo } from '../../src/emulator';
import { extraBoards, startChaosSystem, type ChaosSystem } from './support/harness';
import { audit, connectAccount, createPosts, figures, postsOverBoards, spread, uploadImage, waitForFinal } from './support/posts';

const WORKERS = 3;
const LOCK_HELD_MS = 4_000;
const POSTS = 30;

describe('replicas starting while the migration lock is taken', () => {
  let sys: ChaosSystem;
  before(async () => {
    sys = await startChaosSystem({ name: 'replicas-start', fixture: extraBoards(3), workers: WORKERS, startProcesses: false });
  });
  after(async () => {
    await sys?.stop();
  });

  it(`starts the api and ${WORKERS} workers together, each waiting for the lock, and publishes`, { timeout: 4 * 60_000 }, async (t) => {
    const started = Date.now();
    // Another replica is migrating: it holds node-pg-migrate's advisory lock.
    const holder = new Client({ connectionString: sys.databaseUrl });
    await holder.connect();
    try {
      await holder.query('SELECT pg_advisory_lock($1)', [PG_MIGRATE_LOCK_ID]);
      sys.api.start();
      for (const w of sys.workers) w.start();
      await new Promise((r) => setTimeout(r, LOCK_HELD_MS));
      await holder.query('SELECT pg_advisory_unlock($1)', [PG_MIGRATE_LOCK_ID]);
    } finally {
      await holder.end();
    }
    try {
      await sys.waitForApi();
      const ready = await sys.call('GET', '/readyz');
      const account = await connectAccount(sys, demo.userId);
      const mediaId = await uploadImage(sys);
      const created = await createPosts(sys, postsOverBoards('replica', account, mediaId, spread(POSTS, Date.now() + 2_000, 3_000), 3));
      await waitForFinal(
        sys,
        created.map((c) => c.id),
        2 * 60_000,
      );
      const result = await audit(sys, created);
      const crashes = [sys.api, ...sys.workers].flatMap((p) => p.crashes());
      figures('replicas starting together', {
        'lock held for': `${LOCK_HELD_MS} ms`,
        'processes running': [sys.api, ...sys.workers].filter((p) => p.running()).length,
        crashes: crashes.length ? crashes.join('; ') : 'none',
        '/readyz': ready.status,
        statuses: result.byStatus,
        pins: result.pins,
        duplicates: result.duplicates,
        'total time': `${((Date.now() - started) / 1000).toFixed(1)} s`,
      });
      assert.deepEqual(crashes, [], 'no replica exited because the lock was taken');
      assert.equal(ready.status, 200);
      assert.equal(result.byStatus.published, POSTS);
      assert.equal(result.duplicates, 0);
    } catch (err) {
      t.diagnostic(sys.logs());
      throw err;
    }
  });
});
