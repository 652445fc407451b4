// Memory of this process (which hosts the API: startTestSystem runs it in-process), measured after a full GC.
import v8 from 'node:v8';
import vm from 'node:vm';

export interface MemoryFigures {
  rssMb: number;
  /** The process's highest rss so far (a peak between two measures shows here, not in rssMb). */
  peakRssMb: number;
  heapUsedMb: number;
  /** What V8 holds from the system for its heap (used or not). */
  heapTotalMb: number;
  externalMb: number;
}

let gc: (() => void) | undefined | null = null;

/** `global.gc` when node ran with --expose-gc; else the flag is set now and gc taken from a fresh context. */
function collector(): (() => void) | undefined {
  if (gc !== null) return gc;
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return (gc = exposed);
  try {
    v8.setFlagsFromString('--expose-gc');
    gc = vm.runInNewContext('gc') as () => void;
  } catch {
    gc = undefined;
  }
  return gc;
}

/** Whether a full GC can be forced (then the figures below are after one). */
export function canCollect(): boolean {
  return collector() !== undefined;
}

const mb = (bytes: number): number => Math.round((bytes / 1024 / 1024) * 10) / 10;

/** The process's memory after a full collection (twice, so that finalizers' garbage goes too) when possible. */
export async function settledMemory(): Promise<MemoryFigures> {
  const collect = collector();
  for (let i = 0; i < 2 && collect; i++) {
    collect();
    await new Promise((resolve) => setImmediate(resolve));
  }
  const usage = process.memoryUsage();
  return {
    rssMb: mb(usage.rss),
    peakRssMb: mb(process.resourceUsage().maxRSS * 1024),
    heapUsedMb: mb(usage.heapUsed),
    heapTotalMb: mb(usage.heapTotal),
    externalMb: mb(usage.external + usage.arrayBuffers),
  };
}

export function describeMemory(label: string, before: MemoryFigures, after: MemoryFigures): string {
  const delta = (a: number, b: number): string => `${b >= a ? '+' : ''}${Math.round((b - a) * 10) / 10}`;
  return (
    `[${label}] memory (after GC: ${canCollect() ? 'yes' : 'no'}): rss ${before.rssMb} → ${after.rssMb} MB (${delta(before.rssMb, after.rssMb)}), ` +
    `peak rss ${before.peakRssMb} → ${after.peakRssMb} MB, heap ${before.heapUsedMb} → ${after.heapUsedMb} MB (${delta(before.heapUsedMb, after.heapUsedMb)}) of ${before.heapTotalMb} → ${after.heapTotalMb} MB held, ` +
    `external ${before.externalMb} → ${after.externalMb} MB`
  );
}

/**
 * Runs `fn` while sampling rss every few milliseconds (the API runs in this process, its native work on other
 * threads): answers the highest rss seen above the one before, so a short peak is not missed.
 */
export async function peakDuring<T>(fn: () => Promise<T>): Promise<{ result: T; peakGrowthMb: number }> {
  const start = process.memoryUsage().rss;
  let peak = start;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  try {
    const result = await fn();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { result, peakGrowthMb: mb(peak - start) };
  } finally {
    clearInterval(sampler);
  }
}
