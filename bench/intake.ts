// Intake: sustained POST /v1/posts at increasing concurrency, against raw `client.workflow.start` of the
// same workflow with the same kind of input and search attributes — the engine's own limit — in one run.
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { BoardIds, PostId, PostStatus, ScheduledAt, SocialAccountIds, WorkspaceId } from '../src/temporal/search-attributes';
import { cpuBetween, cpuSnapshot, settle, type CpuUse } from './support/cpu';
import { percentile, type Stack } from './support/stack';

export interface IntakeRow {
  concurrency: number;
  apiPerSecond: number;
  apiP50: number;
  apiP99: number;
  rawPerSecond: number;
  rawP99: number;
  ratio: number;
  /** CPU of every part while the API took the posts (and the worker ran their first tasks), and during the raw starts. */
  apiCpu: CpuUse;
  rawCpu: CpuUse;
}

async function measure(count: number, concurrency: number, task: (i: number) => Promise<void>): Promise<{ perSecond: number; p50: number; p99: number }> {
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

export async function runIntake(stack: Stack, opts: { requests: number; concurrencies: number[] }): Promise<IntakeRow[]> {
  const rows: IntakeRow[] = [];
  const dueIn = (): Date => new Date(Date.now() + 5 * 24 * 3600_000);
  const known = { api: stack.api.pid!, worker: stack.worker.pid! };
  for (const concurrency of opts.concurrencies) {
    await settle(known.worker);
    const apiStart = cpuSnapshot(known);
    const api = await measure(opts.requests, concurrency, async (i) => {
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
    });
    // What the API's posts leave the worker to do (their first workflow task, the scheduled announcement) is theirs.
    await settle(known.worker);
    const apiCpu = cpuBetween(apiStart, cpuSnapshot(known));
    const rawStart = cpuSnapshot(known);
    // The same workflow type, input shape and search attributes, on a queue no worker polls: only the engine.
    const raw = await measure(opts.requests, concurrency, async (i) => {
      const account = stack.accounts[i % stack.accounts.length]!;
      const postId = `post_raw${randomBytes(8).toString('hex')}`;
      const scheduledAt = dueIn();
      await stack.temporal.workflow.start('publishPost', {
        taskQueue: 'bench-raw',
        workflowId: postId,
        args: [{ postId, scheduledAt: scheduledAt.toISOString(), targetIds: [`tgt_raw${i}`], publishLeadMs: 20000 }],
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
    });
    const rawCpu = cpuBetween(rawStart, cpuSnapshot(known));
    rows.push({
      apiCpu,
      rawCpu,
      concurrency,
      apiPerSecond: api.perSecond,
      apiP50: api.p50,
      apiP99: api.p99,
      rawPerSecond: raw.perSecond,
      rawP99: raw.p99,
      ratio: api.perSecond / raw.perSecond,
    });
  }
  return rows;
}
