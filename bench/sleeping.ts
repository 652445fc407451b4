// Many sleeping posts: N posts scheduled days ahead. The worker's resident memory is sampled while they
// are accepted and while they sleep (it must stay flat), then GET /v1/posts is timed over N rows.
import { performance } from 'node:perf_hooks';
import { percentile, rssMb, workerHeapMb, type Stack } from './support/stack';

export interface SleepingResult {
  posts: number;
  intakePerSecond: number;
  /** [seconds since start, RSS MB, main-thread heap used MB, external MB] */
  rssSamples: Array<[number, number, number, number]>;
  rssMax: number;
  rssEnd: number;
  listP50: number;
  listP99: number;
  deepListP99: number;
}

export async function runSleeping(stack: Stack, opts: { posts: number; idleMs: number }): Promise<SleepingResult> {
  const pid = stack.worker.pid!;
  const samples: SleepingResult['rssSamples'] = [];
  const t0 = Date.now();
  const sample = async (): Promise<void> => {
    const heap = await workerHeapMb(stack);
    samples.push([
      Math.round((Date.now() - t0) / 1000),
      Math.round(rssMb(pid)),
      Math.round(heap?.heapUsed ?? NaN),
      Math.round(heap?.external ?? NaN),
    ]);
  };
  await sample();
  const sampler = setInterval(() => void sample(), 5000);
  const base = Date.now() + 3 * 24 * 3600_000;
  let next = 0;
  const intakeStart = Date.now();
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (next < opts.posts) {
        const i = next++;
        const account = stack.accounts[i % stack.accounts.length]!;
        const res = await fetch(`${stack.apiUrl}/v1/posts`, {
          method: 'POST',
          headers: { authorization: `Bearer ${stack.apiKey}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            content: `Sleeping ${i}`,
            scheduledFor: new Date(base + i * 1000).toISOString(),
            mediaIds: [stack.mediaId],
            platforms: [{ accountId: account.accountId, platformOptions: { platform: 'PINTEREST', board: account.boardId } }],
          }),
        });
        if (res.status !== 201) throw new Error(`sleeping post ${i}: ${res.status} ${await res.text()}`);
      }
    }),
  );
  const intakePerSecond = opts.posts / ((Date.now() - intakeStart) / 1000);
  await new Promise((r) => setTimeout(r, opts.idleMs));
  clearInterval(sampler);
  await sample();

  const time = async (route: string): Promise<number> => {
    const start = performance.now();
    const res = await fetch(`${stack.apiUrl}${route}`, { headers: { authorization: `Bearer ${stack.apiKey}` } });
    await res.arrayBuffer();
    return performance.now() - start;
  };
  const first: number[] = [];
  for (let i = 0; i < 300; i++) first.push(await time('/v1/posts?status=scheduled&limit=20'));
  // Deep pages: a cursor from the middle of the table, as a client paging far would hold.
  const from = new Date(base + Math.floor(opts.posts / 2) * 1000).toISOString();
  const deep: number[] = [];
  for (let i = 0; i < 300; i++) deep.push(await time(`/v1/posts?status=scheduled&limit=20&from=${encodeURIComponent(from)}`));
  first.sort((a, b) => a - b);
  deep.sort((a, b) => a - b);
  return {
    posts: opts.posts,
    intakePerSecond,
    rssSamples: samples,
    rssMax: Math.max(...samples.map(([, mb]) => mb)),
    rssEnd: samples.at(-1)?.[1] ?? NaN,
    listP50: percentile(first, 50),
    listP99: percentile(first, 99),
    deepListP99: percentile(deep, 99),
  };
}
