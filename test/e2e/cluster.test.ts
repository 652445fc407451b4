// `npm run cluster` end to end (npm run test:cluster): the real Temporal server on PostgreSQL, the api and
// two workers as processes, one post published through the API into the Pinterest emulator, then SIGTERM
// and nothing left running.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { createEmulator, demoFixture } from '../../src/emulator';
import { freePort } from '../../src/infra/free-port';
import { apiClient, finished, schedulePost, waitForPost } from '../integration/ops-publish';

const root = path.resolve(__dirname, '../..');

/** Processes whose command line or environment mentions `marker` (our throwaway data folder). */
function processesMentioning(marker: string): string[] {
  const found: string[] = [];
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p) && Number(p) !== process.pid)) {
    try {
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      const env = fs.readFileSync(`/proc/${pid}/environ`, 'utf8');
      if (cmd.includes(marker) || env.includes(marker)) found.push(`${pid}: ${cmd.slice(0, 120)}`);
    } catch {
      // ended while we looked
    }
  }
  return found;
}

async function until<T>(what: string, fn: () => T | undefined, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = fn();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('npm run cluster', () => {
  it(
    'runs Temporal on PostgreSQL with an api and two workers, publishes a post, and SIGTERM leaves nothing behind',
    { timeout: 300_000 },
    async () => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pinflow-cluster-'));
      fs.chmodSync(dataDir, 0o755);
      const emulator = await createEmulator();
      const port = await freePort();
      emulator.state.seed(demoFixture({ redirectUris: [`http://127.0.0.1:${port}/v1/oauth/pinterest/callback`] }));
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        NODE_ENV: 'development',
        LOG_LEVEL: 'warn',
        DATA_DIR: dataDir,
        PORT: String(port),
        TEMPORAL_PORT: String(await freePort()),
        EMBEDDED_PG_PORT: String(await freePort()),
        CLUSTER_WORKERS: '2',
        PINTEREST_API_URL: emulator.url,
        PINTEREST_OAUTH_URL: `${emulator.url}/oauth/`,
        PINTEREST_CLIENT_ID: '1500000',
        PINTEREST_CLIENT_SECRET: 'emulator-demo-secret',
        PUBLISH_SETTLE_MS: '1000',
        ENCRYPTION_KEY: `c1:${randomBytes(32).toString('base64')}`,
      };
      delete env.DATABASE_URL;
      delete env.TEMPORAL_ADDRESS;

      const startedAt = Date.now();
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/main/cluster.ts'], {
        cwd: root,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (d: Buffer) => (output += d.toString()));
      child.stderr.on('data', (d: Buffer) => (output += d.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      try {
        const banner = (): true | undefined => {
          if (output.includes('cluster failed')) throw new Error(output);
          return output.includes('Ctrl-C stops everything') ? true : undefined;
        };
        await until('the cluster banner', banner, 180_000);
        console.log(`cluster start (cold data folder): ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
        const apiKey = /API key\s+(pf_live_\S+)/.exec(output)?.[1];
        assert.ok(apiKey, `the first start creates a workspace and prints its key:\n${output}`);
        assert.match(output, /workers\s+2/);

        const apiUrl = `http://127.0.0.1:${port}`;
        const publishStart = Date.now();
        const scheduled = await schedulePost(apiUrl, apiKey, emulator, { title: 'Cluster pin' });
        const post = await waitForPost(apiClient(apiUrl, apiKey), scheduled.id, finished, 60_000);
        assert.equal(post.status, 'published', JSON.stringify(post.targets));
        const pins = emulator.state.createdPins().filter((p) => p.requestBody.title === 'Cluster pin');
        assert.equal(pins.length, 1, 'exactly one pin at Pinterest');
        assert.equal(post.targets[0]!.pinId, pins[0]!.id);
        console.log(`post scheduled 1.5 s ahead published after ${((Date.now() - publishStart) / 1000).toFixed(1)} s`);
      } finally {
        const stopAt = Date.now();
        child.kill('SIGTERM');
        const code = await exited;
        console.log(`cluster stop: ${((Date.now() - stopAt) / 1000).toFixed(1)} s`);
        await emulator.close();
        assert.equal(code, 0, output.slice(-3000));
        assert.match(output, /cluster stopped/);
        await until('every process to end', () => (processesMentioning(dataDir).length === 0 ? true : undefined), 15_000).catch(
          () => undefined,
        );
        assert.deepEqual(processesMentioning(dataDir), [], 'no process is left behind');
        fs.rmSync(dataDir, { recursive: true, force: true });
      }
    },
  );
});
