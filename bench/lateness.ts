// Publish lateness: posts due at the same instant (or spread over a period), lateness = the pin's creation
// at the emulator − scheduledAt. Never negative (never early) is a guarantee; the percentiles are figures.
import { cpuBetween, cpuSnapshot, type CpuUse } from './support/cpu';
import { percentile, type Stack } from './support/stack';

export interface LatenessResult {
  posts: number;
  accounts: number;
  spreadMs: number;
  published: number;
  early: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  min: number;
  histogram: Array<[string, number]>;
  intakePerSecond: number;
  /** A burst only: the CPU of every part from the due instant until the last pin. */
  dueCpu?: CpuUse;
}

const buckets: Array<[string, number]> = [
  ['< 0 (early)', 0],
  ['0–100 ms', 100],
  ['100–250 ms', 250],
  ['250–500 ms', 500],
  ['0.5–1 s', 1000],
  ['1–2 s', 2000],
  ['2–5 s', 5000],
  ['5–30 s', 30_000],
  ['> 30 s', Infinity],
];

function histogram(values: readonly number[]): Array<[string, number]> {
  return buckets.map(([label, upper], i) => {
    const lower = i === 0 ? -Infinity : buckets[i - 1]![1];
    return [label, values.filter((v) => (i === 0 ? v < 0 : v >= lower && v < upper)).length];
  });
}

async function pool<T>(items: readonly T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

export async function runLateness(stack: Stack, opts: { posts: number; spreadMs: number; label: string }): Promise<LatenessResult> {
  // Far enough ahead that every post is accepted before the first is due.
  const leadMs = Math.max(90_000, opts.posts * 25);
  const start = Date.now() + leadMs;
  const due = (i: number): number => start + Math.floor((i * opts.spreadMs) / opts.posts);
  const titles = new Map<string, number>();
  const indexes = Array.from({ length: opts.posts }, (_, i) => i);
  const intakeStart = Date.now();
  await pool(indexes, 16, async (i) => {
    const account = stack.accounts[i % stack.accounts.length]!;
    const title = `${opts.label} ${i}`;
    titles.set(title, due(i));
    const res = await fetch(`${stack.apiUrl}/v1/posts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        content: `Benchmark post ${i}`,
        scheduledFor: new Date(due(i)).toISOString(),
        mediaIds: [stack.mediaId],
        platforms: [{ accountId: account.accountId, platformOptions: { platform: 'PINTEREST', board: account.boardId, title } }],
      }),
    });
    if (res.status !== 201) throw new Error(`post ${i}: ${res.status} ${await res.text()}`);
  });
  const intakeSeconds = (Date.now() - intakeStart) / 1000;
  if (Date.now() > start) console.warn(`  warning: intake took ${intakeSeconds.toFixed(1)} s, past the first due time`);

  // A burst: what every part spends from the due instant until the last pin (looked for every 20 ms).
  let cpuBefore: ReturnType<typeof cpuSnapshot> | undefined;
  if (opts.spreadMs === 0 && Date.now() < start) {
    await new Promise((r) => setTimeout(r, start - Date.now()));
    cpuBefore = cpuSnapshot({ api: stack.api.pid!, worker: stack.worker.pid! });
  }
  const deadline = start + opts.spreadMs + 10 * 60_000;
  let pins = stack.emulator.state.createdPins().filter((p) => titles.has(p.requestBody.title ?? ''));
  while (pins.length < opts.posts && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, cpuBefore ? 20 : 500));
    pins = stack.emulator.state.createdPins().filter((p) => titles.has(p.requestBody.title ?? ''));
  }
  const dueCpu = cpuBefore && cpuBetween(cpuBefore, cpuSnapshot({ api: stack.api.pid!, worker: stack.worker.pid! }));
  const lateness = pins.map((p) => Date.parse(p.createdAt) - titles.get(p.requestBody.title ?? '')!).sort((a, b) => a - b);
  return {
    posts: opts.posts,
    accounts: stack.accounts.length,
    spreadMs: opts.spreadMs,
    published: pins.length,
    early: lateness.filter((l) => l < 0).length,
    p50: percentile(lateness, 50),
    p90: percentile(lateness, 90),
    p99: percentile(lateness, 99),
    max: lateness.at(-1) ?? NaN,
    min: lateness[0] ?? NaN,
    histogram: histogram(lateness),
    intakePerSecond: opts.posts / intakeSeconds,
    dueCpu,
  };
}
