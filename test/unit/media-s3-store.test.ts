import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { PinflowError } from '../../src/domain/errors';
import { createS3MediaStore } from '../../src/media/s3-store';
import type { MediaStore } from '../../src/media/store';

/** Just enough of S3's path-style object API (PUT, GET, HEAD, DELETE) to check the wiring, in memory. */
function fakeS3(): {
  server: http.Server;
  objects: Map<string, Buffer>;
  requests: { method: string; headers: http.IncomingHttpHeaders }[];
} {
  const objects = new Map<string, Buffer>();
  const requests: { method: string; headers: http.IncomingHttpHeaders }[] = [];
  const server = http.createServer(async (req, res) => {
    requests.push({ method: req.method ?? '', headers: req.headers });
    const key = decodeURIComponent(new URL(req.url ?? '/', 'http://s3').pathname);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const stored = objects.get(key);
    if (req.method === 'PUT') {
      objects.set(key, Buffer.concat(chunks));
      return void res.writeHead(200, { etag: '"x"' }).end();
    }
    if (req.method === 'DELETE') {
      objects.delete(key);
      return void res.writeHead(204).end();
    }
    if (!stored) {
      res.writeHead(404, { 'content-type': 'application/xml' });
      return void res.end(req.method === 'HEAD' ? undefined : '<Error><Code>NoSuchKey</Code><Message>none</Message></Error>');
    }
    res.writeHead(200, { 'content-length': stored.length, 'content-type': 'application/octet-stream' });
    res.end(req.method === 'HEAD' ? undefined : stored);
  });
  return { server, objects, requests };
}

describe('S3 media store (against an in-memory S3 stand-in)', () => {
  const s3 = fakeS3();
  let store: MediaStore;
  before(async () => {
    await new Promise<void>((resolve) => s3.server.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(s3.server.address() as AddressInfo).port}`;
    // The store builds its own client (as in production); the SDK's provider chain reads these.
    process.env.AWS_ACCESS_KEY_ID = 'test';
    process.env.AWS_SECRET_ACCESS_KEY = 'test';
    store = createS3MediaStore({ bucket: 'media', region: 'us-east-1', endpoint });
  });
  after(() => {
    s3.server.closeAllConnections();
    s3.server.close();
  });

  it('puts a stream as one plain object with its length, and reads it back', async () => {
    const bytes = Buffer.alloc(300_000, 7);
    const put = await store.put('ws_1/med_b', Readable.from([bytes.subarray(0, 100_000), bytes.subarray(100_000)]), {
      maxBytes: 1_000_000,
    });
    assert.equal(put.bytes, bytes.length);
    assert.ok(s3.objects.get('/media/ws_1/med_b')?.equals(bytes), 'the object is the bytes, not an aws-chunked body');
    const putRequest = s3.requests.find((r) => r.method === 'PUT');
    assert.equal(putRequest?.headers['content-length'], String(bytes.length));
    assert.ok((await store.read('ws_1/med_b')).equals(bytes));
    assert.equal(await store.exists('ws_1/med_b'), true);
  });

  it('refuses a too-large stream before sending anything to S3', async () => {
    const before = s3.requests.length;
    await assert.rejects(
      store.put('big', Buffer.alloc(2_000), { maxBytes: 1_000 }),
      (e) => e instanceof PinflowError && e.code === 'PIN_MEDIA_TOO_LARGE',
    );
    assert.equal(s3.requests.length, before);
  });

  it('answers MEDIA_NOT_FOUND and exists: false for a missing object, and deletes', async () => {
    await assert.rejects(store.get('missing'), (e) => e instanceof PinflowError && e.code === 'MEDIA_NOT_FOUND');
    assert.equal(await store.exists('missing'), false);
    await store.delete('ws_1/med_b');
    assert.equal(await store.exists('ws_1/med_b'), false);
  });
});
