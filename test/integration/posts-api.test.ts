// Posts through the HTTP API, published by the worker on the Temporal dev server into the Pinterest
// emulator, recorded in PostgreSQL: the guide's examples as written, its error codes, exactly once.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { demo } from '../../src/emulator';
import { requestHash } from '../../src/posts/idempotency';
import type { PostView } from '../../src/posts/schemas';
import { connectDemoAccount } from '../support/accounts';
import { jpeg, png, serveFiles, type ImageServer } from '../support/images';
import { uploadImage } from '../support/media';
import { startTestSystem, type TestSystem } from '../support/system';

interface Errors {
  errors: Array<{ code: string; path?: string; target?: number }>;
}

const soon = (ms = 1500): string => new Date(Date.now() + ms).toISOString();
const later = (): string => new Date(Date.now() + 3 * 24 * 3600 * 1000).toISOString();

const upload = (ts: TestSystem, bytes: Buffer, name?: string, type?: string): Promise<string> =>
  uploadImage(ts.apiUrl, ts.workspace.apiKey, bytes, name, type);

async function waitForPost(ts: TestSystem, id: string, done: (p: PostView) => boolean, timeoutMs = 30_000): Promise<PostView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { body } = await ts.call<PostView>('GET', `/v1/posts/${id}`);
    if (done(body)) return body;
    if (Date.now() > deadline) throw new Error(`post ${id} is still ${body.status}: ${JSON.stringify(body.targets)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const finished = (p: PostView): boolean => ['published', 'partially_published', 'failed', 'canceled'].includes(p.status);

function codes(body: unknown): string[] {
  return (body as Errors).errors.map((e) => e.code).sort();
}

describe('posts through the API', () => {
  let ts: TestSystem;
  let images: ImageServer;
  let accountId: string;
  let portrait: string[];
  let square: string;

  before(async () => {
    ts = await startTestSystem({ worker: true });
    ({ accountId } = await connectDemoAccount(ts));
    images = await serveFiles({
      'office.jpg': { body: await jpeg(1000, 1500), type: 'image/jpeg' },
      'clip.mp4': { body: Buffer.from('00000018667479706d703432', 'hex'), type: 'video/mp4' },
      'blog/home-office-setups': { body: '<html>ok</html>', type: 'text/html' },
    });
    portrait = [];
    for (let i = 0; i < 5; i++) portrait.push(await upload(ts, await jpeg(1000, 1500, 40 * i)));
    square = await upload(ts, await png(1200, 1200), 'square.png', 'image/png');
  });
  after(async () => {
    await images?.close();
    await ts?.stop();
  });

  const platform = (options: Record<string, unknown> = {}): Record<string, unknown> => ({
    platform: 'PINTEREST',
    board: demo.boards.recipes,
    title: '20 minimalist home office setups',
    link: images.url('blog/home-office-setups'),
    ...options,
  });

  it("publishes the guide's quick start (flat shape, image by URL) at its time, with the right board, title, link and description", async () => {
    const scheduledFor = soon();
    const res = await ts.call<PostView>('POST', '/v1/posts', {
      content: '20 minimalist home office setups for 2026',
      scheduledFor,
      mediaItems: [{ type: 'IMAGE', url: images.url('office.jpg') }],
      platforms: [{ accountId, platformOptions: platform() }],
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.status, 'scheduled');

    const post = await waitForPost(ts, res.body.id, finished);
    assert.equal(post.status, 'published', JSON.stringify(post.targets));
    const target = post.targets[0]!;
    assert.match(target.pinId ?? '', /^\d+$/);
    assert.equal(target.pinUrl, `https://www.pinterest.com/pin/${target.pinId}/`);

    const pin = ts.emulator.state.createdPins().find((p) => p.id === target.pinId);
    assert.ok(pin, 'the pin exists at Pinterest');
    assert.equal(pin.boardId, demo.boards.recipes);
    assert.equal(pin.requestBody.title, '20 minimalist home office setups');
    assert.equal(pin.requestBody.description, '20 minimalist home office setups for 2026');
    assert.equal(pin.requestBody.link, images.url('blog/home-office-setups'));
    assert.equal(pin.requestBody.media_source.source_type, 'image_base64');
    assert.ok(Date.parse(pin.createdAt) >= Date.parse(scheduledFor), `created ${pin.createdAt}, due ${scheduledFor}: never early`);
  });

  it("publishes the guide's carousel example (four mediaIds) as one carousel pin", async () => {
    const res = await ts.call<PostView>('POST', '/v1/posts', {
      content: 'Bathroom renovation — before & after',
      scheduledFor: soon(),
      mediaIds: portrait.slice(0, 4),
      platforms: [{ accountId, platformOptions: platform({ title: 'Bathroom before & after' }) }],
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const post = await waitForPost(ts, res.body.id, finished);
    assert.equal(post.status, 'published');
    const pin = ts.emulator.state.createdPins().find((p) => p.id === post.targets[0]!.pinId)!;
    assert.equal(pin.requestBody.media_source.source_type, 'multiple_image_base64');
    assert.equal((pin.requestBody.media_source as { items: unknown[] }).items.length, 4);
  });

  it('stores the same post from the nested shape as from the flat one', async () => {
    const at = later();
    const flat = await ts.call<PostView>('POST', '/v1/posts', {
      content: 'Same post, two shapes',
      scheduledFor: at,
      mediaIds: [portrait[0]],
      platforms: [{ accountId, platformOptions: platform() }],
    });
    const nested = await ts.call<PostView>('POST', '/v1/posts', {
      caption: 'Same post, two shapes',
      scheduledAt: at,
      mediaIds: [portrait[0]],
      targets: [{ socialAccountId: accountId, platformOptions: platform() }],
    });
    assert.equal(flat.status, 201);
    assert.equal(nested.status, 201);
    const comparable = (p: PostView): unknown => ({
      ...p,
      id: undefined,
      createdAt: undefined,
      updatedAt: undefined,
      targets: p.targets.map((t) => ({ ...t, id: undefined })),
    });
    assert.deepEqual(comparable(nested.body), comparable(flat.body));
    // The 201 is answered from the values stored, not read back: it must be exactly what a read shows.
    for (const created of [flat.body, nested.body])
      assert.deepEqual((await ts.call<PostView>('GET', `/v1/posts/${created.id}`)).body, created);
    await ts.call('DELETE', `/v1/posts/${flat.body.id}`);
    await ts.call('DELETE', `/v1/posts/${nested.body.id}`);
  });

  it('publishes one post to two boards as two pins', async () => {
    const res = await ts.call<PostView>('POST', '/v1/posts', {
      caption: 'Two boards',
      scheduledAt: soon(),
      mediaIds: [portrait[1]],
      targets: [
        { socialAccountId: accountId, platformOptions: platform() },
        { socialAccountId: accountId, platformOptions: platform({ board: demo.boards.travel }) },
      ],
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.deepEqual(
      res.body.targets.map((t) => [t.board, t.status, t.attempts]),
      [
        [demo.boards.recipes, 'scheduled', []],
        [demo.boards.travel, 'scheduled', []],
      ],
    );
    const post = await waitForPost(ts, res.body.id, finished);
    assert.equal(post.status, 'published');
    const boards = post.targets.map((t) => ts.emulator.state.createdPins().find((p) => p.id === t.pinId)?.boardId);
    assert.deepEqual(boards, [demo.boards.recipes, demo.boards.travel]);
  });

  it("answers each of the guide's errors with its code, every problem at once, and stores nothing", async () => {
    const before = await ts.call<{ data: unknown[] }>('GET', '/v1/posts?limit=100');
    const cases: Array<[string, Record<string, unknown>]> = [
      ['PIN_BOARD_REQUIRED', { mediaIds: [portrait[0]], platforms: [{ accountId, platformOptions: { platform: 'PINTEREST' } }] }],
      [
        'PIN_BOARD_NOT_FOUND',
        { mediaIds: [portrait[0]], platforms: [{ accountId, platformOptions: platform({ board: demo.boards.othersBoard }) }] },
      ],
      ['PIN_CAROUSEL_SIZE', { mediaIds: [...portrait, portrait[0]], platforms: [{ accountId, platformOptions: platform() }] }],
      ['PIN_MIXED_ASPECT', { mediaIds: [portrait[0], square], platforms: [{ accountId, platformOptions: platform() }] }],
      [
        'PIN_VIDEO_NOT_SUPPORTED',
        { mediaItems: [{ type: 'VIDEO', url: images.url('clip.mp4') }], platforms: [{ accountId, platformOptions: platform() }] },
      ],
      [
        'PIN_LINK_INVALID',
        { mediaIds: [portrait[0]], platforms: [{ accountId, platformOptions: platform({ link: images.url('status/404') }) }] },
      ],
    ];
    for (const [code, body] of cases) {
      const res = await ts.call('POST', '/v1/posts', { content: 'x', scheduledFor: later(), ...body });
      assert.equal(res.status, 422, `${code}: ${JSON.stringify(res.body)}`);
      assert.deepEqual(codes(res.body), [code], JSON.stringify(res.body));
    }
    const many = await ts.call('POST', '/v1/posts', {
      content: 'x'.repeat(501),
      scheduledFor: later(),
      mediaIds: [portrait[0]],
      firstComment: 'hello',
      platforms: [{ accountId, platformOptions: { platform: 'PINTEREST', title: 't'.repeat(101) } }],
    });
    assert.equal(many.status, 422);
    assert.deepEqual(codes(many.body), [
      'PIN_BOARD_REQUIRED',
      'PIN_DESCRIPTION_TOO_LONG',
      'PIN_FIRST_COMMENT_UNSUPPORTED',
      'PIN_TITLE_TOO_LONG',
    ]);
    const afterList = await ts.call<{ data: unknown[] }>('GET', '/v1/posts?limit=100');
    assert.equal(afterList.body.data.length, before.body.data.length, 'nothing was stored');
  });

  it('recovers an Idempotency-Key whose request died: the post it stored, else a new run; one in progress is refused', async () => {
    const at = later();
    const body = (content: string) => ({
      content,
      scheduledFor: at,
      mediaIds: [portrait[3]],
      platforms: [{ accountId, platformOptions: platform() }],
    });
    const key = (name: string) => `idem-${name}-${Date.now()}`;
    const count = async () => (await ts.call<{ data: unknown[] }>('GET', '/v1/posts?limit=100')).body.data.length;
    // Died after storing its post: the row is left in progress (as a killed process leaves it), ten minutes old.
    const stored = key('stored');
    const first = await ts.call<PostView>('POST', '/v1/posts', body('Stored, then died'), { headers: { 'idempotency-key': stored } });
    assert.equal(first.status, 201);
    await ts.system.db.query(
      `UPDATE idempotency_keys SET status = NULL, response = NULL, created_at = now() - interval '10 minutes' WHERE workspace_id = $1 AND key = $2`,
      [ts.workspace.id, stored],
    );
    const posts = await count();
    const recovered = await ts.call<PostView>('POST', '/v1/posts', body('Stored, then died'), { headers: { 'idempotency-key': stored } });
    assert.equal(recovered.status, 201, JSON.stringify(recovered.body));
    assert.equal(recovered.body.id, first.body.id, 'answered with the post the dead request stored');
    assert.equal(await count(), posts, 'no second post');
    // Died before storing anything: the key is taken over and the request runs, once.
    const lost = key('lost');
    await ts.system.db.query(
      `INSERT INTO idempotency_keys (workspace_id, key, request_hash, created_at) VALUES ($1, $2, $3, now() - interval '10 minutes')`,
      [ts.workspace.id, lost, requestHash(body('Died before storing'))],
    );
    const ran = await ts.call<PostView>('POST', '/v1/posts', body('Died before storing'), { headers: { 'idempotency-key': lost } });
    assert.equal(ran.status, 201, JSON.stringify(ran.body));
    const replay = await ts.call<PostView>('POST', '/v1/posts', body('Died before storing'), { headers: { 'idempotency-key': lost } });
    assert.equal(replay.body.id, ran.body.id);
    // Still running (a fresh row): refused, not run twice.
    const running = key('running');
    await ts.system.db.query(`INSERT INTO idempotency_keys (workspace_id, key, request_hash) VALUES ($1, $2, $3)`, [
      ts.workspace.id,
      running,
      requestHash(body('Running')),
    ]);
    const refused = await ts.call('POST', '/v1/posts', body('Running'), { headers: { 'idempotency-key': running } });
    assert.equal(refused.status, 409);
    assert.deepEqual(codes(refused.body), ['IDEMPOTENCY_KEY_REUSED']);
    for (const id of [first.body.id, ran.body.id]) await ts.call('DELETE', `/v1/posts/${id}`);
  });

  it('answers a replayed Idempotency-Key with the first post, and refuses the key with another body', async () => {
    const body = {
      content: 'Once',
      scheduledFor: later(),
      mediaIds: [portrait[2]],
      platforms: [{ accountId, platformOptions: platform() }],
    };
    const headers = { 'idempotency-key': `idem-${Date.now()}` };
    const first = await ts.call<PostView>('POST', '/v1/posts', body, { headers });
    const again = await ts.call<PostView>('POST', '/v1/posts', body, { headers });
    assert.equal(first.status, 201);
    assert.equal(again.status, 201);
    assert.equal(again.body.id, first.body.id);
    const other = await ts.call('POST', '/v1/posts', { ...body, content: 'Twice?' }, { headers });
    assert.equal(other.status, 409);
    assert.deepEqual(codes(other.body), ['IDEMPOTENCY_KEY_REUSED']);
    await ts.call('DELETE', `/v1/posts/${first.body.id}`);
  });

  it('creates exactly one pin when Pinterest commits the pin and drops the connection', async () => {
    ts.emulator.state.setFaults({ dropAfterCommit: 1 });
    try {
      const res = await ts.call<PostView>('POST', '/v1/posts', {
        content: 'Dropped once',
        scheduledFor: soon(),
        mediaIds: [portrait[3]],
        platforms: [{ accountId, platformOptions: platform({ title: 'Dropped once' }) }],
      });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      const post = await waitForPost(ts, res.body.id, finished, 60_000);
      assert.equal(post.status, 'published', JSON.stringify(post.targets));
      const pins = ts.emulator.state.createdPins().filter((p) => p.requestBody.title === 'Dropped once');
      assert.equal(pins.length, 1, 'exactly one pin at Pinterest');
      assert.equal(post.targets[0]!.pinId, pins[0]!.id, 'the post adopted the pin the dropped call created');
      assert.deepEqual(
        post.targets[0]!.attempts.map((a) => a.outcome),
        ['adopted'],
      );
    } finally {
      ts.emulator.state.clearFaults();
    }
  });

  it('cancels a post before its time, and refuses to cancel it twice', async () => {
    const res = await ts.call<PostView>('POST', '/v1/posts', {
      content: 'Never',
      scheduledFor: later(),
      mediaIds: [portrait[4]],
      platforms: [{ accountId, platformOptions: platform() }],
    });
    const canceled = await ts.call<PostView>('DELETE', `/v1/posts/${res.body.id}`);
    assert.equal(canceled.status, 200, JSON.stringify(canceled.body));
    assert.equal(canceled.body.status, 'canceled');
    assert.equal(canceled.body.targets[0]!.status, 'canceled');
    const again = await ts.call('DELETE', `/v1/posts/${res.body.id}`);
    assert.equal(again.status, 409);
    assert.deepEqual(codes(again.body), ['POST_NOT_EDITABLE']);
  });

  it('reschedules and edits a post before its time', async () => {
    const res = await ts.call<PostView>('POST', '/v1/posts', {
      content: 'Draft',
      scheduledFor: later(),
      mediaIds: [portrait[0]],
      platforms: [{ accountId, platformOptions: platform() }],
    });
    const targetId = res.body.targets[0]!.id;
    const foreignBoard = await ts.call('PATCH', `/v1/posts/${res.body.id}`, { targets: [{ targetId, board: demo.boards.othersBoard }] });
    assert.equal(foreignBoard.status, 422, 'an edited board is checked against the account like a new one');
    assert.deepEqual(codes(foreignBoard.body), ['PIN_BOARD_NOT_FOUND']);
    const otherBoard = await ts.call<PostView>('PATCH', `/v1/posts/${res.body.id}`, { targets: [{ targetId, board: demo.boards.travel }] });
    assert.equal(otherBoard.status, 200, JSON.stringify(otherBoard.body));
    assert.equal(otherBoard.body.targets[0]!.board, demo.boards.travel);
    const badLink = await ts.call('PATCH', `/v1/posts/${res.body.id}`, { link: images.url('status/404') });
    assert.equal(badLink.status, 422, 'an edited link is checked like a new one');
    assert.deepEqual(codes(badLink.body), ['PIN_LINK_INVALID']);
    const sooner = soon(1000);
    const moved = await ts.call<PostView>('PATCH', `/v1/posts/${res.body.id}`, {
      scheduledAt: sooner,
      caption: 'Final words',
      title: 'Final title',
    });
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
    assert.equal(moved.body.scheduledAt, sooner);
    assert.equal(moved.body.description, 'Final words');
    const post = await waitForPost(ts, res.body.id, finished);
    assert.equal(post.status, 'published');
    const pin = ts.emulator.state.createdPins().find((p) => p.id === post.targets[0]!.pinId)!;
    assert.equal(pin.requestBody.description, 'Final words', 'the edit changed what was sent');
    assert.equal(pin.requestBody.title, 'Final title');
    const tooLate = await ts.call('PATCH', `/v1/posts/${res.body.id}`, { caption: 'after the fact' });
    assert.equal(tooLate.status, 409);
  });

  it("keeps another workspace's posts invisible", async () => {
    const res = await ts.call<PostView>('POST', '/v1/posts', {
      content: 'Mine',
      scheduledFor: later(),
      mediaIds: [portrait[0]],
      platforms: [{ accountId, platformOptions: platform() }],
    });
    const other = await ts.newWorkspace('other');
    for (const [method, route] of [
      ['GET', `/v1/posts/${res.body.id}`],
      ['DELETE', `/v1/posts/${res.body.id}`],
      ['PATCH', `/v1/posts/${res.body.id}`],
    ] as const) {
      const answer = await ts.call(method, route, method === 'PATCH' ? { caption: 'x' } : undefined, { key: other.apiKey });
      assert.equal(answer.status, 404, `${method} ${route}`);
    }
    const list = await ts.call<{ data: unknown[] }>('GET', '/v1/posts', undefined, { key: other.apiKey });
    assert.deepEqual(list.body.data, []);
    const theirs = await ts.call(
      'POST',
      '/v1/posts',
      { content: 'x', scheduledFor: later(), mediaIds: [portrait[0]], platforms: [{ accountId, platformOptions: platform() }] },
      { key: other.apiKey },
    );
    assert.equal(theirs.status, 422);
    assert.deepEqual(codes(theirs.body).sort(), ['ACCOUNT_NOT_FOUND', 'MEDIA_NOT_FOUND']);
    await ts.call('DELETE', `/v1/posts/${res.body.id}`);
  });

  it('refuses to disconnect an account while posts wait to publish on it (ACCOUNT_IN_USE)', async () => {
    const res = await ts.call<PostView>('POST', '/v1/posts', {
      content: 'Pending',
      scheduledFor: later(),
      mediaIds: [portrait[0]],
      platforms: [{ accountId, platformOptions: platform() }],
    });
    const refused = await ts.call('DELETE', `/v1/accounts/${accountId}`);
    assert.equal(refused.status, 409);
    assert.deepEqual(codes(refused.body), ['ACCOUNT_IN_USE']);
    await ts.call('DELETE', `/v1/posts/${res.body.id}`);
  });

  it('lists posts by status and time with a cursor', async () => {
    const ids: string[] = [];
    const base = Date.now() + 5 * 24 * 3600 * 1000;
    for (let i = 0; i < 3; i++) {
      const res = await ts.call<PostView>('POST', '/v1/posts', {
        content: `List ${i}`,
        scheduledFor: new Date(base + i * 60_000).toISOString(),
        mediaIds: [portrait[0]],
        platforms: [{ accountId, platformOptions: platform() }],
      });
      ids.push(res.body.id);
    }
    const from = new Date(base).toISOString();
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { data: PostView[]; nextCursor: string | null } } = await ts.call(
        'GET',
        `/v1/posts?status=scheduled&from=${encodeURIComponent(from)}&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      seen.push(...page.body.data.map((p) => p.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    assert.deepEqual(seen, ids);
    for (const id of ids) await ts.call('DELETE', `/v1/posts/${id}`);
  });
});
