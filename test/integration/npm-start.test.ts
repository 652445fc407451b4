import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { freePort } from '../../src/infra/free-port';
import { jpeg } from '../support/images';
import { uploadImage } from '../support/media';

const root = path.resolve(__dirname, '../..');

/** Processes whose command line mentions `marker` (our throwaway data folder). */
function processesMentioning(marker: string): string[] {
  const found: string[] = [];
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (cmd.includes(marker) && Number(pid) !== process.pid) found.push(`${pid}: ${cmd.slice(0, 120)}`);
    } catch {
      // the process ended while we looked
    }
  }
  return found;
}

async function waitFor<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('npm start', () => {
  it('serves /healthz and the Temporal Web UI, finds its data again, and Ctrl-C leaves no process behind', { timeout: 120_000 }, async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pinflow-start-'));
    fs.chmodSync(dataDir, 0o755);
    const ports = { PORT: await freePort(), TEMPORAL_PORT: await freePort(), TEMPORAL_UI_PORT: await freePort(), EMBEDDED_PG_PORT: await freePort(), EMULATOR_PORT: await freePort() };
    const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, NODE_ENV: 'development', LOG_LEVEL: 'warn' };
    for (const [k, v] of Object.entries(ports)) env[k] = String(v);
    delete env.DATABASE_URL; // embedded defaults, as a user's first `npm start`
    delete env.TEMPORAL_ADDRESS;

    /** What a user does first: schedule a pin with the printed key, account and board, and see it published. */
    const publishThroughDemo = async (output: string): Promise<void> => {
      const key = /API key\s+(pf_live_\S+)/.exec(output)?.[1];
      const account = /demo account\s+(soc_\w+)/.exec(output)?.[1];
      const board = /Recipes (\d+)/.exec(output)?.[1];
      assert.ok(key && account && board, `the banner names a key, the demo account and its boards:\n${output}`);
      const api = `http://127.0.0.1:${ports.PORT}`;
      const mediaId = await uploadImage(api, key, await jpeg(1000, 1500));
      const created = await fetch(`${api}/v1/posts`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          content: 'First pin from npm start',
          scheduledFor: new Date(Date.now() + 1000).toISOString(),
          mediaIds: [mediaId],
          platforms: [{ accountId: account, platformOptions: { platform: 'PINTEREST', board } }],
        }),
      });
      const post = (await created.json()) as { id: string };
      assert.equal(created.status, 201, JSON.stringify(post));
      const status = await waitFor('the post to publish', async () => {
        const res = await fetch(`${api}/v1/posts/${post.id}`, { headers: { authorization: `Bearer ${key}` } });
        const body = (await res.json()) as { status: string };
        return body.status === 'scheduled' || body.status === 'publishing' ? undefined : body.status;
      }, 30_000);
      assert.equal(status, 'published');
    };

    const runOnce = async (check?: (output: string) => Promise<void>): Promise<string> => {
      // Its own process group, so SIGINT reaches every process as a terminal's Ctrl-C does.
      const child = spawn('npm', ['start'], { cwd: root, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout.on('data', (d: Buffer) => (output += d.toString()));
      child.stderr.on('data', (d: Buffer) => (output += d.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      try {
        const health = await waitFor('/healthz', async () => {
          const res = await fetch(`http://127.0.0.1:${ports.PORT}/healthz`);
          return res.ok ? ((await res.json()) as { status: string }) : undefined;
        }, 90_000);
        assert.equal(health.status, 'ok');
        const ui = await fetch(`http://127.0.0.1:${ports.TEMPORAL_UI_PORT}/`);
        assert.equal(ui.status, 200, 'the Temporal Web UI answers');
        await waitFor('the start banner', async () => (output.includes('Ctrl-C stops everything') ? true : undefined), 10_000);
        await check?.(output);
      } finally {
        process.kill(-child.pid!, 'SIGINT');
      }
      await exited; // npm itself dies of the SIGINT, as in a terminal; pinflow must stop cleanly beneath it
      await waitFor('pinflow to stop', async () => (output.includes('pinflow stopped') ? true : undefined), 20_000).catch(() => undefined);
      assert.match(output, /pinflow stopped/, `pinflow stops on Ctrl-C:\n${output}`);
      assert.doesNotMatch(output, /error during shutdown|shutdown:/, 'and stops without errors');
      return output;
    };

    try {
      const first = await runOnce(publishThroughDemo);
      assert.match(first, /API key\s+pf_live_/, 'the first run creates a demo workspace and prints its key');
      await waitFor('every process to end', async () => (processesMentioning(dataDir).length === 0 ? true : undefined), 10_000).catch(() => undefined);
      assert.deepEqual(processesMentioning(dataDir), [], 'no process is left behind');

      const second = await runOnce();
      const workspace = /workspace\s+(ws_\w+)/.exec(first)?.[1];
      assert.ok(workspace && second.includes(workspace), 'the second run finds the workspace of the first');
      assert.doesNotMatch(second, /API key\s+pf_live_/, 'and does not create another');
      assert.equal(/demo account\s+(soc_\w+)/.exec(second)?.[1], /demo account\s+(soc_\w+)/.exec(first)?.[1], 'the demo account keeps its id');
      await waitFor('every process to end', async () => (processesMentioning(dataDir).length === 0 ? true : undefined), 10_000).catch(() => undefined);
      assert.deepEqual(processesMentioning(dataDir), [], 'no process is left behind');
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
