// A whole pinflow for a chaos test, every part real and killable on its own: embedded PostgreSQL (its
// own server, persistent so it can be stopped and started again), the Temporal dev server on a SQLite
// file (`--db-filename`, so it survives a restart), the api and the worker as separate node processes,
// and the Pinterest emulator in the test's process (the one fake: Pinterest itself). Loopback only.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Pool } from 'pg';
import { loadConfig } from '../../../src/config';
import { migrate } from '../../../src/db/migrate';
import { createPool } from '../../../src/db/pool';
import { createEmulator, demo, demoFixture, type Emulator, type Fixture, type RateLimits } from '../../../src/emulator';
import { freePort, waitForPort } from '../../../src/infra/free-port';
import { startEmbeddedPostgres, type RunningPostgres } from '../../../src/infra/postgres';
import { startTemporalDevServer, type RunningDevServer } from '../../../src/infra/temporal-dev-server';
import { createWorkspace } from '../../../src/workspaces/service';
import { bundleWorkflows } from '../../../tools/bundle-workflows';
import { nodeProcess, tail, type NodeProcess } from './processes';

export interface ChaosOptions {
  /** Names the run's folder and log files. */
  name: string;
  /** Extra pinflow configuration for the api and the worker. */
  env?: Record<string, string>;
  /** Pinterest's limits in the emulator; the chaos runs raise them unless the test is about them. */
  rateLimits?: Partial<RateLimits>;
  /** More of the Pinterest world (users, boards) before accounts are connected. */
  fixture?: Fixture;
  /** Where pinflow reaches Pinterest instead of the emulator itself (a recording proxy in front of it). */
  pinterestUrl?: (emulatorUrl: string) => Promise<string>;
  workers?: number;
  /** false: the test starts the api and the workers itself (then `waitForApi`). */
  startProcesses?: boolean;
}

export interface Answer<T = unknown> {
  /** 0 when the client gave up (timeout) or could not connect. */
  status: number;
  body: T;
  /** What went wrong on the client side when status is 0. */
  clientError?: string;
  ms: number;
}

export interface ChaosSystem {
  dir: string;
  emulator: Emulator;
  apiUrl: string;
  apiKey: string;
  /** The test's own connection to pinflow's database, for checking results. */
  db: Pool;
  databaseUrl: string;
  api: NodeProcess;
  workers: NodeProcess[];
  /** Resolves once the api accepts connections; fails with its log if it does not within `timeoutMs`. */
  waitForApi(timeoutMs?: number): Promise<void>;
  postgres: { stop(): Promise<void>; start(): Promise<void> };
  /** `stop({ kill: true })`: SIGKILL instead of a graceful stop. */
  temporal: { address: string; stop(opts?: { kill?: boolean }): Promise<void>; start(): Promise<void> };
  /** Calls the API with this workspace's key; never waits longer than `timeoutMs`. */
  call<T = unknown>(
    method: string,
    route: string,
    body?: unknown,
    opts?: { timeoutMs?: number; headers?: Record<string, string> },
  ): Promise<Answer<T>>;
  /** The last lines of every child's log. */
  logs(): string;
  stop(): Promise<void>;
}

/** Pinterest's limits, raised so that only the fault under test slows publishing down. */
export const generousRateLimits: RateLimits = {
  org_read: { limit: 1_000_000, windowMs: 60_000 },
  org_write: { limit: 1_000_000, windowMs: 60_000 },
  org_analytics: { limit: 1_000_000, windowMs: 60_000 },
};

/** Extra boards of the demo user, so a run's pins spread over boards as a real account's do. */
/** Chaos boards have ids from here up; the demo fixture's own boards are below. */
const firstChaosBoardId = 1_200_000_000_000_100_000n;

export function isChaosBoard(boardId: string): boolean {
  return BigInt(boardId) >= firstChaosBoardId;
}

export function extraBoards(count: number, ownerId: string = demo.userId, firstId = firstChaosBoardId): Fixture {
  return {
    boards: Array.from({ length: count }, (_, i) => ({
      id: String(firstId + BigInt(i)),
      ownerId,
      name: `Chaos board ${i + 1}`,
      privacy: 'PUBLIC' as const,
      createdAt: '2025-01-01T00:00:00Z',
    })),
  };
}

export async function startChaosSystem(opts: ChaosOptions): Promise<ChaosSystem> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `pinflow-chaos-${opts.name}-`));
  // As root, postgres runs as its own user, which must traverse this folder.
  fs.chmodSync(dir, 0o755);
  const stops: Array<() => Promise<void>> = [];
  const base = loadConfig({});
  try {
    // PostgreSQL: persistent, so a stop and a start find the same data.
    const pgPort = await freePort();
    const pgDir = path.join(dir, 'pg');
    let pg: RunningPostgres | undefined = await startEmbeddedPostgres({
      dataDir: pgDir,
      port: pgPort,
      persistent: true,
      database: 'pinflow',
    });
    const databaseUrl = pg.url;
    const postgres = {
      async stop() {
        await pg?.stop();
        pg = undefined;
      },
      async start() {
        if (pg) return;
        pg = await startEmbeddedPostgres({ dataDir: pgDir, port: pgPort, persistent: true, database: 'pinflow' });
      },
    };
    stops.push(() => postgres.stop());

    // Temporal dev server on a SQLite file, headless.
    const temporalPort = await freePort();
    const temporalLog = fs.createWriteStream(path.join(dir, 'temporal.log'), { flags: 'a' });
    const devServer = (): Promise<RunningDevServer> =>
      startTemporalDevServer({
        cliPath: base.TEMPORAL_CLI_PATH,
        port: temporalPort,
        dbFile: path.join(dir, 'temporal.db'),
        onLog: (l) => temporalLog.write(l),
      });
    let server: RunningDevServer | undefined = await devServer();
    const temporal = {
      address: server.address,
      async stop(stopOpts: { kill?: boolean } = {}) {
        if (server && stopOpts.kill) {
          const child = server.process;
          const gone = new Promise((resolve) => child.once('exit', resolve));
          child.kill('SIGKILL');
          await gone;
        }
        await server?.stop();
        server = undefined;
      },
      async start() {
        if (server) return;
        server = await devServer();
      },
    };
    stops.push(async () => {
      await temporal.stop();
      temporalLog.end();
    });

    const emulator = await createEmulator({ rateLimits: opts.rateLimits ?? generousRateLimits });
    stops.push(() => emulator.close());
    const apiPort = await freePort();
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    emulator.state.seed(demoFixture({ redirectUris: [`${apiUrl}/v1/oauth/pinterest/callback`] }));
    if (opts.fixture) emulator.state.seed(opts.fixture);
    const pinterestUrl = opts.pinterestUrl ? await opts.pinterestUrl(emulator.url) : emulator.url;

    const secret = randomBytes(32).toString('hex');
    await migrate(databaseUrl);
    const db = createPool(databaseUrl, 4);
    stops.push(() => db.end());
    const { apiKey } = await createWorkspace(db, secret, `chaos-${opts.name}`);

    const bundle = path.join(dir, 'workflow-bundle.js');
    await bundleWorkflows(bundle);

    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'test',
      LOG_LEVEL: process.env.CHAOS_LOG_LEVEL ?? 'warn',
      HOST: '127.0.0.1',
      PORT: String(apiPort),
      PUBLIC_URL: apiUrl,
      DATA_DIR: path.join(dir, 'data'),
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_TASK_QUEUE: 'pinflow',
      TEMPORAL_CLI_PATH: base.TEMPORAL_CLI_PATH,
      WORKFLOW_BUNDLE_PATH: bundle,
      PINTEREST_API_URL: pinterestUrl,
      PINTEREST_OAUTH_URL: `${emulator.url}/oauth/`,
      PINTEREST_CLIENT_ID: demo.clientId,
      PINTEREST_CLIENT_SECRET: demo.clientSecret,
      PINTEREST_TIMEOUT_MS: '5000',
      PINFLOW_SECRET: secret,
      TOKEN_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
      FETCH_ALLOW_HOSTS: '127.0.0.1,localhost',
      // Pinterest shows a created pin on its board at once (the emulator too): a short settle window.
      PUBLISH_SETTLE_MS: '2000',
      PINTEREST_WRITE_LIMIT: '1000000',
      ANALYTICS_SCHEDULE_ID: `analytics-${opts.name}`,
      WORKER_SHUTDOWN_GRACE_MS: '5000',
      ...opts.env,
    };
    const logDir = path.join(dir, 'logs');
    fs.mkdirSync(logDir);
    const api = nodeProcess('api', 'src/main/api.ts', env, logDir);
    const workers = Array.from({ length: opts.workers ?? 1 }, (_, i) => nodeProcess(`worker-${i + 1}`, 'src/main/worker.ts', env, logDir));
    // Last resort if the test process ends without stop() (killed by the runner): no child outlives it.
    process.once('exit', () => {
      for (const p of [api, ...workers]) p.killNow();
      server?.process.kill('SIGKILL');
    });
    stops.push(async () => {
      for (const w of workers) await w.stop(10_000);
      await api.stop(10_000);
    });
    const waitForApi = (timeoutMs = 60_000): Promise<void> =>
      waitForPort(apiPort, timeoutMs).catch((err: unknown) => {
        throw new Error(`the api did not start: ${String(err)}\n${tail(api.logFile)}`);
      });
    if (opts.startProcesses !== false) {
      api.start();
      for (const w of workers) w.start();
      await waitForApi();
    }

    const call: ChaosSystem['call'] = async (method, route, body, callOpts = {}) => {
      const started = Date.now();
      const headers: Record<string, string> = { authorization: `Bearer ${apiKey}`, ...callOpts.headers };
      if (body !== undefined) headers['content-type'] = 'application/json';
      try {
        const res = await fetch(`${apiUrl}${route}`, {
          method,
          headers,
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(callOpts.timeoutMs ?? 30_000),
        });
        const text = await res.text();
        let parsed: unknown = text;
        try {
          parsed = text ? JSON.parse(text) : undefined;
        } catch {
          // not JSON: keep the text
        }
        return { status: res.status, body: parsed as never, ms: Date.now() - started };
      } catch (err) {
        const e = err as Error & { cause?: { code?: string } };
        return {
          status: 0,
          body: undefined as never,
          clientError: e.name === 'TimeoutError' ? 'timeout' : (e.cause?.code ?? e.message),
          ms: Date.now() - started,
        };
      }
    };

    return {
      dir,
      emulator,
      apiUrl,
      apiKey,
      db,
      databaseUrl,
      api,
      workers,
      waitForApi,
      postgres,
      temporal,
      call,
      logs: () => [api, ...workers].map((p) => `----- ${p.name}\n${tail(p.logFile)}`).join('\n'),
      async stop() {
        for (const stop of stops.reverse()) await stop().catch((err: unknown) => console.error('chaos stop:', err));
        if (!process.env.CHAOS_KEEP) fs.rmSync(dir, { recursive: true, force: true });
        else console.log(`chaos run kept in ${dir}`);
      },
    };
  } catch (err) {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}
