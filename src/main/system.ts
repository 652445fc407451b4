// Builds pinflow's processes from a configuration: the API, the worker, or both (dev and tests).
import type { Pool } from 'pg';
import type { DestinationStream } from 'pino';
import { Runtime, DefaultLogger } from '@temporalio/worker';
import { buildApp } from '../api/app';
import type { App } from '../api/app-type';
import type { Config } from '../config';
import { migrate } from '../db/migrate';
import { buildDeps, type Deps } from '../deps';
import { createPool } from '../db/pool';
import { createLogger, type Logger } from '../infra/logger';
import { resolveSecrets, type Secrets } from '../infra/secrets';
import { connectTemporal, type TemporalHandle } from '../temporal/connection';
import { createOrUpdateAnalyticsSchedule } from '../temporal/schedules';
import { connectWorker, createWorker } from '../temporal/worker';

export interface RunningSystem {
  app?: App;
  apiUrl?: string;
  db: Pool;
  temporal: TemporalHandle;
  secrets: Secrets;
  logger: Logger;
  deps: Deps;
  stop(): Promise<void>;
}

let runtimeInstalled = false;

/** Temporal's core logs at WARN unless asked for more: worker start-up chatter is not news. */
function installTemporalRuntime(config: Config): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  const level = config.LOG_LEVEL === 'debug' || config.LOG_LEVEL === 'trace' ? 'DEBUG' : 'WARN';
  // The process decides when to stop (src/main/signals.ts, dev.ts): the worker must not react to signals itself.
  Runtime.install({ logger: new DefaultLogger(level), shutdownSignals: [] });
}

/** `logDestination`: where the logs go instead of stdout (tests read them back). */
export async function startSystem(
  config: Config,
  parts: { api: boolean; worker: boolean },
  options: { logDestination?: DestinationStream } = {},
): Promise<RunningSystem> {
  if (!config.DATABASE_URL) throw new Error('DATABASE_URL is required');
  const logger = createLogger(config, options.logDestination);
  const secrets = resolveSecrets(config);
  await migrate(config.DATABASE_URL);
  const db = createPool(config.DATABASE_URL, config.PG_POOL_MAX);
  const temporal = await connectTemporal(config);
  const stops: Array<() => Promise<void>> = [() => temporal.close(), () => db.end()];
  const deps = buildDeps({ config, db, temporal: temporal.client, logger, secrets });

  let workerRun: Promise<void> | undefined;
  if (parts.worker) {
    installTemporalRuntime(config);
    const connection = await connectWorker(config.TEMPORAL_ADDRESS ?? '127.0.0.1:7233');
    const worker = await createWorker(deps, connection);
    await createOrUpdateAnalyticsSchedule(temporal.client, config);
    workerRun = worker.run();
    stops.unshift(async () => {
      worker.shutdown();
      await workerRun;
      await connection.close();
    });
  }

  let app: App | undefined;
  let apiUrl: string | undefined;
  if (parts.api) {
    app = await buildApp(deps);
    apiUrl = await app.listen({ host: config.HOST, port: config.PORT });
    const started = app;
    stops.unshift(() => started.close());
  }

  return {
    app,
    apiUrl,
    db,
    temporal,
    secrets,
    logger,
    deps,
    async stop() {
      for (const stop of stops) await stop().catch((err: unknown) => logger.error({ err }, 'error during shutdown'));
    },
  };
}
