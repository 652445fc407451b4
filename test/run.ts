// `npm test`: starts what the tests need (a throwaway PostgreSQL and a Temporal dev server), runs every
// test file with node's test runner, stops everything, and exits with the tests' status.
// Time-skipping tests start their own Java test server; Pinterest is the emulator, started per test file.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config';
import { freePort } from '../src/infra/free-port';
import { startEmbeddedPostgres } from '../src/infra/postgres';
import { startTemporalDevServer } from '../src/infra/temporal-dev-server';

const root = path.resolve(__dirname, '..');

function testFiles(args: string[]): string[] {
  if (args.length > 0) return args.map((a) => path.resolve(a));
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      // test/e2e (browser, cluster) have their own scripts: `npm run test:e2e`, `npm run test:cluster`.
      if (entry.isDirectory()) {
        if (full !== path.join(root, 'test/e2e')) walk(full);
      } else if (entry.name.endsWith('.test.ts')) files.push(full);
    }
  };
  walk(path.join(root, 'test'));
  return files.sort();
}

async function main(): Promise<number> {
  const config = loadConfig();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pinflow-test-'));
  fs.chmodSync(tmp, 0o755);
  const stops: Array<() => Promise<void>> = [];
  try {
    const env: Record<string, string> = { ...(process.env as Record<string, string>), NODE_ENV: 'test', LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent' };
    if (!config.DATABASE_URL) {
      const pg = await startEmbeddedPostgres({ dataDir: path.join(tmp, 'pg'), port: await freePort(), persistent: false, database: 'postgres' });
      stops.push(pg.stop);
      env.DATABASE_URL = pg.url;
    }
    if (!config.TEMPORAL_ADDRESS) {
      const temporal = await startTemporalDevServer({ cliPath: config.TEMPORAL_CLI_PATH, port: await freePort() });
      stops.push(temporal.stop);
      env.TEMPORAL_ADDRESS = temporal.address;
    }
    const tap = path.join(tmp, 'report.tap');
    const files = testFiles(process.argv.slice(2));
    const code = await new Promise<number>((resolve) => {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', '--test-reporter-destination=stdout', '--test-reporter=tap', `--test-reporter-destination=${tap}`, ...files],
        { cwd: root, env, stdio: 'inherit' },
      );
      const forward = (sig: NodeJS.Signals): void => void child.kill(sig);
      process.on('SIGINT', forward).on('SIGTERM', forward);
      child.on('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0)));
    });
    printSummary(tap);
    return code;
  } finally {
    for (const stop of stops.reverse()) await stop().catch((err: unknown) => console.error('stop failed:', err));
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** The plain closing line CI reads: `tests: N passed, N failed, N skipped`. */
function printSummary(tapFile: string): void {
  const tap = fs.existsSync(tapFile) ? fs.readFileSync(tapFile, 'utf8') : '';
  const count = (name: string): number => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(tap)?.[1] ?? 0);
  console.log(`\ntests: ${count('pass')} passed, ${count('fail') + count('cancelled')} failed, ${count('skipped') + count('todo')} skipped`);
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
