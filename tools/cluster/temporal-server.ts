// The Temporal server of `npm run cluster`, as production runs it: the real server binary (not the dev
// server) on PostgreSQL, its schema applied by temporal-sql-tool, a config file, our dynamic config.
// Binaries and schema come from tools/cluster/provision.sh.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { stringify } from 'yaml';
import { waitForPort } from '../../src/infra/free-port';

const run = promisify(execFile);
const root = path.resolve(__dirname, '../..');
export const tools = path.join(root, '.tools');
export const dynamicConfigFile = path.join(root, 'deploy/dynamicconfig/pinflow.yaml');

export interface PostgresEndpoint {
  host: string;
  port: number;
  user: string;
  password: string;
}

export function endpointOf(databaseUrl: string): PostgresEndpoint {
  const url = new URL(databaseUrl);
  return {
    host: url.hostname,
    port: Number(url.port || 5432),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
  };
}

const adminUrl = (pg: PostgresEndpoint, db: string): string =>
  `postgres://${encodeURIComponent(pg.user)}:${encodeURIComponent(pg.password)}@${pg.host}:${pg.port}/${db}`;

/** What is there already: nothing, an empty database, or one with Temporal's schema (then only newer versions apply). */
async function schemaState(pg: PostgresEndpoint, db: string): Promise<'missing' | 'empty' | 'versioned'> {
  const admin = new Client({ connectionString: adminUrl(pg, 'postgres') });
  await admin.connect();
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [db]);
    if (!rowCount) return 'missing';
  } finally {
    await admin.end();
  }
  const client = new Client({ connectionString: adminUrl(pg, db) });
  await client.connect();
  try {
    const { rows } = await client.query<{ t: string | null }>("SELECT to_regclass('public.schema_version')::text AS t");
    return rows[0]?.t ? 'versioned' : 'empty';
  } finally {
    await client.end();
  }
}

/**
 * temporal-sql-tool as Temporal's admin-tools run it (create, setup-schema -v 0.0, update-schema -d …),
 * idempotently: a second start only applies schema versions newer than the stored one.
 */
export async function setUpTemporalSchema(pg: PostgresEndpoint): Promise<void> {
  const tool = path.join(tools, 'bin/temporal-sql-tool');
  const base = ['--plugin', 'postgres12', '--ep', pg.host, '-p', String(pg.port), '-u', pg.user];
  const env = { ...process.env, SQL_PASSWORD: pg.password }; // not on the command line (ps shows it)
  for (const [db, dir] of [
    ['temporal', 'temporal'],
    ['temporal_visibility', 'visibility'],
  ] as const) {
    const state = await schemaState(pg, db);
    const sql = (...args: string[]): Promise<unknown> => run(tool, [...base, '--db', db, ...args], { env });
    if (state === 'missing') await sql('create-database');
    if (state !== 'versioned') await sql('setup-schema', '-v', '0.0');
    await sql('update-schema', '-d', path.join(tools, 'temporal-schema/postgresql/v12', dir, 'versioned'));
  }
}

export interface TemporalServerPorts {
  frontend: number;
  frontendHttp: number;
  history: number;
  matching: number;
  worker: number;
  membership: { frontend: number; history: number; matching: number; worker: number };
}

/** A free loopback port below 32768: Temporal stores membership ports as SQL smallint. */
async function freeLowPort(taken: Set<number>): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (taken.has(port)) continue;
    const free = await new Promise<boolean>((resolve) => {
      const server = net.createServer().once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (free) {
      taken.add(port);
      return port;
    }
  }
}

/** The frontend's port is the one users know (TEMPORAL_PORT); the internal ones only need to be free. */
export async function serverPorts(frontend: number): Promise<TemporalServerPorts> {
  const taken = new Set([frontend]);
  const p = (): Promise<number> => freeLowPort(taken);
  return {
    frontend,
    frontendHttp: await p(),
    history: await p(),
    matching: await p(),
    worker: await p(),
    membership: { frontend: await p(), history: await p(), matching: await p(), worker: await p() },
  };
}

/** The server's config: PostgreSQL 12+ persistence, 4 history shards, every service on loopback in one process. */
export function serverConfig(pg: PostgresEndpoint, ports: TemporalServerPorts): Record<string, unknown> {
  const datastore = (databaseName: string, maxConns: number): Record<string, unknown> => ({
    sql: {
      pluginName: 'postgres12',
      databaseName,
      connectAddr: `${pg.host}:${pg.port}`,
      connectProtocol: 'tcp',
      user: pg.user,
      password: pg.password,
      maxConns,
      maxIdleConns: maxConns,
      maxConnLifetime: '1h',
    },
  });
  const rpc = (grpcPort: number, membershipPort: number, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
    rpc: { grpcPort, membershipPort, bindOnIP: '127.0.0.1', ...extra },
  });
  return {
    log: { stdout: true, level: 'warn' },
    persistence: {
      // Fixed for the life of a cluster: 4 suits one node; production sizes this once (see docs/deploy.md).
      numHistoryShards: 4,
      defaultStore: 'default',
      visibilityStore: 'visibility',
      datastores: { default: datastore('temporal', 20), visibility: datastore('temporal_visibility', 10) },
    },
    global: { membership: { maxJoinDuration: '30s', broadcastAddress: '127.0.0.1' }, pprof: { port: 0 } },
    services: {
      frontend: rpc(ports.frontend, ports.membership.frontend, { httpPort: ports.frontendHttp }),
      history: rpc(ports.history, ports.membership.history),
      matching: rpc(ports.matching, ports.membership.matching),
      worker: rpc(ports.worker, ports.membership.worker),
    },
    clusterMetadata: {
      enableGlobalNamespace: false,
      failoverVersionIncrement: 10,
      masterClusterName: 'active',
      currentClusterName: 'active',
      clusterInformation: {
        active: {
          enabled: true,
          initialFailoverVersion: 1,
          rpcName: 'frontend',
          rpcAddress: `127.0.0.1:${ports.frontend}`,
          httpAddress: `127.0.0.1:${ports.frontendHttp}`,
        },
      },
    },
    dcRedirectionPolicy: { policy: 'noop' },
    dynamicConfigClient: { filepath: dynamicConfigFile, pollInterval: '10s' },
  };
}

export interface RunningTemporalServer {
  address: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Writes the config under `dir` and starts `temporal-server start`; its log goes to `dir/server.log`. */
export async function startTemporalServer(dir: string, pg: PostgresEndpoint, frontendPort: number): Promise<RunningTemporalServer> {
  const binary = path.join(tools, 'bin/temporal-server');
  if (!fs.existsSync(binary)) throw new Error(`${binary} is missing: run \`bash tools/cluster/provision.sh\` (npm run cluster does)`);
  const ports = await serverPorts(frontendPort);
  fs.mkdirSync(path.join(dir, 'config'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'config/cluster.yaml'), stringify(serverConfig(pg, ports)), { mode: 0o600 });
  const log = fs.openSync(path.join(dir, 'server.log'), 'a');
  // Its own process group: a terminal's Ctrl-C reaches the orchestrator only, which stops the server last.
  const child = spawn(binary, ['--root', dir, '--config', 'config', '--env', 'cluster', '--allow-no-auth', 'start'], {
    stdio: ['ignore', log, log],
    detached: true,
  });
  fs.closeSync(log);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await Promise.race([
      waitForPort(ports.frontend, 60_000),
      exited.then(() => Promise.reject(new Error(`temporal-server exited during start-up: see ${path.join(dir, 'server.log')}`))),
    ]);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  return {
    address: `127.0.0.1:${ports.frontend}`,
    process: child,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
