// The system under measurement, as production runs it: a Temporal dev server, PostgreSQL, the api and the
// worker as separate processes, and the Pinterest emulator (in this process) with N accounts.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { Pool } from 'pg';
import { REQUESTED_SCOPES } from '../../src/accounts/connect';
import { loadConfig } from '../../src/config';
import { createEmulator, demoFixture, type Emulator } from '../../src/emulator';
import { migrate } from '../../src/db/migrate';
import { freePort, waitForPort } from '../../src/infra/free-port';
import { startEmbeddedPostgres, type RunningPostgres } from '../../src/infra/postgres';
import { startTemporalDevServer, type RunningDevServer } from '../../src/infra/temporal-dev-server';
import { createWorkspace } from '../../src/workspaces/service';
import { bundleWorkflows } from '../../tools/bundle-workflows';

const root = path.resolve(__dirname, '../..');

export interface Stack {
  apiUrl: string;
  apiKey: string;
  workspaceId: string;
  emulator: Emulator;
  temporal: Client;
  db: Pool;
  env: Record<string, string>;
  worker: ChildProcess;
  /** The worker's /metrics (Node's own gauges: heap, external memory). */
  workerMetricsUrl: string;
  api: ChildProcess;
  accounts: Array<{ accountId: string; boardId: string }>;
  mediaId: string;
  stop(): Promise<void>;
}

/** Stacks still running: an interrupted benchmark stops them rather than leave servers behind. */
const running = new Set<() => Promise<void>>();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void Promise.allSettled([...running].map((stop) => stop())).then(() => process.exit(130));
  });
}

/** `BENCH_CPU_PROF=api,worker`: those processes write a V8 CPU profile into `.bench-prof/<name>/` when they stop. */
const profiled = new Set((process.env.BENCH_CPU_PROF ?? '').split(',').filter(Boolean));

function spawnNode(entry: string, env: Record<string, string>): ChildProcess {
  const name = entry.replace(/^.*\/|\.ts$/g, '');
  const prof = profiled.has(name) ? ['--cpu-prof', `--cpu-prof-dir=${root}/.bench-prof/${name}`] : [];
  return spawn(process.execPath, [...prof, '--import', 'tsx', entry], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

/** Boards and users for `count` accounts, each with one board, on top of the demo world. */
function seedAccounts(emulator: Emulator, count: number): Array<{ userId: string; boardId: string }> {
  const users = Array.from({ length: count }, (_, i) => ({
    userId: String(1_100_000_000_000_100_000n + BigInt(i)),
    boardId: String(1_200_000_000_000_100_000n + BigInt(i)),
  }));
  emulator.state.seed({
    users: users.map((u, i) => ({ id: u.userId, username: `bench_${i}` })),
    boards: users.map((u, i) => ({ id: u.boardId, ownerId: u.userId, name: `Bench ${i}`, privacy: 'PUBLIC' as const })),
  });
  return users;
}

export async function startStack(opts: {
  accounts: number;
  workerEnv?: Record<string, string>;
  temporalInMemory?: boolean;
}): Promise<Stack> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pinflow-bench-'));
  fs.chmodSync(dir, 0o755);
  const config = loadConfig();
  const stops: Array<() => Promise<void>> = [];
  const pg: RunningPostgres = await startEmbeddedPostgres({ dataDir: path.join(dir, 'pg'), port: await freePort(), persistent: false });
  stops.push(pg.stop);
  // A SQLite file (durable, as `npm start` runs it) unless the run asks for the dev server's in-memory store.
  const temporalServer: RunningDevServer = await startTemporalDevServer({
    cliPath: config.TEMPORAL_CLI_PATH,
    port: await freePort(),
    dbFile: opts.temporalInMemory ? undefined : path.join(dir, 'temporal.db'),
  });
  stops.push(temporalServer.stop);
  // Pinterest's documented Standard limits, per user: 1,000 reads and 100 writes a minute.
  const emulator = await createEmulator({
    fixture: demoFixture(),
    rateLimits: { org_read: { limit: 1000, windowMs: 60_000 }, org_write: { limit: 100, windowMs: 60_000 } },
  });
  stops.push(() => emulator.close());

  await migrate(pg.url);
  const secret = randomBytes(32).toString('hex');
  const port = await freePort();
  const env: Record<string, string> = {
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    DATA_DIR: dir,
    DATABASE_URL: pg.url,
    PG_POOL_MAX: '20',
    TEMPORAL_ADDRESS: temporalServer.address,
    PORT: String(port),
    PINTEREST_API_URL: emulator.url,
    PINTEREST_CLIENT_ID: '1500000',
    PINTEREST_CLIENT_SECRET: 'emulator-demo-secret',
    PINFLOW_SECRET: secret,
    TOKEN_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
    FETCH_ALLOW_HOSTS: '127.0.0.1,localhost',
  };
  // As production images run it: the workflow bundle prebuilt once (tools/bundle-workflows.ts), not webpack at start.
  const workflowBundle = path.join(dir, 'workflow-bundle.js');
  await bundleWorkflows(workflowBundle);
  const metricsPort = await freePort();
  const worker = spawnNode('src/main/worker.ts', {
    ...env,
    WORKFLOW_BUNDLE_PATH: workflowBundle,
    WORKER_METRICS_PORT: String(metricsPort),
    ...opts.workerEnv,
  });
  stops.unshift(() => stopChild(worker));
  const api = spawnNode('src/main/api.ts', env);
  stops.unshift(() => stopChild(api));
  await waitForPort(port, 60_000);

  async function stop(): Promise<void> {
    running.delete(stop);
    for (const halt of stops) await halt().catch((err: unknown) => console.error('stop:', err));
    fs.rmSync(dir, { recursive: true, force: true });
  }
  running.add(stop);

  const db = new Pool({ connectionString: pg.url, max: 4 });
  stops.unshift(() => db.end());
  const connection = await Connection.connect({ address: temporalServer.address });
  stops.unshift(() => connection.close());
  const temporal = new Client({ connection });

  const ws = await createWorkspace(db, secret, 'bench');
  const apiUrl = `http://127.0.0.1:${port}`;
  const call = async (method: string, route: string, body?: unknown): Promise<{ status: number; body: { id: string } }> => {
    const res = await fetch(`${apiUrl}${route}`, {
      method,
      headers: { authorization: `Bearer ${ws.apiKey}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as { id: string } };
  };

  const accounts: Stack['accounts'] = [];
  for (const user of seedAccounts(emulator, opts.accounts)) {
    const tokens = emulator.state.issueTokens({ userId: user.userId, scopes: REQUESTED_SCOPES });
    const res = await call('POST', '/v1/accounts/pinterest', {
      accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken,
      expiresIn: tokens.expiresIn,
    });
    if (res.status !== 201) throw new Error(`connect failed: ${JSON.stringify(res.body)}`);
    accounts.push({ accountId: res.body.id, boardId: user.boardId });
  }
  const sharp = (await import('sharp')).default;
  const image = await sharp({ create: { width: 1000, height: 1500, channels: 3, background: '#a0c0e0' } })
    .jpeg()
    .toBuffer();
  const form = new FormData();
  form.append('file', new Blob([image], { type: 'image/jpeg' }), 'bench.jpg');
  const media = (await (
    await fetch(`${apiUrl}/v1/media`, { method: 'POST', headers: { authorization: `Bearer ${ws.apiKey}` }, body: form })
  ).json()) as { id: string };

  return {
    apiUrl,
    apiKey: ws.apiKey,
    workspaceId: ws.workspaceId,
    emulator,
    temporal,
    db,
    env,
    worker,
    workerMetricsUrl: `http://127.0.0.1:${metricsPort}/metrics`,
    api,
    accounts,
    mediaId: media.id,
    stop,
  };
}

/** Resident memory of a process, in MB, from /proc. */
export function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export function machine(): string {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  return `${cpu}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}`;
}

/** The worker's main-thread heap in use and its external (off-heap) memory, in MB, from its /metrics. */
export async function workerHeapMb(stack: Pick<Stack, 'workerMetricsUrl'>): Promise<{ heapUsed: number; external: number } | undefined> {
  try {
    const text = await (await fetch(stack.workerMetricsUrl)).text();
    const gauge = (name: string): number => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text)?.[1] ?? NaN) / 2 ** 20;
    return { heapUsed: gauge('nodejs_heap_size_used_bytes'), external: gauge('nodejs_external_memory_bytes') };
  } catch {
    return undefined;
  }
}
