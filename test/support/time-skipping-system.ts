// pinflow on Temporal's time-skipping test server: the real workflows and activities, a fresh database,
// the Pinterest emulator, a workspace with the emulator's demo account connected. Days pass in seconds.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { REQUESTED_SCOPES, connectWithTokens } from '../../src/accounts/connect';
import { createActivities } from '../../src/activities';
import { loadConfig } from '../../src/config';
import { buildDeps, type Deps } from '../../src/deps';
import { createEmulator, demo, demoFixture, type Emulator } from '../../src/emulator';
import { createLogger } from '../../src/infra/logger';
import { resolveSecrets } from '../../src/infra/secrets';
import { uploadMedia } from '../../src/media/service';
import { registerSearchAttributes } from '../../src/temporal/register-search-attributes';
import { createWorkspace } from '../../src/workspaces/service';
import { testDatabase, type TestDatabase } from './database';
import { jpeg } from './images';
import { createTimeSkippingEnv } from './temporal';
import { Readable } from 'node:stream';

const quietBundler = { trace: () => undefined, debug: () => undefined, info: () => undefined, warn: console.warn, error: console.error, log: () => undefined };

export interface TimeSkippingSystem {
  env: TestWorkflowEnvironment;
  deps: Deps;
  emulator: Emulator;
  /** Runs `fn` with a worker polling (a worker runs once, so each call makes its own from one bundle). */
  withWorker<T>(fn: () => Promise<T>): Promise<T>;
  workspaceId: string;
  accountId: string;
  /** A stored 1000×1500 JPEG of the workspace. */
  newImage(): Promise<string>;
  stop(): Promise<void>;
}

export async function startTimeSkippingSystem(): Promise<TimeSkippingSystem> {
  const env = await createTimeSkippingEnv();
  await registerSearchAttributes(env.connection, env.namespace ?? 'default');
  const emulator = await createEmulator({ fixture: demoFixture() });
  const db: TestDatabase = await testDatabase();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pinflow-ts-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    DATA_DIR: dataDir,
    DATABASE_URL: db.url,
    TEMPORAL_TASK_QUEUE: `ts-${randomBytes(4).toString('hex')}`,
    PINTEREST_API_URL: emulator.url,
    PINTEREST_CLIENT_ID: demo.clientId,
    PINTEREST_CLIENT_SECRET: demo.clientSecret,
    PINFLOW_SECRET: randomBytes(32).toString('hex'),
    TOKEN_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
    FETCH_ALLOW_HOSTS: '127.0.0.1,localhost',
    PUBLISH_SETTLE_MS: '1000',
    // The activity's wait for the exact due time uses the worker's clock, which the test server's skipped
    // clock runs days ahead of: here the publish starts at the due time itself (the timer), without a lead.
    PUBLISH_LEAD_MS: '0',
  });
  const logger = createLogger(config);
  const deps = buildDeps({ config, db: db.pool, temporal: env.client, logger, secrets: resolveSecrets(config) });
  const { workspaceId } = await createWorkspace(db.pool, deps.secrets.serverSecret, 'time-skipping');
  const tokens = emulator.state.issueTokens({ userId: demo.userId, scopes: REQUESTED_SCOPES });
  const account = await connectWithTokens(deps, workspaceId, { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, expiresIn: tokens.expiresIn });
  const workflowBundle = await bundleWorkflowCode({ workflowsPath: require.resolve('../../src/workflows'), logger: quietBundler });
  const activities = createActivities(deps);
  const withWorker = async <T>(fn: () => Promise<T>): Promise<T> => {
    const worker = await Worker.create({ connection: env.nativeConnection, taskQueue: config.TEMPORAL_TASK_QUEUE, workflowBundle, activities });
    return worker.runUntil(fn);
  };
  return {
    env,
    deps,
    emulator,
    withWorker,
    workspaceId,
    accountId: account.id,
    async newImage() {
      const media = await uploadMedia(deps, workspaceId, Readable.from(await jpeg(1000, 1500)), 'image/jpeg');
      return media.id;
    },
    async stop() {
      await env.teardown();
      await db.drop();
      await emulator.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
