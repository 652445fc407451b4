// Rate limits: pinflow paces one account's burst under Pinterest's write limit, and when Pinterest still
// answers 429 it waits at least the reset Pinterest gives before trying again.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { reserveAccountWrite } from '../../src/db/posts';
import { demo } from '../../src/emulator';
import type { PostView } from '../../src/posts/schemas';
import { connectDemoAccount } from '../support/accounts';
import { testDatabase } from '../support/database';
import { jpeg } from '../support/images';
import { uploadImage } from '../support/media';
import { startTestSystem, type TestSystem } from '../support/system';

const upload = async (ts: TestSystem): Promise<string> => uploadImage(ts.apiUrl, ts.workspace.apiKey, await jpeg(1000, 1500));

async function burst(ts: TestSystem, accountId: string, mediaId: string, count: number, label: string): Promise<PostView[]> {
  const scheduledFor = new Date(Date.now() + 1500).toISOString();
  const created = await Promise.all(
    Array.from({ length: count }, (_, i) =>
      ts.call<PostView>('POST', '/v1/posts', {
        content: `${label} ${i}`,
        scheduledFor,
        mediaIds: [mediaId],
        platforms: [{ accountId, platformOptions: { platform: 'PINTEREST', board: demo.boards.recipes, title: `${label} ${i}` } }],
      }),
    ),
  );
  const ids = created.map((c) => {
    assert.equal(c.status, 201, JSON.stringify(c.body));
    return c.body.id;
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    const posts = await Promise.all(ids.map(async (id) => (await ts.call<PostView>('GET', `/v1/posts/${id}`)).body));
    if (posts.every((p) => p.status === 'published' || p.status === 'failed')) return posts;
    if (Date.now() > deadline) throw new Error(`not finished: ${posts.map((p) => p.status).join(',')}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('the per-account write budget', () => {
  it('lets half the limit go at once, then spaces writes so no window holds more than the limit', async () => {
    const db = await testDatabase();
    try {
      // Limit 8 per 2 s: a bucket of 4, refilled at 2 per second.
      const waits: number[] = [];
      for (let i = 0; i < 8; i++) waits.push((await reserveAccountWrite(db.pool, 'soc_pacing', 2, 4)).getTime() - Date.now());
      for (const wait of waits.slice(0, 4)) assert.ok(wait <= 0, `the first four go at once (${wait} ms)`);
      for (let i = 4; i < 8; i++) {
        const expected = (i - 3) * 500;
        assert.ok(Math.abs(waits[i]! - expected) < 100, `write ${i} waits ~${expected} ms, got ${waits[i]}`);
      }
      // Writes booked for a later moment are counted at that moment, not when they are booked.
      const later = new Date(Date.now() + 10_000);
      const booked: number[] = [];
      for (let i = 0; i < 6; i++) booked.push((await reserveAccountWrite(db.pool, 'soc_later', 2, 4, later)).getTime() - later.getTime());
      assert.deepEqual(booked.slice(0, 4).map((b) => Math.max(0, b)), [0, 0, 0, 0]);
      assert.ok(Math.abs(booked[4]! - 500) < 50 && Math.abs(booked[5]! - 1000) < 50, `then 2 a second after that moment: ${booked}`);
    } finally {
      await db.drop();
    }
  });
});

describe('publishing under Pinterest rate limits', () => {
  let ts: TestSystem;
  before(async () => {
    // pinflow paces at Pinterest's own limit here: 8 writes per 2 s.
    ts = await startTestSystem({ worker: true, env: { PINTEREST_WRITE_LIMIT: '8', PINTEREST_WRITE_WINDOW_MS: '2000' } });
  });
  after(async () => {
    await ts?.stop();
  });

  it('paces a burst of 12 posts for one account so that Pinterest answers no 429', async () => {
    ts.emulator.state.setRateLimits({ org_write: { limit: 8, windowMs: 2000 } });
    const { accountId } = await connectDemoAccount(ts);
    const posts = await burst(ts, accountId, await upload(ts), 12, 'Paced');
    assert.ok(posts.every((p) => p.status === 'published'));
    const rateLimited = posts.flatMap((p) => p.targets[0]!.attempts).filter((a) => a.errorCode === 'PIN_RATE_LIMITED');
    assert.equal(rateLimited.length, 0, 'no attempt met a 429');
    assert.equal(ts.emulator.state.createdPins().filter((p) => p.requestBody.title?.startsWith('Paced')).length, 12);
  });

  it('waits at least the reset Pinterest gives after a 429 (PIN_RATE_LIMITED), then publishes each post once', async () => {
    ts.emulator.state.reset();
    ts.emulator.state.setRateLimits({ org_write: { limit: 2, windowMs: 3000 } });
    const { accountId } = await connectDemoAccount(ts);
    const posts = await burst(ts, accountId, await upload(ts), 4, 'Limited');
    assert.ok(
      posts.every((p) => p.status === 'published'),
      JSON.stringify(posts.map((p) => p.targets[0]!.attempts)),
    );
    const pins = ts.emulator.state.createdPins().filter((p) => p.requestBody.title?.startsWith('Limited'));
    assert.equal(pins.length, 4, 'one pin per post');
    const windowStart = Math.min(...pins.map((p) => Date.parse(p.createdAt)));
    const attempts = posts.flatMap((p) => p.targets[0]!.attempts);
    const limited = attempts.filter((a) => a.errorCode === 'PIN_RATE_LIMITED');
    assert.ok(limited.length >= 2, 'Pinterest answered 429 to the posts over its limit');
    // Each post's first attempt after a 429 starts only once Pinterest's window has reset.
    for (const post of posts) {
      const list = post.targets[0]!.attempts;
      const firstRetry = list.findIndex((a, i) => i > 0 && list[i - 1]!.errorCode === 'PIN_RATE_LIMITED');
      if (firstRetry < 0) continue;
      const waited = Date.parse(list[firstRetry]!.startedAt) - windowStart;
      assert.ok(waited >= 3000 - 20, `retried ${waited} ms after the window opened; the reset was 3000 ms`);
      console.log(`429 at ${Date.parse(list[firstRetry - 1]!.finishedAt!) - windowStart} ms, retried at ${waited} ms (window 3000 ms)`);
    }
  });
});
