// The Node SDK against a whole pinflow (API, worker, Temporal, PostgreSQL, the Pinterest emulator): every
// resource, errors as PinflowError with the API's codes, idempotent creates, pagination.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { REQUESTED_SCOPES } from '../../src/accounts/connect';
import { demo } from '../../src/emulator';
import Pinflow, { Client, PinflowError, type FlatPostRequest, type Media, type Post } from '../../sdk/src/index';
import { jpeg, png, serveFiles, type ImageServer } from '../support/images';
import { startTestSystem, type TestSystem } from '../support/system';

const later = (days = 3): string => new Date(Date.now() + days * 24 * 3600 * 1000).toISOString();

async function rejection(promise: PromiseLike<unknown>): Promise<PinflowError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof PinflowError, `a PinflowError, not ${String(err)}`);
    return err;
  }
  assert.fail('expected the call to fail');
}

describe('the Node SDK against pinflow', () => {
  let ts: TestSystem;
  let files: ImageServer;
  let client: Pinflow;
  let accountId: string;
  let image: Media;
  let tmp: string;

  before(async () => {
    ts = await startTestSystem({ worker: true });
    client = new Pinflow({ apiKey: ts.workspace.apiKey, baseUrl: ts.apiUrl });
    files = await serveFiles({
      'pin.jpg': { body: await jpeg(1000, 1500), type: 'image/jpeg' },
      landing: { body: '<html>ok</html>', type: 'text/html' },
    });
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pinflow-sdk-'));
    const tokens = ts.emulator.state.issueTokens({ userId: demo.userId, scopes: REQUESTED_SCOPES });
    accountId = (await client.accounts.connectWithToken(tokens)).id;
    image = await client.media.upload(await jpeg(1000, 1500));
  });

  after(async () => {
    await files?.close();
    await ts?.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  const flatPost = (overrides: Partial<FlatPostRequest> = {}): FlatPostRequest => ({
    content: 'Weeknight pasta, five ways',
    scheduledFor: later(),
    mediaIds: [image.id],
    platforms: [
      { accountId, platformOptions: { platform: 'PINTEREST', board: demo.boards.recipes, title: 'Pasta', link: files.url('landing') } },
    ],
    ...overrides,
  });

  describe('client', () => {
    it('is the default export, also exported as Client', () => {
      assert.equal(Client, Pinflow);
      assert.ok(new Client({ apiKey: 'pf_live_x' }).posts);
    });

    it('refuses to start without an API key, before sending anything', () => {
      const saved = process.env.PINFLOW_API_KEY;
      delete process.env.PINFLOW_API_KEY;
      try {
        assert.throws(() => new Pinflow({}), /API key/);
      } finally {
        if (saved !== undefined) process.env.PINFLOW_API_KEY = saved;
      }
    });
  });

  describe('posts', () => {
    it('schedules a post of either shape and reads the same post back', async () => {
      const flat = await client.posts.create(flatPost());
      assert.match(flat.id, /^post_/);
      assert.equal(flat.status, 'scheduled');
      assert.deepEqual(flat.mediaIds, [image.id]);
      assert.equal(flat.targets[0]!.board, demo.boards.recipes);

      const nested = await client.posts.create({
        caption: 'Weeknight pasta, five ways',
        scheduledAt: flat.scheduledAt,
        mediaIds: [image.id],
        targets: [
          {
            socialAccountId: accountId,
            platformOptions: { platform: 'PINTEREST', board: demo.boards.recipes, title: 'Pasta', link: files.url('landing') },
          },
        ],
      });
      assert.notEqual(nested.id, flat.id, 'each create sends its own idempotency key');
      assert.equal(nested.description, flat.description);
      assert.deepEqual(await client.posts.get(flat.id), flat);
    });

    it('answers a create repeated with the same Idempotency-Key with the first post, and refuses the key for another body', async () => {
      const idempotencyKey = `order-${Date.now()}`;
      const first = await client.posts.create(flatPost({ content: 'Once' }), { idempotencyKey });
      const again = await client.posts.create(flatPost({ content: 'Once', scheduledFor: first.scheduledAt }), { idempotencyKey });
      assert.equal(again.id, first.id);
      const reused = await rejection(
        client.posts.create(flatPost({ content: 'Twice?', scheduledFor: first.scheduledAt }), { idempotencyKey }),
      );
      assert.equal(reused.status, 409);
      assert.equal(reused.code, 'IDEMPOTENCY_KEY_REUSED');
    });

    it('validates a post as create would, storing nothing', async () => {
      const before = await client.posts.list({ limit: 100 });
      const result = await client.posts.validate(flatPost());
      assert.equal(result.valid, true);
      const afterwards = await client.posts.list({ limit: 100 });
      assert.equal(afterwards.data.length, before.data.length);
    });

    it('reports every problem of a post as one PinflowError: status, first code, all errors, request id', async () => {
      const err = await rejection(
        client.posts.create({
          content: 'x'.repeat(501),
          scheduledFor: later(),
          mediaIds: [image.id],
          // @ts-expect-error -- the board is required by the type too; the API still says so with its code
          platforms: [{ accountId, platformOptions: { platform: 'PINTEREST', title: 't'.repeat(101) } }],
        }),
      );
      assert.equal(err.status, 422);
      assert.equal(err.code, err.errors[0]!.code);
      assert.deepEqual(err.errors.map((e) => e.code).sort(), ['PIN_BOARD_REQUIRED', 'PIN_DESCRIPTION_TOO_LONG', 'PIN_TITLE_TOO_LONG']);
      assert.equal(err.errors.find((e) => e.code === 'PIN_BOARD_REQUIRED')!.target, 0);
      assert.match(err.requestId ?? '', /^req_/);
      assert.match(err.message, /^PIN_\w+: .+ \(and 2 more\)$/);
    });

    it("answers the guide's PIN_BOARD_NOT_FOUND for a board of another account", async () => {
      const err = await rejection(
        client.posts.create(
          flatPost({ platforms: [{ accountId, platformOptions: { platform: 'PINTEREST', board: demo.boards.othersBoard } }] }),
        ),
      );
      assert.equal(err.status, 422);
      assert.equal(err.code, 'PIN_BOARD_NOT_FOUND');
    });

    it('lists a page, and iterates every post of every page with for await', async () => {
      const mine = new Set<string>();
      for (let i = 0; i < 5; i++) mine.add((await client.posts.create(flatPost({ content: `Listed ${i}` }))).id);

      const page = await client.posts.list({ limit: 2 });
      assert.equal(page.data.length, 2);
      assert.ok(page.nextCursor, 'a next page');
      const next = await client.posts.list({ limit: 2, cursor: page.nextCursor });
      assert.ok(
        next.data.every((p) => !page.data.some((q) => q.id === p.id)),
        'the next page has other posts',
      );

      const seen: Post[] = [];
      for await (const post of client.posts.list({ limit: 2 })) seen.push(post);
      const ids = seen.map((p) => p.id);
      assert.equal(new Set(ids).size, ids.length, 'no post twice');
      for (const id of mine) assert.ok(ids.includes(id), `${id} is listed`);
      const all = await client.posts.list({ limit: 100 });
      assert.equal(seen.length, all.data.length);
    });

    it('reschedules and edits a post, then cancels it', async () => {
      const post = await client.posts.create(flatPost());
      const moved = later(5);
      const updated = await client.posts.update(post.id, { scheduledAt: moved, title: 'Pasta, again' });
      assert.equal(Date.parse(updated.scheduledAt), Date.parse(moved));
      assert.equal(updated.targets[0]!.title, 'Pasta, again');

      const canceled = await client.posts.cancel(post.id);
      assert.equal(canceled.status, 'canceled');
      const err = await rejection(client.posts.update(post.id, { title: 'too late' }));
      assert.equal(err.status, 409);
      assert.equal(err.code, 'POST_NOT_EDITABLE');
    });

    it('answers POST_NOT_FOUND (404) for an unknown post', async () => {
      const err = await rejection(client.posts.get('post_doesnotexist'));
      assert.equal(err.status, 404);
      assert.equal(err.code, 'POST_NOT_FOUND');
    });
  });

  describe('media', () => {
    it('uploads an image from a Buffer, a Readable stream and a file path', async () => {
      const fromBuffer = await client.media.upload(await jpeg(1000, 1500));
      const fromStream = await client.media.upload(Readable.from([await png(1200, 1200)]), { filename: 'square.png' });
      const file = path.join(tmp, 'tall.jpg');
      fs.writeFileSync(file, await jpeg(800, 1200));
      const fromFile = await client.media.upload(file);
      assert.deepEqual(
        [fromBuffer, fromStream, fromFile].map((m) => [m.format, m.width, m.height]),
        [
          ['jpeg', 1000, 1500],
          ['png', 1200, 1200],
          ['jpeg', 800, 1200],
        ],
      );
      for (const m of [fromBuffer, fromStream, fromFile]) assert.match(m.id, /^med_/);
    });

    it('has pinflow fetch an image by URL', async () => {
      const media = await client.media.fromUrl(files.url('pin.jpg'));
      assert.equal(media.sourceUrl, files.url('pin.jpg'));
      assert.deepEqual(await client.media.get(media.id), media);
    });

    it("refuses an image that breaks the guide's rules with its code", async () => {
      const err = await rejection(client.media.upload(await jpeg(300, 450)));
      assert.equal(err.status, 422);
      assert.equal(err.code, 'PIN_IMAGE_TOO_SMALL');
    });

    it('lists media page by page and deletes one', async () => {
      const extra = await client.media.upload(await jpeg(1000, 1500, 10));
      const seen: string[] = [];
      for await (const media of client.media.list({ limit: 2 })) seen.push(media.id);
      assert.ok(seen.includes(extra.id) && seen.includes(image.id));
      assert.equal(new Set(seen).size, seen.length);

      await client.media.delete(extra.id);
      const err = await rejection(client.media.get(extra.id));
      assert.equal(err.status, 404);
      assert.equal(err.code, 'MEDIA_NOT_FOUND');
    });
  });

  describe('accounts', () => {
    it('starts the OAuth flow with the consent page URL', async () => {
      const started = await client.accounts.connect({ redirectAfter: 'https://app.example.com/done' });
      const url = new URL(started.authorizeUrl);
      assert.equal(url.origin, new URL(ts.emulator.url).origin);
      assert.equal(url.searchParams.get('client_id'), '1500000');
      assert.ok(started.state.length > 0);
    });

    it('lists and reads connected accounts with their boards, and refreshes the boards', async () => {
      const { items } = await client.accounts.list();
      const account = items.find((a) => a.id === accountId);
      assert.ok(account);
      assert.ok(account.boards.some((b) => b.id === demo.boards.recipes));
      assert.deepEqual(await client.accounts.get(accountId), account);
      const boards = await client.accounts.refreshBoards(accountId);
      assert.deepEqual(boards.items.map((b) => b.id).sort(), account.boards.map((b) => b.id).sort());
    });

    it('disconnects an account', async () => {
      const tokens = ts.emulator.state.issueTokens({ userId: demo.otherUserId, scopes: REQUESTED_SCOPES });
      const other = await client.accounts.connectWithToken(tokens);
      await client.accounts.delete(other.id);
      const err = await rejection(client.accounts.get(other.id));
      assert.equal(err.status, 404);
    });
  });

  describe('analytics', () => {
    it("reads a post's and an account's analytics over a range of days", async () => {
      const post = await client.posts.create(flatPost());
      const report = await client.analytics.post(post.id, { from: '2026-01-01', to: '2026-01-31' });
      assert.equal(report.postId, post.id);
      assert.deepEqual([report.from, report.to], ['2026-01-01', '2026-01-31']);
      const account = await client.analytics.account(accountId);
      assert.equal(account.accountId, accountId);
    });
  });

  describe('errors', () => {
    it('answers UNAUTHORIZED (401) for an unknown API key', async () => {
      const stranger = new Pinflow({ apiKey: 'pf_live_unknown', baseUrl: ts.apiUrl });
      const err = await rejection(stranger.posts.list());
      assert.equal(err.status, 401);
      assert.equal(err.code, 'UNAUTHORIZED');
      assert.equal(err.errors.length, 1);
    });

    it('reports a server that cannot be reached as NETWORK_ERROR with status 0', async () => {
      const closed = await serveFiles({});
      const url = closed.url('');
      await closed.close();
      const nowhere = new Pinflow({ apiKey: ts.workspace.apiKey, baseUrl: url, maxRetries: 0 });
      const err = await rejection(nowhere.posts.get('post_x'));
      assert.equal(err.status, 0);
      assert.equal(err.code, 'NETWORK_ERROR');
      assert.match(err.message, /ECONNREFUSED/);
    });
  });
});
