import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Client } from 'pg';
import { migrate } from '../../src/db/migrate';
import { emptyDatabase } from '../support/database';

describe('database migrations', () => {
  it('create the schema on an empty database, then are a no-op the second time', async () => {
    const { url } = await emptyDatabase();
    const first = await migrate(url);
    assert.ok(first.length > 0, 'applies the migrations');
    assert.equal(first[0], '0001_workspaces');
    const second = await migrate(url);
    assert.deepEqual(second, [], 'applies nothing the second time');

    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'");
      const tables = rows.map((r) => r.table_name);
      for (const table of ['workspaces', 'api_keys', 'pgmigrations']) assert.ok(tables.includes(table), `has table ${table}`);
    } finally {
      await client.end();
    }
  });
});
