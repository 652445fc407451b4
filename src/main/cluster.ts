// `npm run cluster`: the production topology on this machine, without containers — PostgreSQL, the real
// Temporal server on it (schema by temporal-sql-tool, namespace and search attributes registered), the api
// and CLUSTER_WORKERS workers as separate processes, exactly as docker-compose.yml runs them. No Web UI:
// the CLI's embedded UI only serves the CLI's own dev server (see docs/deploy.md). Ctrl-C or SIGTERM
// stops every process in order: workers drain first, Temporal and PostgreSQL go last.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { loadConfig, type Config } from '../config';
import { migrate } from '../db/migrate';
import { createPool } from '../db/pool';
import { firstWorkspace } from '../db/workspaces';
import { startEmbeddedPostgres } from '../infra/postgres';
import { resolveSecrets } from '../infra/secrets';
import { registerSearchAttributes } from '../temporal/register-search-attributes';
import { createWorkspace } from '../workspaces/service';
import { bundleWorkflows } from '../../tools/bundle-workflows';
import { endpointOf, setUpTemporalSchema, startTemporalServer } from '../../tools/cluster/temporal-server';

type Stop = () => Promise<void>;
const root = path.resolve(__dirname, '../..');
const RETENTION_MS = 7 * 24 * 3600 * 1000;
const GRPC_ALREADY_EXISTS = 6;

async function main(): Promise<void> {
  const started = Date.now();
  const stops: Stop[] = [];
  const children: ChildProcess[] = [];
  let stopping = false;
  const shutdown = async (code: number): Promise<never> => {
    if (!stopping) {
      stopping = true;
      for (const stop of stops.reverse()) await stop().catch((err: unknown) => console.error('cluster: stop failed:', err));
      console.log('cluster stopped');
    }
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
  // Last resort if this process dies without its shutdown: the children have their own process groups.
  process.on('exit', () => children.forEach((c) => c.exitCode === null && c.signalCode === null && c.kill('SIGKILL')));

  try {
    const base = loadConfig();
    const dir = path.join(base.DATA_DIR, 'cluster');
    fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
    fs.chmodSync(dir, 0o755);

    const databaseUrl = await startPostgres(base, dir, stops);
    const pg = endpointOf(databaseUrl);
    await setUpTemporalSchema(pg);
    const temporal = await startTemporalServer(path.join(dir, 'temporal'), pg, base.TEMPORAL_PORT);
    children.push(temporal.process);
    stops.push(temporal.stop);
    await prepareNamespace(temporal.address, base.TEMPORAL_NAMESPACE);

    const config: Config = { ...base, DATABASE_URL: databaseUrl, TEMPORAL_ADDRESS: temporal.address };
    const apiKey = await prepareDatabase(config);
    const bundle = path.join(dir, 'workflow-bundle.js');
    await bundleWorkflows(bundle);

    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: temporal.address,
      DATA_DIR: base.DATA_DIR,
      WORKFLOW_BUNDLE_PATH: bundle,
    };
    const onExit = (name: string) => (code: number | null) => {
      if (stopping) return;
      console.error(`cluster: ${name} exited (${code}); stopping everything`);
      void shutdown(1);
    };
    const api = startNode('api', 'src/main/api.ts', env, onExit('api'));
    children.push(api.process);
    stops.push(api.stop);
    const apiUrl = base.PUBLIC_URL ?? `http://${base.HOST}:${base.PORT}`;
    await waitForReady(`${apiUrl}/readyz`, 60_000);
    for (let i = 1; i <= base.CLUSTER_WORKERS; i++) {
      const metrics = base.WORKER_METRICS_PORT > 0 ? { WORKER_METRICS_PORT: String(base.WORKER_METRICS_PORT + i - 1) } : {};
      const worker = startNode(`worker-${i}`, 'src/main/worker.ts', { ...env, ...metrics }, onExit(`worker-${i}`));
      children.push(worker.process);
      // Workers stop before the api and Temporal: `stops` runs in reverse.
      stops.push(worker.stop);
    }
    await waitForPollers(temporal.address, base.TEMPORAL_NAMESPACE, base.TEMPORAL_TASK_QUEUE, base.CLUSTER_WORKERS);
    console.log(
      [
        '',
        `pinflow cluster is running (started in ${((Date.now() - started) / 1000).toFixed(1)} s)`,
        `  API             ${apiUrl}   (health: ${apiUrl}/readyz)`,
        `  Temporal        ${temporal.address} (temporal-server 1.29.1 on PostgreSQL; log ${path.join(dir, 'temporal/server.log')})`,
        `  workers         ${base.CLUSTER_WORKERS}, task queue ${base.TEMPORAL_TASK_QUEUE}`,
        `  PostgreSQL      ${databaseUrl.replace(/:[^:@/]+@/, ':***@')}`,
        `  Pinterest       ${base.PINTEREST_API_URL}`,
        '  Web UI          none: run `temporal server start-dev` only for development; see docs/deploy.md',
        apiKey,
        'Ctrl-C stops everything.',
        '',
      ].join('\n'),
    );
  } catch (err) {
    console.error('cluster failed to start:', err instanceof Error ? err.message : err);
    await shutdown(1);
  }
}

/** DATABASE_URL if set; else an embedded PostgreSQL under DATA_DIR/cluster/pg, kept between runs. */
async function startPostgres(config: Config, dir: string, stops: Stop[]): Promise<string> {
  if (config.DATABASE_URL) return config.DATABASE_URL;
  const pg = await startEmbeddedPostgres({ dataDir: path.join(dir, 'pg'), port: config.EMBEDDED_PG_PORT, persistent: true });
  stops.push(pg.stop);
  return pg.url;
}

/** The namespace, then pinflow's search attributes; ready once a visibility query on them answers. */
async function prepareNamespace(address: string, namespace: string): Promise<void> {
  const connection = await Connection.connect({ address });
  try {
    await connection.workflowService
      .registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs(RETENTION_MS) })
      .catch((err: { code?: number }) => {
        if (err.code !== GRPC_ALREADY_EXISTS) throw err;
      });
    // The frontend learns of a new namespace from its cache; retry until it does.
    await retry('the namespace', 30_000, () => registerSearchAttributes(connection, namespace));
    await retry('the search attributes', 30_000, () =>
      connection.workflowService.listWorkflowExecutions({ namespace, query: 'PostId = "post_none" AND PostStatus = "scheduled"' }),
    );
  } finally {
    await connection.close();
  }
}

/** Migrations and secrets once, before any child starts (children would otherwise race to create them). */
async function prepareDatabase(config: Config): Promise<string> {
  await migrate(config.DATABASE_URL!);
  const secrets = resolveSecrets(config);
  const db = createPool(config.DATABASE_URL!, 2);
  try {
    const existing = await firstWorkspace(db);
    if (existing) return `  workspace       ${existing.id} (a new API key: npx pinflow key create --workspace ${existing.id})`;
    const created = await createWorkspace(db, secrets.serverSecret, 'demo');
    return `  workspace       ${created.workspaceId}\n  API key         ${created.apiKey}   (shown once; keep it)`;
  } finally {
    await db.end();
  }
}

interface NodeChild {
  process: ChildProcess;
  stop(): Promise<void>;
}

/** A pinflow process (`node --import tsx <entry>`), its output prefixed with its name. */
function startNode(name: string, entry: string, env: NodeJS.ProcessEnv, onExit: (code: number | null) => void): NodeChild {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const prefix = (stream: NodeJS.WritableStream) => (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n').filter(Boolean)) stream.write(`[${name}] ${line}\n`);
  };
  child.stdout?.on('data', prefix(process.stdout));
  child.stderr?.on('data', prefix(process.stderr));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('exit', onExit);
  return {
    process: child,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      // SIGTERM drains (src/main/signals.ts); the grace period is the worker's own, plus a margin.
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Ready means every worker polls the task queue, as the server sees it. */
async function waitForPollers(address: string, namespace: string, taskQueue: string, count: number): Promise<void> {
  const connection = await Connection.connect({ address });
  try {
    await retry(`${count} workers polling ${taskQueue}`, 120_000, async () => {
      const { pollers } = await connection.workflowService.describeTaskQueue({ namespace, taskQueue: { name: taskQueue } });
      if ((pollers?.length ?? 0) < count) throw new Error(`${pollers?.length ?? 0} polling`);
    });
  } finally {
    await connection.close();
  }
}

async function retry<T>(what: string, timeoutMs: number, fn: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (Date.now() > deadline)
        throw new Error(`${what} not ready after ${timeoutMs} ms: ${err instanceof Error ? err.message : String(err)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

async function waitForReady(url: string, timeoutMs: number): Promise<void> {
  await retry(url, timeoutMs, async () => {
    const res = await fetch(url);
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
  });
}

void main();
