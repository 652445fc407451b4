// `npm start`: the whole system on embedded defaults — Temporal dev server with its Web UI, PostgreSQL,
// the Pinterest emulator, the worker and the API — in one process tree that Ctrl-C stops entirely.
import path from 'node:path';
import { loadConfig, type Config } from '../config';
import { startEmbeddedPostgres } from '../infra/postgres';
import { startTemporalDevServer } from '../infra/temporal-dev-server';
import { firstWorkspace } from '../db/workspaces';
import { createWorkspace } from '../workspaces/service';
import { startSystem } from './system';

type Stop = () => Promise<void>;

async function startInfrastructure(config: Config, stops: Stop[]): Promise<Config> {
  const env: Partial<Config> = {};
  if (!config.DATABASE_URL) {
    const pg = await startEmbeddedPostgres({ dataDir: path.join(config.DATA_DIR, 'pg'), port: config.EMBEDDED_PG_PORT, persistent: true });
    stops.push(pg.stop);
    env.DATABASE_URL = pg.url;
  }
  if (!config.TEMPORAL_ADDRESS) {
    const temporal = await startTemporalDevServer({
      cliPath: config.TEMPORAL_CLI_PATH,
      port: config.TEMPORAL_PORT,
      uiPort: config.TEMPORAL_UI_PORT,
      dbFile: path.join(config.DATA_DIR, 'temporal.db'),
      namespace: config.TEMPORAL_NAMESPACE,
      codecEndpoint: codecEndpoint(config),
    });
    stops.push(temporal.stop);
    env.TEMPORAL_ADDRESS = temporal.address;
    // The Web UI calls the codec endpoint from the browser, from its own origin.
    env.CODEC_CORS_ORIGIN = [...config.CODEC_CORS_ORIGIN, `http://127.0.0.1:${config.TEMPORAL_UI_PORT}`, `http://localhost:${config.TEMPORAL_UI_PORT}`];
  }
  return { ...config, ...env };
}

/** With payload encryption on, the Web UI decodes through the API (src/api/codec.ts). */
function codecEndpoint(config: Config): string | undefined {
  if (!config.ENCRYPTION_KEY) return undefined;
  const api = (config.PUBLIC_URL ?? `http://${config.HOST}:${config.PORT}`).replace(/\/+$/, '');
  return config.CODEC_AUTH_TOKEN ? `${api}/codec/${config.CODEC_AUTH_TOKEN}` : `${api}/codec`;
}

async function main(): Promise<void> {
  const stops: Stop[] = [];
  let stopping = false;
  const shutdown = async (code: number): Promise<never> => {
    if (!stopping) {
      stopping = true;
      for (const stop of stops.reverse()) await stop().catch((err: unknown) => console.error('shutdown:', err));
      console.log('pinflow stopped');
    }
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  try {
    const config = await startInfrastructure(loadConfig(), stops);
    const system = await startSystem(config, { api: true, worker: true });
    stops.push(system.stop);
    const demo = await ensureDemoWorkspace(system.db, system.secrets.serverSecret);
    console.log(
      [
        '',
        'pinflow is running',
        `  API             ${system.apiUrl}   (health: ${system.apiUrl}/healthz)`,
        `  Temporal        ${config.TEMPORAL_ADDRESS}`,
        `  Temporal Web UI http://127.0.0.1:${config.TEMPORAL_UI_PORT}`,
        `  PostgreSQL      ${config.DATABASE_URL?.replace(/:[^:@/]+@/, ':***@')}`,
        `  data            ${config.DATA_DIR}`,
        demo,
        'Ctrl-C stops everything.',
        '',
      ].join('\n'),
    );
  } catch (err) {
    console.error('pinflow failed to start:', err instanceof Error ? err.message : err);
    await shutdown(1);
  }
}

async function ensureDemoWorkspace(db: Parameters<typeof firstWorkspace>[0], secret: string): Promise<string> {
  const existing = await firstWorkspace(db);
  if (existing) return `  workspace       ${existing.id} (a new API key: npx pinflow key create --workspace ${existing.id})`;
  const created = await createWorkspace(db, secret, 'demo');
  return `  workspace       ${created.workspaceId}\n  API key         ${created.apiKey}   (shown once; keep it)`;
}

void main();
