// 0006_analytics.sql has a working Down Migration: the schema goes down past it and comes back up.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runner } from 'node-pg-migrate';
import { migrate, migrationsDir } from '../../src/db/migrate';
import { emptyDatabase } from '../support/database';

describe('the analytics migration', () => {
  it('goes down with every later one and comes up again', async () => {
    const { url } = await emptyDatabase();
    await migrate(url);
    const options = { databaseUrl: url, dir: migrationsDir, migrationsTable: 'pgmigrations', log: () => undefined };
    const applied = (await runner({ ...options, direction: 'down', count: Infinity })).map((m) => m.name);
    assert.ok(applied.includes('0006_analytics'), `went down: ${applied.join(', ')}`);
    assert.ok((await migrate(url)).includes('0006_analytics'));
  });
});
