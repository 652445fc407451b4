// Starts the Temporal CLI's dev server (server + embedded Web UI) as a child process, with pinflow's
// search attributes registered. Used by `npm start` and by the integration tests.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { searchAttributeTypes } from '../temporal/search-attributes';
import { waitForPort } from './free-port';

export interface DevServerOptions {
  cliPath: string;
  port: number;
  uiPort?: number;
  /** SQLite file; omitted means an in-memory server (tests). */
  dbFile?: string;
  namespace?: string;
  /** The Web UI's codec endpoint (`--ui-codec-endpoint`): the UI decodes encrypted payloads through it. */
  codecEndpoint?: string;
  onLog?: (line: string) => void;
}

export interface RunningDevServer {
  address: string;
  uiUrl?: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

export async function startTemporalDevServer(opts: DevServerOptions): Promise<RunningDevServer> {
  if (!fs.existsSync(opts.cliPath)) {
    throw new Error(`Temporal CLI not found at ${opts.cliPath}: run \`npm run provision\` or set TEMPORAL_CLI_PATH`);
  }
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(opts.port), '--namespace', opts.namespace ?? 'default', '--log-level', 'warn'];
  args.push(...(opts.uiPort ? ['--ui-port', String(opts.uiPort)] : ['--headless']));
  if (opts.dbFile) args.push('--db-filename', opts.dbFile);
  if (opts.uiPort && opts.codecEndpoint) args.push('--ui-codec-endpoint', opts.codecEndpoint);
  for (const [name, type] of Object.entries(searchAttributeTypes)) args.push('--search-attribute', `${name}=${type}`);
  // Eager activity execution: an activity scheduled by a workflow task comes back in that task's answer,
  // saving a round trip on the due-time path (publish = timer → workflow task → activity).
  args.push('--dynamic-config-value', 'system.enableActivityEagerExecution=true');
  const child = spawn(opts.cliPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const log = opts.onLog ?? (() => undefined);
  child.stdout?.on('data', (d: Buffer) => log(d.toString()));
  child.stderr?.on('data', (d: Buffer) => log(d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await Promise.race([
      waitForPort(opts.port, 20_000),
      exited.then(() => Promise.reject(new Error('the Temporal dev server exited during start-up'))),
    ]);
    if (opts.uiPort) await waitForPort(opts.uiPort, 20_000);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  return {
    address: `127.0.0.1:${opts.port}`,
    uiUrl: opts.uiPort ? `http://127.0.0.1:${opts.uiPort}` : undefined,
    process: child,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
