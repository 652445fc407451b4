// Payload encryption, the codec endpoint the Web UI decodes through, and the Prometheus endpoints of the
// api and the worker — on a real publish through the dev server.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { freePort } from '../../src/infra/free-port';
import type { PostView } from '../../src/posts/schemas';
import { ENCRYPTED_ENCODING } from '../../src/temporal/codec';
import { startTestSystem, type TestSystem } from '../support/system';
import { finished, schedulePost, waitForPost } from './ops-publish';

const codecToken = `codec-${randomBytes(12).toString('hex')}`;
const uiOrigin = 'http://127.0.0.1:8233';
const b64 = (s: string): string => Buffer.from(s).toString('base64');
const unb64 = (s: string | undefined): string => Buffer.from(s ?? '', 'base64').toString('utf8');

interface JsonPayload {
  metadata?: Record<string, string>;
  data?: string;
}

describe('payload encryption, codec endpoint and metrics', () => {
  let ts: TestSystem;
  let post: PostView;
  let workerMetricsUrl: string;
  let logs = '';

  before(async () => {
    const workerMetricsPort = await freePort();
    workerMetricsUrl = `http://127.0.0.1:${workerMetricsPort}`;
    ts = await startTestSystem({
      worker: true,
      env: {
        ENCRYPTION_KEY: `k2:${randomBytes(32).toString('base64')},k1:${randomBytes(32).toString('base64')}`,
        CODEC_AUTH_TOKEN: codecToken,
        CODEC_CORS_ORIGIN: uiOrigin,
        WORKER_METRICS_PORT: String(workerMetricsPort),
        LOG_LEVEL: 'info',
        ANALYTICS_SCHEDULE_ID: `analytics-${randomBytes(4).toString('hex')}`,
      },
      logDestination: new Writable({
        write(chunk: Buffer, _enc, done) {
          logs += chunk.toString();
          done();
        },
      }),
    });
    post = await schedulePost(ts.apiUrl, ts.workspace.apiKey, ts.emulator, { title: 'Encrypted post' });
    post = await waitForPost(ts.call, post.id, finished);
  });
  after(async () => {
    await ts?.stop();
  });

  const codec = (path: string, payloads: JsonPayload[], headers: Record<string, string> = {}): Promise<Response> =>
    fetch(`${ts.apiUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: uiOrigin, 'x-namespace': 'default', ...headers },
      body: JSON.stringify({ payloads }),
    });

  async function storedInput(): Promise<JsonPayload> {
    const history = await ts.system.temporal.client.workflow.getHandle(post.id).fetchHistory();
    const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
    const payload = started?.input?.payloads?.[0];
    assert.ok(payload, 'the workflow has an input');
    return {
      metadata: Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
      data: Buffer.from(payload.data ?? new Uint8Array()).toString('base64'),
    };
  }

  it('publishes with encryption on, and Temporal stores only ciphertext for the input and the summary', async () => {
    assert.equal(post.status, 'published', JSON.stringify(post.targets));
    const input = await storedInput();
    assert.equal(unb64(input.metadata?.encoding), ENCRYPTED_ENCODING);
    assert.equal(unb64(input.metadata?.['encryption-key-id']), 'k2', 'the first key of the ring encrypts');
    assert.doesNotMatch(unb64(input.data), new RegExp(post.id));
    const history = await ts.system.temporal.client.workflow.getHandle(post.id).fetchHistory();
    const summary = history.events?.[0]?.userMetadata?.summary;
    assert.equal(Buffer.from(summary?.metadata?.encoding ?? new Uint8Array()).toString(), ENCRYPTED_ENCODING, 'the summary too');
  });

  it('decodes the stored input through /codec/decode with the codec token, as the Web UI does', async () => {
    for (const [path, headers] of [
      ['/codec/decode', { authorization: `Bearer ${codecToken}` }],
      [`/codec/${codecToken}/decode`, {}],
    ] as const) {
      const res = await codec(path, [await storedInput()], headers);
      assert.equal(res.status, 200, path);
      assert.equal(res.headers.get('access-control-allow-origin'), uiOrigin);
      const { payloads } = (await res.json()) as { payloads: JsonPayload[] };
      assert.equal(unb64(payloads[0]!.metadata?.encoding), 'json/plain');
      assert.equal((JSON.parse(unb64(payloads[0]!.data)) as { postId: string }).postId, post.id);
    }
  });

  it('encodes through /codec/encode what /codec/decode reads back', async () => {
    const auth = { authorization: `Bearer ${codecToken}` };
    const plain = { metadata: { encoding: b64('json/plain') }, data: b64('{"hello":"operator"}') };
    const encoded = (await (await codec('/codec/encode', [plain], auth)).json()) as { payloads: JsonPayload[] };
    assert.equal(unb64(encoded.payloads[0]!.metadata?.encoding), ENCRYPTED_ENCODING);
    const decoded = (await (await codec('/codec/decode', encoded.payloads, auth)).json()) as { payloads: JsonPayload[] };
    assert.deepEqual(decoded.payloads[0], plain);
  });

  it('refuses the codec without the token, and answers a tampered payload with 400', async () => {
    assert.equal((await codec('/codec/decode', [await storedInput()])).status, 401);
    assert.equal((await codec('/codec/wrong-token-123456/decode', [await storedInput()])).status, 401);
    assert.equal(
      (await codec('/codec/decode', [await storedInput()], { authorization: `Bearer ${ts.workspace.apiKey}` })).status,
      401,
      'an API key is not the codec token',
    );
    const tampered = await storedInput();
    tampered.data = Buffer.from(Buffer.from(tampered.data!, 'base64').map((b, i) => (i === 30 ? b ^ 1 : b))).toString('base64');
    const res = await codec('/codec/decode', [tampered], { authorization: `Bearer ${codecToken}` });
    assert.equal(res.status, 400);
  });

  it("answers the Web UI's CORS preflight for its origin only", async () => {
    const preflight = (origin: string): Promise<Response> =>
      fetch(`${ts.apiUrl}/codec/decode`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-namespace' },
      });
    const ok = await preflight(uiOrigin);
    assert.equal(ok.status, 204);
    assert.equal(ok.headers.get('access-control-allow-origin'), uiOrigin);
    assert.match(ok.headers.get('access-control-allow-headers') ?? '', /x-namespace/);
    const other = await preflight('http://evil.example');
    assert.equal(other.headers.get('access-control-allow-origin'), null);
  });

  it('keeps the codec token out of the logs', () => {
    assert.match(logs, /\/codec\/\[redacted\]\/decode/);
    assert.ok(!logs.includes(codecToken), 'the token appears nowhere in the logs');
  });

  it('counts API requests by route template and status on /metrics', async () => {
    await ts.call('GET', '/v1/posts/post_doesnotexist');
    const res = await fetch(`${ts.apiUrl}/metrics`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/plain/);
    const text = await res.text();
    assert.match(text, /pinflow_http_requests_total\{method="POST",route="\/v1\/posts",status="201"\} \d+/);
    assert.match(text, /pinflow_http_requests_total\{method="GET",route="\/v1\/posts\/:id",status="404"\} \d+/);
    assert.match(text, /pinflow_http_request_duration_seconds_bucket\{le="0\.1",method="POST",route="\/v1\/posts",status="201"\} \d+/);
    assert.match(text, /^process_cpu_seconds_total /m);
  });

  it("serves the worker's metrics — the Temporal SDK's and pinflow's — and its health on WORKER_METRICS_PORT", async () => {
    const health = await fetch(`${workerMetricsUrl}/healthz`);
    assert.equal(health.status, 200);
    const text = await (await fetch(`${workerMetricsUrl}/metrics`)).text();
    assert.match(text, /^temporal_\w+/m, 'SDK metrics from the core runtime');
    assert.match(text, /temporal_activity_execution_latency\w*\{[^}]*activity_type="publishTarget"/, 'including the publish activity');
    for (const name of [
      'pinflow_pins_published_total',
      'pinflow_pins_failed_total',
      'pinflow_publish_lateness_seconds',
      'pinflow_pinterest_rate_limited_total',
    ]) {
      assert.match(text, new RegExp(`# TYPE ${name.replace(/_total$/, '')}(_total)? `), name);
    }
  });
});
