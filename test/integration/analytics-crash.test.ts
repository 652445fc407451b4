// A worker killed (SIGKILL) in the middle of a refresh: another worker finishes it, and no account that
// was finished, and no pin that was stored, is asked of Pinterest again. Counted at the emulator.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { RefreshSummary } from '../../src/analytics/refresh-plan';
import type { Config } from '../../src/config';
import { startSystem, type RunningSystem } from '../../src/main/system';
import type { refreshAnalytics } from '../../src/workflows/refresh-analytics';
import { startTestSystem, type TestSystem } from '../support/system';
import { analyticsRequests, connectNewUser, countBy, emulatorClock, publishedPin, type TestAccount } from './analytics-world';

const root = path.resolve(__dirname, '../..');
const ACCOUNTS = 4;
const PINS_PER_ACCOUNT = 3;

/** The worker entry point (src/main/worker.ts) in a process of its own, configured like the test system. */
function spawnWorker(config: Config): ChildProcess {
  const keys = Object.entries(config.TOKEN_ENCRYPTION_KEYS ?? {}).map(([kid, key]) => `${kid}:${key.toString('base64')}`);
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATA_DIR: config.DATA_DIR,
    DATABASE_URL: config.DATABASE_URL!,
    TEMPORAL_ADDRESS: config.TEMPORAL_ADDRESS!,
    TEMPORAL_TASK_QUEUE: config.TEMPORAL_TASK_QUEUE,
    PINTEREST_API_URL: config.PINTEREST_API_URL,
    PINTEREST_CLIENT_ID: config.PINTEREST_CLIENT_ID,
    PINTEREST_CLIENT_SECRET: config.PINTEREST_CLIENT_SECRET,
    PINFLOW_SECRET: config.PINFLOW_SECRET!,
    TOKEN_ENCRYPTION_KEYS: keys.join(','),
    ANALYTICS_SCHEDULE_ID: config.ANALYTICS_SCHEDULE_ID,
    ANALYTICS_ORG_ANALYTICS_PER_MINUTE: String(config.ANALYTICS_ORG_ANALYTICS_PER_MINUTE),
  };
  return spawn(process.execPath, ['--import', 'tsx', 'src/main/worker.ts'], { cwd: root, env, stdio: 'inherit' });
}

async function until<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('a refresh whose worker crashes', () => {
  const clock = emulatorClock();
  const refreshId = `analytics-refresh-crash-${Date.now()}`;
  let ts: TestSystem;
  let accounts: TestAccount[];
  const pinsOf = new Map<string, string[]>();
  let doomed: ChildProcess | undefined;
  let survivor: RunningSystem | undefined;

  before(async () => {
    ts = await startTestSystem({
      worker: false,
      emulator: { now: clock.now, recordTraffic: true },
      env: { ANALYTICS_SCHEDULE_ID: `analytics-refresh-crash-${process.pid}`, ANALYTICS_ORG_ANALYTICS_PER_MINUTE: '600' },
    });
    accounts = [];
    for (let n = 1; n <= ACCOUNTS; n++) accounts.push(await connectNewUser(ts, n));
    for (const account of accounts) {
      const pins: string[] = [];
      for (let p = 0; p < PINS_PER_ACCOUNT; p++) pins.push((await publishedPin(ts, clock, account, 5 + p)).pinId);
      pinsOf.set(account.accountId, pins);
    }
    // Slow answers give the test time to kill the worker in the middle of an account.
    ts.emulator.state.setFaults({ latencyMs: 300, routes: ['GET /v5/pins/:pin_id/analytics'] });
  });
  after(async () => {
    doomed?.kill('SIGKILL');
    await survivor?.stop();
    await ts?.stop();
  });

  it('finishes on another worker, repeating no finished account and no stored pin', async () => {
    const handle = await ts.system.temporal.client.workflow.start<typeof refreshAnalytics>('refreshAnalytics', {
      taskQueue: ts.config.TEMPORAL_TASK_QUEUE,
      workflowId: refreshId,
      // Two accounts per run (so the refresh also continues as new), one at a time, and a dead worker noticed after 2 s.
      args: [{ refreshId, options: { accountConcurrency: 1, accountsPerRun: 2, heartbeatTimeoutMs: 2_000 } }],
    });
    doomed = spawnWorker(ts.config);

    // Kill it once an account is finished and the next one has stored a pin.
    const progress = async () => {
      const { rows } = await ts.system.db.query<{ refreshed: number; pins: number }>(
        `SELECT (SELECT count(*)::int FROM analytics_refresh_accounts WHERE refresh_id = $1 AND status = 'refreshed') AS refreshed,
                (SELECT count(*)::int FROM pin_analytics_fetches WHERE refresh_id = $1) AS pins`,
        [refreshId],
      );
      return rows[0]!;
    };
    await until(async () => {
      const p = await progress();
      return p.refreshed >= 1 && p.pins > PINS_PER_ACCOUNT ? p : undefined;
    }, 'a finished account and a stored pin of the next');
    doomed.kill('SIGKILL');
    await new Promise((resolve) => doomed!.once('exit', resolve));
    doomed = undefined;

    const { rows: finished } = await ts.system.db.query<{ account_id: string }>(
      `SELECT account_id FROM analytics_refresh_accounts WHERE refresh_id = $1 AND status = 'refreshed'`,
      [refreshId],
    );
    const { rows: stored } = await ts.system.db.query<{ pin_id: string }>(
      'SELECT pin_id FROM pin_analytics_fetches WHERE refresh_id = $1',
      [refreshId],
    );
    const requestsAtCrash = analyticsRequests(ts).length;
    console.log(
      `killed the worker after ${finished.length} finished account(s), ${stored.length} stored pin(s), ${requestsAtCrash} analytics request(s)`,
    );

    survivor = await startSystem(ts.config, { api: false, worker: true });
    const summary: RefreshSummary = await handle.result();

    assert.equal(summary.accountsRefreshed, ACCOUNTS);
    assert.equal(summary.accountsFailed, 0);
    assert.equal(summary.runs, 2, 'the refresh continued as new after two accounts');

    const perPin = countBy(
      analyticsRequests(ts).filter((r) => r.status === 200),
      (r) => r.pinId,
    );
    const allPins = [...pinsOf.values()].flat();
    for (const pinId of allPins) assert.ok((perPin.get(pinId) ?? 0) >= 1, `pin ${pinId} was fetched`);
    for (const { account_id } of finished) {
      for (const pinId of pinsOf.get(account_id)!)
        assert.equal(perPin.get(pinId), 1, `pin ${pinId} of an account finished before the crash`);
    }
    for (const { pin_id } of stored) assert.equal(perPin.get(pin_id), 1, `pin ${pin_id} stored before the crash`);
    const total = [...perPin.values()].reduce((a, b) => a + b, 0);
    assert.ok(
      total <= allPins.length + 1,
      `${total} requests for ${allPins.length} pins: at most the one in flight at the crash is repeated`,
    );
    console.log(`${total} analytics requests for ${allPins.length} pins`);
  });

  it('asks Pinterest nothing when the same refresh is started again', async () => {
    const before = analyticsRequests(ts).length;
    const summary = await ts.system.temporal.client.workflow.execute<typeof refreshAnalytics>('refreshAnalytics', {
      taskQueue: ts.config.TEMPORAL_TASK_QUEUE,
      workflowId: `${refreshId}-again`,
      args: [{ refreshId }],
    });
    assert.equal(summary.accountsRefreshed, 0);
    assert.equal(analyticsRequests(ts).length, before);
  });
});
