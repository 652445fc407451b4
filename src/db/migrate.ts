// Schema migrations: plain SQL files in src/db/migrations, applied in order by node-pg-migrate under
// its advisory lock, so any number of api and worker replicas may start at once.
import path from 'node:path';
import { runner } from 'node-pg-migrate';

export const migrationsDir = path.join(__dirname, 'migrations');

/** Applies every pending migration; returns the names applied (empty when the schema is current). */
export async function migrate(databaseUrl: string): Promise<string[]> {
  const applied = await runner({
    databaseUrl,
    dir: migrationsDir,
    direction: 'up',
    migrationsTable: 'pgmigrations',
    checkOrder: true,
    // node-pg-migrate's default ('fail') makes a replica that finds the lock taken exit instead of waiting for it.
    advisoryLockMode: 'wait',
    log: () => undefined,
  });
  return applied.map((m) => m.name);
}
