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
import { freePort } from '../infra/free-port';
import { createLogger, type Logger } from '../infra/logger';
import { startMetricsServer } from '../infra/metrics';
import { resolveSecrets, type Secrets } from '../infra/secrets';
import { connectTemporal, type TemporalHandle } from '../temporal/connection';
import { createOrUpdateAnalyticsSchedule, createOrUpdateReconcileSchedule } from '../temporal/schedules';
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

let runtimeInstalled: Promise<string | undefined> | undefined;

/**
 * Temporal's core logs at WARN unless asked for more: worker start-up chatter is not news. With
 * WORKER_METRICS_PORT set, core also exports the SDK's metrics on a loopback port of its own, which the
 * worker's metrics endpoint serves next to ours; answers that exporter's URL.
 */
function installTemporalRuntime(config: Config): Promise<string | undefined> {
  runtimeInstalled ??= (async () => {
    const level = config.LOG_LEVEL === 'debug' || config.LOG_LEVEL === 'trace' ? 'DEBUG' : 'WARN';
    const sdkMetricsAddress = config.WORKER_METRICS_PORT > 0 ? `127.0.0.1:${await freePort()}` : undefined;
    // The process decides when to stop (src/main/signals.ts, dev.ts): the worker must not react to signals itself.
    Runtime.install({
      logger: new DefaultLogger(level),
      shutdownSignals: [],
      telemetryOptions: sdkMetricsAddress ? { metrics: { prometheus: { bindAddress: sdkMetricsAddress } } } : undefined,
    });
    return sdkMetricsAddress && `http://${sdkMetricsAddress}/metrics`;
  })();
  return runtimeInstalled;
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
    const sdkMetricsUrl = await installTemporalRuntime(config);
    const connection = await connectWorker(config.TEMPORAL_ADDRESS ?? '127.0.0.1:7233');
    const worker = await createWorker(deps, connection);
    await createOrUpdateAnalyticsSchedule(temporal.client, config);
    await createOrUpdateReconcileSchedule(temporal.client, config);
    workerRun = worker.run();
    const metrics =
      config.WORKER_METRICS_PORT > 0
        ? await startMetricsServer({
            host: config.HOST,
            port: config.WORKER_METRICS_PORT,
            sdkMetricsUrl,
            healthy: () => worker.getState() === 'RUNNING',
          })
        : undefined;
    stops.unshift(async () => {
      // Drains: polling stops, running activities get WORKER_SHUTDOWN_GRACE_MS to finish.
      worker.shutdown();
      await workerRun;
      await connection.close();
      await metrics?.close();
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
