// The emulator's own promises, over HTTP: its admin API, the headers Pinterest sends, and the rules it
// enforces that the client tests do not reach.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import sharp from 'sharp';
import { request } from 'undici';
import { createEmulator, demo, demoFixture, type Emulator } from '../../src/emulator';

describe('the Pinterest emulator', () => {
  let emulator: Emulator;
  let image: string;

  async function call(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    path: string,
    options: { token?: string; json?: unknown; body?: string } = {},
  ) {
    const headers: Record<string, string> = {};
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.json !== undefined || options.body !== undefined) headers['content-type'] = 'application/json';
    const answer = await request(`${emulator.url}${path}`, {
      method,
      headers,
      body: options.body ?? (options.json === undefined ? undefined : JSON.stringify(options.json)),
    });
    const text = await answer.body.text();
    return {
      status: answer.statusCode,
      headers: answer.headers,
      json: text ? (JSON.parse(text) as Record<string, unknown>) : undefined,
      bytes: text.length,
    };
  }

  async function adminToken(scopes: string[]): Promise<string> {
    const issued = await call('POST', '/_admin/tokens', { json: { userId: demo.userId, scopes } });
    assert.equal(issued.status, 201);
    return String(issued.json?.access_token);
  }

  const pinBody = (extra: Record<string, unknown> = {}) => ({
    board_id: demo.boards.recipes,
    title: 'Admin soup',
    media_source: { source_type: 'image_base64', content_type: 'image/png', data: image },
    ...extra,
  });
  const writer = ['boards:read', 'boards:write', 'pins:read', 'pins:write'];

  before(async () => {
    emulator = await createEmulator({ fixture: demoFixture() });
    image = (
      await sharp({ create: { width: 150, height: 150, channels: 3, background: '#264653' } })
        .png()
        .toBuffer()
    ).toString('base64');
  });
  beforeEach(() => emulator.state.reset());
  after(() => emulator.close());

  it('issues tokens, lists created pins with their bodies and millisecond times, and resets, over /_admin', async () => {
    const token = await adminToken(writer);
    assert.match(token, /^pina_/);
    const before = Date.now();
    const created = await call('POST', '/v5/pins', { token, json: pinBody() });
    assert.equal(created.status, 201);
    const listed = await call('GET', '/_admin/pins');
    const items = listed.json?.items as Array<{ id: string; createdAt: string; requestBody: { title: string }; requestId: string }>;
    assert.equal(items.length, 1);
    assert.equal(items[0]?.id, created.json?.id);
    assert.equal(items[0]?.requestBody.title, 'Admin soup');
    assert.equal(items[0]?.requestId, created.headers['x-pinterest-rid']);
    assert.match(items[0]?.createdAt ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.ok(Date.parse(items[0]?.createdAt ?? '') >= before - 1);

    assert.equal((await call('POST', '/_admin/reset')).status, 204);
    assert.deepEqual((await call('GET', '/_admin/pins')).json?.items, []);
    assert.equal((await call('GET', '/v5/user_account', { token })).status, 401, 'tokens are forgotten too');
  });

  it('sets faults over /_admin, merging with what is set, and refuses a fault it does not know', async () => {
    const token = await adminToken(['boards:read', 'user_accounts:read']);
    assert.equal((await call('PUT', '/_admin/faults', { json: { serverErrorRate: 0.5, routes: ['GET /v5/user_account'] } })).status, 200);
    const merged = await call('PUT', '/_admin/faults', { json: { serverErrorStatus: 500 } });
    assert.deepEqual([merged.json?.serverErrorRate, merged.json?.serverErrorStatus], [0.5, 500]);
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await call('GET', '/v5/user_account', { token })).status);
    assert.deepEqual(statuses, [200, 500, 200, 500]);
    assert.equal((await call('GET', '/v5/boards', { token })).status, 200, 'other routes are spared');
    assert.equal((await call('PUT', '/_admin/faults', { json: { latencyMS: 10 } })).status, 400);
    assert.equal((await call('DELETE', '/_admin/faults')).status, 204);
    assert.equal((await call('GET', '/v5/user_account', { token })).status, 200);
  });

  it('revokes and expires tokens over /_admin', async () => {
    const first = await adminToken(['user_accounts:read']);
    const second = await adminToken(['user_accounts:read']);
    assert.equal((await call('POST', '/_admin/tokens/revoke', { json: { token: first } })).status, 204);
    assert.equal((await call('POST', '/_admin/tokens/expire', { json: { token: second } })).status, 204);
    for (const token of [first, second])
      assert.deepEqual((await call('GET', '/v5/user_account', { token })).json, { code: 2, message: 'Authentication failed.' });
    assert.equal((await call('POST', '/_admin/tokens/revoke', { json: { token: 'pina_unknown' } })).status, 404);
  });

  it('seeds users and boards over /_admin, and sets rate limits', async () => {
    const seeded = await call('POST', '/_admin/seed', { json: { boards: [{ id: '1299', ownerId: demo.userId, name: 'Seeded' }] } });
    assert.equal(seeded.status, 204);
    const token = await adminToken(['boards:read']);
    const boards = (await call('GET', '/v5/boards', { token })).json?.items as Array<{ name: string }>;
    assert.ok(boards.some((b) => b.name === 'Seeded'));
    const limits = await call('PUT', '/_admin/rate-limits', { json: { org_read: { limit: 1, windowMs: 60_000 } } });
    assert.deepEqual(limits.json?.org_read, { limit: 1, windowMs: 60_000 });
    assert.equal((await call('GET', '/v5/boards', { token })).status, 200);
    assert.equal((await call('GET', '/v5/boards', { token })).status, 429);
  });

  it('answers 429 code 8 with X-RateLimit-Limit, -Remaining and -Reset', async () => {
    emulator.state.setRateLimits({ org_write: { limit: 2, windowMs: 20_000 } });
    const token = await adminToken(writer);
    const first = await call('POST', '/v5/pins', { token, json: pinBody() });
    assert.deepEqual([first.headers['x-ratelimit-limit'], first.headers['x-ratelimit-remaining']], ['2', '1']);
    await call('POST', '/v5/pins', { token, json: pinBody() });
    const limited = await call('POST', '/v5/pins', { token, json: pinBody() });
    assert.equal(limited.status, 429);
    assert.equal(limited.json?.code, 8);
    assert.deepEqual([limited.headers['x-ratelimit-limit'], limited.headers['x-ratelimit-remaining']], ['2', '0']);
    const reset = Number(limited.headers['x-ratelimit-reset']);
    assert.ok(reset > 0 && reset <= 20, `reset ${reset}`);
    assert.equal((await call('GET', '/v5/boards', { token })).status, 200, 'reads have their own quota');
  });

  it('puts x-pinterest-rid on every answer, errors and unknown routes included, in Pinterest error shape', async () => {
    const answers = [await call('GET', '/v5/user_account'), await call('GET', '/v5/nothing-here'), await call('GET', '/_admin/pins')];
    for (const answer of answers) assert.match(String(answer.headers['x-pinterest-rid']), /^[0-9a-f]{16}$/);
    assert.equal(new Set(answers.map((a) => a.headers['x-pinterest-rid'])).size, 3);
    assert.deepEqual(answers[1]?.json, { code: 404, message: 'Not found.' });
  });

  it('refuses malformed JSON the Pinterest way (400, code 1)', async () => {
    const token = await adminToken(writer);
    const answer = await call('POST', '/v5/pins', { token, body: '{"board_id": ' });
    assert.equal(answer.status, 400);
    assert.equal(answer.json?.code, 1);
  });

  it('hides a secret board from a token without boards:read_secret, even to pin on it', async () => {
    const token = await adminToken(writer);
    assert.deepEqual((await call('POST', '/v5/pins', { token, json: pinBody({ board_id: demo.boards.drafts }) })).json, {
      code: 40,
      message: 'Board not found.',
    });
    const secretReader = await adminToken([...writer, 'boards:read_secret']);
    assert.equal((await call('POST', '/v5/pins', { token: secretReader, json: pinBody({ board_id: demo.boards.drafts }) })).status, 201);
  });

  it('writes created_at as the spec says (RFC 3339, whole seconds, Z) and serves the image behind the renditions', async () => {
    const token = await adminToken(writer);
    const created = await call('POST', '/v5/pins', { token, json: pinBody() });
    assert.match(String(created.json?.created_at), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const media = created.json?.media as { images: Record<string, { url: string; width: number; height: number }> };
    assert.deepEqual(Object.keys(media.images).sort(), ['1200x', '150x150', '400x300', '600x']);
    const picture = await request(media.images['600x']?.url ?? '');
    assert.equal(picture.headers['content-type'], 'image/png');
    assert.deepEqual(Buffer.from(await picture.body.arrayBuffer()), Buffer.from(image, 'base64'));
  });

  it('makes a carousel a CAROUSEL of multiple_images, slide texts kept', async () => {
    const token = await adminToken(writer);
    const slide = { content_type: 'image/png', data: image };
    const created = await call('POST', '/v5/pins', {
      token,
      json: pinBody({
        media_source: {
          source_type: 'multiple_image_base64',
          items: [
            { ...slide, title: 'Step 1' },
            { ...slide, title: 'Step 2', link: 'https://example.com/2' },
          ],
        },
      }),
    });
    assert.equal(created.status, 201);
    assert.equal(created.json?.creative_type, 'CAROUSEL');
    const media = created.json?.media as { media_type: string; items: Array<{ title: string | null; link: string | null }> };
    assert.equal(media.media_type, 'multiple_images');
    assert.deepEqual(
      media.items.map((i) => [i.title, i.link]),
      [
        ['Step 1', null],
        ['Step 2', 'https://example.com/2'],
      ],
    );
  });

  it("refuses another user's pin (403 code 29) and a pin that does not exist (404 code 50)", async () => {
    const other = (await call('POST', '/_admin/tokens', { json: { userId: demo.otherUserId, scopes: writer } })).json
      ?.access_token as string;
    const theirs = await call('POST', '/v5/pins', { token: other, json: pinBody({ board_id: demo.boards.othersBoard }) });
    const token = await adminToken(writer);
    assert.equal((await call('GET', `/v5/pins/${String(theirs.json?.id)}`, { token })).json?.code, 29);
    assert.deepEqual((await call('GET', '/v5/pins/1400000000009999999', { token })).json, { code: 50, message: 'Pin not found.' });
  });
});
