// The Temporal Web UI as an operator uses it (npm run test:e2e), in headless Chromium: a dev server with
// the UI and pinflow's codec endpoint, payload encryption on, one published and one scheduled post.
// Screenshots go to .test-output/web-ui/. Skips loudly when no Chromium is installed.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { loadConfig } from '../../src/config';
import { createEmulator, demoFixture, type Emulator } from '../../src/emulator';
import { freePort } from '../../src/infra/free-port';
import { startEmbeddedPostgres, type RunningPostgres } from '../../src/infra/postgres';
import { startTemporalDevServer, type RunningDevServer } from '../../src/infra/temporal-dev-server';
import { startSystem, type RunningSystem } from '../../src/main/system';
import type { PostView } from '../../src/posts/schemas';
import { createWorkspace } from '../../src/workspaces/service';
import { apiClient, finished, schedulePost, waitForPost } from '../integration/ops-publish';

const root = path.resolve(__dirname, '../..');
const shots = path.join(root, '.test-output/web-ui');
const chromiumPath = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((p) => fs.existsSync(p));
const chromiumFlags = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

describe('Temporal Web UI with pinflow', () => {
  if (!chromiumPath) {
    it('SKIPPED — no Chromium found (apt-get install -y chromium): the Web UI was NOT tested', (t) => {
      t.skip('no chromium at /usr/bin/chromium: the Web UI test did NOT run');
    });
    return;
  }

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pinflow-webui-'));
  fs.chmodSync(tmp, 0o755);
  const codecToken = `codec-${randomBytes(12).toString('hex')}`;
  let pg: RunningPostgres;
  let temporal: RunningDevServer;
  let emulator: Emulator;
  let system: RunningSystem;
  let browser: BrowserContext;
  let page: Page;
  let published: PostView;
  let waiting: PostView;
  let ui: string;

  before(async () => {
    fs.mkdirSync(shots, { recursive: true });
    const [apiPort, uiPort] = [await freePort(), await freePort()];
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    ui = `http://127.0.0.1:${uiPort}`;
    pg = await startEmbeddedPostgres({ dataDir: path.join(tmp, 'pg'), port: await freePort(), persistent: false });
    temporal = await startTemporalDevServer({
      cliPath: loadConfig().TEMPORAL_CLI_PATH,
      port: await freePort(),
      uiPort,
      codecEndpoint: `${apiUrl}/codec/${codecToken}`,
    });
    emulator = await createEmulator();
    emulator.state.seed(demoFixture({ redirectUris: [`${apiUrl}/v1/oauth/pinterest/callback`] }));
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      PORT: String(apiPort),
      DATA_DIR: tmp,
      DATABASE_URL: pg.url,
      TEMPORAL_ADDRESS: temporal.address,
      PINTEREST_API_URL: emulator.url,
      PINTEREST_CLIENT_ID: '1500000',
      PINTEREST_CLIENT_SECRET: 'emulator-demo-secret',
      PINFLOW_SECRET: randomBytes(32).toString('hex'),
      TOKEN_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
      ENCRYPTION_KEY: `ui1:${randomBytes(32).toString('base64')}`,
      CODEC_AUTH_TOKEN: codecToken,
      CODEC_CORS_ORIGIN: ui,
      PUBLISH_SETTLE_MS: '1000',
    });
    system = await startSystem(config, { api: true, worker: true });
    const { apiKey } = await createWorkspace(system.db, system.secrets.serverSecret, 'web-ui');
    published = await schedulePost(apiUrl, apiKey, emulator, { title: 'Published through the UI test' });
    published = await waitForPost(apiClient(apiUrl, apiKey), published.id, finished);
    waiting = await schedulePost(apiUrl, apiKey, emulator, { title: 'Waiting for next week', inMs: 7 * 24 * 3600 * 1000 });

    browser = await chromium.launchPersistentContext(path.join(tmp, 'chromium-profile'), {
      executablePath: chromiumPath,
      headless: true,
      args: chromiumFlags,
      viewport: { width: 1440, height: 1000 },
    });
    page = browser.pages()[0] ?? (await browser.newPage());
  });
  after(async () => {
    await browser?.close();
    await system?.stop();
    await emulator?.close();
    await temporal?.stop();
    await pg?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const list = async (query: string, shot: string): Promise<void> => {
    await page.goto(`${ui}/namespaces/default/workflows?query=${encodeURIComponent(query)}`);
    await page.waitForLoadState('networkidle');
    await page.screenshot({ path: path.join(shots, shot), fullPage: true });
  };

  it('finds a post by PostId', async () => {
    await list(`PostId="${published.id}"`, '1-search-by-post-id.png');
    await page.getByText(published.id).first().waitFor({ timeout: 20_000 });
    assert.equal(await page.getByText(waiting.id).count(), 0, 'and only that post');
  });

  it('lists posts by PostStatus', async () => {
    await list('PostStatus="scheduled"', '2-search-by-post-status.png');
    await page.getByText(waiting.id).first().waitFor({ timeout: 20_000 });
    assert.equal(await page.getByText(published.id).count(), 0, 'a published post is not "scheduled"');
  });

  it('opens a post and shows its summary and its input decoded by the codec endpoint, not ciphertext', async () => {
    const decodeCalls: number[] = [];
    page.on('response', (r) => {
      if (r.url().includes('/codec/') && r.url().endsWith('/decode')) decodeCalls.push(r.status());
    });
    await page.goto(`${ui}/namespaces/default/workflows/${published.id}`);
    await page.waitForLoadState('networkidle');
    await page
      .getByText(/pin\(s\) at/)
      .first()
      .waitFor({ timeout: 20_000 });
    await page
      .getByText(/targetIds/)
      .first()
      .waitFor({ timeout: 20_000 });
    await page.screenshot({ path: path.join(shots, '3-post-decoded.png'), fullPage: true });
    const body = await page.locator('body').innerText();
    assert.match(body, new RegExp(`"postId":\\s*"${published.id}"`), 'the input reads as JSON');
    assert.doesNotMatch(body, /binary\/encrypted/, 'no ciphertext on the page');
    assert.ok(decodeCalls.length > 0 && decodeCalls.every((s) => s === 200), `the UI decoded through /codec (${decodeCalls.join(',')})`);
  });

  it('shows the analytics Schedule', async () => {
    await page.goto(`${ui}/namespaces/default/schedules`);
    await page.waitForLoadState('networkidle');
    await page.getByText('analytics-refresh').first().waitFor({ timeout: 20_000 });
    await page.screenshot({ path: path.join(shots, '4-schedules.png'), fullPage: true });
  });
});
