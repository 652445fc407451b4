// Pinterest slower than pinflow's deadline: a create times out at our end, but Pinterest goes on and
// commits the pin a little later, as a real server does with a request it already accepted.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
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

const POSTS = sizeFromEnv('CHAOS_SLOW_POSTS', 10);
const TIMEOUT_MS = 5_000;

describe('Pinterest committing a pin after pinflow gave up waiting', () => {
  let sys: ChaosSystem;
  before(async () => {
    sys = await startChaosSystem({
      name: 'slow-pinterest',
      fixture: extraBoards(2),
      // The defaults' proportions (PINTEREST_TIMEOUT_MS = PUBLISH_SETTLE_MS = 30 s), scaled down six times.
      env: { PINTEREST_TIMEOUT_MS: String(TIMEOUT_MS), PUBLISH_SETTLE_MS: String(TIMEOUT_MS) },
    });
  });
  after(async () => {
    await sys?.stop();
  });

  it('creates one pin per post when Pinterest answers creates after the deadline', { timeout: 5 * 60_000 }, async (t) => {
    const started = Date.now();
    const account = await connectAccount(sys, demo.userId);
    const mediaId = await uploadImage(sys);
    const specs = postsOverBoards('slow', account, mediaId, spread(POSTS, Date.now() + 3_000, 2_000), 2);
    let created: Created[] = [];
    // Creates take 1.7 × the deadline: each first attempt times out, and its pin appears 3.5 s later — after
    // the first retry (2 s after the timeout) and well inside the settle window that follows the timeout.
    sys.emulator.state.setFaults({ latencyMs: Math.round(TIMEOUT_MS * 1.7), routes: ['POST /v5/pins'] });
    try {
      created = await createPosts(sys, specs, 4);
      const final = await waitForFinal(
        sys,
        created.map((c) => c.id),
        3 * 60_000,
      );
      const result = await audit(sys, created);
      figures('slow Pinterest', {
        posts: result.posts,
        statuses: final,
        'target statuses': result.byTargetStatus,
        pins: result.pins,
        duplicates: result.duplicates,
        lost: result.lost,
        'pins not recorded': result.unrecorded,
        attempts: result.attempts,
        'total time': `${((Date.now() - started) / 1000).toFixed(1)} s`,
      });
      assert.equal(result.duplicates, 0, 'no post has a second pin');
      assert.equal(result.lost, 0);
    } catch (err) {
      t.diagnostic(sys.logs());
      throw err;
    } finally {
      sys.emulator.state.clearFaults();
    }
  });
});
