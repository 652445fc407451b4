import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { PinflowError } from '../../src/domain/errors';
import { IMAGE_MAX_BYTES } from '../../src/domain/pinterest-rules';
import { createFsMediaStore } from '../../src/media/fs-store';
import { createMediaStore, type MediaStore } from '../../src/media/store';

const chunkSize = 64 * 1024;

/** A lazy source of `total` bytes that counts how many it was asked for. */
function source(total: number): { stream: Readable; produced: () => number } {
  let produced = 0;
  const stream = new Readable({
    read() {
      if (produced >= total) return void this.push(null);
      const size = Math.min(chunkSize, total - produced);
      produced += size;
      this.push(Buffer.alloc(size, 0xab));
    },
  });
  return { stream, produced: () => produced };
}

function isCode(code: string) {
  return (err: unknown): boolean => err instanceof PinflowError && err.code === code;
}

describe('filesystem media store', () => {
  let root = '';
  let store: MediaStore;
  before(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'pinflow-store-'));
    store = createFsMediaStore(root);
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('stores bytes and gives them back by stream and at once, with their SHA-256', async () => {
    const bytes = Buffer.from('a small image, notionally');
    const put = await store.put('ws_1/med_a', bytes, { maxBytes: 100 });
    assert.deepEqual(put, { bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
    assert.ok((await store.read('ws_1/med_a')).equals(bytes));
    const streamed: Buffer[] = [];
    for await (const chunk of await store.get('ws_1/med_a')) streamed.push(chunk as Buffer);
    assert.ok(Buffer.concat(streamed).equals(bytes));
    assert.equal(await store.exists('ws_1/med_a'), true);
    assert.equal(store.localPath?.('ws_1/med_a'), path.join(root, 'ws_1/med_a'));
  });

  it('accepts a stream of exactly 20 MB', async () => {
    const put = await store.put('exactly', source(IMAGE_MAX_BYTES).stream, { maxBytes: IMAGE_MAX_BYTES });
    assert.equal(put.bytes, IMAGE_MAX_BYTES);
    await store.delete('exactly');
  });

  it('refuses a stream of 20 MB + 1 byte with PIN_MEDIA_TOO_LARGE and leaves nothing behind', async () => {
    await assert.rejects(
      store.put('one-over', source(IMAGE_MAX_BYTES + 1).stream, { maxBytes: IMAGE_MAX_BYTES }),
      isCode('PIN_MEDIA_TOO_LARGE'),
    );
    assert.equal(await store.exists('one-over'), false);
    assert.deepEqual(
      (await readdir(root)).filter((name) => name.startsWith('one-over')),
      [],
      'no partial file',
    );
  });

  it('stops reading a 200 MB stream just past the cap instead of buffering it', async () => {
    const big = source(200 * 1024 * 1024);
    await assert.rejects(store.put('huge', big.stream, { maxBytes: IMAGE_MAX_BYTES }), isCode('PIN_MEDIA_TOO_LARGE'));
    // Streams read ahead by a few buffers; that is far from the 200 MB a buffering store would take.
    assert.ok(big.produced() < IMAGE_MAX_BYTES + 1024 * 1024, `read ${big.produced()} bytes`);
  });

  it('never shows a reader a half-written object', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow = Readable.from(
      (async function* () {
        yield Buffer.from('first half, ');
        await gate;
        yield Buffer.from('second half');
      })(),
    );
    const putting = store.put('slow', slow, { maxBytes: 1000 });
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(await store.exists('slow'), false);
    release();
    await putting;
    assert.equal((await store.read('slow')).toString(), 'first half, second half');
  });

  it('answers MEDIA_NOT_FOUND for bytes that are not there, and deletes quietly', async () => {
    await assert.rejects(store.get('nothing'), isCode('MEDIA_NOT_FOUND'));
    await assert.rejects(store.read('nothing'), isCode('MEDIA_NOT_FOUND'));
    await store.delete('nothing');
    assert.equal(await store.exists('nothing'), false);
  });

  it('refuses keys that could leave its folder', async () => {
    for (const key of ['../escape', '/etc/passwd', 'a/../../b', 'a//b', '.hidden', '']) {
      await assert.rejects(store.put(key, Buffer.from('x'), { maxBytes: 10 }), /invalid media key/, key);
    }
  });
});

describe('createMediaStore', () => {
  it('makes a filesystem store under DATA_DIR/media by default', async () => {
    const store = createMediaStore({ MEDIA_STORE: 'fs', DATA_DIR: '/srv/pinflow', S3_REGION: 'us-east-1' });
    assert.equal(store.localPath?.('med_x'), path.join('/srv/pinflow/media', 'med_x'));
  });

  it('makes an S3 store when asked, and insists on a bucket', () => {
    assert.throws(() => createMediaStore({ MEDIA_STORE: 's3', DATA_DIR: '/d', S3_REGION: 'us-east-1' }), /S3_BUCKET/);
    const store = createMediaStore({
      MEDIA_STORE: 's3',
      DATA_DIR: '/d',
      S3_REGION: 'us-east-1',
      S3_BUCKET: 'media',
      S3_ENDPOINT: 'http://127.0.0.1:9000',
    });
    assert.equal(store.localPath, undefined);
  });
});
