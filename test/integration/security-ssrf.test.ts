// Server-side request forgery through every URL pinflow fetches or calls (media by URL, mediaItems of a post,
// pin links, webhook URLs and their deliveries), decompression-bomb images, and path tricks in media ids.
// With the allow-list off, no loopback, private, link-local or otherwise special address is reached however
// it is written; with loopback allowed, a redirect from it to a forbidden address is not followed. A canary
// server on loopback counts every request that gets through, and this process's connects and DNS lookups
// are watched: one off loopback fails the test.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { demo } from '../../src/emulator';
import type { MediaView } from '../../src/media/schemas';
import { connectDemoAccount } from '../support/accounts';
import { jpeg, serveFiles, type ImageServer } from '../support/images';
import { startTestSystem, type TestSystem } from '../support/system';
import { gifHeaderBomb, jpegHeaderBomb, pngBomb, pngHeaderBomb } from '../security/support/bombs';
import { watchEgress, type EgressWatch } from '../security/support/egress';
import { watchFs } from '../security/support/fs-watch';
import { peakDuring } from '../security/support/memory';
import { codesOf, createTally, type Answer } from '../security/support/outcomes';
import { rawRequest } from '../security/support/raw-http';
import { loopbackNames, startCanary, startRedirector, type Canary, type Redirector } from '../security/support/servers';

const tally = createTally('ssrf');

/** Every way we know to write an address pinflow must not reach; `port` is the canary's. */
function forbiddenUrls(port: number): string[] {
  return [
    `http://127.0.0.1:${port}/a.jpg`,
    `http://[::1]:${port}/a.jpg`,
    'http://10.0.0.1/a.jpg',
    'http://169.254.169.254/latest/meta-data/iam/security-credentials/',
    `http://0.0.0.0:${port}/a.jpg`,
    `http://localhost:${port}/a.jpg`,
    `http://LOCALHOST:${port}/a.jpg`,
    ...loopbackNames()
      .filter((name) => name !== 'localhost')
      .map((name) => `http://${name}:${port}/a.jpg`),
    `http://2130706433:${port}/a.jpg`,
    `http://0x7f.0.0.1:${port}/a.jpg`,
    `http://0x7f000001:${port}/a.jpg`,
    `http://017700000001:${port}/a.jpg`,
    `http://0177.0.0.1:${port}/a.jpg`,
    `http://127.1:${port}/a.jpg`,
    `http://127.0.0.1.:${port}/a.jpg`,
    `http://[::ffff:127.0.0.1]:${port}/a.jpg`,
    `http://[0:0:0:0:0:ffff:7f00:1]:${port}/a.jpg`,
    'http://[::ffff:169.254.169.254]/latest/meta-data/',
    `http://[::127.0.0.1]:${port}/a.jpg`,
    `http://[::]:${port}/a.jpg`,
    'http://[fe80::1]/a.jpg',
    'http://[fd00::1]/a.jpg',
    'http://[64:ff9b::a9fe:a9fe]/latest/meta-data/',
    'http://[2002:a9fe:a9fe::]/latest/meta-data/',
    'http://100.64.0.1/a.jpg',
    'http://192.168.0.1/a.jpg',
    'http://172.16.0.1/a.jpg',
    'http://224.0.0.1/a.jpg',
    'http://255.255.255.255/a.jpg',
    `https://127.0.0.1:${port}/a.jpg`,
    `http://user:pass@127.0.0.1:${port}/a.jpg`,
    'file:///etc/passwd',
    `gopher://127.0.0.1:${port}/_GET%20/a.jpg%20HTTP/1.0%0d%0a%0d%0a`,
    `ftp://127.0.0.1:${port}/a.jpg`,
    `dict://127.0.0.1:${port}/info`,
    `ws://127.0.0.1:${port}/a.jpg`,
  ];
}

interface Vectors {
  media: Answer;
  mediaItem: Answer;
  link: Answer;
  webhook: Answer;
}

/**
 * The URL through each place pinflow takes one. `keep: false` checks posts with /v1/posts/validate and deletes
 * a webhook that was accepted (an allowed host), so that nothing is published or delivered afterwards.
 */
async function throughEveryVector(ts: TestSystem, url: string, ctx: { accountId: string; mediaId: string }, keep = true): Promise<Vectors> {
  const target = (options: Record<string, string>) => [
    { accountId: ctx.accountId, platformOptions: { platform: 'PINTEREST', board: demo.boards.recipes, ...options } },
  ];
  const posts = keep ? '/v1/posts' : '/v1/posts/validate';
  const [media, mediaItem, link, webhook] = await Promise.all([
    ts.call('POST', '/v1/media', { url }),
    ts.call('POST', posts, { content: 'ssrf', mediaItems: [{ type: 'IMAGE', url }], platforms: target({}) }),
    ts.call('POST', posts, { content: 'ssrf', mediaIds: [ctx.mediaId], platforms: target({ link: url }) }),
    ts.call<{ id?: string }>('POST', '/v1/webhooks', { url }),
  ]);
  if (!keep && webhook.status === 201) await ts.call('DELETE', `/v1/webhooks/${webhook.body.id}`);
  const judged = { media, mediaItem, link, webhook };
  for (const [vector, answer] of Object.entries(judged)) tally.record(`${vector} ${url}`, answer);
  return judged;
}

const refusedWith = (answer: Answer, codes: string[]): boolean =>
  answer.status >= 400 && answer.status < 500 && codesOf(answer).length > 0 && codesOf(answer).every((c) => codes.includes(c));

async function upload(ts: TestSystem, bytes: Buffer, type = 'image/jpeg'): Promise<Answer> {
  const form = new FormData();
  form.append('file', new Blob([bytes], { type }), 'upload');
  const res = await fetch(`${ts.apiUrl}/v1/media`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ts.workspace.apiKey}` },
    body: form,
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined, headers: res.headers };
}

async function count(ts: TestSystem, table: string): Promise<number> {
  const { rows } = await ts.system.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
  return rows[0]!.n;
}

describe('with the allow-list off (FETCH_ALLOW_HOSTS=none.invalid)', () => {
  let ts: TestSystem;
  let canary: Canary;
  let egress: EgressWatch;
  let ctx: { accountId: string; mediaId: string };

  before(async () => {
    canary = await startCanary('127.0.0.1', await jpeg(1000, 1500));
    ts = await startTestSystem({ env: { FETCH_ALLOW_HOSTS: 'none.invalid' } });
    const { accountId } = await connectDemoAccount(ts);
    const uploaded = await upload(ts, await jpeg(1000, 1500));
    assert.equal(uploaded.status, 201);
    ctx = { accountId, mediaId: (uploaded.body as MediaView).id };
    egress = watchEgress(loopbackNames());
  });
  after(async () => {
    egress?.stop();
    await canary?.close();
    await ts?.stop();
  });

  it('refuses every forbidden address, however written, through media, mediaItems, links and webhooks, and reaches none', async () => {
    const urls = forbiddenUrls(canary.port);
    const accepted: string[] = [];
    for (const url of urls) {
      const v = await throughEveryVector(ts, url, ctx);
      const row = Object.entries(v).map(([vector, a]) => `${vector} ${a.status} ${codesOf(a).join('+')}`);
      console.log(`[ssrf] ${url.padEnd(60)} ${row.join(' | ')}`);
      if (!refusedWith(v.media, ['MEDIA_FETCH_FAILED', 'VALIDATION_FAILED'])) accepted.push(`media ${url} → ${v.media.status}`);
      if (!refusedWith(v.mediaItem, ['MEDIA_FETCH_FAILED', 'VALIDATION_FAILED']))
        accepted.push(`mediaItems ${url} → ${v.mediaItem.status} ${codesOf(v.mediaItem)}`);
      if (!refusedWith(v.link, ['PIN_LINK_INVALID'])) accepted.push(`link ${url} → ${v.link.status} ${codesOf(v.link)}`);
      if (!refusedWith(v.webhook, ['WEBHOOK_URL_FORBIDDEN', 'WEBHOOK_URL_INVALID', 'VALIDATION_FAILED']))
        accepted.push(`webhook ${url} → ${v.webhook.status} ${codesOf(v.webhook)}`);
    }
    console.log(
      `[ssrf] ${urls.length} URLs × 4 vectors; canary (${canary.hosts.join(', ')}:${canary.port}) hits: ${canary.hits.length}; connects: ${egress.connections.length}; egress violations: ${egress.violations.length}`,
    );
    assert.deepEqual(accepted, [], 'every vector refused every URL with its documented code');
    assert.deepEqual(canary.hits, [], 'the canary on loopback was never reached');
    assert.deepEqual(egress.connectionsTo(canary.port), [], 'no connection was even attempted to the canary port');
    assert.deepEqual(egress.violations, [], 'no connection or lookup left loopback');
    assert.deepEqual([await count(ts, 'posts'), await count(ts, 'webhooks'), await count(ts, 'media')], [0, 0, 1], 'nothing was kept');
  });

  it('refuses decompression bombs with MEDIA_UNREADABLE, storing nothing and holding little memory', async () => {
    const bombs: Array<[string, Buffer]> = [
      ['PNG header 100,000 × 100,000', pngHeaderBomb(100_000, 100_000)],
      ['PNG 40,000 × 40,000 that inflates whole', await pngBomb(40_000, 40_000)],
      ['JPEG header 65,500 × 65,500', await jpegHeaderBomb(65_500, 65_500)],
      ['GIF header 65,535 × 65,535', await gifHeaderBomb(65_535, 65_535)],
    ];
    const mediaBefore = await count(ts, 'media');
    for (const [name, bytes] of bombs) {
      const { result, peakGrowthMb } = await peakDuring(() => upload(ts, bytes, name.startsWith('GIF') ? 'image/gif' : 'image/png'));
      tally.record(name, result);
      console.log(
        `[ssrf] bomb ${name} (${Math.round(bytes.length / 1024)} KB): ${result.status} ${codesOf(result).join(',')}; rss peak +${peakGrowthMb} MB`,
      );
      assert.ok(refusedWith(result, ['MEDIA_UNREADABLE', 'PIN_MEDIA_FORMAT']), `${name}: ${result.status} ${JSON.stringify(result.body)}`);
      assert.ok(peakGrowthMb < 128, `${name} took ${peakGrowthMb} MB`);
    }
    assert.equal(await count(ts, 'media'), mediaBefore, 'nothing was stored');
  });

  it('answers 404 or 400 to path tricks in media ids, and touches no file outside the media store', async () => {
    const dataDir = ts.config.DATA_DIR;
    const mediaDir = path.resolve(ts.config.MEDIA_DIR ?? path.join(dataDir, 'media'));
    const secret = path.join(dataDir, 'secret.jpg');
    const secretBytes = await jpeg(1000, 1500, 7);
    fs.writeFileSync(secret, secretBytes);
    const stored = (await ts.system.db.query<{ storage_key: string }>('SELECT storage_key FROM media')).rows[0]!.storage_key;
    const ids = [
      '..',
      '../secret.jpg',
      '../../secret.jpg',
      '..%2fsecret.jpg',
      '..%2F..%2Fsecret.jpg',
      '%2e%2e%2fsecret.jpg',
      '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
      '..%252f..%252fsecret.jpg',
      '....%2f%2fsecret.jpg',
      '..%5c..%5csecret.jpg',
      encodeURIComponent(secret),
      encodeURIComponent('/etc/passwd'),
      '%00',
      `${ctx.mediaId}%00.jpg`,
      encodeURIComponent(stored),
      encodeURIComponent(`${stored}/../../secret.jpg`),
      `${ctx.mediaId}%2f..%2f..%2fsecret.jpg`,
      'med_' + 'a'.repeat(200),
      '%E0%A4%A',
      '%',
    ];
    const watch = watchFs();
    const answers: string[] = [];
    try {
      for (const id of ids) {
        for (const method of ['GET', 'DELETE']) {
          // Raw, so that `..` reaches the server as written (fetch would resolve it).
          const answer = await rawRequest(ts.apiUrl, {
            method,
            path: `/v1/media/${id}`,
            headers: { authorization: `Bearer ${ts.workspace.apiKey}` },
          });
          tally.record(`${method} /v1/media/${id}`, answer);
          answers.push(`${method} ${id} → ${answer.status} ${codesOf(answer).join(',')}`);
          assert.ok([400, 404].includes(answer.status), `${method} /v1/media/${id}: ${answer.status} ${JSON.stringify(answer.body)}`);
        }
        const decoded = (() => {
          try {
            return decodeURIComponent(id);
          } catch {
            return id;
          }
        })();
        const post = await ts.call('POST', '/v1/posts/validate', {
          content: 'x',
          mediaIds: [decoded],
          platforms: [{ accountId: ctx.accountId, platformOptions: { platform: 'PINTEREST', board: demo.boards.recipes } }],
        });
        tally.record(`mediaIds ${id}`, post);
        assert.ok(
          refusedWith(post, ['MEDIA_NOT_FOUND', 'VALIDATION_FAILED']),
          `mediaIds [${decoded}]: ${post.status} ${JSON.stringify(post.body)}`,
        );
      }
      // The watch itself: an upload writes into the store, a delete removes from it.
      const control = await upload(ts, await jpeg(1000, 1500, 3));
      assert.equal(control.status, 201);
      assert.equal((await ts.call('DELETE', `/v1/media/${(control.body as MediaView).id}`)).status, 204);
    } finally {
      watch.stop();
    }
    assert.ok(
      watch.paths.some((p) => path.resolve(p).startsWith(mediaDir + path.sep)),
      'the watch saw the control upload',
    );
    for (const line of answers) console.log(`[ssrf] path trick ${line}`);
    const outside = watch.paths.filter((p) => !path.resolve(p).startsWith(mediaDir + path.sep));
    console.log(
      `[ssrf] ${ids.length} ids × (GET, DELETE, mediaIds); files touched: ${watch.paths.length}, outside the store: ${outside.length}`,
    );
    assert.deepEqual(outside, [], 'no file outside the media store was touched');
    assert.deepEqual(fs.readFileSync(secret), secretBytes, 'the file beside the store is intact');
    assert.equal((await ts.call('GET', `/v1/media/${ctx.mediaId}`)).status, 200, 'the real media is still there');
  });
});

describe('with loopback allowed (FETCH_ALLOW_HOSTS=127.0.0.1), redirects to forbidden addresses', () => {
  let ts: TestSystem;
  let canary: Canary;
  let redirector: Redirector;
  let images: ImageServer;
  let egress: EgressWatch;
  let ctx: { accountId: string; mediaId: string };

  before(async () => {
    // 127.0.0.2 is loopback too, but not allowed: what a redirect must not reach.
    canary = await startCanary('127.0.0.2', await jpeg(1000, 1500));
    redirector = await startRedirector();
    images = await serveFiles({ 'bomb.png': { body: await pngBomb(40_000, 40_000), type: 'image/png' } });
    ts = await startTestSystem({ worker: true, env: { FETCH_ALLOW_HOSTS: '127.0.0.1' } });
    const { accountId } = await connectDemoAccount(ts);
    const uploaded = await upload(ts, await jpeg(1000, 1500));
    assert.equal(uploaded.status, 201);
    ctx = { accountId, mediaId: (uploaded.body as MediaView).id };
    egress = watchEgress(loopbackNames());
  });
  after(async () => {
    egress?.stop();
    await Promise.all([canary?.close(), redirector?.close(), images?.close()]);
    await ts?.stop();
  });

  it('does not follow a redirect from an allowed host to a forbidden one, for media and mediaItems', async () => {
    const targets = [
      `http://127.0.0.2:${canary.port}/a.jpg`,
      `http://[::1]:${canary.port}/a.jpg`,
      `http://[::ffff:127.0.0.2]:${canary.port}/a.jpg`,
      `http://0.0.0.0:${canary.port}/a.jpg`,
      'http://10.0.0.1/a.jpg',
      'http://169.254.169.254/latest/meta-data/',
      'http://[fd00::1]/a.jpg',
      'file:///etc/passwd',
      `gopher://127.0.0.2:${canary.port}/_x`,
    ];
    const followed: string[] = [];
    for (const target of targets) {
      const seen: string[] = [];
      for (const status of [301, 302, 303, 307, 308]) {
        const url = redirector.to(target, status);
        const v = await throughEveryVector(ts, url, ctx, false);
        seen.push(
          `${status}: ${Object.entries(v)
            .map(([vector, a]) => `${vector} ${a.status}`)
            .join(' ')}`,
        );
        if (!refusedWith(v.media, ['MEDIA_FETCH_FAILED'])) followed.push(`media ${status} → ${target}: ${v.media.status}`);
        if (!refusedWith(v.mediaItem, ['MEDIA_FETCH_FAILED'])) followed.push(`mediaItems ${status} → ${target}: ${v.mediaItem.status}`);
        // A link is only checked to resolve (a 3xx does), never followed; the webhook's own host is allowed.
        if (v.link.status >= 500 || v.webhook.status >= 500)
          followed.push(`link/webhook ${status} → ${target}: ${v.link.status}/${v.webhook.status}`);
      }
      console.log(`[ssrf] redirect → ${target}: ${seen.join(' | ')}`);
    }
    const loop = await ts.call('POST', '/v1/media', { url: redirector.loop });
    tally.record('redirect loop', loop);
    console.log(
      `[ssrf] redirect loop: ${loop.status} ${codesOf(loop).join(',')}; redirector hits ${redirector.hits.length}; canary hits ${canary.hits.length}`,
    );
    assert.ok(refusedWith(loop, ['MEDIA_FETCH_FAILED']));
    assert.deepEqual(followed, []);
    assert.deepEqual(canary.hits, [], 'the canary behind the redirects was never reached');
    assert.deepEqual(egress.connectionsTo(canary.port), [], 'no connection was attempted to it');
    assert.deepEqual(egress.violations, [], 'no connection or lookup left loopback');
  });

  it('does not follow a webhook receiver’s redirect to a forbidden address: the delivery fails', async () => {
    const hook = await ts.call<{ id: string }>('POST', '/v1/webhooks', { url: redirector.to(`http://127.0.0.2:${canary.port}/hook`, 307) });
    assert.equal(hook.status, 201, JSON.stringify(hook.body));
    const post = await ts.call('POST', '/v1/posts', {
      content: 'redirected hook',
      scheduledFor: new Date(Date.now() + 3_600_000).toISOString(),
      mediaIds: [ctx.mediaId],
      platforms: [{ accountId: ctx.accountId, platformOptions: { platform: 'PINTEREST', board: demo.boards.recipes } }],
    });
    assert.equal(post.status, 201, JSON.stringify(post.body));
    let delivery: { status: string; lastStatusCode: number | null; attempts: number } | undefined;
    for (let i = 0; i < 150 && (!delivery || delivery.status === 'pending'); i++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      const log = await ts.call<{ data: Array<{ status: string; lastStatusCode: number | null; attempts: number }> }>(
        'GET',
        `/v1/webhooks/${hook.body.id}/deliveries`,
      );
      delivery = log.body.data[0];
    }
    console.log(`[ssrf] webhook delivery to a 307 → canary: ${JSON.stringify(delivery)}; canary hits ${canary.hits.length}`);
    assert.equal(delivery?.status, 'failed', 'a 3xx from the receiver ends the delivery');
    assert.equal(delivery?.lastStatusCode, 307);
    assert.deepEqual(canary.hits, [], 'the signed body never reached the redirect target');
    assert.deepEqual(egress.violations, []);
  });

  it('refuses a decompression bomb fetched by URL with MEDIA_UNREADABLE, holding little memory', async () => {
    const { result, peakGrowthMb } = await peakDuring(() => ts.call('POST', '/v1/media', { url: images.url('bomb.png') }));
    tally.record('bomb by URL', result);
    console.log(`[ssrf] bomb by URL: ${result.status} ${codesOf(result).join(',')}; rss peak +${peakGrowthMb} MB`);
    assert.ok(refusedWith(result, ['MEDIA_UNREADABLE']), JSON.stringify(result.body));
    assert.ok(peakGrowthMb < 128, `took ${peakGrowthMb} MB`);
  });

  it('kept every answer to the contract (no 5xx, documented codes)', () => {
    console.log(tally.summary());
    assert.equal(tally.serverErrors, 0);
    assert.deepEqual(tally.violations, []);
  });
});
