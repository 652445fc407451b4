// Stop PostgreSQL for 60 s while posts publish: the API answers 503 SERVICE_UNAVAILABLE at once (never
// hangs, never 500s), and once the database is back every post's result is recorded, none lost or doubled.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { demo } from '../../src/emulator';
import type { PostView } from '../../src/posts/schemas';
import { extraBoards, isChaosBoard, startChaosSystem, type Answer, type ChaosSystem } from './support/harness';
import {
  audit,
  connectAccount,
  createPosts,
  figures,
  spread,
  statusCounts,
  uploadImage,
  postsOverBoards,
  waitForFinal,
  type Created,
} from './support/posts';
import { sizeFromEnv } from './support/random';

const POSTS = sizeFromEnv('CHAOS_PG_POSTS', 150);
const OUTAGE_MS = sizeFromEnv('CHAOS_PG_OUTAGE_MS', 60_000);
/** The most a caller should wait for an answer while the database is away. */
const CLIENT_TIMEOUT_MS = 10_000;
const BOARDS = 10;

interface Probe {
  route: string;
  answer: Answer<{ errors?: Array<{ code: string }> }>;
}

describe('PostgreSQL stopped for a minute while posts publish', () => {
  let sys: ChaosSystem;
  before(async () => {
    sys = await startChaosSystem({ name: 'postgres-outage', fixture: extraBoards(BOARDS) });
  });
  after(async () => {
    await sys?.stop();
  });

  it(
    `answers 503 SERVICE_UNAVAILABLE during the outage and records all ${POSTS} posts once it is over`,
    { timeout: 8 * 60_000 },
    async (t) => {
      const started = Date.now();
      const account = await connectAccount(sys, demo.userId);
      const boards = account.boardIds.filter(isChaosBoard);
      const mediaId = await uploadImage(sys);
      // Due over 40 s: the outage begins when about a fifth are out and ends after the last is due.
      const due = spread(POSTS, Date.now() + 8_000, 40_000);
      const specs = postsOverBoards('pg', account, mediaId, due, BOARDS);
      let created: Created[] = [];
      // Pinterest takes a second per create, so some are in flight when the database stops: their pins exist at
      // Pinterest before pinflow can write them down.
      sys.emulator.state.setFaults({ latencyMs: 1_000, routes: ['POST /v5/pins'] });
      try {
        created = await createPosts(sys, specs, 8);
        const ids = created.map((c) => c.id);
        const someId = ids[ids.length - 1]!;
        const newPost = (i: number): unknown => ({
          content: `during the outage ${i}`,
          scheduledFor: new Date(Date.now() + 3_600_000).toISOString(),
          mediaIds: [mediaId],
          platforms: [{ accountId: account.accountId, platformOptions: { platform: 'PINTEREST', board: boards[0], title: `outage-${i}` } }],
        });

        // Wait for about a fifth to be published, then stop the database.
        for (let i = 0; i < 240; i++) {
          const counts = await statusCounts(sys, ids);
          if ((counts?.published ?? 0) >= POSTS / 5) break;
          await new Promise((r) => setTimeout(r, 250));
        }
        const publishedBefore = (await statusCounts(sys, ids))?.published ?? 0;
        const stoppedAt = Date.now();
        await sys.postgres.stop();

        const probes: Probe[] = [];
        let round = 0;
        while (Date.now() - stoppedAt < OUTAGE_MS - 3_000) {
          round++;
          const calls: Array<[string, Promise<Answer<{ errors?: Array<{ code: string }> }>>]> = [
            [`GET /v1/posts/:id`, sys.call('GET', `/v1/posts/${someId}`, undefined, { timeoutMs: CLIENT_TIMEOUT_MS })],
            ['GET /v1/posts', sys.call('GET', '/v1/posts?limit=10', undefined, { timeoutMs: CLIENT_TIMEOUT_MS })],
            ['POST /v1/posts', sys.call('POST', '/v1/posts', newPost(round), { timeoutMs: CLIENT_TIMEOUT_MS })],
            ['GET /v1/accounts', sys.call('GET', '/v1/accounts', undefined, { timeoutMs: CLIENT_TIMEOUT_MS })],
          ];
          for (const [route, answer] of calls) probes.push({ route, answer: await answer });
          await new Promise((r) => setTimeout(r, 2_000));
        }
        const readyz = await sys.call<{ db?: string }>('GET', '/readyz', undefined, { timeoutMs: CLIENT_TIMEOUT_MS });
        const pinsDuringOutage = sys.emulator.state
          .createdPins()
          .filter((p) => p.requestBody.title?.startsWith('pg-') && Date.parse(p.createdAt) >= stoppedAt).length;
        await new Promise((r) => setTimeout(r, Math.max(0, stoppedAt + OUTAGE_MS - Date.now())));
        await sys.postgres.start();
        const backAt = Date.now();

        const final = await waitForFinal(sys, ids, 5 * 60_000);
        const doneAt = Date.now();
        const result = await audit(sys, created);
        // The API works again: the same read answers 200.
        const afterwards = await sys.call<PostView>('GET', `/v1/posts/${someId}`, undefined, { timeoutMs: CLIENT_TIMEOUT_MS });
        const { rows: stray } = await sys.db.query<{ n: string }>(`SELECT count(*) AS n FROM post_targets WHERE title LIKE 'outage-%'`);

        const byRoute: Record<string, string> = {};
        for (const route of new Set(probes.map((p) => p.route))) {
          const mine = probes.filter((p) => p.route === route);
          const statuses = [
            ...new Set(
              mine.map((p) =>
                `${p.answer.status}${p.answer.clientError ? `(${p.answer.clientError})` : ''} ${p.answer.body?.errors?.[0]?.code ?? ''}`.trim(),
              ),
            ),
          ];
          byRoute[route] = `${mine.length} calls → ${statuses.join(', ')}; slowest ${Math.max(...mine.map((p) => p.answer.ms))} ms`;
        }
        figures('PostgreSQL outage', {
          posts: result.posts,
          outage: `${((backAt - stoppedAt) / 1000).toFixed(1)} s, from +${((stoppedAt - started) / 1000).toFixed(1)} s`,
          'published before the stop': publishedBefore,
          'pins created during outage': `${pinsDuringOutage} (recorded after it: adopted ${result.attempts.adopted ?? 0})`,
          ...byRoute,
          '/readyz during outage': `${readyz.status} ${JSON.stringify(readyz.body)}`,
          'API after the outage': afterwards.status,
          'all final after return': `${((doneAt - backAt) / 1000).toFixed(1)} s`,
          statuses: final,
          pins: result.pins,
          duplicates: result.duplicates,
          lost: result.lost,
          'pg/emulator mismatches': result.mismatches.length,
          'pins not recorded': result.unrecorded,
          attempts: result.attempts,
          'total time': `${((Date.now() - started) / 1000).toFixed(1)} s`,
        });

        const bad = probes.filter((p) => p.answer.status !== 503 || p.answer.body?.errors?.[0]?.code !== 'SERVICE_UNAVAILABLE');
        assert.deepEqual(
          bad.map(
            (p) => `${p.route}: ${p.answer.status} ${p.answer.clientError ?? ''} ${JSON.stringify(p.answer.body)} after ${p.answer.ms} ms`,
          ),
          [],
          'every call during the outage is answered 503 SERVICE_UNAVAILABLE within the client timeout',
        );
        assert.ok(probes.length >= 40, `the API was probed throughout the outage (${probes.length} calls)`);
        assert.equal(readyz.status, 503, '/readyz says not ready');
        assert.equal(afterwards.status, 200, 'the API answers again after the outage');
        assert.equal(Number(stray[0]!.n), 0, 'nothing was stored by the refused POSTs');
        assert.equal(result.lost, 0, `no post lost: ${JSON.stringify(result.byStatus)}`);
        assert.equal(result.duplicates, 0, 'no post has a second pin');
        assert.equal(result.unrecorded, 0, 'every pin is recorded on its target');
        assert.deepEqual(result.mismatches, []);
        assert.equal(result.byStatus.published, POSTS, `every post published: ${JSON.stringify(result.byStatus)}`);
        assert.deepEqual([...sys.workers[0]!.crashes(), ...sys.api.crashes()], [], 'the worker and the api rode out the outage');
      } catch (err) {
        t.diagnostic(sys.logs());
        throw err;
      }
    },
  );
});
