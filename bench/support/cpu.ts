// CPU time of each part of the stack, from /proc: what a phase of a benchmark cost, and who paid for it.
// On 2 cores every part competes for the same CPU, so "who spent it" explains a throughput better than a rate.
import fs from 'node:fs';
import os from 'node:os';

export type Part = 'api' | 'worker' | 'postgres' | 'temporal' | 'bench (client + emulator)';
export type CpuSnapshot = { at: number; seconds: Map<Part, number> };

const ticksPerSecond = 100; // USER_HZ on Linux

function partOf(pid: number, comm: string, known: { api: number; worker: number }): Part | undefined {
  if (pid === known.api) return 'api';
  if (pid === known.worker) return 'worker';
  if (pid === process.pid) return 'bench (client + emulator)';
  if (comm === 'postgres') return 'postgres';
  if (comm === 'temporal') return 'temporal';
  return undefined;
}

/** A process's name and its utime + stime in ticks, from /proc/<pid>/stat; undefined once it has exited. */
function readStat(pid: number | string): { comm: string; ticks: number } | undefined {
  let stat: string;
  try {
    stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // "pid (comm) state ppid …": comm may hold spaces; fields after it are fixed. utime, stime are 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { comm: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')), ticks: Number(fields[11]) + Number(fields[12]) };
}

/** utime + stime of every process of the stack (PostgreSQL's backends summed), in seconds. */
export function cpuSnapshot(known: { api: number; worker: number }): CpuSnapshot {
  const seconds = new Map<Part, number>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(entry);
    const part = stat && partOf(Number(entry), stat.comm, known);
    if (!stat || !part) continue;
    seconds.set(part, (seconds.get(part) ?? 0) + stat.ticks / ticksPerSecond);
  }
  return { at: Date.now(), seconds };
}

export interface CpuUse {
  wallSeconds: number;
  /** CPU seconds per part over the interval. */
  byPart: Array<[Part, number]>;
  total: number;
  /** total / (wall × cores): 1 means every core busy the whole time. */
  utilisation: number;
}

export function cpuBetween(a: CpuSnapshot, b: CpuSnapshot): CpuUse {
  const wallSeconds = (b.at - a.at) / 1000;
  const byPart = [...b.seconds].map(([part, s]): [Part, number] => [part, Math.max(0, s - (a.seconds.get(part) ?? 0))]);
  const total = byPart.reduce((sum, [, s]) => sum + s, 0);
  return { wallSeconds, byPart, total, utilisation: total / (wallSeconds * os.availableParallelism()) };
}

/** Waits until `pid` is (nearly) idle: the work a phase left queued is counted in that phase. */
export async function settle(pid: number, opts = { idleShare: 0.05, maxMs: 60_000 }): Promise<void> {
  const deadline = Date.now() + opts.maxMs;
  const ticksOf = (): number => readStat(pid)?.ticks ?? 0;
  for (let before = ticksOf(); Date.now() < deadline;) {
    await new Promise((r) => setTimeout(r, 1000));
    const now = ticksOf();
    if ((now - before) / ticksPerSecond < opts.idleShare) return;
    before = now;
  }
}
