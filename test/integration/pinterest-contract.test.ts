// The client and the emulator against Pinterest's own OpenAPI description (../shared/pinterest/openapi-v5.yaml):
// every request body and parameter the client sends, and every answer the emulator gives, successes and
// failures, must conform. Without the spec this test fails; it never passes by checking nothing.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { request } from 'undici';
import { createEmulator, demo, demoFixture, type Emulator } from '../../src/emulator';
import { createPinterestClient, PinterestApiError, type PinCreate, type PinterestClient } from '../../src/pinterest';
import { exchangeFromTraffic, loadPinterestContract, pinterestSpecPath, type PinterestContract } from '../support/openapi-contract';

/** The operations pinflow uses; each must be seen succeeding, and conforming. */
const operations = [
  'POST /oauth/token',
  'GET /user_account',
  'GET /user_account/analytics',
  'GET /boards',
  'GET /boards/{board_id}/sections',
  'GET /boards/{board_id}/pins',
  'POST /pins',
  'GET /pins/{pin_id}',
  'DELETE /pins/{pin_id}',
  'GET /pins/{pin_id}/analytics',
];

const day = (offset: number): string => new Date(Date.now() - offset * 86_400_000).toISOString().slice(0, 10);

async function failure(promise: Promise<unknown>): Promise<PinterestApiError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof PinterestApiError, String(err));
    return err;
  }
  assert.fail('expected the call to fail');
}

describe('Pinterest v5 as openapi-v5.yaml describes it', () => {
  let contract: PinterestContract;
  let emulator: Emulator;
  let client: PinterestClient;
  let imageServer: http.Server;
  let imageUrl: string;
  let base64: string;
  let tinyBase64: string;

  before(async () => {
    // Throws, failing every test below, when the spec is missing.
    contract = loadPinterestContract();
    const bytes = await sharp({ create: { width: 200, height: 300, channels: 3, background: '#e76f51' } })
      .jpeg()
      .toBuffer();
    base64 = bytes.toString('base64');
    tinyBase64 = (
      await sharp({ create: { width: 40, height: 40, channels: 3, background: '#000' } })
        .png()
        .toBuffer()
    ).toString('base64');
    imageServer = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'image/jpeg' }).end(bytes));
    await new Promise<void>((resolve) => imageServer.listen(0, '127.0.0.1', resolve));
    imageUrl = `http://127.0.0.1:${(imageServer.address() as AddressInfo).port}/image.jpg`;
    emulator = await createEmulator({ fixture: demoFixture(), recordTraffic: true });
    client = createPinterestClient({
      apiUrl: emulator.url,
      oauthUrl: `${emulator.url}/oauth/`,
      clientId: demo.clientId,
      clientSecret: demo.clientSecret,
      timeoutMs: 5000,
    });
  });
  after(async () => {
    await emulator?.close();
    imageServer?.close();
  });

  it(`reads the spec from ${pinterestSpecPath}`, () => {
    assert.ok(contract.hasOperation('POST', '/pins'));
  });

  it('has a validator that refuses what the spec refuses, so a pass means something', () => {
    assert.deepEqual(contract.checkSchema('Pin', { id: '1', created_at: '2026-01-01T10:00:00Z', media: { media_type: 'image' } }), []);
    assert.notDeepEqual(contract.checkSchema('Pin', { id: 1 }), [], 'a numeric id');
    assert.notDeepEqual(contract.checkSchema('Pin', { id: '1', created_at: '2026-01-01 at ten' }), [], 'a date-time that is none');
    assert.notDeepEqual(contract.checkSchema('Pin', { id: '1', media: { media_type: 'hologram' } }), [], 'an unknown media type');
    assert.notDeepEqual(
      contract.checkSchema('PinCreate', { board_id: '1', media_source: { source_type: 'multiple_image_urls', items: [{ url: 'a' }] } }),
      [],
      'a one-image carousel',
    );
    assert.notDeepEqual(
      contract.checkSchema('OauthAccessTokenResponse', {
        access_token: 'a',
        token_type: 'bearer',
        expires_in: 1,
        scope: 's',
        response_type: 'refresh_token',
      }),
      [],
      'a refresh without refresh_token',
    );
    assert.deepEqual(
      contract.checkSchema('Board', { id: '1', name: 'b', description: null, privacy: 'SECRET' }),
      [],
      'nullable is understood',
    );
  });

  it('every request the client sends and every answer the emulator gives conform to the spec', async () => {
    // OAuth: consent (GET decision), code exchange, refresh.
    const query = new URLSearchParams({
      client_id: demo.clientId,
      redirect_uri: demo.redirectUris[0],
      response_type: 'code',
      scope: 'boards:read,boards:read_secret,boards:write,pins:read,pins:write,user_accounts:read',
      state: 's',
      decision: 'allow',
    });
    const consent = await request(`${emulator.url}/oauth/approve?${query}`);
    await consent.body.dump();
    const code = new URL(String(consent.headers.location)).searchParams.get('code') ?? '';
    const first = await client.exchangeCode({ code, redirectUri: demo.redirectUris[0] });
    const { accessToken: token } = await client.refreshToken(first.refreshToken);
    await failure(client.exchangeCode({ code, redirectUri: demo.redirectUris[0] }));

    // Reads, over more than one page of boards.
    emulator.state.seed({
      boards: Array.from({ length: 260 }, (_, i) => ({
        id: String(1_260_000_000_000_000_000n + BigInt(i)),
        ownerId: demo.userId,
        name: `B${i}`,
      })),
    });
    await client.getUserAccount(token);
    await client.listBoards(token);
    await client.listBoardSections(token, demo.boards.recipes);

    // Every media source we send.
    const sources: PinCreate['media_source'][] = [
      { source_type: 'image_base64', content_type: 'image/jpeg', data: base64 },
      { source_type: 'image_url', url: imageUrl },
      {
        source_type: 'multiple_image_base64',
        items: [
          { content_type: 'image/jpeg', data: base64, title: 'one' },
          { content_type: 'image/jpeg', data: base64, link: 'https://example.com/2' },
        ],
      },
      { source_type: 'multiple_image_urls', items: [{ url: imageUrl, description: 'first' }, { url: imageUrl }, { url: imageUrl }] },
    ];
    const pins = [];
    for (const media_source of sources) {
      const { pin } = await client.createPin(token, {
        board_id: demo.boards.recipes,
        board_section_id: demo.sections.salads,
        title: 'Tomato salad',
        description: 'Ripe tomatoes, good oil.',
        link: 'https://example.com/tomato-salad',
        alt_text: 'A bowl of tomato salad',
        media_source,
      });
      pins.push(pin);
    }
    const [firstPin, secondPin] = pins;
    assert.ok(firstPin && secondPin);
    const page = await client.listBoardPins(token, demo.boards.recipes, { pageSize: 2 });
    await client.listBoardPins(token, demo.boards.recipes, { pageSize: 2, bookmark: page.bookmark ?? undefined });
    await client.getPin(token, firstPin.id);
    await client.getPinAnalytics(token, firstPin.id, {
      startDate: day(7),
      endDate: day(0),
      metricTypes: ['IMPRESSION', 'SAVE', 'PIN_CLICK', 'OUTBOUND_CLICK', 'SAVE_RATE'],
    });
    await client.getUserAccountAnalytics(token, { startDate: day(30), endDate: day(1), metricTypes: ['IMPRESSION', 'ENGAGEMENT_RATE'] });
    await client.getUserAccountAnalytics(token, { startDate: day(5), endDate: day(0) });
    await client.deletePin(token, secondPin.id);

    // Failures: every error body must be Pinterest's too. Requests made invalid on purpose have only
    // their answer checked.
    const invalidOnPurpose = new Set<number>();
    const onPurposeInvalid = async (call: () => Promise<unknown>): Promise<void> => {
      const from = emulator.state.traffic().length;
      await call();
      for (let i = from; i < emulator.state.traffic().length; i++) invalidOnPurpose.add(i);
    };
    const narrow = emulator.state.issueTokens({ userId: demo.userId, scopes: ['boards:read'] }).accessToken;
    const base: PinCreate = { board_id: demo.boards.recipes, media_source: sources[0] as PinCreate['media_source'] };
    await failure(client.createPin(narrow, base));
    await failure(client.createPin(token, { ...base, board_id: demo.boards.othersBoard }));
    await onPurposeInvalid(() => failure(client.createPin(token, { ...base, title: 'x'.repeat(101) })));
    await failure(client.createPin(token, { ...base, link: 'nope' }));
    await failure(client.createPin(token, { ...base, media_source: { source_type: 'image_url', url: 'https://cdn.example.com/x.jpg' } }));
    await failure(
      client.createPin(token, { ...base, media_source: { source_type: 'image_base64', content_type: 'image/png', data: tinyBase64 } }),
    );
    await failure(client.getPin(token, secondPin.id));
    await failure(client.getPinAnalytics(token, firstPin.id, { startDate: day(120), endDate: day(100), metricTypes: ['IMPRESSION'] }));
    await failure(client.listBoardPins(token, demo.boards.othersBoard));
    emulator.state.setFaults({ spamBlock: true });
    await failure(client.createPin(token, base));
    emulator.state.setFaults({ spamBlock: false, serverErrorRate: 1, routes: ['GET /v5/boards'] });
    await failure(client.listBoards(token));
    emulator.state.clearFaults();
    emulator.state.setRateLimits({ org_analytics: { limit: 0, windowMs: 60_000 } });
    await failure(client.getUserAccountAnalytics(token, { startDate: day(5), endDate: day(0) }));
    emulator.state.revokeToken(token);
    await failure(client.getUserAccount(token));

    const traffic = emulator.state.traffic();
    const problems = traffic.flatMap((record, i) => contract.check(exchangeFromTraffic(record), { request: !invalidOnPurpose.has(i) }));
    assert.equal(invalidOnPurpose.size, 1);
    assert.deepEqual(problems, [], `${problems.length} departures from the spec in ${traffic.length} exchanges`);

    const succeeded = new Set(
      traffic
        .filter((r) => r.status < 300)
        .map((r) => {
          const e = exchangeFromTraffic(r);
          return `${e.method} ${e.path}`;
        }),
    );
    assert.deepEqual(
      operations.filter((op) => !succeeded.has(op)),
      [],
      'operations never seen succeeding',
    );
    const statuses = new Set(traffic.map((r) => r.status));
    for (const status of [200, 201, 204, 400, 401, 403, 404, 429, 503]) assert.ok(statuses.has(status), `no ${status} answer was checked`);
  });

  it('the emulator accepts exactly the pin bodies the spec accepts', async () => {
    emulator.state.reset();
    const token = emulator.state.issueTokens({
      userId: demo.userId,
      scopes: ['boards:read', 'boards:write', 'pins:read', 'pins:write'],
    }).accessToken;
    const image = { source_type: 'image_base64', content_type: 'image/jpeg', data: base64 };
    const slide = { content_type: 'image/jpeg', data: base64 };
    const board = { board_id: demo.boards.recipes };
    const link = (length: number) => `https://example.com/${'a'.repeat(length - 20)}`;
    const bodies: Record<string, unknown> = {
      'a plain pin': { ...board, media_source: image },
      'nulls where the spec allows them': {
        ...board,
        title: null,
        description: null,
        link: null,
        alt_text: null,
        board_section_id: null,
        media_source: image,
      },
      'a title of 100 emoji': { ...board, title: '😀'.repeat(100), media_source: image },
      'a title of 101 characters': { ...board, title: 't'.repeat(101), media_source: image },
      'a description of 800': { ...board, description: 'd'.repeat(800), media_source: image },
      'a description of 801': { ...board, description: 'd'.repeat(801), media_source: image },
      'a link of 2048': { ...board, link: link(2048), media_source: image },
      'a link of 2049': { ...board, link: link(2049), media_source: image },
      'alt text of 500': { ...board, alt_text: 'a'.repeat(500), media_source: image },
      'alt text of 501': { ...board, alt_text: 'a'.repeat(501), media_source: image },
      'a board id with letters': { board_id: 'recipes', media_source: image },
      'a section id with letters': { ...board, board_section_id: 'salads', media_source: image },
      'a GIF content type': { ...board, media_source: { ...image, content_type: 'image/gif' } },
      'a data: URI for base64': { ...board, media_source: { ...image, data: `data:image/jpeg;base64,${base64}` } },
      'an image_url without url': { ...board, media_source: { source_type: 'image_url' } },
      'a one-image carousel': { ...board, media_source: { source_type: 'multiple_image_base64', items: [slide] } },
      'a two-image carousel': { ...board, media_source: { source_type: 'multiple_image_base64', items: [slide, slide] } },
      'a five-image carousel': {
        ...board,
        media_source: { source_type: 'multiple_image_base64', items: [slide, slide, slide, slide, slide] },
      },
      'a six-image carousel': {
        ...board,
        media_source: { source_type: 'multiple_image_base64', items: [slide, slide, slide, slide, slide, slide] },
      },
      'a carousel slide without content type': {
        ...board,
        media_source: { source_type: 'multiple_image_base64', items: [slide, { data: base64 }] },
      },
      'an unknown source type': { ...board, media_source: { source_type: 'image_fax' } },
    };
    const disagreements: string[] = [];
    for (const [name, body] of Object.entries(bodies)) {
      const specAccepts = contract.checkSchema('PinCreate', body).length === 0;
      const answer = await request(`${emulator.url}/v5/pins`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const text = await answer.body.text();
      const emulatorAccepts = answer.statusCode === 201;
      if (!emulatorAccepts) assert.equal(answer.statusCode, 400, `${name}: ${text}`);
      if (specAccepts !== emulatorAccepts)
        disagreements.push(
          `${name}: spec ${specAccepts ? 'accepts' : 'refuses'}, emulator answered ${answer.statusCode} ${text.slice(0, 200)}`,
        );
    }
    assert.deepEqual(disagreements, []);
  });
});
