// The media API over HTTP on a real PostgreSQL: images made with sharp are uploaded or fetched by URL,
// refused with the guide's codes (storing nothing), read, listed, deleted, and prepared for Pinterest.
import assert from 'node:assert/strict';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { newId } from '../../src/domain/ids';
import { getMedia, preparePublishCopy } from '../../src/media/service';
import type { MediaList, MediaView } from '../../src/media/schemas';
import { jpeg, png, serveFiles, type ImageServer } from '../support/images';
import { startTestSystem, type ApiAnswer, type TestSystem } from '../support/system';

interface Errors {
  errors: Array<{ code: string; message: string; path?: string }>;
}

/** An MP4's opening box: what a phone's video file starts with. */
const mp4 = Buffer.concat([
  Buffer.from([0, 0, 0, 0x18]),
  Buffer.from('ftypisom'),
  Buffer.from([0, 0, 2, 0]),
  Buffer.from('isomiso2'),
  Buffer.alloc(4096),
]);

function codes(answer: ApiAnswer<unknown>): string[] {
  return (answer.body as Errors).errors.map((e) => e.code);
}

describe('the media API', () => {
  let ts: TestSystem;
  let images: ImageServer;

  before(async () => {
    ts = await startTestSystem();
    images = await serveFiles({
      'photos/office.jpg': { body: await jpeg(1000, 1500), type: 'image/jpeg' },
      'photos/tiny.jpg': { body: await jpeg(300, 450), type: 'image/jpeg' },
    });
  });
  after(async () => {
    await images?.close();
    await ts?.stop();
  });

  /** POSTs one file part as a browser form would. */
  async function upload(bytes: Buffer, name: string, type: string, key = ts.workspace.apiKey): Promise<ApiAnswer<MediaView>> {
    const form = new FormData();
    form.append('file', new Blob([bytes], { type }), name);
    const res = await fetch(`${ts.apiUrl}/v1/media`, { method: 'POST', headers: { authorization: `Bearer ${key}` }, body: form });
    return { status: res.status, body: (await res.json()) as MediaView, headers: res.headers };
  }

  async function uploaded(bytes: Buffer, name = 'pin.jpg', type = 'image/jpeg', key?: string): Promise<MediaView> {
    const res = await upload(bytes, name, type, key);
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body;
  }

  const mediaDir = (): string => ts.config.MEDIA_DIR ?? path.join(ts.config.DATA_DIR, 'media');

  /** Every file in the media store (temporary ones included), and every media row. */
  async function stored(): Promise<{ files: string[]; rows: number }> {
    const entries = await readdir(mediaDir(), { recursive: true, withFileTypes: true }).catch(() => []);
    const files = entries.filter((e) => e.isFile()).map((e) => path.relative(mediaDir(), path.join(e.parentPath, e.name)));
    const { rows } = await ts.system.db.query<{ n: number }>('SELECT count(*)::int AS n FROM media');
    return { files: files.sort(), rows: rows[0]!.n };
  }

  /** Runs `act` and asserts it left no media row and no file behind. */
  async function storesNothing(act: () => Promise<void>): Promise<void> {
    const before = await stored();
    await act();
    assert.deepEqual(await stored(), before, 'nothing was stored');
  }

  it('stores an uploaded 1000 × 1500 JPEG and answers 201 with its size, aspect 2:3 and format', async () => {
    const bytes = await jpeg(1000, 1500);
    const res = await upload(bytes, 'office.jpg', 'image/jpeg');
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const { id, createdAt, ...rest } = res.body;
    assert.match(id, /^med_[0-9a-z]{20}$/);
    assert.ok(Date.parse(createdAt) > Date.now() - 60_000, 'createdAt is now');
    assert.deepEqual(rest, { type: 'IMAGE', format: 'jpeg', width: 1000, height: 1500, bytes: bytes.length, aspect: '2:3' });

    const read = await ts.call<MediaView>('GET', `/v1/media/${id}`);
    assert.equal(read.status, 200);
    assert.deepEqual(read.body, res.body);
    const { rows } = await ts.system.db.query('SELECT workspace_id, storage_key FROM media WHERE id = $1', [id]);
    assert.deepEqual(rows, [{ workspace_id: ts.workspace.id, storage_key: `${ts.workspace.id}/${id}` }]);
    assert.ok((await stored()).files.includes(path.join(ts.workspace.id, id)), 'the bytes are in the media folder');
  });

  it('reads the format from the bytes: a PNG named .jpg and sent as image/jpeg is a png', async () => {
    const media = await uploaded(await png(1200, 1200), 'holiday.jpg', 'image/jpeg');
    assert.deepEqual([media.format, media.width, media.height, media.aspect], ['png', 1200, 1200, '1:1']);
  });

  it('refuses a 599 × 900 image with PIN_IMAGE_TOO_SMALL (422) and stores nothing', async () => {
    await storesNothing(async () => {
      const res = await upload(await jpeg(599, 900), 'small.jpg', 'image/jpeg');
      assert.equal(res.status, 422);
      assert.deepEqual(codes(res), ['PIN_IMAGE_TOO_SMALL']);
    });
  });

  it('refuses an upload over 20 MB with PIN_MEDIA_TOO_LARGE (413) and stores nothing', async () => {
    // compressionLevel 0 stores the pixels as they are: 3000 × 2500 × 3 bytes is about 21.5 MiB.
    const large = await sharp({ create: { width: 3000, height: 2500, channels: 3, background: { r: 200, g: 40, b: 40 } } })
      .png({ compressionLevel: 0 })
      .toBuffer();
    assert.ok(large.length > 20 * 1024 * 1024);
    await storesNothing(async () => {
      const res = await upload(large, 'poster.png', 'image/png');
      assert.equal(res.status, 413);
      assert.deepEqual(codes(res), ['PIN_MEDIA_TOO_LARGE']);
    });
  });

  it('refuses a video with PIN_VIDEO_NOT_SUPPORTED (422), whether it says so or claims to be a JPEG', async () => {
    await storesNothing(async () => {
      const declared = await upload(mp4, 'clip.mp4', 'video/mp4');
      assert.equal(declared.status, 422);
      assert.deepEqual(codes(declared), ['PIN_VIDEO_NOT_SUPPORTED']);
      const disguised = await upload(mp4, 'clip.jpg', 'image/jpeg');
      assert.equal(disguised.status, 422);
      assert.deepEqual(codes(disguised), ['PIN_VIDEO_NOT_SUPPORTED']);
    });
  });

  it('refuses bytes that are no image with PIN_MEDIA_FORMAT (422) and stores nothing', async () => {
    await storesNothing(async () => {
      const res = await upload(Buffer.from('just some words, not an image at all'.repeat(10)), 'notes.jpg', 'image/jpeg');
      assert.equal(res.status, 422);
      assert.deepEqual(codes(res), ['PIN_MEDIA_FORMAT']);
    });
  });

  it('refuses a truncated JPEG with MEDIA_UNREADABLE (422) and stores nothing', async () => {
    const whole = await jpeg(1000, 1500);
    await storesNothing(async () => {
      const res = await upload(whole.subarray(0, Math.floor(whole.length * 0.6)), 'cut.jpg', 'image/jpeg');
      assert.equal(res.status, 422);
      assert.deepEqual(codes(res), ['MEDIA_UNREADABLE']);
    });
  });

  it('fetches an image by URL and answers 201 with its sourceUrl', async () => {
    const url = images.url('photos/office.jpg');
    const res = await ts.call<MediaView>('POST', '/v1/media', { url });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.deepEqual(
      [res.body.format, res.body.width, res.body.height, res.body.aspect, res.body.sourceUrl],
      ['jpeg', 1000, 1500, '2:3', url],
    );
    assert.equal((await ts.call<MediaView>('GET', `/v1/media/${res.body.id}`)).body.sourceUrl, url);
  });

  it('refuses an image fetched by URL that breaks a rule, storing nothing', async () => {
    await storesNothing(async () => {
      const res = await ts.call('POST', '/v1/media', { url: images.url('photos/tiny.jpg') });
      assert.equal(res.status, 422);
      assert.deepEqual(codes(res), ['PIN_IMAGE_TOO_SMALL']);
    });
  });

  it('refuses to fetch from a private address with MEDIA_FETCH_FAILED (422)', async () => {
    await storesNothing(async () => {
      for (const url of ['http://169.254.169.254/latest/meta-data/', 'http://10.0.0.1/pin.jpg', 'file:///etc/passwd']) {
        const res = await ts.call('POST', '/v1/media', { url });
        assert.equal(res.status, 422, url);
        assert.deepEqual(codes(res), ['MEDIA_FETCH_FAILED'], url);
      }
    });
  });

  it('refuses even loopback with MEDIA_FETCH_FAILED when FETCH_ALLOW_HOSTS is empty (the default)', async () => {
    const strict = await startTestSystem({ env: { FETCH_ALLOW_HOSTS: '' } });
    try {
      assert.deepEqual(strict.config.FETCH_ALLOW_HOSTS, [], "'' leaves the allow-list at its empty default");
      const res = await strict.call('POST', '/v1/media', { url: images.url('photos/office.jpg') });
      assert.equal(res.status, 422);
      assert.deepEqual(codes(res), ['MEDIA_FETCH_FAILED']);
      const { rows } = await strict.system.db.query('SELECT id FROM media');
      assert.deepEqual(rows, []);
    } finally {
      await strict.stop();
    }
  });

  it('answers 415 UNSUPPORTED_MEDIA_TYPE to a body that is neither multipart nor JSON', async () => {
    const text = await ts.call('POST', '/v1/media', 'https://example.com/pin.jpg', { headers: { 'content-type': 'text/plain' } });
    assert.equal(text.status, 415);
    assert.deepEqual(codes(text), ['UNSUPPORTED_MEDIA_TYPE']);
    const raw = await ts.call('POST', '/v1/media', new Uint8Array(await jpeg(600, 900)), { headers: { 'content-type': 'image/jpeg' } });
    assert.equal(raw.status, 415);
    assert.deepEqual(codes(raw), ['UNSUPPORTED_MEDIA_TYPE']);
    const none = await ts.call('POST', '/v1/media');
    assert.equal(none.status, 415);
    assert.deepEqual(codes(none), ['UNSUPPORTED_MEDIA_TYPE']);
  });

  it('answers 400 VALIDATION_FAILED to a JSON body without a URL, a form without a file and a broken form', async () => {
    for (const body of [{ link: 'https://example.com/pin.jpg' }, { url: 'not a url' }, null]) {
      const res = await ts.call('POST', '/v1/media', JSON.stringify(body), { headers: { 'content-type': 'application/json' } });
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.ok(
        codes(res).every((c) => c === 'VALIDATION_FAILED'),
        JSON.stringify(res.body),
      );
    }

    const form = new FormData();
    form.append('caption', 'no file here');
    const noFile = await fetch(`${ts.apiUrl}/v1/media`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ts.workspace.apiKey}` },
      body: form,
    });
    assert.equal(noFile.status, 400);
    assert.deepEqual(
      ((await noFile.json()) as Errors).errors.map((e) => e.code),
      ['VALIDATION_FAILED'],
    );

    const jsonField = await ts.call(
      'POST',
      '/v1/media',
      '--x\r\nContent-Disposition: form-data; name="meta"\r\nContent-Type: application/json\r\n\r\n{oops\r\n--x--\r\n',
      {
        headers: { 'content-type': 'multipart/form-data; boundary=x' },
      },
    );
    assert.equal(jsonField.status, 400, JSON.stringify(jsonField.body));
    assert.deepEqual(codes(jsonField), ['VALIDATION_FAILED']);

    await storesNothing(async () => {
      const broken = await ts.call('POST', '/v1/media', '--x\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\n\r\nabc', {
        headers: { 'content-type': 'multipart/form-data; boundary=x' },
      });
      assert.equal(broken.status, 400, JSON.stringify(broken.body));
      assert.deepEqual(codes(broken), ['VALIDATION_FAILED']);
    });
  });

  it('answers 413 BODY_TOO_LARGE to a JSON body over 1 MB, and to a form with too many fields', async () => {
    const big = await ts.call('POST', '/v1/media', { url: `https://example.com/${'a'.repeat(1024 * 1024)}` });
    assert.equal(big.status, 413);
    assert.deepEqual(codes(big), ['BODY_TOO_LARGE']);

    const form = new FormData();
    for (let i = 0; i < 10; i++) form.append(`field${i}`, 'x');
    const res = await fetch(`${ts.apiUrl}/v1/media`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ts.workspace.apiKey}` },
      body: form,
    });
    assert.equal(res.status, 413);
    assert.deepEqual(
      ((await res.json()) as Errors).errors.map((e) => e.code),
      ['BODY_TOO_LARGE'],
    );
  });

  it('answers 401 UNAUTHORIZED on every media route without an API key', async () => {
    const id = newId('media');
    for (const [method, route] of [
      ['POST', '/v1/media'],
      ['GET', '/v1/media'],
      ['GET', `/v1/media/${id}`],
      ['DELETE', `/v1/media/${id}`],
    ] as const) {
      const res = await ts.call(method, route, method === 'POST' ? { url: images.url('photos/office.jpg') } : undefined, { key: null });
      assert.equal(res.status, 401, `${method} ${route}`);
      assert.deepEqual(codes(res), ['UNAUTHORIZED']);
    }
  });

  it("answers 404 MEDIA_NOT_FOUND for another workspace's media, which it neither lists nor deletes", async () => {
    const mine = await uploaded(await jpeg(600, 900));
    const other = await ts.newWorkspace('other');
    for (const method of ['GET', 'DELETE']) {
      const res = await ts.call(method, `/v1/media/${mine.id}`, undefined, { key: other.apiKey });
      assert.equal(res.status, 404, method);
      assert.deepEqual(codes(res), ['MEDIA_NOT_FOUND']);
    }
    const theirList = await ts.call<MediaList>('GET', '/v1/media', undefined, { key: other.apiKey });
    assert.deepEqual(theirList.body, { data: [], nextCursor: null });
    assert.equal((await ts.call('GET', `/v1/media/${mine.id}`)).status, 200, 'still there for its owner');
    const unknown = await ts.call('GET', `/v1/media/${newId('media')}`);
    assert.equal(unknown.status, 404);
    assert.deepEqual(codes(unknown), ['MEDIA_NOT_FOUND']);
  });

  it('lists media newest first, a page at a time, with a cursor', async () => {
    const ws = await ts.newWorkspace('lister');
    const made: string[] = [];
    for (let i = 0; i < 5; i++) made.push((await uploaded(await jpeg(600, 900, 30 * i), 'p.jpg', 'image/jpeg', ws.apiKey)).id);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor ? `?limit=2&cursor=${encodeURIComponent(cursor)}` : '?limit=2';
      const res: ApiAnswer<MediaList> = await ts.call<MediaList>('GET', `/v1/media${query}`, undefined, { key: ws.apiKey });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.ok(res.body.data.length <= 2);
      seen.push(...res.body.data.map((m) => m.id));
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor);
    assert.equal(pages, 3);
    assert.deepEqual(seen, [...made].reverse());

    const bad = await ts.call('GET', '/v1/media?cursor=not-a-cursor', undefined, { key: ws.apiKey });
    assert.equal(bad.status, 400);
    assert.deepEqual(codes(bad), ['VALIDATION_FAILED']);
    const tooMany = await ts.call('GET', '/v1/media?limit=1000', undefined, { key: ws.apiKey });
    assert.equal(tooMany.status, 400);
  });

  it('deletes a media with 204, after which it is gone: row, bytes and the copies made for Pinterest', async () => {
    const media = await uploaded(await jpeg(3000, 4500));
    const stored3000 = await getMedia(ts.system.deps, ts.workspace.id, media.id);
    await preparePublishCopy(ts.system.deps, stored3000, { optimize: true });
    await preparePublishCopy(ts.system.deps, stored3000, { optimize: false, fit: 'pad', aspect: '1:1' });
    const own = (await stored()).files.filter((f) => f.includes(media.id));
    assert.equal(own.length, 3, `the original and two copies: ${own.join(', ')}`);

    const res = await ts.call('DELETE', `/v1/media/${media.id}`);
    assert.equal(res.status, 204);
    assert.equal(res.body, undefined);
    const after = await ts.call('GET', `/v1/media/${media.id}`);
    assert.equal(after.status, 404);
    assert.deepEqual(codes(after), ['MEDIA_NOT_FOUND']);
    assert.deepEqual(
      (await stored()).files.filter((f) => f.includes(media.id)),
      [],
    );
    assert.equal((await ts.call('DELETE', `/v1/media/${media.id}`)).status, 404, 'a second delete finds nothing');
  });

  it('prepares a 3000 × 4500 image for Pinterest as a stored 1200 × 1800 copy, made once and recorded', async () => {
    const media = await getMedia(ts.system.deps, ts.workspace.id, (await uploaded(await jpeg(3000, 4500))).id);
    const key = await preparePublishCopy(ts.system.deps, media, { optimize: true });
    assert.notEqual(key, media.storageKey);
    const copy = await sharp(await ts.system.deps.media.read(key)).metadata();
    assert.deepEqual([copy.format, copy.width, copy.height], ['jpeg', 1200, 1800]);
    const { rows } = await ts.system.db.query('SELECT optimized_key, optimized_bytes FROM media WHERE id = $1', [media.id]);
    assert.equal(rows[0].optimized_key, key);
    assert.ok(rows[0].optimized_bytes > 0);

    const made = (await stat(path.join(mediaDir(), key))).mtimeMs;
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(await preparePublishCopy(ts.system.deps, media, { optimize: true }), key, 'the same key the second time');
    assert.equal((await stat(path.join(mediaDir(), key))).mtimeMs, made, 'not made again');
    assert.equal(
      await preparePublishCopy(ts.system.deps, media, { optimize: false }),
      media.storageKey,
      'the original when not optimizing',
    );
  });

  it('sends the original as the optimized copy when it is already within 1200 × 1800', async () => {
    const media = await getMedia(ts.system.deps, ts.workspace.id, (await uploaded(await jpeg(1000, 1500))).id);
    assert.equal(await preparePublishCopy(ts.system.deps, media, { optimize: true }), media.storageKey);
  });

  it('pads a 1:1 carousel slide to an exact 2:3 copy, and leaves a slide that already is 2:3 alone', async () => {
    const square = await getMedia(ts.system.deps, ts.workspace.id, (await uploaded(await jpeg(1000, 1000))).id);
    const key = await preparePublishCopy(ts.system.deps, square, { optimize: true, fit: 'pad', aspect: '2:3' });
    const copy = await sharp(await ts.system.deps.media.read(key)).metadata();
    assert.deepEqual([copy.width, copy.height], [1000, 1500]);

    const portrait = await getMedia(ts.system.deps, ts.workspace.id, (await uploaded(await jpeg(1000, 1500))).id);
    assert.equal(await preparePublishCopy(ts.system.deps, portrait, { optimize: true, fit: 'crop', aspect: '2:3' }), portrait.storageKey);
  });

  it('refuses to delete media a scheduled post uses with MEDIA_IN_USE (409), and keeps it', async () => {
    const media = await uploaded(await jpeg(1000, 1500));
    const postId = newId('post');
    await ts.system.db.query(
      `INSERT INTO posts (id, workspace_id, description, scheduled_at, status) VALUES ($1, $2, 'later', now() + interval '1 day', 'scheduled')`,
      [postId, ts.workspace.id],
    );
    await ts.system.db.query('INSERT INTO post_media (post_id, position, media_id) VALUES ($1, 0, $2)', [postId, media.id]);

    for (const status of ['scheduled', 'publishing']) {
      await ts.system.db.query('UPDATE posts SET status = $2 WHERE id = $1', [postId, status]);
      const res = await ts.call('DELETE', `/v1/media/${media.id}`);
      assert.equal(res.status, 409, status);
      assert.deepEqual(codes(res), ['MEDIA_IN_USE'], status);
    }
    assert.equal((await ts.call('GET', `/v1/media/${media.id}`)).status, 200);
    assert.ok((await stored()).files.includes(path.join(ts.workspace.id, media.id)), 'the bytes are kept');

    await ts.system.db.query("UPDATE posts SET status = 'published' WHERE id = $1", [postId]);
    assert.equal((await ts.call('DELETE', `/v1/media/${media.id}`)).status, 204, 'deletable once its post has finished');
    const { rowCount } = await ts.system.db.query('SELECT 1 FROM posts WHERE id = $1', [postId]);
    assert.equal(rowCount, 1, 'the finished post is kept');
  });

  it('documents every code each media route answers in the OpenAPI document', async () => {
    const doc = await ts.call<{ paths: Record<string, Record<string, { responses: Record<string, unknown> }>> }>('GET', '/openapi.json');
    assert.equal(doc.status, 200);
    const documented = (route: string, method: string): string[] => {
      const text = JSON.stringify(doc.body.paths[route]?.[method]?.responses ?? {});
      return [...text.matchAll(/"([A-Z][A-Z_]+)"/g)].map((m) => m[1]!).filter((c) => c.includes('_') || c === 'INTERNAL');
    };
    const upload = documented('/v1/media', 'post');
    for (const code of [
      'PIN_MEDIA_TOO_LARGE',
      'PIN_IMAGE_TOO_SMALL',
      'PIN_VIDEO_NOT_SUPPORTED',
      'PIN_MEDIA_FORMAT',
      'MEDIA_FETCH_FAILED',
      'UNSUPPORTED_MEDIA_TYPE',
    ]) {
      assert.ok(upload.includes(code), `POST /v1/media documents ${code}`);
    }
    assert.ok(documented('/v1/media/{id}', 'delete').includes('MEDIA_IN_USE'));
    assert.ok(documented('/v1/media/{id}', 'get').includes('MEDIA_NOT_FOUND'));
    assert.ok(!documented('/v1/media/{id}', 'get').includes('MEDIA_IN_USE'), 'only the codes a route answers');
  });
});
