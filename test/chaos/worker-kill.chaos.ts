// Kill -9 the worker at random moments while hundreds of posts publish, and start it again each time:
// every post still ends published exactly once, and PostgreSQL's record matches Pinterest's.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { demo } from '../../src/emulator';
import { extraBoards, isChaosBoard, startChaosSystem, type ChaosSystem } from './support/harness';
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
import { seededRandom, sizeFromEnv } from './support/random';

const POSTS = sizeFromEnv('CHAOS_KILL_POSTS', 500);
const BOARDS = 10;
const MAX_KILLS = sizeFromEnv('CHAOS_KILLS', 5);

describe('a worker killed with SIGKILL while posts publish', () => {
  let sys: ChaosSystem;
  before(async () => {
    sys = await startChaosSystem({ name: 'worker-kill', fixture: extraBoards(BOARDS) });
  });
  after(async () => {
    await sys?.stop();
  });

  it(
    `publishes every one of ${POSTS} posts exactly once across repeated kill -9 and restarts of the worker`,
    { timeout: 8 * 60_000 },
    async (t) => {
      const random = seededRandom();
      const started = Date.now();
      const account = await connectAccount(sys, demo.userId);
      const boards = account.boardIds.filter(isChaosBoard);
      assert.equal(boards.length, BOARDS, 'the extra boards were listed when the account connected');
      const mediaId = await uploadImage(sys);
      // A create takes half a second at Pinterest, as real ones do: kills land on calls in flight.
      sys.emulator.state.setFaults({ latencyMs: 500, routes: ['POST /v5/pins'] });

      // Due times spread over 40 s from a few seconds ahead: posts publish while others are still created.
      const due = spread(POSTS, Date.now() + 5_000, 40_000);
      const specs = postsOverBoards('kill', account, mediaId, due, BOARDS);

      const kills: string[] = [];
      const inFlightAtKills = new Set<string>();
      let nextKillAt = Date.now() + random.between(4_000, 9_000);
      let stopKilling = false;
      // The kill schedule runs beside the post creation and the wait, on its own bounded loop.
      const killer = (async () => {
        while (!stopKilling && kills.length < MAX_KILLS) {
          await new Promise((r) => setTimeout(r, 250));
          if (Date.now() < nextKillAt) continue;
          const worker = sys.workers[0]!;
          const { rows } = await sys.db.query<{ id: string }>(`SELECT id FROM publish_attempts WHERE outcome = 'pending'`);
          await worker.kill9();
          for (const r of rows) inFlightAtKills.add(r.id);
          const downMs = Math.round(random.between(200, 3_000));
          kills.push(`+${((Date.now() - started) / 1000).toFixed(1)}s down ${downMs}ms`);
          await new Promise((r) => setTimeout(r, downMs));
          worker.start();
          nextKillAt = Date.now() + random.between(5_000, 12_000);
        }
      })();

      let created: Created[] = [];
      try {
        created = await createPosts(sys, specs, 8);
        const createdAt = Date.now();
        // Kills go on while posts publish; the last one leaves time for the retries to land.
        await waitForFinal(
          sys,
          created.map((c) => c.id),
          6 * 60_000,
          async (counts) => {
            if ((counts.published ?? 0) >= POSTS * 0.9) stopKilling = true;
          },
        );
        stopKilling = true;
        await killer;
        const result = await audit(sys, created);
        figures('worker kill -9', {
          seed: random.seed,
          posts: result.posts,
          'created in': `${((createdAt - started) / 1000).toFixed(1)} s`,
          kills: `${kills.length}: ${kills.join(', ')}`,
          'worker starts': sys.workers[0]!.starts(),
          'creates in flight at the kills': inFlightAtKills.size,
          statuses: result.byStatus,
          'target statuses': result.byTargetStatus,
          pins: result.pins,
          duplicates: result.duplicates,
          lost: result.lost,
          'missing rows': result.missingRows,
          'pg/emulator mismatches': result.mismatches.length,
          'pins not recorded': result.unrecorded,
          attempts: result.attempts,
          'total time': `${((Date.now() - started) / 1000).toFixed(1)} s`,
        });
        assert.ok(kills.length >= 3, `the worker was killed several times (${kills.length})`);
        assert.equal(result.missingRows, 0, 'every accepted post is in PostgreSQL');
        assert.equal(result.lost, 0, `no post lost: ${JSON.stringify(result.byStatus)}`);
        assert.equal(result.duplicates, 0, 'no post has a second pin at Pinterest');
        assert.equal(result.unrecorded, 0, 'every pin at Pinterest is recorded on its target');
        assert.deepEqual(result.mismatches, [], 'every published target names its pin, on its board, with its title');
        assert.equal(result.byStatus.published, POSTS, `every post published: ${JSON.stringify(result.byStatus)}`);
        assert.equal(result.pins, POSTS, 'one pin per post');
        assert.deepEqual(sys.workers[0]!.crashes(), [], 'the worker never died by itself');
        assert.deepEqual(sys.api.crashes(), [], 'the api never died');
      } catch (err) {
        t.diagnostic(sys.logs());
        throw err;
      } finally {
        stopKilling = true;
        await killer;
      }
    },
  );
});
