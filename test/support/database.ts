// A fresh, migrated database per test file, on the PostgreSQL server that `npm test` started.
import { randomBytes } from 'node:crypto';
import type { Pool } from 'pg';
import { loadConfig } from '../../src/config';
import { createPool } from '../../src/db/pool';
import { migrate } from '../../src/db/migrate';
import { createDatabaseIfMissing } from '../../src/infra/postgres';

export interface TestDatabase {
  url: string;
  pool: Pool;
  drop(): Promise<void>;
}

export function serverUrl(): string {
  const url = loadConfig().DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set: run the tests with `npm test`, which starts PostgreSQL');
  return url;
}

export function databaseUrl(name: string): string {
  const url = new URL(serverUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

export async function emptyDatabase(): Promise<{ url: string; name: string }> {
  const name = `test_${randomBytes(6).toString('hex')}`;
  await createDatabaseIfMissing(serverUrl(), name);
  return { url: databaseUrl(name), name };
}

export async function testDatabase(): Promise<TestDatabase> {
  const { url } = await emptyDatabase();
  await migrate(url);
  const pool = createPool(url, 5);
  return { url, pool, drop: () => pool.end() };
}
