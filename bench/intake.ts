// Intake: sustained POST /v1/posts at increasing concurrency, against raw `client.workflow.start` of the
// same workflow with the same kind of input and search attributes — the engine's own limit — in one run.
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { BoardIds, PostId, PostStatus, ScheduledAt, SocialAccountIds, WorkspaceId } from '../src/temporal/search-attributes';
import { cpuBetween, cpuSnapshot, settle, type CpuUse } from './support/cpu';
import { percentile, type Stack } from './support/stack';

export interface Run {
  perSecond: number;
  p50: number;
  p99: number;
  /** CPU of every part during the run, until the worker had done what the run gave it. */
  cpu: CpuUse;
}

export interface IntakeRow {
  concurrency: number;
  /** `POST /v1/posts`, every check of the API. */
  api: Run;
  /** Raw `workflow.start` on the worker's queue: the same workflow, run by the worker like the API's posts. */
  rawRun: Run;
  /** Raw `workflow.start` on a queue no worker polls: the start alone, the engine's ceiling. */
  rawStart: Run;
}

async function measure(
  count: number,
  concurrency: number,
  task: (i: number) => Promise<void>,
): Promise<{ perSecond: number; p50: number; p99: number }> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        const t0 = performance.now();
        await task(i);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { perSecond: count / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

export async function runIntake(
  stack: Stack,
  opts: { requests: number; concurrencies: number[]; taskQueue: string },
): Promise<IntakeRow[]> {
  const rows: IntakeRow[] = [];
  const dueIn = (): Date => new Date(Date.now() + 5 * 24 * 3600_000);
  const known = { api: stack.api.pid!, worker: stack.worker.pid! };

  /** One run; what it leaves the worker to do (each workflow's first task) is counted in it. */
  async function run(concurrency: number, task: (i: number) => Promise<void>): Promise<Run> {
    await settle(known.worker);
    const before = cpuSnapshot(known);
    const measured = await measure(opts.requests, concurrency, task);
    await settle(known.worker);
    return { ...measured, cpu: cpuBetween(before, cpuSnapshot(known)) };
  }

  const post = (concurrency: number) => async (i: number) => {
    const account = stack.accounts[i % stack.accounts.length]!;
    const res = await fetch(`${stack.apiUrl}/v1/posts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        content: `Intake ${concurrency}/${i}`,
        scheduledFor: dueIn().toISOString(),
        mediaIds: [stack.mediaId],
        platforms: [{ accountId: account.accountId, platformOptions: { platform: 'PINTEREST', board: account.boardId } }],
      }),
    });
    if (res.status !== 201) throw new Error(`intake: ${res.status} ${await res.text()}`);
  };

  // The workflow type, input and search attributes the API gives a post (no webhook: no announcement).
  const start = (taskQueue: string) => async (i: number) => {
    const account = stack.accounts[i % stack.accounts.length]!;
    const postId = `post_raw${randomBytes(8).toString('hex')}`;
    const scheduledAt = dueIn();
    await stack.temporal.workflow.start('publishPost', {
      taskQueue,
      workflowId: postId,
      args: [
        { postId, scheduledAt: scheduledAt.toISOString(), targetIds: [`tgt_raw${i}`], publishLeadMs: 20000, announceScheduled: false },
      ],
      typedSearchAttributes: [
        { key: PostId, value: postId },
        { key: WorkspaceId, value: stack.workspaceId },
        { key: SocialAccountIds, value: [account.accountId] },
        { key: BoardIds, value: [account.boardId] },
        { key: ScheduledAt, value: scheduledAt },
        { key: PostStatus, value: 'scheduled' },
      ],
      staticSummary: `1 pin(s) at ${scheduledAt.toISOString()}`,
    });
  };

  for (const concurrency of opts.concurrencies) {
    rows.push({
      concurrency,
      api: await run(concurrency, post(concurrency)),
      rawRun: await run(concurrency, start(opts.taskQueue)),
      rawStart: await run(concurrency, start('bench-raw-unpolled')),
    });
  }
  return rows;
}
