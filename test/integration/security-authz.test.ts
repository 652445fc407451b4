// Authorization on every route the running app has (read from its router, checked against the OpenAPI
// document): without a key, with malformed keys, through percent-encoded paths, with a revoked key, and with
// another workspace's key and this workspace's ids. Every answer is a 401 or a 404, and no answer to the
// intruder carries anything of the workspace it is not: none of its ids, names or texts.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { demo } from '../../src/emulator';
import type { MediaView } from '../../src/media/schemas';
import { connectDemoAccount } from '../support/accounts';
import { jpeg } from '../support/images';
import { startTestSystem, type TestSystem } from '../support/system';
import { codesOf, createTally, type Answer } from '../security/support/outcomes';
import { rawRequest } from '../security/support/raw-http';
import { routesOf, type Route } from '../security/support/routes';

interface Owned {
  accountId: string;
  mediaId: string;
  postId: string;
  webhookId: string;
  deliveryId: string;
  keyId: string;
  /** Texts only this workspace wrote. */
  markers: string[];
}

const tally = createTally('authz');
const PUBLIC = new Set(['/v1/oauth/pinterest/callback']);

/** The route's path with `owner`'s ids in its parameters. */
function fill(path: string, owner: Owned): string {
  return path
    .replace('/v1/accounts/:id', `/v1/accounts/${owner.accountId}`)
    .replace('/v1/posts/:id', `/v1/posts/${owner.postId}`)
    .replace('/v1/media/:id', `/v1/media/${owner.mediaId}`)
    .replace('/v1/webhooks/:id', `/v1/webhooks/${owner.webhookId}`)
    .replace('/v1/keys/:id', `/v1/keys/${owner.keyId}`)
    .replace(':deliveryId', owner.deliveryId)
    .replace(':postId', owner.postId)
    .replace(':accountId', owner.accountId);
}

/** A body that gets past each route's schema, naming `owner`'s ids where it names any. */
function bodyFor(route: Route, owner: Owned, receiver: string): unknown {
  const target = { accountId: owner.accountId, platformOptions: { platform: 'PINTEREST', board: demo.boards.recipes } };
  const bodies: Record<string, unknown> = {
    'POST /v1/posts': { content: 'intruder', mediaIds: [owner.mediaId], platforms: [target] },
    'POST /v1/posts/validate': { content: 'intruder', mediaIds: [owner.mediaId], platforms: [target] },
    'PATCH /v1/posts/:id': { caption: 'intruder' },
    'POST /v1/webhooks': { url: receiver },
    'POST /v1/keys': { name: 'intruder' },
    'POST /v1/media': { url: 'http://127.0.0.1:9/none.jpg' },
    'POST /v1/accounts/pinterest': { accessToken: 'pina_intruder' },
    'POST /v1/accounts/pinterest/connect': {},
  };
  return bodies[`${route.method} ${route.path}`];
}

async function send(ts: TestSystem, route: Route, path: string, authorization: string | undefined, body: unknown): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (authorization !== undefined) headers.authorization = authorization;
  if (body !== undefined) headers['content-type'] = 'application/json';
  return rawRequest(ts.apiUrl, {
    method: route.method,
    path,
    headers,
    body: body === undefined ? undefined : Buffer.from(JSON.stringify(body)),
  });
}

/** Every id and text of `owner` in `answer` that the request did not carry itself (a 404 may name the id asked for). */
function leaks(answer: Answer, owner: Owned, request = ''): string[] {
  const text = JSON.stringify(answer.body) ?? '';
  return [owner.accountId, owner.mediaId, owner.postId, owner.webhookId, owner.deliveryId, owner.keyId, ...owner.markers].filter(
    (s) => text.includes(s) && !request.includes(s),
  );
}

describe('authorization on every route', () => {
  let ts: TestSystem;
  let receiver: http.Server;
  let receiverUrl: string;
  let owner: Owned;
  let intruder: { id: string; apiKey: string };
  let routes: Route[];

  before(async () => {
    ts = await startTestSystem({ worker: true });
    receiver = http.createServer((req, res) => req.resume().on('end', () => res.writeHead(204).end()));
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;

    const marker = `owner-only-${Date.now().toString(36)}`;
    const { accountId } = await connectDemoAccount(ts);
    const form = new FormData();
    form.append('file', new Blob([await jpeg(1000, 1500)], { type: 'image/jpeg' }), 'a.jpg');
    const media = (await (
      await fetch(`${ts.apiUrl}/v1/media`, { method: 'POST', headers: { authorization: `Bearer ${ts.workspace.apiKey}` }, body: form })
    ).json()) as MediaView;
    const webhook = await ts.call<{ id: string }>('POST', '/v1/webhooks', { url: receiverUrl, description: `${marker}-webhook` });
    assert.equal(webhook.status, 201);
    const post = await ts.call<{ id: string }>('POST', '/v1/posts', {
      content: `${marker}-post`,
      scheduledFor: new Date(Date.now() + 3_600_000).toISOString(),
      mediaIds: [media.id],
      platforms: [{ accountId, platformOptions: { platform: 'PINTEREST', board: demo.boards.recipes, title: `${marker}-title` } }],
    });
    assert.equal(post.status, 201, JSON.stringify(post.body));
    const key = await ts.call<{ keyId: string }>('POST', '/v1/keys', { name: `${marker}-key` });
    let deliveryId: string | undefined;
    for (let i = 0; i < 100 && !deliveryId; i++) {
      deliveryId = (await ts.call<{ data: Array<{ id: string }> }>('GET', `/v1/webhooks/${webhook.body.id}/deliveries`)).body.data[0]?.id;
      if (!deliveryId) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.ok(deliveryId, 'the post.scheduled event made a delivery');
    owner = {
      accountId,
      mediaId: media.id,
      postId: post.body.id,
      webhookId: webhook.body.id,
      deliveryId,
      keyId: key.body.keyId,
      markers: [marker],
    };
    intruder = await ts.newWorkspace('intruder');
    routes = routesOf(ts.system.app!).filter((r) => r.path.startsWith('/v1/'));
  });
  after(async () => {
    console.log(tally.summary());
    receiver?.close();
    await ts?.stop();
  });

  it('knows every /v1 route from the router, and the OpenAPI document lists exactly those', async () => {
    const doc = await ts.call<{ paths: Record<string, Record<string, unknown>> }>('GET', '/openapi.json', undefined, { key: null });
    const documented = Object.entries(doc.body.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
    );
    const routed = routes.filter((r) => r.method !== 'HEAD').map((r) => `${r.method} ${r.path}`);
    console.log(`[authz] ${routes.length} /v1 routes (HEAD included), ${documented.length} documented operations`);
    assert.deepEqual([...routed].sort(), [...documented].filter((d) => d.includes(' /v1/')).sort());
    assert.ok(routes.length >= 40, `found ${routes.length} routes`);
  });

  it('answers 401 UNAUTHORIZED on every route without a key, with a malformed one, and through encoded paths', async () => {
    const key = ts.workspace.apiKey;
    const malformed: Array<string | undefined> = [
      undefined,
      '',
      'Bearer',
      'Bearer ',
      `Bearer  ${key}`,
      key,
      `Basic ${Buffer.from(`${key}:`).toString('base64')}`,
      `Token ${key}`,
      `Bearer ${key}x`,
      `Bearer ${key.slice(0, -1)}`,
      `Bearer ${key.slice(0, -1)}${key.endsWith('A') ? 'B' : 'A'}`,
      `Bearer ${key.toUpperCase()}`,
      `Bearer ${key.slice(0, 14)}`,
      'Bearer pf_live_',
      `Bearer pf_live_${'A'.repeat(32)}`,
      `Bearer pf_test_${key.slice(8)}`,
      `Bearer ${'a'.repeat(5_000)}`,
      `Bearer ${key}\u00a0`,
    ];
    const encodings = (path: string): string[] => [
      path,
      path.replace('/v1/', '/%761/'),
      path.replace('/v1/', '/v%31/'),
      path.replace(/^\/v1\/(\w)/, (_, c: string) => `/v1/%${c.charCodeAt(0).toString(16)}`),
    ];
    const wrong: string[] = [];
    let sent = 0;
    for (const route of routes.filter((r) => !PUBLIC.has(r.path))) {
      const path = fill(route.path, owner);
      const body = bodyFor(route, owner, receiverUrl);
      for (const authorization of malformed) {
        const answer = await send(ts, route, path, authorization, body);
        sent++;
        tally.record(`${route.method} ${path} with ${JSON.stringify(authorization?.slice(0, 30))}`, answer, route.method);
        if (answer.status !== 401 || (route.method !== 'HEAD' && codesOf(answer)[0] !== 'UNAUTHORIZED'))
          wrong.push(`${route.method} ${path} ${JSON.stringify(authorization?.slice(0, 30))} → ${answer.status}`);
        if (leaks(answer, owner, path).length > 0) wrong.push(`${route.method} ${path} leaked ${leaks(answer, owner, path)}`);
      }
      for (const encoded of encodings(path).slice(1)) {
        const answer = await send(ts, route, encoded, undefined, body);
        sent++;
        tally.record(`${route.method} ${encoded} without a key`, answer, route.method);
        if (answer.status !== 401 && answer.status !== 404) wrong.push(`${route.method} ${encoded} without a key → ${answer.status}`);
        if (leaks(answer, owner, encoded).length > 0) wrong.push(`${route.method} ${encoded} leaked ${leaks(answer, owner, encoded)}`);
      }
    }
    console.log(
      `[authz] unauthenticated: ${sent} requests over ${routes.length - 2} routes, ${malformed.length} bad Authorization values and 3 encodings each; wrong: ${wrong.length}`,
    );
    assert.deepEqual(wrong, []);
  });

  it('answers the public OAuth callback without a key, but with nothing of any workspace', async () => {
    const answer = await rawRequest(ts.apiUrl, { method: 'GET', path: `/v1/oauth/pinterest/callback?code=x&state=${owner.postId}` });
    tally.record('callback', answer);
    assert.equal(answer.status, 400);
    assert.deepEqual(leaks(answer, owner), []);
    for (const path of ['/metrics', '/healthz', '/readyz', '/openapi.json']) {
      const open = await rawRequest(ts.apiUrl, { method: 'GET', path });
      assert.deepEqual(leaks({ ...open, body: String(JSON.stringify(open.body)) }, owner), [], `${path} shows nothing of a workspace`);
    }
  });

  it('answers 401 on every route to a revoked key, which worked before', async () => {
    const created = await ts.call<{ keyId: string; apiKey: string }>('POST', '/v1/keys', { name: 'short-lived' });
    assert.equal((await ts.call('GET', '/v1/posts', undefined, { key: created.body.apiKey })).status, 200, 'the new key works');
    assert.equal((await ts.call('DELETE', `/v1/keys/${created.body.keyId}`)).status, 204);
    assert.equal((await ts.call('DELETE', `/v1/keys/${created.body.keyId}`)).status, 404, 'a revoked key is not revoked twice');
    const wrong: string[] = [];
    for (const route of routes.filter((r) => !PUBLIC.has(r.path))) {
      const path = fill(route.path, owner);
      const answer = await send(ts, route, path, `Bearer ${created.body.apiKey}`, bodyFor(route, owner, receiverUrl));
      tally.record(`${route.method} ${path} revoked`, answer, route.method);
      if (answer.status !== 401) wrong.push(`${route.method} ${path} → ${answer.status}`);
    }
    console.log(`[authz] revoked key: ${routes.length - 2} routes, wrong: ${wrong.length}`);
    assert.deepEqual(wrong, []);
  });

  it("answers 404 on every route to another workspace's key with this workspace's ids, and shows it nothing", async () => {
    const wrong: string[] = [];
    const creates = new Set([
      'POST /v1/posts',
      'POST /v1/posts/validate',
      'POST /v1/webhooks',
      'POST /v1/keys',
      'POST /v1/media',
      'POST /v1/accounts/pinterest',
      'POST /v1/accounts/pinterest/connect',
    ]);
    const lists = new Set(['/v1/posts', '/v1/media', '/v1/accounts', '/v1/webhooks', '/v1/keys']);
    for (const route of routes.filter((r) => !PUBLIC.has(r.path))) {
      const path = fill(route.path, owner) + (route.path === '/v1/posts' && route.method === 'GET' ? `?accountId=${owner.accountId}` : '');
      const answer = await send(ts, route, path, `Bearer ${intruder.apiKey}`, bodyFor(route, owner, receiverUrl));
      tally.record(`${route.method} ${path} as the intruder`, answer, route.method);
      const name = `${route.method} ${route.path}`;
      const leaked = leaks(answer, owner, `${path} ${JSON.stringify(bodyFor(route, owner, receiverUrl))}`);
      if (leaked.length > 0) wrong.push(`${name} leaked ${leaked.join(', ')}`);
      if (lists.has(route.path) && !creates.has(name)) {
        if (answer.status !== 200) wrong.push(`${name} → ${answer.status}`);
      } else if (name === 'POST /v1/posts' || name === 'POST /v1/posts/validate') {
        const codes = codesOf(answer);
        if (!(answer.status === 422 || answer.status === 404) || !codes.includes('ACCOUNT_NOT_FOUND') || !codes.includes('MEDIA_NOT_FOUND'))
          wrong.push(`${name} with the owner's ids → ${answer.status} ${codes}`);
      } else if (!creates.has(name) && answer.status !== 404) {
        wrong.push(`${name} → ${answer.status} ${codesOf(answer)}`);
      }
    }
    const still = await Promise.all(
      [
        `/v1/accounts/${owner.accountId}`,
        `/v1/media/${owner.mediaId}`,
        `/v1/posts/${owner.postId}`,
        `/v1/webhooks/${owner.webhookId}`,
        `/v1/webhooks/${owner.webhookId}/deliveries/${owner.deliveryId}`,
      ].map(async (path) => `${path} ${(await ts.call('GET', path)).status}`),
    );
    const post = await ts.call<{ status: string; description: string }>('GET', `/v1/posts/${owner.postId}`);
    const keys = await ts.call<{ items: Array<{ id: string; revokedAt: string | null }> }>('GET', '/v1/keys');
    console.log(
      `[authz] intruder: ${routes.length - 2} routes with the owner's ids; wrong: ${wrong.length}; owner's resources afterwards: ${still.join(', ')}`,
    );
    assert.deepEqual(wrong, []);
    assert.ok(
      still.every((s) => s.endsWith(' 200')),
      'everything of the owner is still there',
    );
    assert.equal(post.body.status, 'scheduled', 'the post was neither canceled nor edited');
    assert.ok(post.body.description.includes(owner.markers[0]!));
    assert.equal(keys.body.items.find((k) => k.id === owner.keyId)?.revokedAt, null, 'the owner’s key was not revoked');
  });

  it('kept every answer to the contract (no 5xx, documented codes)', () => {
    assert.equal(tally.serverErrors, 0);
    assert.deepEqual(tally.violations, []);
  });
});
