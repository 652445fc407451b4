// A whole pinflow for an integration test: a fresh database, the Pinterest emulator on loopback, the API
// (and the worker when asked) on the dev server that `npm test` started, and a workspace with an API key.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DestinationStream } from 'pino';
import { loadConfig, type Config } from '../../src/config';
import { createEmulator, demoFixture, type Emulator, type EmulatorOptions } from '../../src/emulator';
import { freePort } from '../../src/infra/free-port';
import { startSystem, type RunningSystem } from '../../src/main/system';
import { createWorkspace } from '../../src/workspaces/service';
import { emptyDatabase } from './database';
import { temporalAddress, uniqueTaskQueue } from './temporal';

export interface TestSystem {
  config: Config;
  system: RunningSystem;
  emulator: Emulator;
  apiUrl: string;
  workspace: { id: string; apiKey: string };
  /** Calls the API as this workspace (or with `key`), returns status, JSON body and headers. */
  call<T = unknown>(
    method: string,
    route: string,
    body?: unknown,
    opts?: { key?: string | null; headers?: Record<string, string> },
  ): Promise<ApiAnswer<T>>;
  newWorkspace(name?: string): Promise<{ id: string; apiKey: string }>;
  stop(): Promise<void>;
}

export interface ApiAnswer<T> {
  status: number;
  body: T;
  headers: Headers;
}

export interface TestSystemOptions {
  worker?: boolean;
  emulator?: EmulatorOptions;
  env?: Record<string, string>;
  /** Where the system's logs go (e.g. a stream the test reads); stdout otherwise. */
  logDestination?: DestinationStream;
}

export const oauthCallbackPath = '/v1/oauth/pinterest/callback';

export async function startTestSystem(opts: TestSystemOptions = {}): Promise<TestSystem> {
  const emulator = await createEmulator(opts.emulator);
  const port = await freePort();
  const apiUrl = `http://127.0.0.1:${port}`;
  emulator.state.seed(demoFixture({ redirectUris: [`${apiUrl}${oauthCallbackPath}`] }));
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pinflow-it-'));
  const { url: databaseUrl } = await emptyDatabase();
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    PORT: String(port),
    PUBLIC_URL: apiUrl,
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    PG_POOL_MAX: '5',
    TEMPORAL_ADDRESS: temporalAddress(),
    TEMPORAL_TASK_QUEUE: uniqueTaskQueue('it'),
    PINTEREST_API_URL: emulator.url,
    PINTEREST_OAUTH_URL: `${emulator.url}/oauth/`,
    PINTEREST_CLIENT_ID: '1500000',
    PINTEREST_CLIENT_SECRET: 'emulator-demo-secret',
    PINTEREST_TIMEOUT_MS: '5000',
    PINFLOW_SECRET: randomBytes(32).toString('hex'),
    TOKEN_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
    FETCH_ALLOW_HOSTS: '127.0.0.1,localhost',
    PUBLISH_SETTLE_MS: '1000',
    // Each test system its own reconciler schedule: they share one dev server.
    RECONCILE_SCHEDULE_ID: uniqueTaskQueue('reconcile'),
    ...opts.env,
  });
  const system = await startSystem(config, { api: true, worker: opts.worker ?? false }, { logDestination: opts.logDestination });
  const newWorkspace = async (name = 'test'): Promise<{ id: string; apiKey: string }> => {
    const created = await createWorkspace(system.db, system.secrets.serverSecret, name);
    return { id: created.workspaceId, apiKey: created.apiKey };
  };
  const workspace = await newWorkspace();

  const call: TestSystem['call'] = async (method, route, body, callOpts = {}) => {
    const key = callOpts.key === undefined ? workspace.apiKey : callOpts.key;
    const headers: Record<string, string> = { ...callOpts.headers };
    if (key) headers.authorization = `Bearer ${key}`;
    if (body !== undefined) headers['content-type'] ??= 'application/json';
    const res = await fetch(`${apiUrl}${route}`, {
      method,
      headers,
      body:
        body === undefined ? undefined : typeof body === 'string' || body instanceof Uint8Array ? (body as string) : JSON.stringify(body),
      redirect: 'manual',
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, body: parsed as never, headers: res.headers };
  };

  return {
    config,
    system,
    emulator,
    apiUrl,
    workspace,
    call,
    newWorkspace,
    async stop() {
      await system.stop();
      await emulator.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
