// How long does an analytics refresh of N accounts × M pins take, against the bound the rate limit sets?
// Pinterest's org_analytics limit is per user, so accounts run side by side and each account's pins go
// one after another at pinflow's pace: the bound is ⌈N / concurrency⌉ × (M − 1) / pace minutes (a bucket
// of one lets the first request go at once). Runs against the emulator with its org_analytics limit set,
// on a Temporal dev server and PostgreSQL (started here unless TEMPORAL_ADDRESS / DATABASE_URL are set).
//
// Run: npx tsx bench/analytics.ts [accounts=8] [pins=100] [limitPerMinute=600] [pacePerMinute=540] [concurrency=4] [latencyMs=0]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../src/config';
import { freePort } from '../src/infra/free-port';
import { startEmbeddedPostgres } from '../src/infra/postgres';
import { startTemporalDevServer } from '../src/infra/temporal-dev-server';
import * as world from '../test/integration/analytics-world';
import { startTestSystem } from '../test/support/system';

const [accounts = 8, pins = 100, limitPerMinute = 600, pacePerMinute = 540, concurrency = 4, latencyMs = 0] = process.argv
  .slice(2)
  .map(Number);

async function infrastructure(): Promise<() => Promise<void>> {
  const config = loadConfig();
  const stops: Array<() => Promise<void>> = [];
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pinflow-bench-'));
  fs.chmodSync(tmp, 0o755);
  if (!config.DATABASE_URL) {
    const pg = await startEmbeddedPostgres({
      dataDir: path.join(tmp, 'pg'),
      port: await freePort(),
      persistent: false,
      database: 'postgres',
    });
    stops.push(pg.stop);
    process.env.DATABASE_URL = pg.url;
  }
  if (!config.TEMPORAL_ADDRESS) {
    const temporal = await startTemporalDevServer({ cliPath: config.TEMPORAL_CLI_PATH, port: await freePort() });
    stops.push(temporal.stop);
    process.env.TEMPORAL_ADDRESS = temporal.address;
  }
  return async () => {
    for (const stop of stops.reverse()) await stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  };
}

async function main(): Promise<void> {
  const cpus = os.cpus();
  console.log(`command: npx tsx bench/analytics.ts ${accounts} ${pins} ${limitPerMinute} ${pacePerMinute} ${concurrency} ${latencyMs}`);
  console.log(
    `machine: ${cpus[0]?.model ?? 'unknown cpu'}, ${cpus.length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, ${os.platform()} ${os.release()}, node ${process.version}`,
  );
  const stopInfrastructure = await infrastructure();
  // The harness reads DATABASE_URL / TEMPORAL_ADDRESS when called, after infrastructure() set them.
  const clock = world.emulatorClock();
  const ts = await startTestSystem({
    worker: true,
    emulator: { now: clock.now, recordTraffic: true },
    env: {
      LOG_LEVEL: 'silent',
      ANALYTICS_ORG_ANALYTICS_PER_MINUTE: String(pacePerMinute),
      ANALYTICS_SCHEDULE_ID: `analytics-refresh-bench-${process.pid}`,
    },
  });
  try {
    for (let n = 1; n <= accounts; n++) {
      const account = await world.connectNewUser(ts, n);
      // Pins of every age up to 120 days: some need the whole 90-day backfill, some a few days.
      for (let p = 0; p < pins; p++) await world.publishedPin(ts, clock, account, 1 + ((p * 7) % 120));
    }
    ts.emulator.state.setRateLimits({ org_analytics: { limit: limitPerMinute, windowMs: 60_000 } });
    if (latencyMs > 0) ts.emulator.state.setFaults({ latencyMs, routes: ['GET /v5/pins/:pin_id/analytics'] });

    const started = performance.now();
    const summary = await world.runRefresh(ts, { options: { accountConcurrency: concurrency } });
    const seconds = (performance.now() - started) / 1000;

    const requests = world.analyticsRequests(ts);
    const limited = requests.filter((r) => r.status === 429).length;
    const waves = Math.ceil(accounts / concurrency);
    const paceBound = (waves * (pins - 1) * 60) / pacePerMinute;
    const limitBound = (waves * pins * 60) / limitPerMinute;
    const { rows } = await ts.system.db.query<{ n: number }>('SELECT count(*)::int AS n FROM pin_analytics_daily');
    console.log(
      `\n${accounts} accounts × ${pins} pins, concurrency ${concurrency}; emulator org_analytics ${limitPerMinute}/min per user, pinflow paces ${pacePerMinute}/min per account, emulator latency ${latencyMs} ms`,
    );
    console.log(`refresh wall time        ${seconds.toFixed(1)} s`);
    console.log(
      `bound at pinflow's pace  ${paceBound.toFixed(1)} s   (⌈N/C⌉ × (M−1) / pace)  → ${((seconds / paceBound - 1) * 100).toFixed(1)} % over`,
    );
    console.log(`bound at the limit       ${limitBound.toFixed(1)} s   (⌈N/C⌉ × M / limit)`);
    console.log(`requests                 ${requests.length} (${limited} answered 429, ${summary.retries} retried)`);
    console.log(
      `rows stored              ${rows[0]!.n} (${summary.rowsChanged} changed), runs ${summary.runs}, accounts failed ${summary.accountsFailed}`,
    );
  } finally {
    await ts.stop();
    await stopInfrastructure();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
