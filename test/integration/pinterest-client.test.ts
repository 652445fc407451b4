// The Pinterest client against the emulator over real loopback HTTP: every failure comes out as a
// PinterestApiError whose code says what to do next.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { after, before, beforeEach, describe, it } from 'node:test';
import pino from 'pino';
import sharp from 'sharp';
import { createEmulator, demo, demoFixture, type Emulator } from '../../src/emulator';
import { createPinterestClient, PinterestApiError, type PinCreate, type PinterestClient, type PinterestScope } from '../../src/pinterest';

const allScopes: PinterestScope[] = ['boards:read', 'boards:read_secret', 'boards:write', 'pins:read', 'pins:write', 'user_accounts:read'];

async function png(width: number, height: number): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: '#b5651d' } })
    .png()
    .toBuffer();
}

async function rejection(promise: Promise<unknown>): Promise<PinterestApiError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof PinterestApiError, `expected a PinterestApiError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected the call to fail');
}

describe('the Pinterest client against the emulator', () => {
  let emulator: Emulator;
  let client: PinterestClient;
  let token: string;
  let image: string;
  const pin = (extra: Partial<PinCreate> = {}): PinCreate => ({
    board_id: demo.boards.recipes,
    title: 'Lentil soup',
    link: 'https://example.com/lentil-soup',
    media_source: { source_type: 'image_base64', content_type: 'image/png', data: image },
    ...extra,
  });

  before(async () => {
    emulator = await createEmulator({ fixture: demoFixture() });
    client = createPinterestClient({ apiUrl: emulator.url, clientId: demo.clientId, clientSecret: demo.clientSecret, timeoutMs: 3000 });
    image = (await png(200, 300)).toString('base64');
  });
  beforeEach(() => {
    emulator.state.reset();
    token = emulator.state.issueTokens({ userId: demo.userId, scopes: allScopes }).accessToken;
  });
  after(() => emulator.close());

  it('creates a pin and returns it with the x-pinterest-rid of the call', async () => {
    const { pin: created, requestId } = await client.createPin(token, pin());
    assert.match(created.id, /^\d+$/);
    assert.equal(created.board_id, demo.boards.recipes);
    assert.equal(created.title, 'Lentil soup');
    assert.equal(created.media?.media_type, 'image');
    assert.ok(created.created_at && Math.abs(Date.parse(created.created_at) - Date.now()) < 5000);
    assert.ok(requestId);
    assert.equal(emulator.state.createdPins()[0]?.requestId, requestId);
  });

  it('answers a rate-limited call with PIN_RATE_LIMITED and the wait X-RateLimit-Reset asks for', async () => {
    emulator.state.setRateLimits({ org_read: { limit: 2, windowMs: 30_000 } });
    await client.getUserAccount(token);
    await client.getUserAccount(token);
    const err = await rejection(client.getUserAccount(token));
    assert.equal(err.code, 'PIN_RATE_LIMITED');
    assert.equal(err.status, 429);
    assert.equal(err.pinterestCode, 8);
    assert.equal(err.retryable, true);
    assert.ok(
      err.retryAfterMs !== undefined && err.retryAfterMs > 25_000 && err.retryAfterMs <= 30_000,
      `retryAfterMs ${err.retryAfterMs}`,
    );
    assert.ok(err.requestId);
  });

  it('treats a spam block as PINTEREST_SPAM_BLOCKED with a cool-down of hours, not a fast retry', async () => {
    emulator.state.setFaults({ spamBlock: true });
    const err = await rejection(client.createPin(token, pin()));
    assert.equal(err.code, 'PINTEREST_SPAM_BLOCKED');
    assert.equal(err.status, 429);
    assert.equal(err.retryable, false);
    assert.ok((err.cooldownMs ?? 0) >= 3_600_000);
    assert.equal(emulator.state.createdPins().length, 0);
  });

  it('tells a revoked or expired token (401 code 2) from a token without the scope (401 code 3)', async () => {
    const narrow = emulator.state.issueTokens({ userId: demo.userId, scopes: ['boards:read', 'pins:read'] }).accessToken;
    const missingScope = await rejection(client.createPin(narrow, pin()));
    assert.deepEqual([missingScope.status, missingScope.pinterestCode, missingScope.code], [401, 3, 'PINTEREST_SCOPE_MISSING']);

    emulator.state.revokeToken(token);
    const revoked = await rejection(client.getUserAccount(token));
    assert.deepEqual([revoked.status, revoked.pinterestCode, revoked.code, revoked.retryable], [401, 2, 'PINTEREST_TOKEN_INVALID', false]);

    emulator.state.expireToken(narrow);
    assert.equal((await rejection(client.listBoards(narrow))).code, 'PINTEREST_TOKEN_INVALID');
  });

  it("reports another user's board as PIN_BOARD_NOT_FOUND and a section of another board as PIN_SECTION_NOT_FOUND", async () => {
    const board = await rejection(client.createPin(token, pin({ board_id: demo.boards.othersBoard })));
    assert.deepEqual([board.status, board.pinterestCode, board.code], [404, 40, 'PIN_BOARD_NOT_FOUND']);
    const section = await rejection(client.createPin(token, pin({ board_id: demo.boards.travel, board_section_id: demo.sections.salads })));
    assert.deepEqual([section.status, section.pinterestCode, section.code], [404, 2031, 'PIN_SECTION_NOT_FOUND']);
  });

  it('reports a body Pinterest refuses as PINTEREST_REJECTED, and a link that is no URL as PIN_LINK_INVALID', async () => {
    const tooLong = await rejection(client.createPin(token, pin({ title: 't'.repeat(101) })));
    assert.deepEqual([tooLong.status, tooLong.code, tooLong.retryable], [400, 'PINTEREST_REJECTED', false]);
    assert.match(tooLong.pinterestMessage ?? '', /title.*maxLength=100/);
    const link = await rejection(client.createPin(token, pin({ link: 'not a url' })));
    assert.deepEqual([link.status, link.pinterestCode, link.code], [400, 1, 'PIN_LINK_INVALID']);
  });

  it('reports a small image as PIN_IMAGE_TOO_SMALL and bytes that are no image as MEDIA_UNREADABLE', async () => {
    const small = (await png(60, 60)).toString('base64');
    const tooSmall = await rejection(
      client.createPin(token, pin({ media_source: { source_type: 'image_base64', content_type: 'image/png', data: small } })),
    );
    assert.deepEqual([tooSmall.status, tooSmall.pinterestCode, tooSmall.code], [403, 233, 'PIN_IMAGE_TOO_SMALL']);
    const junk = Buffer.from('these bytes are not an image').toString('base64');
    const broken = await rejection(
      client.createPin(token, pin({ media_source: { source_type: 'image_base64', content_type: 'image/jpeg', data: junk } })),
    );
    assert.deepEqual([broken.status, broken.pinterestCode, broken.code], [403, 235, 'MEDIA_UNREADABLE']);
  });

  it('fetches an image_url from a loopback server, and calls an unreachable one a retryable PINTEREST_UNAVAILABLE', async () => {
    const bytes = await png(300, 300);
    const server = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'image/png' }).end(bytes));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/soup.png`;
      const { pin: created } = await client.createPin(token, pin({ media_source: { source_type: 'image_url', url } }));
      assert.equal(created.media?.images?.['600x']?.height, 600);
    } finally {
      server.close();
    }
    const err = await rejection(
      client.createPin(token, pin({ media_source: { source_type: 'image_url', url: 'https://images.example.com/soup.png' } })),
    );
    assert.deepEqual([err.status, err.code, err.retryable], [400, 'PINTEREST_UNAVAILABLE', true]);
    assert.equal(err.pinterestMessage, 'Sorry we could not fetch the image.');
  });

  it('treats a 5xx as a retryable PINTEREST_UNAVAILABLE, with the outcome unknown only for a create', async () => {
    emulator.state.setFaults({ serverErrorRate: 1, serverErrorStatus: 503 });
    const read = await rejection(client.getUserAccount(token));
    assert.deepEqual([read.status, read.code, read.retryable, read.outcomeUnknown], [503, 'PINTEREST_UNAVAILABLE', true, false]);
    const create = await rejection(client.createPin(token, pin()));
    assert.deepEqual([create.status, create.outcomeUnknown], [503, true]);
  });

  it('gives up after timeoutMs: status 0, retryable, and the outcome of a create unknown (it does land)', async () => {
    const impatient = createPinterestClient({
      apiUrl: emulator.url,
      clientId: demo.clientId,
      clientSecret: demo.clientSecret,
      timeoutMs: 250,
    });
    emulator.state.setFaults({ latencyMs: 700 });
    const started = Date.now();
    const read = await rejection(impatient.getUserAccount(token));
    assert.ok(Date.now() - started < 600, 'did not wait for the answer');
    assert.deepEqual([read.status, read.code, read.retryable, read.outcomeUnknown], [0, 'PINTEREST_UNAVAILABLE', true, false]);
    assert.match(read.message, /250 ms/);
    const create = await rejection(impatient.createPin(token, pin({ title: 'Slow soup' })));
    assert.deepEqual([create.status, create.retryable, create.outcomeUnknown], [0, true, true]);
    assert.equal(emulator.state.createdPins().length, 0, 'not yet');
    const deadline = Date.now() + 3000;
    while (emulator.state.createdPins().length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.equal(emulator.state.createdPins()[0]?.requestBody.title, 'Slow soup', 'Pinterest went on and created it');
  });

  it('flags a create whose connection died after the commit as outcome unknown, and the pin is on the board', async () => {
    emulator.state.setFaults({ dropAfterCommit: 1 });
    const err = await rejection(client.createPin(token, pin({ title: 'Dropped soup' })));
    assert.deepEqual([err.status, err.code, err.retryable, err.outcomeUnknown], [0, 'PINTEREST_UNAVAILABLE', true, true]);
    const created = emulator.state.createdPins();
    assert.equal(created.length, 1);
    assert.equal(created[0]?.requestBody.title, 'Dropped soup');
    const page = await client.listBoardPins(token, demo.boards.recipes);
    assert.deepEqual(
      page.items.map((p) => p.title),
      ['Dropped soup'],
    );
    // Armed once: the next creation answers normally.
    await client.createPin(token, pin());
  });

  it('knows a refused connection created nothing', async () => {
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const nowhere = createPinterestClient({ apiUrl: `http://127.0.0.1:${port}`, clientId: 'x', clientSecret: 'y', timeoutMs: 1000 });
    const err = await rejection(nowhere.createPin(token, pin()));
    assert.deepEqual([err.status, err.code, err.retryable, err.outcomeUnknown], [0, 'PINTEREST_UNAVAILABLE', true, false]);
  });

  it('never writes the access token into an error or a log line', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _encoding, done) => (lines.push(String(chunk)), done()) });
    const logged = createPinterestClient({
      apiUrl: emulator.url,
      clientId: demo.clientId,
      clientSecret: demo.clientSecret,
      timeoutMs: 3000,
      logger: pino({ level: 'debug' }, sink),
    });
    await logged.getUserAccount(token);
    await logged.createPin(token, pin());
    emulator.state.revokeToken(token);
    const err = await rejection(logged.getUserAccount(token));
    assert.ok(lines.length >= 3, 'logs each call');
    const everything = [...lines, err.message, err.stack ?? '', JSON.stringify(err), JSON.stringify(Object.entries(err))].join('\n');
    assert.ok(!everything.includes(token), 'the token leaked');
    assert.ok(!everything.includes(demo.clientSecret), 'the client secret leaked');
  });

  it('deletes a pin; deleting it again is PINTEREST_NOT_FOUND', async () => {
    const { pin: created } = await client.createPin(token, pin());
    assert.equal((await client.getPin(token, created.id)).id, created.id);
    const { requestId } = await client.deletePin(token, created.id);
    assert.ok(requestId);
    const again = await rejection(client.deletePin(token, created.id));
    assert.deepEqual([again.status, again.code], [404, 'PINTEREST_NOT_FOUND']);
  });

  it('reads every board over all pages, secret ones only with boards:read_secret', async () => {
    const many = Array.from({ length: 520 }, (_, i) => ({
      id: String(1_250_000_000_000_000_000n + BigInt(i)),
      ownerId: demo.userId,
      name: `Board ${i}`,
    }));
    emulator.state.seed({ boards: many });
    const boards = await client.listBoards(token);
    assert.equal(boards.length, 523);
    assert.equal(new Set(boards.map((b) => b.id)).size, 523);
    assert.ok(boards.some((b) => b.id === demo.boards.drafts && b.privacy === 'SECRET'));
    const publicOnly = emulator.state.issueTokens({ userId: demo.userId, scopes: ['boards:read'] }).accessToken;
    assert.ok(!(await client.listBoards(publicOnly)).some((b) => b.privacy === 'SECRET'));
  });

  it("pages through a board's pins newest first with the bookmark, and lists its sections", async () => {
    const titles = ['one', 'two', 'three', 'four', 'five'];
    for (const title of titles) await client.createPin(token, pin({ title }));
    const first = await client.listBoardPins(token, demo.boards.recipes, { pageSize: 2 });
    assert.deepEqual(
      first.items.map((p) => p.title),
      ['five', 'four'],
    );
    assert.ok(first.bookmark);
    await client.createPin(token, pin({ title: 'six, between pages' }));
    const second = await client.listBoardPins(token, demo.boards.recipes, { pageSize: 2, bookmark: first.bookmark });
    assert.deepEqual(
      second.items.map((p) => p.title),
      ['three', 'two'],
    );
    const third = await client.listBoardPins(token, demo.boards.recipes, { pageSize: 2, bookmark: second.bookmark ?? undefined });
    assert.deepEqual([third.items.map((p) => p.title), third.bookmark], [['one'], null]);
    assert.deepEqual(await client.listBoardSections(token, demo.boards.recipes), [{ id: demo.sections.salads, name: 'Salads' }]);
  });

  it('reads the account with monthly_views, and its analytics', async () => {
    const account = await client.getUserAccount(token);
    assert.deepEqual([account.id, account.username, account.monthly_views], [demo.userId, demo.username, 48_210]);
    const day = (offset: number) => new Date(Date.now() - offset * 86_400_000).toISOString().slice(0, 10);
    const analytics = await client.getUserAccountAnalytics(token, {
      startDate: day(10),
      endDate: day(0),
      metricTypes: ['IMPRESSION', 'SAVE_RATE'],
    });
    const daily = analytics.all?.daily_metrics ?? [];
    assert.equal(daily.length, 11);
    assert.deepEqual(
      daily.slice(-3).map((d) => d.data_status),
      ['READY', 'PROCESSING', 'PROCESSING'],
    );
    const tooOld = await rejection(client.getUserAccountAnalytics(token, { startDate: day(91), endDate: day(80) }));
    assert.deepEqual([tooOld.status, tooOld.code], [400, 'PINTEREST_REJECTED']);
  });

  it("reads a pin's analytics, zero before the pin existed", async () => {
    const { pin: created } = await client.createPin(token, pin());
    const day = (offset: number) => new Date(Date.now() - offset * 86_400_000).toISOString().slice(0, 10);
    const analytics = await client.getPinAnalytics(token, created.id, {
      startDate: day(3),
      endDate: day(0),
      metricTypes: ['IMPRESSION', 'SAVE', 'OUTBOUND_CLICK'],
    });
    const daily = analytics.all?.daily_metrics ?? [];
    assert.deepEqual(
      daily.map((d) => d.data_status),
      ['BEFORE_PIN_CREATED', 'BEFORE_PIN_CREATED', 'BEFORE_PIN_CREATED', 'PROCESSING'],
    );
    assert.ok((daily[3]?.metrics.IMPRESSION ?? 0) >= 40);
    assert.equal(analytics.all?.summary_metrics?.IMPRESSION, daily[3]?.metrics.IMPRESSION);
  });

  it('reads created_at as UTC when the emulator answers like real Pinterest, without an offset', async () => {
    const observed = await createEmulator({ fixture: demoFixture(), timestampStyle: 'observed' });
    try {
      const raw = createPinterestClient({
        apiUrl: observed.url,
        clientId: demo.clientId,
        clientSecret: demo.clientSecret,
        timeoutMs: 3000,
      });
      const rawToken = observed.state.issueTokens({ userId: demo.userId, scopes: allScopes }).accessToken;
      const { pin: created } = await raw.createPin(rawToken, pin());
      const stored = observed.state.createdPins()[0];
      assert.ok(stored);
      assert.equal(created.created_at, `${stored.createdAt.slice(0, 19)}.000Z`);
    } finally {
      await observed.close();
    }
  });
});
