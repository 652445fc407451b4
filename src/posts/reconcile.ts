// A post stored without its workflow would never publish: the API stores a post and then starts its
// workflow, and a process that dies between the two leaves exactly that (the caller got no answer). The
// reconciler, run every minute by the `posts-reconcile` Schedule, looks at the posts due soon that still
// wait, asks Temporal's visibility which of them have a workflow, and starts the missing ones with the
// start the API makes. A post found late is published late, never dropped.
import { WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy } from '@temporalio/client';
import * as q from '../db/posts';
import type { Deps } from '../deps';
import { anyWebhookTakes } from '../webhooks/service';
import { publishSummary, startPublish } from './workflow-client';

export interface ReconcileOptions {
  /** Posts due within this much from now are checked (the Schedule runs every minute: a little more). */
  aheadMs: number;
  /** Posts stored less than this long ago are left to the API request that is storing them. */
  minAgeMs: number;
  /** At most this many posts per run, earliest first. */
  limit: number;
}

export interface ReconcileResult {
  checked: number;
  started: string[];
}

/** Visibility queries name at most this many posts each. */
const batchSize = 100;

export async function startMissingWorkflows(
  deps: Pick<Deps, 'db' | 'temporal' | 'config' | 'logger'>,
  options: ReconcileOptions,
): Promise<ReconcileResult> {
  const now = Date.now();
  const waiting = await q.waitingPostsDueBefore(deps.db, new Date(now + options.aheadMs), new Date(now - options.minAgeMs), options.limit);
  const started: string[] = [];
  for (let i = 0; i < waiting.length; i += batchSize) {
    const batch = waiting.slice(i, i + batchSize);
    const known = await postsWithWorkflow(
      deps,
      batch.map((p) => p.id),
    );
    for (const post of batch) {
      if (known.has(post.id)) continue;
      if (await startFor(deps, post)) started.push(post.id);
    }
  }
  if (started.length > 0) deps.logger.warn({ posts: started }, 'started the workflows of posts stored without one');
  return { checked: waiting.length, started };
}

/** Which of `postIds` have a publishPost workflow, running or closed. */
async function postsWithWorkflow(deps: Pick<Deps, 'temporal'>, postIds: string[]): Promise<Set<string>> {
  const found = new Set<string>();
  // Post ids are `post_` + base36 (src/domain/ids.ts): nothing in them needs quoting, and anything else is not put in a query.
  const ids = postIds.filter((id) => /^post_[0-9a-z]+$/.test(id));
  if (ids.length === 0) return found;
  const query = `WorkflowType = 'publishPost' AND PostId IN (${ids.map((id) => `'${id}'`).join(', ')})`;
  for await (const workflow of deps.temporal.workflow.list({ query })) found.add(workflow.workflowId);
  return found;
}

/**
 * Visibility may lag a start by a moment: the start refuses any earlier run of the post's id, so a workflow
 * that exists after all is left alone rather than started twice.
 */
async function startFor(deps: Pick<Deps, 'db' | 'temporal' | 'config'>, post: q.PostRow): Promise<boolean> {
  const targets = await q.targetsOfPosts(deps.db, [post.id]);
  try {
    await startPublish(
      deps.temporal,
      {
        taskQueue: deps.config.TEMPORAL_TASK_QUEUE,
        publishLeadMs: deps.config.PUBLISH_LEAD_MS,
        idReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      },
      {
        postId: post.id,
        workspaceId: post.workspace_id,
        scheduledAt: post.scheduled_at,
        targets: targets.map((t) => ({ id: t.id, accountId: t.account_id, boardId: t.board_id })),
        summary: `${publishSummary({ targets, scheduledAt: post.scheduled_at, description: post.description })} (started by the reconciler)`,
        announceScheduled: await anyWebhookTakes(deps, post.workspace_id, 'post.scheduled'),
      },
    );
    return true;
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return false;
    throw err;
  }
}
