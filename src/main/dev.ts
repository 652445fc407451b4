// `npm start`: the whole system on embedded defaults — Temporal dev server with its Web UI, PostgreSQL,
// the Pinterest emulator, the worker and the API — in one process tree that Ctrl-C stops entirely.
import path from 'node:path';
import { loadConfig, type Config } from '../config';
import { startEmbeddedPostgres } from '../infra/postgres';
import { startTemporalDevServer } from '../infra/temporal-dev-server';
import { REQUESTED_SCOPES, connectWithTokens } from '../accounts/connect';
import { firstWorkspace } from '../db/workspaces';
import type { Deps } from '../deps';
import { createEmulator, demo, demoFixture, type Emulator } from '../emulator';
import { createWorkspace } from '../workspaces/service';
import { startSystem } from './system';

type Stop = () => Promise<void>;

/**
 * Without a Pinterest app of your own, pinflow talks to the emulator: the offline demo. Its app accepts
 * this API's OAuth callback, so the connect flow works in a browser too.
 */
async function startDemoPinterest(config: Config, stops: Stop[]): Promise<{ emulator: Emulator; env: Partial<Config> } | undefined> {
  if (!config.START_EMULATOR || config.PINTEREST_CLIENT_ID) return undefined;
  const api = (config.PUBLIC_URL ?? `http://${config.HOST}:${config.PORT}`).replace(/\/+$/, '');
  const redirectUris = [...new Set([...demo.redirectUris, `${api}${demo.callbackPath}`])];
  const emulator = await createEmulator({ port: config.EMULATOR_PORT, fixture: demoFixture({ redirectUris }) });
  stops.push(() => emulator.close());
  return {
    emulator,
    env: { PINTEREST_API_URL: emulator.url, PINTEREST_OAUTH_URL: `${emulator.url}/oauth/`, PINTEREST_CLIENT_ID: demo.clientId, PINTEREST_CLIENT_SECRET: demo.clientSecret },
  };
}

/**
 * The emulator forgets its tokens when it stops, so the demo account is (re)connected at every start;
 * reconnecting the same Pinterest user keeps the account id.
 */
async function connectDemoAccount(deps: Deps, emulator: Emulator, workspaceId: string): Promise<string> {
  const tokens = emulator.state.issueTokens({ userId: demo.userId, scopes: REQUESTED_SCOPES });
  const account = await connectWithTokens(deps, workspaceId, { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, expiresIn: tokens.expiresIn });
  return [
    `  Pinterest       emulator at ${emulator.url} (offline demo; set PINTEREST_CLIENT_ID for the real one)`,
    `  demo account    ${account.id} (@${demo.username}); boards: ${account.boards.map((b) => `${b.name} ${b.id}`).join(', ')}`,
  ].join('\n');
}

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
    const base = loadConfig();
    const pinterest = await startDemoPinterest(base, stops);
    const config = await startInfrastructure({ ...base, ...pinterest?.env }, stops);
    const system = await startSystem(config, { api: true, worker: true });
    stops.push(system.stop);
    const workspace = await ensureDemoWorkspace(system.db, system.secrets.serverSecret);
    const account = pinterest ? await connectDemoAccount(system.deps, pinterest.emulator, workspace.id) : `  Pinterest       ${config.PINTEREST_API_URL}`;
    console.log(
      [
        '',
        'pinflow is running',
        `  API             ${system.apiUrl}   (health: ${system.apiUrl}/healthz)`,
        `  Temporal        ${config.TEMPORAL_ADDRESS}`,
        `  Temporal Web UI http://127.0.0.1:${config.TEMPORAL_UI_PORT}`,
        `  PostgreSQL      ${config.DATABASE_URL?.replace(/:[^:@/]+@/, ':***@')}`,
        `  data            ${config.DATA_DIR}`,
        workspace.banner,
        account,
        'Ctrl-C stops everything.',
        '',
      ].join('\n'),
    );
  } catch (err) {
    console.error('pinflow failed to start:', err instanceof Error ? err.message : err);
    await shutdown(1);
  }
}

async function ensureDemoWorkspace(db: Parameters<typeof firstWorkspace>[0], secret: string): Promise<{ id: string; banner: string }> {
  const existing = await firstWorkspace(db);
  if (existing) return { id: existing.id, banner: `  workspace       ${existing.id} (a new API key: npx pinflow key create --workspace ${existing.id})` };
  const created = await createWorkspace(db, secret, 'demo');
  return { id: created.workspaceId, banner: `  workspace       ${created.workspaceId}\n  API key         ${created.apiKey}   (shown once; keep it)` };
}

void main();
