import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { after, afterEach, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { PinflowError } from '../../src/domain/errors';
import { IMAGE_MAX_BYTES } from '../../src/domain/pinterest-rules';
import { createFsMediaStore } from '../../src/media/fs-store';
import { ingestMedia, type IngestDeps } from '../../src/media/ingest';
import { mediaRecordSchema } from '../../src/media/record';

function canvas(width: number, height: number): sharp.Sharp {
  return sharp({ create: { width, height, channels: 3, background: { r: 40, g: 90, b: 160 } } });
}

const mp4 = Buffer.concat([
  Buffer.from([0, 0, 0, 0x18]),
  Buffer.from('ftypisom'),
  Buffer.from([0, 0, 2, 0]),
  Buffer.from('isomiso2'),
  Buffer.alloc(256),
]);

async function refusal(promise: Promise<unknown>): Promise<PinflowError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof PinflowError, `expected a PinflowError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected a refusal');
}

describe('ingestMedia', () => {
  let root = '';
  let deps: IngestDeps;
  const served = new Map<string, { type: string; body: Buffer }>();
  const server = http.createServer((req, res) => {
    const item = served.get(req.url ?? '');
    if (!item) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': item.type, 'content-length': item.body.length }).end(item.body);
  });
  let base = '';

  before(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'pinflow-ingest-'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    deps = { store: createFsMediaStore(root), fetch: { allowHosts: ['127.0.0.1'], timeoutMs: 5000 } };
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  async function storedFiles(): Promise<string[]> {
    return readdir(root, { recursive: true }).catch(() => []);
  }

  it('stores an uploaded 1000 × 1500 JPEG and answers its media record', async () => {
    const bytes = await canvas(1000, 1500).jpeg().toBuffer();
    const media = await ingestMedia({ source: Readable.from([bytes]), contentType: 'image/jpeg', workspaceId: 'ws_test' }, deps);
    assert.doesNotThrow(() => mediaRecordSchema.parse(media));
    assert.match(media.id, /^med_[0-9a-z]{20}$/);
    assert.equal(media.storageKey, `ws_test/${media.id}`);
    assert.deepEqual(
      { type: media.type, format: media.format, width: media.width, height: media.height, bytes: media.bytes, aspect: media.aspect },
      { type: 'IMAGE', format: 'jpeg', width: 1000, height: 1500, bytes: bytes.length, aspect: '2:3' },
    );
    assert.equal(media.sha256, createHash('sha256').update(bytes).digest('hex'));
    assert.ok((await deps.store.read(media.storageKey)).equals(bytes));
  });

  it('records a PNG uploaded as image/jpeg as a png: the bytes decide', async () => {
    const media = await ingestMedia({ source: await canvas(600, 900).png().toBuffer(), contentType: 'image/jpeg' }, deps);
    assert.equal(media.format, 'png');
  });

  it('fetches an image by URL, SSRF-safe, and stores it', async () => {
    served.set('/office.jpg', { type: 'image/jpeg', body: await canvas(1200, 1800).jpeg().toBuffer() });
    const media = await ingestMedia({ source: { url: `${base}/office.jpg` } }, deps);
    assert.deepEqual([media.format, media.width, media.height], ['jpeg', 1200, 1800]);
  });

  it('refuses a URL on a private address with MEDIA_FETCH_FAILED when it is not allow-listed', async () => {
    const err = await refusal(ingestMedia({ source: { url: `${base}/office.jpg` } }, { store: deps.store }));
    assert.equal(err.code, 'MEDIA_FETCH_FAILED');
    assert.deepEqual(await storedFiles(), []);
  });

  it('refuses a 599 × 900 image with PIN_IMAGE_TOO_SMALL and keeps nothing', async () => {
    const err = await refusal(ingestMedia({ source: await canvas(599, 900).jpeg().toBuffer() }, deps));
    assert.equal(err.code, 'PIN_IMAGE_TOO_SMALL');
    assert.deepEqual(await storedFiles(), []);
  });

  it('refuses an animated GIF with PIN_MEDIA_FORMAT and keeps nothing', async () => {
    const frames = await Promise.all(
      ['#f00', '#0f0'].map((c) =>
        sharp({ create: { width: 600, height: 900, channels: 3, background: c } })
          .png()
          .toBuffer(),
      ),
    );
    const gif = await sharp(frames, { join: { animated: true } })
      .gif()
      .toBuffer();
    const err = await refusal(ingestMedia({ source: gif, contentType: 'image/gif' }, deps));
    assert.equal(err.code, 'PIN_MEDIA_FORMAT');
    assert.match(err.message, /animated GIF/);
    assert.deepEqual(await storedFiles(), []);
  });

  it('reports every rule a bad image breaks at once', async () => {
    const err = await refusal(ingestMedia({ source: await canvas(500, 700).webp().toBuffer() }, deps));
    assert.deepEqual(
      err.problems.map((p) => p.code),
      ['PIN_MEDIA_FORMAT', 'PIN_IMAGE_TOO_SMALL'],
    );
  });

  it('refuses a video by its declared type before storing anything', async () => {
    let read = false;
    const source = new Readable({
      read() {
        read = true;
        this.push(null);
      },
    });
    const err = await refusal(ingestMedia({ source, contentType: 'video/mp4' }, deps));
    assert.equal(err.code, 'PIN_VIDEO_NOT_SUPPORTED');
    assert.equal(read, false);
    assert.ok(source.destroyed);
  });

  it('refuses an MP4 sent as application/octet-stream by its bytes, and a video URL by its content type', async () => {
    assert.equal(
      (await refusal(ingestMedia({ source: mp4, contentType: 'application/octet-stream' }, deps))).code,
      'PIN_VIDEO_NOT_SUPPORTED',
    );
    served.set('/clip', { type: 'video/mp4', body: mp4 });
    assert.equal((await refusal(ingestMedia({ source: { url: `${base}/clip` } }, deps))).code, 'PIN_VIDEO_NOT_SUPPORTED');
    assert.deepEqual(await storedFiles(), []);
  });

  it('refuses a truncated JPEG with MEDIA_UNREADABLE and keeps nothing', async () => {
    const bytes = await canvas(800, 1200).jpeg().toBuffer();
    const err = await refusal(ingestMedia({ source: bytes.subarray(0, bytes.length - 40) }, deps));
    assert.equal(err.code, 'MEDIA_UNREADABLE');
    assert.deepEqual(await storedFiles(), []);
  });

  it('refuses an upload of 20 MB + 1 byte with PIN_MEDIA_TOO_LARGE and keeps nothing', async () => {
    const err = await refusal(ingestMedia({ source: Readable.from([Buffer.alloc(IMAGE_MAX_BYTES + 1)]) }, deps));
    assert.equal(err.code, 'PIN_MEDIA_TOO_LARGE');
    assert.deepEqual(await storedFiles(), []);
  });
});
