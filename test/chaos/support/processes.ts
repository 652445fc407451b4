// pinflow's own processes (api, worker) as separate node children, so a chaos test can SIGKILL one and
// start it again. Each child's output goes to a log file under the run's folder (printed when a test fails).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '../../..');

export interface NodeProcess {
  name: string;
  /** Starts the process (again); resolves once it is spawned. */
  start(): void;
  /** SIGKILL, no drain: what an OOM kill or a lost machine does. Resolves once it is gone. */
  kill9(): Promise<void>;
  /** SIGTERM (the process drains), SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
  running(): boolean;
  /** SIGKILL without waiting (an exit hook cannot wait). */
  killNow(): void;
  /** How many times it was started. */
  starts(): number;
  /** Exits nobody asked for (crashes), with their code or signal. */
  crashes(): string[];
  logFile: string;
}

export function nodeProcess(name: string, entry: string, env: NodeJS.ProcessEnv, logDir: string): NodeProcess {
  const logFile = path.join(logDir, `${name}.log`);
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let started = 0;
  let expectingExit = false;
  const crashes: string[] = [];
  const alive = (c: ChildProcess | undefined): c is ChildProcess => c !== undefined && c.exitCode === null && c.signalCode === null;

  return {
    name,
    logFile,
    start() {
      if (alive(child)) throw new Error(`${name} is already running`);
      const out = fs.openSync(logFile, 'a');
      fs.writeSync(out, `--- start ${++started} at ${new Date().toISOString()}\n`);
      expectingExit = false;
      const c = spawn(process.execPath, ['--import', 'tsx', entry], { cwd: root, env, stdio: ['ignore', out, out] });
      fs.closeSync(out);
      child = c;
      exited = new Promise<void>((resolve) =>
        c.once('exit', (code, signal) => {
          if (!expectingExit) crashes.push(`${name} exited by itself (${signal ?? code})`);
          resolve();
        }),
      );
    },
    async kill9() {
      if (!alive(child)) return;
      expectingExit = true;
      child.kill('SIGKILL');
      await exited;
    },
    async stop(graceMs = 45_000) {
      if (!alive(child)) return;
      expectingExit = true;
      const c = child;
      c.kill('SIGTERM');
      const timer = setTimeout(() => c.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
    running: () => alive(child),
    killNow() {
      if (alive(child)) {
        expectingExit = true;
        child.kill('SIGKILL');
      }
    },
    starts: () => started,
    crashes: () => [...crashes],
  };
}

/** The last lines of a log file, for a failure message. */
export function tail(file: string, lines = 40): string {
  if (!fs.existsSync(file)) return `(no ${file})`;
  return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
}
