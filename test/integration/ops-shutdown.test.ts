// SIGTERM on a worker in the middle of a Pinterest call: the worker stops taking work, lets the running
// activity finish within WORKER_SHUTDOWN_GRACE_MS, exits 0, and the post has exactly one pin. The worker is
// a real process as production runs it: NODE_ENV=production and the prebuilt workflow bundle.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { PostView } from '../../src/posts/schemas';
import { bundleWorkflows } from '../../tools/bundle-workflows';
import { startTestSystem, type TestSystem } from '../support/system';
import { finished, schedulePost, waitForPost } from './ops-publish';

const root = path.resolve(__dirname, '../..');

interface WorkerProcess {
  child: ChildProcess;
  output(): string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
}

function workerEnv(ts: TestSystem, bundle: string): NodeJS.ProcessEnv {
  const { config } = ts;
  const { secrets } = ts.system;
  const keys = [secrets.currentKeyId, ...Object.keys(secrets.tokenKeys).filter((k) => k !== secrets.currentKeyId)];
  return {
    PATH: process.env.PATH,
    NODE_ENV: 'production',
    LOG_LEVEL: 'info',
    DATABASE_URL: config.DATABASE_URL,
    TEMPORAL_ADDRESS: config.TEMPORAL_ADDRESS,
    TEMPORAL_TASK_QUEUE: config.TEMPORAL_TASK_QUEUE,
    PINTEREST_API_URL: config.PINTEREST_API_URL,
    PINTEREST_CLIENT_ID: config.PINTEREST_CLIENT_ID,
    PINTEREST_CLIENT_SECRET: config.PINTEREST_CLIENT_SECRET,
    PINTEREST_TIMEOUT_MS: '15000',
    PINFLOW_SECRET: secrets.serverSecret,
    TOKEN_ENCRYPTION_KEYS: keys.map((k) => `${k}:${secrets.tokenKeys[k]!.toString('base64')}`).join(','),
    DATA_DIR: config.DATA_DIR,
    FETCH_ALLOW_HOSTS: config.FETCH_ALLOW_HOSTS.join(','),
    PUBLISH_SETTLE_MS: String(config.PUBLISH_SETTLE_MS),
    ANALYTICS_SCHEDULE_ID: `analytics-${randomBytes(4).toString('hex')}`,
    WORKFLOW_BUNDLE_PATH: bundle,
    WORKER_SHUTDOWN_GRACE_MS: '20000',
  };
}

function startWorker(env: NodeJS.ProcessEnv): WorkerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main/worker.ts'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal, at: Date.now() })),
  );
  return { child, output: () => output, exit };
}

async function until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('worker shutdown', () => {
  let ts: TestSystem;
  let env: NodeJS.ProcessEnv;
  const workers: WorkerProcess[] = [];

  before(async () => {
    ts = await startTestSystem({ worker: false });
    const bundle = path.join(ts.config.DATA_DIR, 'workflow-bundle.js');
    await bundleWorkflows(bundle);
    env = workerEnv(ts, bundle);
  });
  after(async () => {
    for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
    await ts?.stop();
  });

  const pollers = async (): Promise<number> => {
    const { pollers: list } = await ts.system.temporal.client.workflowService.describeTaskQueue({
      namespace: ts.config.TEMPORAL_NAMESPACE,
      taskQueue: { name: ts.config.TEMPORAL_TASK_QUEUE },
    });
    return list?.length ?? 0;
  };

  it('lets a running createPin finish on SIGTERM, exits 0, and the post has exactly one pin', { timeout: 120_000 }, async () => {
    const first = startWorker(env);
    workers.push(first);
    await until('the worker to poll', async () => ((await pollers()) > 0 ? true : undefined), 60_000);

    // Pinterest answers pin creation after 4 s: the SIGTERM lands while the call is in flight.
    ts.emulator.state.setFaults({ latencyMs: 4000, routes: ['POST /v5/pins'] });
    const title = `Drained ${randomBytes(3).toString('hex')}`;
    const scheduled = await schedulePost(ts.apiUrl, ts.workspace.apiKey, ts.emulator, { title, inMs: 1000 });
    await until(
      'the pin request to be in flight',
      async () => {
        const { body } = await ts.call<PostView>('GET', `/v1/posts/${scheduled.id}`);
        return body.targets[0]?.attempts.some((a) => a.outcome === 'pending') ? true : undefined;
      },
      30_000,
    );

    const signalledAt = Date.now();
    first.child.kill('SIGTERM');
    const exit = await first.exit;
    assert.equal(exit.code, 0, `the worker exits 0 after draining:\n${first.output().slice(-3000)}`);
    const pins = ts.emulator.state.createdPins().filter((p) => p.requestBody.title === title);
    assert.equal(pins.length, 1, 'Pinterest has the pin before the worker is gone');
    assert.ok(Date.parse(pins[0]!.createdAt) <= exit.at, 'created while the worker was draining');
    assert.ok(exit.at - signalledAt < 20_000, 'within the grace period');

    // The rest of the workflow (recording the result) goes on with the next worker.
    const second = startWorker(env);
    workers.push(second);
    const post = await waitForPost(ts.call, scheduled.id, finished, 60_000);
    assert.equal(post.status, 'published', JSON.stringify(post.targets));
    assert.equal(post.targets[0]!.pinId, pins[0]!.id);
    assert.deepEqual(
      post.targets[0]!.attempts.map((a) => a.outcome),
      ['created'],
      'one attempt, finished by the draining worker',
    );
    assert.equal(ts.emulator.state.createdPins().filter((p) => p.requestBody.title === title).length, 1, 'exactly one pin');

    ts.emulator.state.clearFaults();
    second.child.kill('SIGTERM');
    assert.equal((await second.exit).code, 0);
    fs.rmSync(env.WORKFLOW_BUNDLE_PATH!, { force: true });
  });
});
