// After a full run (an account connected, its token refreshed, a post published, a webhook delivered, an API
// key made), no secret is anywhere it should not be: not in any text, bytea or json column of any table, not
// in the logs (debug level, and whatever else this process printed), not in any workflow history or schedule.
// Secrets: Pinterest access and refresh tokens (first and refreshed), API keys, the webhook signing secret,
// and the server's own secrets. Each is searched as text, hex, base64, base64url, URL-encoded and a slice.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { verifyWebhook } from '../../sdk/src/webhooks';
import { demo } from '../../src/emulator';
import type { MediaView } from '../../src/media/schemas';
import type { PostView } from '../../src/posts/schemas';
import { connectDemoAccount } from '../support/accounts';
import { jpeg } from '../support/images';
import { startTestSystem, type TestSystem } from '../support/system';

/** The forms a leaked secret could take. */
function forms(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  return [
    secret,
    bytes.toString('hex'),
    bytes.toString('base64'),
    bytes.toString('base64url'),
    encodeURIComponent(secret),
    secret.slice(4, 24),
  ];
}

function findSecrets(haystack: string, secrets: Map<string, string>, where: string): string[] {
  const lower = haystack.toLowerCase();
  const hits: string[] = [];
  for (const [name, secret] of secrets) {
    for (const form of forms(secret)) {
      const found = /^[0-9a-f]+$/.test(form) ? lower.includes(form) : haystack.includes(form);
      if (found) hits.push(`${where}: ${name} (as ${form === secret ? 'text' : form.slice(0, 8) + '…'})`);
    }
  }
  return hits;
}

/** Every string in a value, with bytes (payload data, metadata) read as UTF-8 text. */
function textOf(value: unknown, out: string[] = [], depth = 0): string[] {
  if (depth > 64 || value === null || value === undefined) return out;
  if (typeof value === 'string') out.push(value);
  else if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') out.push(String(value));
  else if (value instanceof Uint8Array) out.push(Buffer.from(value).toString('utf8'), Buffer.from(value).toString('hex'));
  else if (Array.isArray(value)) for (const item of value) textOf(item, out, depth + 1);
  else if (typeof value === 'object') {
    // Long (protobuf int64) and Date are values, not containers.
    if (value instanceof Date) out.push(value.toISOString());
    else {
      for (const [key, item] of Object.entries(value)) {
        out.push(key);
        textOf(item, out, depth + 1);
      }
    }
  }
  return out;
}

describe('secrets after a full run', () => {
  let ts: TestSystem;
  let receiver: http.Server;
  const logLines: string[] = [];
  const printed: string[] = [];
  const secrets = new Map<string, string>();
  const received: Array<{ body: string; signature: string }> = [];
  const restoreWrites: Array<() => void> = [];
  let postId = '';

  before(async () => {
    // What the SDK, Temporal's core and anything else print goes through these: keep a copy.
    for (const stream of [process.stdout, process.stderr]) {
      const write = stream.write.bind(stream);
      stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
        printed.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
        return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
      }) as typeof stream.write;
      restoreWrites.push(() => (stream.write = write));
    }
    ts = await startTestSystem({
      worker: true,
      emulator: { recordTraffic: true },
      env: { LOG_LEVEL: 'debug' },
      logDestination: { write: (line: string) => void logLines.push(line) },
    });
    receiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push({ body, signature: String(req.headers['pinflow-signature'] ?? '') });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));

    // An account, whose access token Pinterest then expires: publishing refreshes it.
    const account = await connectDemoAccount(ts);
    ts.emulator.state.expireToken(account.accessToken);
    // A webhook, an API key, an image.
    const hook = await ts.call<{ id: string; secret: string }>('POST', '/v1/webhooks', {
      url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`,
    });
    assert.equal(hook.status, 201);
    const key = await ts.call<{ apiKey: string }>('POST', '/v1/keys', { name: 'ci' });
    assert.equal(key.status, 201);
    const form = new FormData();
    form.append('file', new Blob([await jpeg(1000, 1500)], { type: 'image/jpeg' }), 'a.jpg');
    const media = (await (
      await fetch(`${ts.apiUrl}/v1/media`, { method: 'POST', headers: { authorization: `Bearer ${key.body.apiKey}` }, body: form })
    ).json()) as MediaView;
    // A post, published a second from now, which the webhook hears about.
    const post = await ts.call<PostView>('POST', '/v1/posts', {
      content: 'secrets stay secret',
      scheduledFor: new Date(Date.now() + 1_000).toISOString(),
      mediaIds: [media.id],
      platforms: [{ accountId: account.accountId, platformOptions: { platform: 'PINTEREST', board: demo.boards.recipes } }],
    });
    assert.equal(post.status, 201, JSON.stringify(post.body));
    postId = post.body.id;
    let status = '';
    for (let i = 0; i < 300 && !['published', 'failed', 'partially_published'].includes(status); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      status = (await ts.call<PostView>('GET', `/v1/posts/${postId}`)).body.status;
    }
    assert.equal(status, 'published');
    for (let i = 0; i < 100 && !received.some((r) => r.body.includes('post.published')); i++)
      await new Promise((resolve) => setTimeout(resolve, 100));

    secrets.set('access token (handed over)', account.accessToken);
    secrets.set('refresh token (handed over)', account.refreshToken);
    for (const t of ts.emulator.state.traffic()) {
      const fields = t.responseBody as { access_token?: unknown; refresh_token?: unknown } | undefined;
      if (typeof fields?.access_token === 'string')
        secrets.set(`access token (refreshed) ${fields.access_token.slice(0, 8)}`, fields.access_token);
      if (typeof fields?.refresh_token === 'string')
        secrets.set(`refresh token (refreshed) ${fields.refresh_token.slice(0, 8)}`, fields.refresh_token);
    }
    secrets.set('API key (workspace)', ts.workspace.apiKey);
    secrets.set('API key (made over HTTP)', key.body.apiKey);
    secrets.set('webhook secret', hook.body.secret);
    secrets.set('PINFLOW_SECRET', ts.config.PINFLOW_SECRET!);
    for (const [kid, k] of Object.entries(ts.config.TOKEN_ENCRYPTION_KEYS ?? {})) secrets.set(`token key ${kid}`, k.toString('base64'));
    secrets.set('Pinterest client secret', ts.config.PINTEREST_CLIENT_SECRET);
  });
  after(async () => {
    for (const restore of restoreWrites) restore();
    receiver?.close();
    await ts?.stop();
  });

  it('ran for real: the token was refreshed, the post published, the webhook delivered and signed with its secret', () => {
    const tokens = [...secrets.keys()].filter((k) => k.includes('(refreshed)'));
    assert.ok(tokens.length >= 2, `Pinterest issued new tokens on refresh (${tokens.join(', ')})`);
    const published = received.find((r) => r.body.includes('post.published'));
    assert.ok(published, 'the webhook heard of the publication');
    verifyWebhook({ payload: published.body, header: published.signature, secret: secrets.get('webhook secret')! });
    assert.ok(
      logLines.some((l) => l.includes('"level":20')),
      'debug lines were logged',
    );
    assert.deepEqual(
      findSecrets(`x${Buffer.from(secrets.get('webhook secret')!).toString('hex')}x`, secrets, 'probe').length > 0,
      true,
      'the search finds a secret stored as bytes',
    );
    console.log(`[secrets] ${secrets.size} secrets: ${[...secrets.keys()].join(', ')}`);
  });

  it('stores none in any text, bytea or json column of any table', async () => {
    const { rows: columns } = await ts.system.db.query<{ table_name: string; column_name: string; data_type: string }>(
      `SELECT c.table_name, c.column_name, c.data_type FROM information_schema.columns c
         JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
        WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'
          AND c.data_type IN ('text', 'character varying', 'character', 'bytea', 'json', 'jsonb', 'ARRAY', 'USER-DEFINED')`,
    );
    const hits: string[] = [];
    let values = 0;
    let bytes = 0;
    const quote = (name: string): string => `"${name.replace(/"/g, '""')}"`;
    for (const { table_name, column_name, data_type } of columns) {
      // bytea as its bytes (pg answers a Buffer), everything else as text.
      const select = data_type === 'bytea' ? quote(column_name) : `${quote(column_name)}::text`;
      const { rows } = await ts.system.db.query<{ v: string | Buffer | null }>(
        `SELECT ${select} AS v FROM ${quote(table_name)} WHERE ${quote(column_name)} IS NOT NULL`,
      );
      for (const { v } of rows) {
        values++;
        const text = Buffer.isBuffer(v) ? `${v.toString('latin1')} ${v.toString('hex')} ${v.toString('base64')}` : String(v);
        bytes += text.length;
        hits.push(...findSecrets(text, secrets, `${table_name}.${column_name}`));
      }
    }
    const tables = new Set(columns.map((c) => c.table_name));
    console.log(
      `[secrets] database: ${tables.size} tables, ${columns.length} text/bytea/json columns, ${values} values (${Math.round(bytes / 1024)} KB) searched; hits: ${hits.length}`,
    );
    assert.ok(values > 0 && tables.has('social_accounts') && tables.has('webhooks') && tables.has('api_keys'));
    assert.deepEqual(hits, []);
  });

  it('logs none, at debug level, nor prints any', () => {
    const hits = [...findSecrets(logLines.join('\n'), secrets, 'pino log'), ...findSecrets(printed.join(''), secrets, 'stdout/stderr')];
    console.log(
      `[secrets] logs: ${logLines.length} pino lines (${Math.round(logLines.join('').length / 1024)} KB), ${printed.length} other writes; hits: ${hits.length}`,
    );
    assert.deepEqual(hits, []);
  });

  it('puts none in any workflow history of this run, nor in its schedule', async () => {
    const { client } = ts.system.temporal;
    const query = `TaskQueue = "${ts.config.TEMPORAL_TASK_QUEUE}"`;
    let ids: string[] = [];
    // Visibility is eventually consistent: wait (bounded) until the post's workflow is listed.
    for (let i = 0; i < 50 && !ids.includes(postId); i++) {
      ids = [];
      for await (const wf of client.workflow.list({ query })) ids.push(wf.workflowId);
      if (!ids.includes(postId)) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    assert.ok(ids.includes(postId), `the post's workflow is listed (${ids.join(', ')})`);
    const hits: string[] = [];
    let events = 0;
    let bytes = 0;
    for (const id of ids) {
      const history = await client.workflow.getHandle(id).fetchHistory();
      events += history.events?.length ?? 0;
      const text = textOf(history).join('\n');
      bytes += text.length;
      hits.push(...findSecrets(text, secrets, `history of ${id}`));
      const description = await client.workflow.getHandle(id).describe();
      hits.push(...findSecrets(textOf(description.raw).join('\n'), secrets, `description of ${id}`));
    }
    const schedule = await client.schedule.getHandle(ts.config.ANALYTICS_SCHEDULE_ID).describe();
    hits.push(...findSecrets(textOf(schedule.raw).join('\n'), secrets, 'analytics schedule'));
    console.log(
      `[secrets] Temporal: ${ids.length} workflows (${[...new Set(ids.map((w) => w.replace(/_.*|-.*/, '')))].join(', ')}), ${events} events (${Math.round(bytes / 1024)} KB) and the schedule searched; hits: ${hits.length}`,
    );
    assert.ok(events > 0);
    assert.deepEqual(hits, []);
  });
});
