// Webhooks through the HTTP API: register, read, delete, the log of another workspace's webhook, and the
// SSRF rules at registration (with the test allow-list, and with none).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eventTypes } from '../../src/webhooks/events';
import type { CreatedWebhook, DeliveryList, WebhookView } from '../../src/webhooks/schemas';
import { startTestSystem, type TestSystem } from '../support/system';

interface Errors {
  errors: Array<{ code: string; path?: string }>;
}

const codes = (body: unknown): string[] => (body as Errors).errors.map((e) => e.code);

describe('webhooks through the API', () => {
  let ts: TestSystem;

  before(async () => {
    ts = await startTestSystem();
  });
  after(async () => {
    await ts?.stop();
  });

  it('registers a webhook and shows its secret once', async () => {
    const res = await ts.call<CreatedWebhook>('POST', '/v1/webhooks', { url: 'http://127.0.0.1:9/hooks', description: 'orders service' });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.match(res.body.id, /^whk_/);
    assert.match(res.body.secret, /^whsec_/);
    assert.equal(res.body.url, 'http://127.0.0.1:9/hooks');
    assert.equal(res.body.description, 'orders service');
    assert.deepEqual(res.body.events, [...eventTypes], 'every event type when none are named');

    const one = await ts.call<WebhookView>('GET', `/v1/webhooks/${res.body.id}`);
    assert.equal(one.status, 200);
    assert.equal('secret' in one.body, false);
    const list = await ts.call<{ data: WebhookView[] }>('GET', '/v1/webhooks');
    assert.ok(list.body.data.some((w) => w.id === res.body.id));
    assert.ok(list.body.data.every((w) => !('secret' in w)));
  });

  it('keeps the secret encrypted at rest', async () => {
    const res = await ts.call<CreatedWebhook>('POST', '/v1/webhooks', { url: 'http://127.0.0.1:9/sealed' });
    const { rows } = await ts.system.db.query<{ secret: Buffer }>('SELECT secret FROM webhooks WHERE id = $1', [res.body.id]);
    assert.ok(rows[0]);
    assert.ok(!rows[0].secret.includes(Buffer.from(res.body.secret)));
    assert.ok(!rows[0].secret.toString('base64').includes(res.body.secret.slice('whsec_'.length)));
  });

  it('subscribes to the event types named, and refuses an unknown one', async () => {
    const res = await ts.call<CreatedWebhook>('POST', '/v1/webhooks', {
      url: 'http://127.0.0.1:9/x',
      events: ['post.published', 'post.failed'],
    });
    assert.equal(res.status, 201);
    assert.deepEqual(res.body.events, ['post.published', 'post.failed']);
    const bad = await ts.call('POST', '/v1/webhooks', { url: 'http://127.0.0.1:9/x', events: ['post.exploded'] });
    assert.equal(bad.status, 400);
    assert.deepEqual(codes(bad.body), ['VALIDATION_FAILED']);
  });

  it('refuses a URL that is not http(s) with WEBHOOK_URL_INVALID', async () => {
    for (const url of ['ftp://127.0.0.1/x', 'javascript:alert(1)', 'hooks.example.com']) {
      const res = await ts.call('POST', '/v1/webhooks', { url });
      assert.equal(res.status, 422, url);
      assert.deepEqual(codes(res.body), ['WEBHOOK_URL_INVALID'], url);
    }
  });

  it('deletes a webhook; afterwards it is not found', async () => {
    const { body } = await ts.call<CreatedWebhook>('POST', '/v1/webhooks', { url: 'http://127.0.0.1:9/gone' });
    assert.equal((await ts.call('DELETE', `/v1/webhooks/${body.id}`)).status, 204);
    const again = await ts.call('GET', `/v1/webhooks/${body.id}`);
    assert.equal(again.status, 404);
    assert.deepEqual(codes(again.body), ['WEBHOOK_NOT_FOUND']);
    assert.equal((await ts.call('DELETE', `/v1/webhooks/${body.id}`)).status, 404);
  });

  it("answers 404 for another workspace's webhook, its log and its deliveries", async () => {
    const { body } = await ts.call<CreatedWebhook>('POST', '/v1/webhooks', { url: 'http://127.0.0.1:9/mine' });
    const other = await ts.newWorkspace('other');
    const as = { key: other.apiKey };
    for (const [method, route] of [
      ['GET', `/v1/webhooks/${body.id}`],
      ['DELETE', `/v1/webhooks/${body.id}`],
      ['GET', `/v1/webhooks/${body.id}/deliveries`],
      ['POST', `/v1/webhooks/${body.id}/deliveries/dlv_x/replay`],
    ] as const) {
      const res = await ts.call(method, route, undefined, as);
      assert.equal(res.status, 404, `${method} ${route}`);
      assert.deepEqual(codes(res.body), ['WEBHOOK_NOT_FOUND'], `${method} ${route}`);
    }
    const list = await ts.call<{ data: WebhookView[] }>('GET', '/v1/webhooks', undefined, as);
    assert.deepEqual(list.body.data, []);
    assert.equal((await ts.call('GET', `/v1/webhooks/${body.id}`)).status, 200, 'still there for its own workspace');
  });

  it('answers an empty log for a new webhook, and 404 for an unknown delivery', async () => {
    const { body } = await ts.call<CreatedWebhook>('POST', '/v1/webhooks', { url: 'http://127.0.0.1:9/log' });
    const log = await ts.call<DeliveryList>('GET', `/v1/webhooks/${body.id}/deliveries`);
    assert.equal(log.status, 200);
    assert.deepEqual(log.body, { data: [], nextCursor: null });
    const replay = await ts.call('POST', `/v1/webhooks/${body.id}/deliveries/dlv_unknown/replay`);
    assert.equal(replay.status, 404);
    assert.deepEqual(codes(replay.body), ['WEBHOOK_DELIVERY_NOT_FOUND']);
  });

  it('documents every webhook route in the OpenAPI document', async () => {
    const res = await ts.call<{ paths: Record<string, unknown> }>('GET', '/openapi.json', undefined, { key: null });
    assert.equal(res.status, 200);
    for (const path of [
      '/v1/webhooks',
      '/v1/webhooks/{id}',
      '/v1/webhooks/{id}/deliveries',
      '/v1/webhooks/{id}/deliveries/{deliveryId}/replay',
    ]) {
      assert.ok(path in res.body.paths, path);
    }
  });

  it('requires an API key', async () => {
    assert.equal((await ts.call('GET', '/v1/webhooks', undefined, { key: null })).status, 401);
  });
});

describe('webhook URLs when no host is allow-listed', () => {
  let ts: TestSystem;

  before(async () => {
    // An empty FETCH_ALLOW_HOSTS is the production default: nothing private is reachable.
    ts = await startTestSystem({ env: { FETCH_ALLOW_HOSTS: '' } });
  });
  after(async () => {
    await ts?.stop();
  });

  it('refuses a URL on a private, loopback or metadata address at creation with WEBHOOK_URL_FORBIDDEN', async () => {
    assert.deepEqual(ts.config.FETCH_ALLOW_HOSTS, []);
    for (const url of [
      'http://127.0.0.1:8080/hooks',
      'http://localhost/hooks',
      'http://10.1.2.3/hooks',
      'http://169.254.169.254/latest',
      'http://[::1]/hooks',
    ]) {
      const res = await ts.call('POST', '/v1/webhooks', { url });
      assert.equal(res.status, 422, url);
      assert.deepEqual(codes(res.body), ['WEBHOOK_URL_FORBIDDEN'], url);
    }
    const list = await ts.call<{ data: WebhookView[] }>('GET', '/v1/webhooks');
    assert.deepEqual(list.body.data, [], 'nothing was stored');
  });
});
