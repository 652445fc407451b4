// `pinflow` as an operator runs it: a subprocess on the same database as the API, printing JSON; the keys
// it makes work against the API, the keys it revokes stop working. Without DATABASE_URL it uses the
// embedded PostgreSQL of `npm start`: the running one if there is one, else its own for the command.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from 'pg';
import { freePort } from '../../src/infra/free-port';
import { startEmbeddedPostgres } from '../../src/infra/postgres';
import { startTestSystem, type TestSystem } from '../support/system';

const bin = path.resolve(__dirname, '../../bin/pinflow.js');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function pinflow(args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve) => {
    execFile(bin, args, { env, timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

function json<T>(run: Run): T {
  assert.equal(run.code, 0, `exit 0 expected; stderr: ${run.stderr}`);
  return JSON.parse(run.stdout) as T;
}

let ts: TestSystem;
let env: NodeJS.ProcessEnv;

before(async () => {
  ts = await startTestSystem();
  const keys = Object.entries(ts.config.TOKEN_ENCRYPTION_KEYS ?? {})
    .map(([kid, key]) => `${kid}:${key.toString('base64')}`)
    .join(',');
  // The configuration the API runs with: same database, same server secret.
  env = {
    ...process.env,
    NODE_ENV: 'test',
    DATABASE_URL: ts.config.DATABASE_URL,
    PINFLOW_SECRET: ts.config.PINFLOW_SECRET,
    TOKEN_ENCRYPTION_KEYS: keys,
    DATA_DIR: ts.config.DATA_DIR,
  };
});
after(async () => {
  await ts?.stop();
});

describe('pinflow CLI', () => {
  it('creates a workspace and prints its id and first API key, which the API accepts', async () => {
    const created = json<{ workspaceId: string; apiKey: string }>(await pinflow(['workspace', 'create', '--name', 'Acme'], env));
    assert.match(created.workspaceId, /^ws_/);
    assert.match(created.apiKey, /^pf_live_/);
    const res = await ts.call('GET', '/v1/accounts', undefined, { key: created.apiKey });
    assert.equal(res.status, 200);
  });

  it('creates, lists (prefixes only) and revokes keys; a revoked key gets 401', async () => {
    const { workspaceId } = json<{ workspaceId: string }>(await pinflow(['workspace', 'create', '--name', 'Keys'], env));
    const key = json<{ keyId: string; apiKey: string }>(
      await pinflow(['key', 'create', '--workspace', workspaceId, '--name', 'deploy'], env),
    );
    assert.match(key.keyId, /^key_/);
    assert.equal((await ts.call('GET', '/v1/keys', undefined, { key: key.apiKey })).status, 200);

    const listRun = await pinflow(['key', 'list', '--workspace', workspaceId], env);
    const list = json<{ items: Array<{ id: string; prefix: string; name: string | null; revokedAt: string | null }> }>(listRun);
    assert.equal(list.items.length, 2, 'the first key and the new one');
    const listed = list.items.find((k) => k.id === key.keyId);
    assert.equal(listed?.name, 'deploy');
    assert.ok(key.apiKey.startsWith(listed?.prefix ?? '-'));
    assert.ok(!listRun.stdout.includes(key.apiKey), 'never the whole key');

    const revoked = await pinflow(['key', 'revoke', '--workspace', workspaceId, '--key', key.keyId], env);
    assert.equal(revoked.code, 0, revoked.stderr);
    const res = await ts.call('GET', '/v1/keys', undefined, { key: key.apiKey });
    assert.equal(res.status, 401);
    const afterwards = json<{ items: Array<{ id: string; revokedAt: string | null }> }>(
      await pinflow(['key', 'list', '--workspace', workspaceId], env),
    );
    assert.ok(afterwards.items.find((k) => k.id === key.keyId)?.revokedAt);
  });

  it('does not revoke a key of another workspace', async () => {
    const a = json<{ workspaceId: string }>(await pinflow(['workspace', 'create', '--name', 'A'], env));
    const b = json<{ workspaceId: string }>(await pinflow(['workspace', 'create', '--name', 'B'], env));
    const key = json<{ keyId: string; apiKey: string }>(await pinflow(['key', 'create', '--workspace', a.workspaceId], env));
    const run = await pinflow(['key', 'revoke', '--workspace', b.workspaceId, '--key', key.keyId], env);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /no active key/);
    assert.equal((await ts.call('GET', '/v1/keys', undefined, { key: key.apiKey })).status, 200);
  });

  it('fails with exit code 1 and a message on stderr', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['workspace', 'create'], /--name is required/],
      [['key', 'create', '--workspace', 'ws_doesnotexist0000000'], /no workspace ws_doesnotexist/],
      [['key', 'list'], /--workspace is required/],
      [['key', 'revoke', '--workspace', 'ws_doesnotexist0000000', '--key', 'key_x'], /no workspace/],
      [['key', 'rotate'], /unknown command: key rotate/],
      [[], /no command given/],
      [['workspace', 'create', '--name', 'x', '--colour', 'blue'], /Unknown option '--colour'/],
    ];
    for (const [args, message] of cases) {
      const run = await pinflow(args, env);
      assert.equal(run.code, 1, args.join(' '));
      assert.match(run.stderr, message, args.join(' '));
      assert.equal(run.stdout, '', 'nothing on stdout');
    }
  });

  describe('without DATABASE_URL (development)', () => {
    let dataDir: string;
    let devEnv: NodeJS.ProcessEnv;
    before(async () => {
      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pinflow-cli-'));
      fs.chmodSync(dataDir, 0o755);
      devEnv = { ...env, NODE_ENV: 'development', DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(await freePort()) };
      delete devEnv.DATABASE_URL;
    });
    after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

    async function workspaceNames(url: string): Promise<string[]> {
      const client = new Client({ connectionString: url });
      await client.connect();
      try {
        return (await client.query<{ name: string }>('SELECT name FROM workspaces ORDER BY created_at')).rows.map((r) => r.name);
      } finally {
        await client.end();
      }
    }

    it('starts the embedded PostgreSQL under DATA_DIR for the command and stops it again', { timeout: 120_000 }, async () => {
      const created = json<{ workspaceId: string }>(await pinflow(['workspace', 'create', '--name', 'offline'], devEnv));
      assert.match(created.workspaceId, /^ws_/);
      assert.ok(fs.existsSync(path.join(dataDir, 'pg', 'PG_VERSION')), 'the cluster lives where npm start keeps it');
      const port = Number(devEnv.EMBEDDED_PG_PORT);
      const stillUp = await new Client({
        connectionString: `postgres://postgres:pinflow@127.0.0.1:${port}/pinflow`,
        connectionTimeoutMillis: 1000,
      })
        .connect()
        .then(
          () => true,
          () => false,
        );
      assert.equal(stillUp, false, 'the server is stopped after the command');
    });

    it('uses the embedded PostgreSQL that npm start is running, whose port is taken', { timeout: 120_000 }, async () => {
      const running = await startEmbeddedPostgres({
        dataDir: path.join(dataDir, 'pg'),
        port: Number(devEnv.EMBEDDED_PG_PORT),
        persistent: true,
      });
      try {
        json(await pinflow(['workspace', 'create', '--name', 'while-running'], devEnv));
        assert.deepEqual(await workspaceNames(running.url), ['offline', 'while-running']);
      } finally {
        await running.stop();
      }
    });
  });
});
