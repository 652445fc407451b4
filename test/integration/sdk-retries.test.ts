// How the SDK retries: 429 and 5xx with backoff or the server's Retry-After, a dropped connection only when a
// repeat is harmless, one Idempotency-Key across a create's attempts. pinflow cannot be made to answer 503 and
// then 201 on cue, so a loopback HTTP server plays the API here with scripted answers; every other SDK test
// runs against the real system.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import Pinflow, { PinflowError } from '../../sdk/src/index';
import { backoffMs, retryAfterMs } from '../../sdk/src/retry';

type Answer = { status: number; headers?: Record<string, string>; body?: unknown; delayMs?: number } | 'drop';

interface Received {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  at: number;
}

const post = { id: 'post_scripted', status: 'scheduled' };
const problem = (code: string): unknown => ({ errors: [{ code, message: `${code} (scripted)` }], requestId: 'req_scripted' });

describe('SDK retries', () => {
  let server: http.Server;
  let baseUrl: string;
  let script: Answer[] = [];
  let received: Received[] = [];

  before(async () => {
    server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, at: Date.now() });
        const answer = script.shift() ?? { status: 500, body: problem('INTERNAL') };
        if (answer === 'drop') {
          req.socket.destroy();
          return;
        }
        setTimeout(() => {
          const body = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body ?? '');
          res
            .writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers })
            .end(answer.status === 204 ? undefined : body);
        }, answer.delayMs ?? 0);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  beforeEach(() => {
    script = [];
    received = [];
  });

  const client = (options: { maxRetries?: number; timeoutMs?: number } = {}): Pinflow =>
    new Pinflow({ apiKey: 'pf_live_test', baseUrl, ...options });
  const body = { content: 'x', platforms: [{ accountId: 'soc_1', platformOptions: { platform: 'PINTEREST' as const, board: '1' } }] };

  it('retries a create answered 503 with the same Idempotency-Key, and returns the post', async () => {
    script = [
      { status: 503, headers: { 'retry-after': '0' }, body: problem('SERVICE_UNAVAILABLE') },
      { status: 201, body: post },
    ];
    assert.deepEqual(await client().posts.create(body), post);
    assert.equal(received.length, 2);
    const keys = received.map((r) => r.headers['idempotency-key']);
    assert.match(String(keys[0]), /^[0-9a-f-]{36}$/);
    assert.equal(keys[1], keys[0]);
  });

  it("sends the caller's Idempotency-Key when given", async () => {
    script = [{ status: 201, body: post }];
    await client().posts.create(body, { idempotencyKey: 'order-42' });
    assert.equal(received[0]!.headers['idempotency-key'], 'order-42');
    assert.equal(received[0]!.headers.authorization, 'Bearer pf_live_test');
  });

  it('waits as long as Retry-After asks after a 429', async () => {
    script = [
      { status: 429, headers: { 'retry-after': '1' }, body: problem('RATE_LIMITED') },
      { status: 200, body: { data: [], nextCursor: null } },
    ];
    await client().posts.list();
    assert.equal(received.length, 2);
    assert.ok(received[1]!.at - received[0]!.at >= 950, `waited ${received[1]!.at - received[0]!.at} ms`);
  });

  it('backs off exponentially with jitter when the server gives no Retry-After', async () => {
    script = [{ status: 500 }, { status: 502 }, { status: 200, body: { data: [], nextCursor: null } }];
    await client().posts.list();
    const gaps = [received[1]!.at - received[0]!.at, received[2]!.at - received[1]!.at];
    // Lower bounds are exact (250–500 ms, then 500–1000 ms); upper ones leave room for a busy machine.
    assert.ok(gaps[0]! >= 240 && gaps[0]! < 1000, `first wait ${gaps[0]} ms`);
    assert.ok(gaps[1]! >= 490 && gaps[1]! < 2000, `second wait ${gaps[1]} ms`);
    assert.ok([0, 0.5, 1].every((r) => backoffMs(3, () => r) <= 4000 && backoffMs(3, () => r) >= 2000));
  });

  it('gives up after maxRetries and throws the last answer as a PinflowError', async () => {
    script = [0, 1, 2].map(() => ({ status: 503, headers: { 'retry-after': '0' }, body: problem('SERVICE_UNAVAILABLE') }));
    const err = await client({ maxRetries: 2 })
      .posts.get('post_1')
      .catch((e: unknown) => e);
    assert.ok(err instanceof PinflowError);
    assert.equal(received.length, 3);
    assert.equal(err.status, 503);
    assert.equal(err.code, 'SERVICE_UNAVAILABLE');
    assert.equal(err.requestId, 'req_scripted');
  });

  it('does not retry an answer that would be the same next time (4xx)', async () => {
    script = [{ status: 422, body: problem('PIN_BOARD_REQUIRED') }];
    const err = await client()
      .posts.create(body)
      .catch((e: unknown) => e);
    assert.ok(err instanceof PinflowError);
    assert.equal(err.code, 'PIN_BOARD_REQUIRED');
    assert.equal(received.length, 1);
  });

  it('does not wait for a Retry-After of more than a minute: the caller gets the 429', async () => {
    script = [{ status: 429, headers: { 'retry-after': '3600' }, body: problem('RATE_LIMITED') }];
    const err = await client()
      .posts.list()
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    assert.ok(err instanceof PinflowError);
    assert.equal(err.status, 429);
    assert.equal(received.length, 1);
  });

  it('retries a read and a keyed create whose connection dropped, with the same key', async () => {
    script = ['drop', { status: 200, body: post }];
    await client().posts.get('post_1');
    assert.equal(received.length, 2);

    received = [];
    script = ['drop', { status: 201, body: post }];
    await client().posts.create(body);
    assert.equal(received.length, 2);
    assert.equal(received[1]!.headers['idempotency-key'], received[0]!.headers['idempotency-key']);
  });

  it('does not repeat an upload whose connection dropped (it may have been stored): NETWORK_ERROR, status 0', async () => {
    script = ['drop', { status: 201, body: { id: 'med_1' } }];
    const err = await client()
      .media.upload(Buffer.from('bytes'))
      .catch((e: unknown) => e);
    assert.ok(err instanceof PinflowError);
    assert.equal(err.status, 0);
    assert.equal(err.code, 'NETWORK_ERROR');
    assert.equal(received.length, 1);
    assert.match(String(received[0]!.headers['content-type']), /^multipart\/form-data; boundary=/);
  });

  it('ends an attempt that outlives timeoutMs with TIMEOUT', async () => {
    script = [{ status: 200, body: post, delayMs: 1000 }];
    const err = await client({ timeoutMs: 100, maxRetries: 0 })
      .posts.get('post_1')
      .catch((e: unknown) => e);
    assert.ok(err instanceof PinflowError);
    assert.equal(err.code, 'TIMEOUT');
    assert.equal(err.status, 0);
  });

  it('turns an answer that is not a pinflow error body into INVALID_RESPONSE with its status and request id', async () => {
    script = [{ status: 502, headers: { 'content-type': 'text/html', 'x-request-id': 'req_proxy' }, body: '<html>bad gateway</html>' }];
    const err = await client({ maxRetries: 0 })
      .posts.get('post_1')
      .catch((e: unknown) => e);
    assert.ok(err instanceof PinflowError);
    assert.equal(err.status, 502);
    assert.equal(err.code, 'INVALID_RESPONSE');
    assert.equal(err.requestId, 'req_proxy');
  });

  it('escapes ids in paths, so an id cannot reach another route', async () => {
    script = [{ status: 200, body: post }];
    await client().posts.get('../keys?x=1');
    assert.equal(received[0]!.url, '/v1/posts/..%2Fkeys%3Fx%3D1');
  });

  it('reads Retry-After in seconds or as an HTTP date', () => {
    const now = Date.parse('2026-03-01T12:00:00Z');
    assert.equal(retryAfterMs('2', now), 2000);
    assert.equal(retryAfterMs('Sun, 01 Mar 2026 12:00:05 GMT', now), 5000);
    assert.equal(retryAfterMs('soon', now), undefined);
    assert.equal(retryAfterMs(null, now), undefined);
  });
});
