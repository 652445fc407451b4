// Webhook deliveries end to end: emitEvent → PostgreSQL → the deliverWebhooks workflow on the Temporal dev
// server → a real receiving HTTP server on 127.0.0.1. The test runs its own workers on the system's task
// queue so that it can stop one mid-retry and start another.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { DefaultLogger, Runtime, type NativeConnection, type Worker } from '@temporalio/worker';
import { verifyWebhook, WebhookVerificationError } from '../../sdk/src/webhooks';
import { connectWorker, createWorker } from '../../src/temporal/worker';
import { emitEvent } from '../../src/webhooks/emit';
import { eventId, type EventInput } from '../../src/webhooks/events';
import type { CreatedWebhook, DeliveryList, DeliveryView } from '../../src/webhooks/schemas';
import { signatureHeaderValue } from '../../src/webhooks/signature';
import { startTestSystem, type TestSystem } from '../support/system';
import { temporalAddress } from '../support/temporal';

interface Received {
  path: string;
  eventId: string;
  type: string;
  body: string;
  signature: string;
  deliveryId: string;
  /** What the receiver answered. */
  status: number;
  at: number;
}

/** Answers a request for an event: its status, given how many times this path has seen the event before. */
type Script = (eventId: string, seenBefore: number) => number;

interface Receiver {
  url(path: string): string;
  /** How the path answers; 200 unless scripted. */
  script(path: string, script: Script): void;
  at(path: string): Received[];
  close(): Promise<void>;
}

async function startReceiver(): Promise<Receiver> {
  const received: Received[] = [];
  const scripts = new Map<string, Script>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const path = req.url ?? '/';
      const eventId = String(req.headers['pinflow-event-id']);
      const seenBefore = received.filter((r) => r.path === path && r.eventId === eventId).length;
      const status = (scripts.get(path) ?? (() => 200))(eventId, seenBefore);
      received.push({
        path,
        eventId,
        type: String(req.headers['pinflow-event-type']),
        body,
        signature: String(req.headers['pinflow-signature']),
        deliveryId: String(req.headers['pinflow-delivery-id']),
        status,
        at: Date.now(),
      });
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'no');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    script: (path, script) => void scripts.set(path, script),
    at: (path) => received.filter((r) => r.path === path),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A worker of the system's task queue that the test starts and stops at will. */
interface RunningWorker {
  stop(): Promise<void>;
}

async function startWorker(ts: TestSystem, connection: NativeConnection): Promise<RunningWorker> {
  const worker: Worker = await createWorker(ts.system.deps, connection);
  const running = worker.run();
  return {
    async stop() {
      worker.shutdown();
      await running;
    },
  };
}

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

let seq = 0;
/** A post id of its own per test, so each test has its own ordering key and workflow. */
const newPostId = (): string => `post_whtest${Date.now().toString(36)}${(seq++).toString(36)}`;

describe('webhook deliveries', () => {
  let ts: TestSystem;
  let receiver: Receiver;
  let connection: NativeConnection;
  let worker: RunningWorker | undefined;

  before(async () => {
    // Worker warnings about retried activities are expected here; errors still show.
    Runtime.install({ logger: new DefaultLogger('ERROR'), shutdownSignals: [] });
    ts = await startTestSystem({ worker: false });
    receiver = await startReceiver();
    connection = await connectWorker(temporalAddress());
    worker = await startWorker(ts, connection);
  });
  after(async () => {
    await worker?.stop();
    await connection?.close();
    await receiver?.close();
    await ts?.stop();
  });

  /** A workspace of its own with one webhook at `path`: events of other tests never reach it. */
  async function webhookAt(path: string, events?: string[]): Promise<{ workspaceId: string; apiKey: string; webhook: CreatedWebhook }> {
    const ws = await ts.newWorkspace(path);
    const res = await ts.call<CreatedWebhook>('POST', '/v1/webhooks', { url: receiver.url(path), events }, { key: ws.apiKey });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return { workspaceId: ws.id, apiKey: ws.apiKey, webhook: res.body };
  }

  function emit(workspaceId: string, postId: string, type: EventInput['type'], extra: Partial<EventInput['data']> = {}) {
    return emitEvent(ts.system.deps, workspaceId, { type, data: { postId, ...extra }, sequence: 0 }, { orderingKey: postId });
  }

  async function log(apiKey: string, webhookId: string): Promise<DeliveryView[]> {
    const res = await ts.call<DeliveryList>('GET', `/v1/webhooks/${webhookId}/deliveries`, undefined, { key: apiKey });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.data;
  }

  async function delivered(apiKey: string, webhookId: string, deliveryId: string): Promise<DeliveryView> {
    return until(`delivery ${deliveryId}`, async () =>
      (await log(apiKey, webhookId)).find((d) => d.id === deliveryId && d.status !== 'pending'),
    );
  }

  it('signs each request so that the SDK verifier accepts it with the secret, and refuses a wrong secret, a tampered body or an old timestamp', async () => {
    const { workspaceId, apiKey, webhook } = await webhookAt('/signed');
    const postId = newPostId();
    const emitted = await emit(workspaceId, postId, 'post.published', { pinId: '8123', pinUrl: 'https://www.pinterest.com/pin/8123/' });
    const [got] = await until('the request', () => (receiver.at('/signed').length > 0 ? receiver.at('/signed') : undefined));
    assert.ok(got);

    const event = verifyWebhook({ payload: got.body, header: got.signature, secret: webhook.secret });
    assert.equal(event.id, emitted.id);
    assert.equal(event.type, 'post.published');
    assert.deepEqual(event.data, { postId, pinId: '8123', pinUrl: 'https://www.pinterest.com/pin/8123/' });
    assert.equal(got.eventId, emitted.id);

    const refused = (fn: () => unknown): string => {
      try {
        fn();
        return 'accepted';
      } catch (err) {
        assert.ok(err instanceof WebhookVerificationError);
        return err.reason;
      }
    };
    assert.equal(
      refused(() => verifyWebhook({ payload: got.body, header: got.signature, secret: 'whsec_wrong' })),
      'signature_mismatch',
    );
    assert.equal(
      refused(() => verifyWebhook({ payload: got.body.replace('8123', '8124'), header: got.signature, secret: webhook.secret })),
      'signature_mismatch',
    );
    const old = signatureHeaderValue(webhook.secret, got.body, Math.floor(Date.now() / 1000) - 600);
    assert.equal(
      refused(() => verifyWebhook({ payload: got.body, header: old, secret: webhook.secret })),
      'timestamp_outside_tolerance',
    );

    const done = await delivered(apiKey, webhook.id, emitted.deliveries[0]!.deliveryId);
    assert.equal(done.status, 'delivered');
    assert.equal(done.attempts, 1);
    assert.equal(done.lastStatusCode, 200);
  });

  it('retries after 500s with backoff until the receiver takes it, and the log shows every attempt', async () => {
    const { workspaceId, apiKey, webhook } = await webhookAt('/flaky');
    receiver.script('/flaky', (_id, seen) => (seen < 2 ? 500 : 200));
    const emitted = await emit(workspaceId, newPostId(), 'post.failed', { errorCode: 'PIN_BOARD_NOT_FOUND' });
    const deliveryId = emitted.deliveries[0]!.deliveryId;

    // While it waits to try again, the log says what happened and when the next attempt is due.
    const retrying = await until('a retrying delivery', async () =>
      (await log(apiKey, webhook.id)).find((d) => d.attempts >= 1 && d.status === 'pending'),
    );
    assert.equal(retrying.lastStatusCode, 500);
    assert.equal(retrying.lastError, 'receiver answered 500');
    assert.ok(retrying.nextAttemptAt && Date.parse(retrying.nextAttemptAt) > Date.parse(retrying.lastAttemptAt!));

    const done = await delivered(apiKey, webhook.id, deliveryId);
    assert.equal(done.status, 'delivered');
    assert.equal(done.attempts, 3);
    assert.equal(done.lastStatusCode, 200);
    assert.equal(done.lastError, null);
    assert.equal(done.nextAttemptAt, null);
    assert.ok(done.deliveredAt);
    const requests = receiver.at('/flaky');
    assert.deepEqual(
      requests.map((r) => r.status),
      [500, 500, 200],
    );
    assert.ok(new Set(requests.map((r) => r.eventId)).size === 1, 'every attempt carries the same event id');
    // Exponential: about 1 s, then about 2 s.
    assert.ok(requests[1]!.at - requests[0]!.at >= 900, `first wait ${requests[1]!.at - requests[0]!.at} ms`);
    assert.ok(requests[2]!.at - requests[1]!.at >= 1800, `second wait ${requests[2]!.at - requests[1]!.at} ms`);
  });

  it('delivers the events of one post in order, even when the first needed retries', async () => {
    const { workspaceId, apiKey, webhook } = await webhookAt('/ordered');
    const postId = newPostId();
    const firstId = eventId(workspaceId, postId, 'post.scheduled', 0);
    receiver.script('/ordered', (id, seen) => (id === firstId && seen < 2 ? 503 : 200));
    const first = await emit(workspaceId, postId, 'post.scheduled');
    const second = await emit(workspaceId, postId, 'post.published', { pinId: '1' });
    const third = await emit(workspaceId, postId, 'analytics.refreshed');

    await delivered(apiKey, webhook.id, third.deliveries[0]!.deliveryId);
    const requests = receiver.at('/ordered');
    assert.deepEqual(
      requests.map((r) => [r.eventId, r.status]),
      [
        [first.id, 503],
        [first.id, 503],
        [first.id, 200],
        [second.id, 200],
        [third.id, 200],
      ],
    );
  });

  it('does not hold back another webhook while one receiver is failing', async () => {
    const ws = await ts.newWorkspace('two-receivers');
    const create = async (path: string): Promise<CreatedWebhook> =>
      (await ts.call<CreatedWebhook>('POST', '/v1/webhooks', { url: receiver.url(path) }, { key: ws.apiKey })).body;
    const down = await create('/down');
    const up = await create('/up');
    receiver.script('/down', (_id, seen) => (seen < 2 ? 500 : 200));
    const postId = newPostId();
    const a = await emit(ws.id, postId, 'post.scheduled');
    const b = await emit(ws.id, postId, 'post.published');

    await delivered(ws.apiKey, up.id, b.deliveries.find((d) => d.webhookId === up.id)!.deliveryId);
    assert.deepEqual(
      receiver.at('/up').map((r) => r.eventId),
      [a.id, b.id],
    );
    assert.ok(!receiver.at('/down').some((r) => r.status === 200), 'the failing receiver is still being retried');

    await until('the failing receiver to catch up', () =>
      receiver.at('/down').filter((r) => r.status === 200).length === 2 ? true : undefined,
    );
    assert.deepEqual(
      receiver
        .at('/down')
        .filter((r) => r.status === 200)
        .map((r) => r.eventId),
      [a.id, b.id],
    );
    assert.equal((await log(ws.apiKey, down.id)).length, 2);
  });

  it('does not retry a receiver that answers 4xx, and moves on to the next event', async () => {
    const { workspaceId, apiKey, webhook } = await webhookAt('/gone');
    const postId = newPostId();
    receiver.script('/gone', (id) => (id === eventId(workspaceId, postId, 'post.scheduled', 0) ? 410 : 200));
    const first = await emit(workspaceId, postId, 'post.scheduled');
    const second = await emit(workspaceId, postId, 'post.canceled');

    await delivered(apiKey, webhook.id, second.deliveries[0]!.deliveryId);
    const refused = await delivered(apiKey, webhook.id, first.deliveries[0]!.deliveryId);
    assert.equal(refused.status, 'failed');
    assert.equal(refused.attempts, 1);
    assert.equal(refused.lastStatusCode, 410);
    assert.equal(refused.nextAttemptAt, null);
    assert.deepEqual(
      receiver.at('/gone').map((r) => r.status),
      [410, 200],
    );
  });

  it('stores and sends a repeated emit of the same event once, under the same event id', async () => {
    const { workspaceId, apiKey, webhook } = await webhookAt('/dedupe');
    const postId = newPostId();
    const once = await emit(workspaceId, postId, 'post.published');
    const twice = await emit(workspaceId, postId, 'post.published');
    assert.equal(twice.id, once.id);
    await delivered(apiKey, webhook.id, once.deliveries[0]!.deliveryId);
    const again = await emit(workspaceId, postId, 'post.published');
    assert.deepEqual(again, { id: once.id, deliveries: [] }, 'nothing left to deliver');
    await sleep(500);
    assert.equal(receiver.at('/dedupe').length, 1);
    assert.equal((await log(apiKey, webhook.id)).length, 1);
  });

  it('sends only the event types a webhook subscribed to', async () => {
    const { workspaceId, apiKey, webhook } = await webhookAt('/picky', ['post.published']);
    const postId = newPostId();
    const skipped = await emit(workspaceId, postId, 'post.scheduled');
    assert.deepEqual(skipped.deliveries, []);
    const taken = await emit(workspaceId, postId, 'post.published');
    await delivered(apiKey, webhook.id, taken.deliveries[0]!.deliveryId);
    assert.deepEqual(
      receiver.at('/picky').map((r) => r.type),
      ['post.published'],
    );
  });

  it('replays a delivery as a new delivery of the same event, with the same event id and body', async () => {
    const { workspaceId, apiKey, webhook } = await webhookAt('/replay');
    const emitted = await emit(workspaceId, newPostId(), 'post.published', { pinId: '77' });
    const original = await delivered(apiKey, webhook.id, emitted.deliveries[0]!.deliveryId);

    const res = await ts.call<DeliveryView>('POST', `/v1/webhooks/${webhook.id}/deliveries/${original.id}/replay`, undefined, {
      key: apiKey,
    });
    assert.equal(res.status, 202, JSON.stringify(res.body));
    assert.notEqual(res.body.id, original.id);
    assert.equal(res.body.eventId, emitted.id);
    assert.equal(res.body.replayOf, original.id);
    const replayed = await delivered(apiKey, webhook.id, res.body.id);
    assert.equal(replayed.status, 'delivered');

    const requests = receiver.at('/replay');
    assert.equal(requests.length, 2);
    assert.equal(requests[0]!.eventId, requests[1]!.eventId);
    assert.equal(requests[0]!.body, requests[1]!.body, 'the same bytes, so a receiver deduplicates on the event id');
    assert.deepEqual(
      requests.map((r) => r.deliveryId),
      [original.id, res.body.id],
    );
    for (const r of requests) assert.equal(verifyWebhook({ payload: r.body, header: r.signature, secret: webhook.secret }).id, emitted.id);
    assert.deepEqual(
      (await log(apiKey, webhook.id)).map((d) => d.id),
      [res.body.id, original.id],
      'newest first',
    );
  });

  it('loses no delivery when the worker stops mid-retry and another starts later', async () => {
    const { workspaceId, apiKey, webhook } = await webhookAt('/restart');
    const postId = newPostId();
    const firstId = eventId(workspaceId, postId, 'post.scheduled', 0);
    receiver.script('/restart', (id, seen) => (id === firstId && seen < 1 ? 500 : 200));
    const first = await emit(workspaceId, postId, 'post.scheduled');
    const second = await emit(workspaceId, postId, 'post.published');
    await until('the first failed attempt', () => (receiver.at('/restart').length >= 1 ? true : undefined));

    await worker!.stop();
    worker = undefined;
    // The retry falls due while no worker runs: nothing is sent, and Temporal keeps it.
    await sleep(3_000);
    assert.deepEqual(
      receiver.at('/restart').map((r) => r.status),
      [500],
    );
    const waiting = await log(apiKey, webhook.id);
    assert.deepEqual(
      waiting.map((d) => d.status),
      ['pending', 'pending'],
    );

    worker = await startWorker(ts, connection);
    await delivered(apiKey, webhook.id, second.deliveries[0]!.deliveryId);
    assert.deepEqual(
      receiver.at('/restart').map((r) => [r.eventId, r.status]),
      [
        [first.id, 500],
        [first.id, 200],
        [second.id, 200],
      ],
    );
    const final = await log(apiKey, webhook.id);
    assert.deepEqual(
      final.map((d) => [d.eventId, d.status, d.attempts]),
      [
        [second.id, 'delivered', 1],
        [first.id, 'delivered', 2],
      ],
    );
  });
});
