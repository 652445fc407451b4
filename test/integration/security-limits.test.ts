// Requests built to exhaust the API: bodies over the limits (JSON over 1 MB, uploads over 20 MB, declared or
// streamed), slow-loris clients that send a byte a second, JSON bombs (10,000 levels deep, huge strings, many
// keys, huge arrays, prototype pollution) and wrong content types. Each is refused with a 4xx and a documented
// code, the slow ones are cut off, and the memory of this process (which hosts the API) does not blow up.
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../src/config';
import { demo } from '../../src/emulator';
import { connectDemoAccount } from '../support/accounts';
import { startTestSystem, type TestSystem } from '../support/system';
import { describeMemory, settledMemory } from '../security/support/memory';
import { codesOf, createTally, type Answer } from '../security/support/outcomes';
import { rawRequest, trickle } from '../security/support/raw-http';

const MB = 1024 * 1024;
const REQUEST_TIMEOUT_MS = 2_000;

/** Every route that takes a body; ids in paths need not exist (the body is refused before they are looked up). */
const bodyRoutes: Array<[method: string, path: string]> = [
  ['POST', '/v1/posts'],
  ['POST', '/v1/posts/validate'],
  ['PATCH', '/v1/posts/post_nope'],
  ['POST', '/v1/media'],
  ['POST', '/v1/webhooks'],
  ['POST', '/v1/keys'],
  ['POST', '/v1/accounts/pinterest'],
  ['POST', '/v1/accounts/pinterest/connect'],
];

/** A field each body route reads, so that a bomb in it cannot be dropped as an unknown field. */
const readField: Record<string, string> = {
  '/v1/posts': 'platforms',
  '/v1/posts/validate': 'content',
  '/v1/posts/:id': 'caption',
  '/v1/media': 'url',
  '/v1/webhooks': 'events',
  '/v1/keys': 'name',
  '/v1/accounts/pinterest': 'accessToken',
  '/v1/accounts/pinterest/connect': 'redirectAfter',
};

/** `depth` nested arrays or objects, as JSON text. */
function nested(depth: number, kind: 'array' | 'object', inner = '1'): string {
  return kind === 'array' ? '['.repeat(depth) + inner + ']'.repeat(depth) : '{"a":'.repeat(depth) + inner + '}'.repeat(depth);
}

/** Chunks of `total` bytes: a JPEG's first bytes, then zeros; rss is sampled at every chunk. */
function* imageBytes(total: number, chunk: number, samples: number[]): Generator<Buffer> {
  const head = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00]);
  const zeros = Buffer.alloc(chunk);
  yield head;
  for (let sent = head.length; sent < total; sent += chunk) {
    samples.push(process.memoryUsage().rss);
    yield sent + chunk <= total ? zeros : zeros.subarray(0, total - sent);
  }
}

function multipart(boundary: string, fileBytes: Iterable<Buffer>, extraParts = ''): Iterable<Buffer> {
  return (function* () {
    yield Buffer.from(
      `${extraParts}--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`,
    );
    yield* fileBytes;
    yield Buffer.from(`\r\n--${boundary}--\r\n`);
  })();
}

describe('requests built to exhaust the API', () => {
  let ts: TestSystem;
  const tally = createTally('limits');
  let memoryBefore: Awaited<ReturnType<typeof settledMemory>>;

  before(async () => {
    ts = await startTestSystem({ env: { HTTP_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS) } });
    memoryBefore = await settledMemory();
  });
  after(async () => {
    console.log(tally.summary());
    await ts?.stop();
  });

  const auth = (): Record<string, string> => ({ authorization: `Bearer ${ts.workspace.apiKey}` });

  /** Counts the answer (a 5xx or an undocumented code fails the test) and answers it. */
  function judged<A extends Answer>(label: string, answer: A): A {
    const problems = tally.record(label, answer);
    assert.deepEqual(problems, [], `${label}: ${JSON.stringify(answer.body).slice(0, 300)}`);
    return answer;
  }

  describe('bodies over the limits', () => {
    it('refuses a JSON body over 1 MB on every route with 413 BODY_TOO_LARGE', async () => {
      const body = Buffer.from(JSON.stringify({ content: 'x'.repeat(MB) }));
      for (const [method, path] of bodyRoutes) {
        const answer = judged(
          `${method} ${path} 1 MB`,
          await rawRequest(ts.apiUrl, {
            method,
            path,
            headers: { ...auth(), 'content-type': 'application/json', 'content-length': String(body.length) },
            body,
          }),
        );
        assert.equal(answer.status, 413, `${method} ${path}`);
        assert.deepEqual(codesOf(answer), ['BODY_TOO_LARGE']);
      }
    });

    it('refuses a chunked JSON body that grows past 1 MB, and a declared 10 GB one without reading it', async () => {
      const chunk = Buffer.alloc(64 * 1024, 'x');
      const chunks = [Buffer.from('{"content":"'), ...Array.from({ length: 32 }, () => chunk), Buffer.from('"}')];
      const chunked = judged(
        'chunked 2 MB',
        await rawRequest(ts.apiUrl, {
          method: 'POST',
          path: '/v1/posts',
          headers: { ...auth(), 'content-type': 'application/json' },
          body: chunks,
        }),
      );
      assert.equal(chunked.status, 413);
      assert.deepEqual(codesOf(chunked), ['BODY_TOO_LARGE']);

      const declared = judged(
        'declared 10 GB',
        await rawRequest(ts.apiUrl, {
          method: 'POST',
          path: '/v1/posts',
          headers: { ...auth(), 'content-type': 'application/json', 'content-length': String(10 * 1024 * MB) },
          body: Buffer.from('{}'),
        }),
      );
      assert.equal(declared.status, 413);
      console.log(
        `[limits] chunked 2 MB: ${chunked.status} after ${chunked.bytesWritten} bytes written; declared 10 GB: ${declared.status}`,
      );
    });

    it('refuses an upload of 20 MB + 1 byte with 413 PIN_MEDIA_TOO_LARGE and a 64 MB stream without holding it', async () => {
      const samples: number[] = [];
      const boundary = 'pinflowboundary';
      const headers = { ...auth(), 'content-type': `multipart/form-data; boundary=${boundary}` };
      const justOver = judged(
        'upload 20 MB + 1',
        await rawRequest(ts.apiUrl, {
          method: 'POST',
          path: '/v1/media',
          headers,
          body: multipart(boundary, imageBytes(20 * MB + 1, 256 * 1024, samples)),
        }),
      );
      assert.equal(justOver.status, 413);
      assert.deepEqual(codesOf(justOver), ['PIN_MEDIA_TOO_LARGE']);

      const rssBefore = process.memoryUsage().rss;
      samples.length = 0;
      const stream = judged(
        'upload 64 MB',
        await rawRequest(ts.apiUrl, {
          method: 'POST',
          path: '/v1/media',
          headers,
          body: multipart(boundary, imageBytes(64 * MB, 64 * 1024, samples)),
        }),
      );
      assert.equal(stream.status, 413);
      assert.deepEqual(codesOf(stream), ['PIN_MEDIA_TOO_LARGE']);
      const peakGrowthMb = Math.round((Math.max(...samples) - rssBefore) / MB);
      console.log(
        `[limits] 64 MB upload: ${stream.status} after ${Math.round(stream.bytesWritten / MB)} MB written; rss peak while streaming +${peakGrowthMb} MB`,
      );
      assert.ok(peakGrowthMb < 48, `the API held the upload in memory (+${peakGrowthMb} MB)`);
      const { rows } = await ts.system.db.query<{ n: number }>('SELECT count(*)::int AS n FROM media');
      assert.equal(rows[0]!.n, 0, 'nothing was stored');
    });

    it('refuses multipart bodies with too many parts or files with 413, and an oversized field with a 4xx', async () => {
      const boundary = 'b0undary';
      const headers = { ...auth(), 'content-type': `multipart/form-data; boundary=${boundary}` };
      const field = (name: string, value: string): string =>
        `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
      const manyFields = Array.from({ length: 1_000 }, (_, i) => field(`f${i}`, 'x')).join('');
      const tooManyParts = judged(
        '1,000 fields',
        await rawRequest(ts.apiUrl, {
          method: 'POST',
          path: '/v1/media',
          headers,
          body: multipart(boundary, [Buffer.from('x')], manyFields),
        }),
      );
      assert.equal(tooManyParts.status, 413);
      assert.deepEqual(codesOf(tooManyParts), ['BODY_TOO_LARGE']);

      const bigField = judged(
        '100 KB field',
        await rawRequest(ts.apiUrl, {
          method: 'POST',
          path: '/v1/media',
          headers,
          body: multipart(boundary, [Buffer.from('x')], field('note', 'y'.repeat(100 * 1024))),
        }),
      );
      assert.ok(bigField.status >= 400 && bigField.status < 500, `a 100 KB field: ${bigField.status}`);

      const headerFlood = await rawRequest(ts.apiUrl, {
        method: 'GET',
        path: '/v1/posts',
        headers: { ...auth(), 'x-flood': 'z'.repeat(100 * 1024) },
      });
      // Refused by Node before a route runs, and still answered in the API's shape with a documented code.
      assert.equal(headerFlood.status, 431, 'Node refuses a 100 KB header before pinflow sees it');
      assert.deepEqual(codesOf(judged('100 KB header', headerFlood)), ['HEADERS_TOO_LARGE']);
      console.log(
        `[limits] 1,000 fields: ${tooManyParts.status}; 100 KB field: ${bigField.status} ${codesOf(bigField).join(',')}; 100 KB header: ${headerFlood.status} ${codesOf(headerFlood).join(',')}`,
      );
    });

    it('answers a request that is not HTTP with 400 MALFORMED_REQUEST and closes the connection', async () => {
      const reply = await new Promise<string>((resolve, reject) => {
        const socket = net.connect(Number(new URL(ts.apiUrl).port), '127.0.0.1', () => socket.write('HELLO / NOT-HTTP\r\n\r\n'));
        let data = '';
        socket.on('data', (chunk: Buffer) => (data += chunk.toString()));
        socket.on('close', () => resolve(data));
        socket.on('error', reject);
        socket.setTimeout(5_000, () => socket.destroy(new Error('no answer')));
      });
      assert.match(reply, /^HTTP\/1\.1 400 /);
      assert.deepEqual(
        JSON.parse(reply.slice(reply.indexOf('\r\n\r\n') + 4)).errors.map((e: { code: string }) => e.code),
        ['MALFORMED_REQUEST'],
      );
    });
  });

  describe('slow-loris clients', () => {
    it('has a request deadline by default, and the server it builds keeps it', () => {
      const byDefault = loadConfig({}).HTTP_REQUEST_TIMEOUT_MS;
      assert.ok(byDefault > 0 && byDefault <= 300_000, `HTTP_REQUEST_TIMEOUT_MS defaults to ${byDefault}`);
      assert.equal(ts.system.app!.server.requestTimeout, REQUEST_TIMEOUT_MS);
      console.log(`[limits] HTTP_REQUEST_TIMEOUT_MS default ${byDefault} ms; this system ${REQUEST_TIMEOUT_MS} ms`);
    });

    it('cuts off a client sending a JSON body, an upload or its headers at a byte a second', async () => {
      const port = Number(new URL(ts.apiUrl).port);
      const key = ts.workspace.apiKey;
      const boundary = 'slowb';
      const partHead = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`;
      const slow = { everyMs: 1_000, maxBytes: 30 };
      const [json, upload, headers] = await Promise.all([
        trickle(port, {
          ...slow,
          head: `POST /v1/posts HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${key}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n`,
          trickle: `{"content":"${'s'.repeat(990)}`,
        }),
        trickle(port, {
          ...slow,
          head: `POST /v1/media HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${key}\r\nContent-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: 100000\r\n\r\n${partHead}\xff\xd8\xff`,
          trickle: '\0'.repeat(1_000),
        }),
        trickle(port, { ...slow, head: '', trickle: `GET /v1/posts HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ${'h'.repeat(200)}` }),
      ]);
      for (const [name, result] of Object.entries({ json, upload, headers })) {
        console.log(
          `[limits] slow ${name}: cut off ${result.cutOff} after ${result.bytesSent} bytes, ${result.seconds} s; answer: ${JSON.stringify(result.reply.split('\r\n')[0] ?? '')}`,
        );
        assert.ok(result.cutOff, `the server still reads a slow ${name} after ${result.bytesSent} bytes at a byte a second`);
        assert.match(result.reply, /^HTTP\/1\.1 408 /, `a slow ${name} is told why`);
        assert.ok(result.reply.includes('"code":"REQUEST_TIMEOUT"'), `a slow ${name} gets the documented code: ${result.reply}`);
      }
      const health = await fetch(`${ts.apiUrl}/healthz`);
      assert.equal(health.status, 200, 'the API still answers');
    });
  });

  describe('JSON bombs', () => {
    it('refuses 10,000 levels of nesting, as the body or inside a field the route reads, on every route with a 4xx', async () => {
      for (const [method, path] of bodyRoutes) {
        const field = readField[path.replace(/post_nope$/, ':id')]!;
        const bombs = [nested(10_000, 'array'), `{"${field}":${nested(10_000, 'object')}}`, `{"${field}":${nested(10_000, 'array')}}`];
        for (const bomb of bombs) {
          const answer = judged(
            `${method} ${path} ${bomb.slice(0, 15)}…`,
            await rawRequest(ts.apiUrl, {
              method,
              path,
              headers: { ...auth(), 'content-type': 'application/json' },
              body: Buffer.from(bomb),
            }),
          );
          assert.ok(answer.status >= 400 && answer.status < 500, `${method} ${path} ${bomb.slice(0, 15)}: ${answer.status}`);
        }
      }
    });

    it('ignores 10,000 levels of nesting under an unknown field only where the route ignores unknown fields', async () => {
      const lenient: string[] = [];
      for (const [method, path] of bodyRoutes) {
        const answer = judged(
          `${method} ${path} unknown field`,
          await rawRequest(ts.apiUrl, {
            method,
            path,
            headers: { ...auth(), 'content-type': 'application/json' },
            body: Buffer.from(`{"${readField[path.replace(/post_nope$/, ':id')]!}":1,"zz":${nested(10_000, 'object')}}`),
          }),
        );
        if (answer.status < 400) lenient.push(`${method} ${path} → ${answer.status}`);
      }
      console.log(`[limits] routes that accept (and drop) an unknown field holding 10,000 levels: ${lenient.join('; ') || 'none'}`);
    });

    it('refuses a near-1 MB string, 100,000 keys and 50,000-element arrays with a documented 4xx', async () => {
      const { accountId } = await connectDemoAccount(ts);
      const target = { accountId, platformOptions: { platform: 'PINTEREST', board: demo.boards.recipes } };
      const manyKeys = `{${Array.from({ length: 100_000 }, (_, i) => `"k${i}":0`).join(',')}}`;
      const cases: Array<[string, string, string, string[]]> = [
        [
          'huge description',
          '/v1/posts/validate',
          JSON.stringify({ content: 'é'.repeat(450_000), mediaIds: ['med_x'], platforms: [target] }),
          ['PIN_DESCRIPTION_TOO_LONG'],
        ],
        ['huge url', '/v1/media', JSON.stringify({ url: `http://127.0.0.1/${'a'.repeat(1_000_000)}` }), ['VALIDATION_FAILED']],
        ['huge webhook url', '/v1/webhooks', JSON.stringify({ url: `http://127.0.0.1/${'a'.repeat(1_000_000)}` }), ['VALIDATION_FAILED']],
        ['100,000 keys', '/v1/posts', manyKeys, []],
        ['100,000 keys', '/v1/webhooks', manyKeys, []],
        [
          '50,000 media ids',
          '/v1/posts',
          JSON.stringify({ mediaIds: Array.from({ length: 50_000 }, (_, i) => `m${i}`), platforms: [target] }),
          ['PIN_CAROUSEL_SIZE'],
        ],
      ];
      for (const [name, path, body, expected] of cases) {
        const answer = judged(
          `${name} → ${path}`,
          await rawRequest(ts.apiUrl, {
            method: 'POST',
            path,
            headers: { ...auth(), 'content-type': 'application/json' },
            body: Buffer.from(body),
          }),
        );
        assert.ok(answer.status >= 400 && answer.status < 500, `${name}: ${answer.status}`);
        for (const code of expected) assert.ok(codesOf(answer).includes(code), `${name}: ${codesOf(answer).slice(0, 5).join(',')}`);
        const size = Buffer.byteLength(JSON.stringify(answer.body));
        console.log(
          `[limits] ${name} → ${path}: ${answer.status} ${[...new Set(codesOf(answer))].join(',')} (${codesOf(answer).length} problems, answer ${Math.round(size / 1024)} KB)`,
        );
      }
    });

    // Every problem is reported at once, and zod reports one per bad element: without the cap of 100 problems
    // an answer (src/api/errors.ts), 50,000 unknown event names (0.8 MB) were answered with 14 MB.
    it('answers a refused request with no more bytes than it was sent', async () => {
      const body = Buffer.from(
        JSON.stringify({ url: 'http://127.0.0.1/hook', events: Array.from({ length: 50_000 }, (_, i) => `post.e${i}`) }),
      );
      const answer = judged(
        '50,000 event names',
        await rawRequest(ts.apiUrl, {
          method: 'POST',
          path: '/v1/webhooks',
          headers: { ...auth(), 'content-type': 'application/json' },
          body,
        }),
      );
      const size = Buffer.byteLength(JSON.stringify(answer.body));
      console.log(
        `[limits] 50,000 event names (${Math.round(body.length / 1024)} KB) → ${answer.status} with ${codesOf(answer).length} problems in ${Math.round(size / 1024)} KB`,
      );
      assert.equal(answer.status, 400);
      assert.ok(size <= body.length, `a ${body.length}-byte request answered with ${size} bytes`);
    });

    // Without MAX_TARGETS (src/domain/post.ts, 20) one 0.8 MB body made pinflow ask PostgreSQL two questions
    // per target (14,000 queries, seconds of pool time) before refusing it.
    it('refuses as many targets as 1 MB holds with a 4xx, before asking the database about each', async () => {
      const { accountId } = await connectDemoAccount(ts);
      const platforms = Array.from({ length: 7_000 }, (_, i) => ({
        accountId,
        platformOptions: { platform: 'PINTEREST', board: String(1e18 + i) },
      }));
      const body = Buffer.from(JSON.stringify({ content: 'many', mediaIds: ['med_x'], platforms }));
      let queries = 0;
      const pool = ts.system.db;
      const query = pool.query.bind(pool);
      pool.query = ((...args: Parameters<typeof query>) => (queries++, query(...args))) as typeof pool.query;
      try {
        const answer = judged(
          '7,000 targets',
          await rawRequest(ts.apiUrl, {
            method: 'POST',
            path: '/v1/posts',
            headers: { ...auth(), 'content-type': 'application/json' },
            body,
          }),
        );
        console.log(
          `[limits] 7,000 targets (${Math.round(body.length / 1024)} KB): ${answer.status} ${[...new Set(codesOf(answer))].join(',')} with ${codesOf(answer).length} problems, ${queries} database queries`,
        );
        assert.ok(answer.status >= 400 && answer.status < 500);
        assert.ok(queries <= 10, `${queries} database queries for one refused request`);
      } finally {
        pool.query = query;
      }
    });

    it('refuses __proto__ and constructor.prototype keys and pollutes nothing', async () => {
      for (const body of [
        '{"__proto__":{"polluted":true}}',
        '{"constructor":{"prototype":{"polluted":true}}}',
        '{"content":"x","platforms":[{"__proto__":{"polluted":true}}]}',
      ]) {
        for (const [method, path] of bodyRoutes) {
          const answer = judged(
            `${method} ${path} ${body}`,
            await rawRequest(ts.apiUrl, {
              method,
              path,
              headers: { ...auth(), 'content-type': 'application/json' },
              body: Buffer.from(body),
            }),
          );
          assert.ok(answer.status >= 400 && answer.status < 500, `${method} ${path} ${body}: ${answer.status}`);
        }
      }
      assert.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype is untouched');
    });
  });

  describe('values that cannot travel on', () => {
    it('refuses a Pinterest token no HTTP header can carry with 400, not a 502', async () => {
      for (const accessToken of ['pina_\u0000x', 'pina_with space', 'pina_line\r\nX-Injected: 1', 'pina_ünïcode', 'pina_😀']) {
        const answer = judged(
          `token ${JSON.stringify(accessToken)}`,
          await ts.call('POST', '/v1/accounts/pinterest', { accessToken, refreshToken: accessToken }),
        );
        assert.equal(answer.status, 400, `${JSON.stringify(accessToken)}: ${JSON.stringify(answer.body)}`);
        assert.deepEqual([...new Set(codesOf(answer))], ['VALIDATION_FAILED']);
      }
    });

    it('refuses a NUL character in any id, name or text with 400 VALIDATION_FAILED, not a 500', async () => {
      const cases: Array<[string, string, unknown]> = [
        ['GET', '/v1/posts/%00', undefined],
        ['GET', '/v1/media/%00', undefined],
        ['GET', '/v1/webhooks/%00', undefined],
        ['GET', '/v1/accounts/%00', undefined],
        ['DELETE', '/v1/keys/%00', undefined],
        ['GET', '/v1/analytics/posts/%00', undefined],
        ['GET', '/v1/posts?accountId=%00', undefined],
        ['POST', '/v1/keys', { name: 'a\u0000b' }],
        ['POST', '/v1/accounts/pinterest/connect', { redirectAfter: 'http://127.0.0.1/\u0000' }],
        [
          'POST',
          '/v1/posts/validate',
          {
            content: 'x',
            mediaIds: ['\u0000'],
            platforms: [{ accountId: '\u0000', platformOptions: { platform: 'PINTEREST', board: '1' } }],
          },
        ],
      ];
      for (const [method, path, body] of cases) {
        const answer = judged(`${method} ${path} NUL`, await ts.call(method, path, body));
        assert.ok(answer.status >= 400 && answer.status < 500, `${method} ${path}: ${answer.status}`);
      }
      // An answer that echoes the NUL cannot be kept for the Idempotency-Key: the key is released, not stuck.
      const headers = { 'idempotency-key': 'nul-echo' };
      const first = judged('NUL echoed', await ts.call('POST', '/v1/posts', { '\u0000': 1 }, { headers }));
      const again = judged('NUL echoed again', await ts.call('POST', '/v1/posts', { '\u0000': 1 }, { headers }));
      assert.ok(codesOf(first).includes('VALIDATION_FAILED'), JSON.stringify(first.body));
      assert.equal(again.status, first.status);
      assert.deepEqual(codesOf(again), codesOf(first), 'the same request gets the same answer, not "still in progress"');
    });
  });

  describe('wrong content types', () => {
    it('refuses a body of a type no route reads with 415 UNSUPPORTED_MEDIA_TYPE on every route', async () => {
      const types = [
        'text/plain',
        'application/xml',
        'application/x-www-form-urlencoded',
        'text/html',
        'application/octet-stream',
        'image/jpeg',
        'application/jsonx',
        'json',
        'application/json-seq',
      ];
      const refused: string[] = [];
      for (const [method, path] of bodyRoutes) {
        for (const type of types) {
          const answer = judged(
            `${method} ${path} ${type}`,
            await rawRequest(ts.apiUrl, {
              method,
              path,
              headers: { ...auth(), 'content-type': type },
              body: Buffer.from('{"url":"http://127.0.0.1/a.jpg"}'),
            }),
          );
          if (answer.status !== 415) refused.push(`${method} ${path} ${type} → ${answer.status} ${codesOf(answer).join(',')}`);
          else assert.deepEqual(codesOf(answer), ['UNSUPPORTED_MEDIA_TYPE']);
        }
      }
      assert.deepEqual(refused, [], 'every wrong type is a 415');
    });

    it('refuses multipart on the JSON routes and a multipart body without a boundary with a 4xx', async () => {
      for (const [method, path] of bodyRoutes) {
        const answer = judged(
          `${method} ${path} multipart`,
          await rawRequest(ts.apiUrl, {
            method,
            path,
            headers: { ...auth(), 'content-type': 'multipart/form-data' },
            body: Buffer.from('--x\r\n\r\n--x--'),
          }),
        );
        assert.ok(answer.status >= 400 && answer.status < 500, `${method} ${path}: ${answer.status}`);
      }
    });
  });

  it('keeps its memory through all of it', async () => {
    const memoryAfter = await settledMemory();
    console.log(describeMemory('limits', memoryBefore, memoryAfter));
    assert.equal(tally.serverErrors, 0);
    assert.ok(memoryAfter.heapUsedMb - memoryBefore.heapUsedMb < 32, 'the JS heap settles back');
    assert.ok(memoryAfter.rssMb - memoryBefore.rssMb < 256, 'rss settles back');
  });
});
