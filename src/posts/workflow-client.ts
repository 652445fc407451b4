// The API's side of the publishPost workflow: start it, and change it through Updates that either win
// against the timer or are told they lost — never "deleted but published anyway".
import { WorkflowUpdateFailedError, type Client, type WorkflowIdReusePolicy } from '@temporalio/client';
import { ApplicationFailure, WorkflowNotFoundError } from '@temporalio/common';
import { PinflowError } from '../domain/errors';
import { BoardIds, PostId, PostStatus, ScheduledAt, SocialAccountIds, WorkspaceId } from '../temporal/search-attributes';
import { cancelUpdate, editUpdate, notEditableError, rescheduleUpdate, type PostEdit } from '../workflows/publish-post';
import type { PostState } from '../workflows/post-lifecycle';

export interface StartPublish {
  postId: string;
  workspaceId: string;
  scheduledAt: Date;
  targets: Array<{ id: string; accountId: string; boardId: string }>;
  summary: string;
  /** Whether a webhook takes `post.scheduled` (the workflow announces it only then). */
  announceScheduled: boolean;
}

/** What an operator reads in the Web UI's list for a post's workflow, without opening its history. */
export function publishSummary(post: { targets: readonly unknown[]; scheduledAt: Date; description: string }): string {
  return `${post.targets.length} pin(s) at ${post.scheduledAt.toISOString()}: ${post.description.slice(0, 80)}`;
}

export interface StartOptions {
  taskQueue: string;
  publishLeadMs: number;
  /** The reconciler refuses any earlier run of the post's id (the API's first start has none). */
  idReusePolicy?: WorkflowIdReusePolicy;
}

export async function startPublish(client: Client, options: StartOptions, post: StartPublish): Promise<void> {
  await client.workflow.start('publishPost', {
    taskQueue: options.taskQueue,
    workflowId: post.postId,
    workflowIdReusePolicy: options.idReusePolicy,
    args: [
      {
        postId: post.postId,
        scheduledAt: post.scheduledAt.toISOString(),
        targetIds: post.targets.map((t) => t.id),
        publishLeadMs: options.publishLeadMs,
        announceScheduled: post.announceScheduled,
      },
    ],
    typedSearchAttributes: [
      { key: PostId, value: post.postId },
      { key: WorkspaceId, value: post.workspaceId },
      { key: SocialAccountIds, value: [...new Set(post.targets.map((t) => t.accountId))] },
      { key: BoardIds, value: [...new Set(post.targets.map((t) => t.boardId))] },
      { key: ScheduledAt, value: post.scheduledAt },
      { key: PostStatus, value: 'scheduled' },
    ],
    // What an operator reads in the Web UI's list, without opening the history.
    staticSummary: post.summary,
  });
}

async function update<T>(send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (err) {
    if (err instanceof WorkflowNotFoundError)
      throw new PinflowError('POST_NOT_EDITABLE', 'publishing has ended: the post can no longer change');
    if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure && err.cause.type === notEditableError) {
      throw new PinflowError('POST_NOT_EDITABLE', `too late: ${err.cause.message}`);
    }
    // An Update sent to a workflow that already completed.
    if (err instanceof Error && /workflow execution already completed/i.test(err.message)) {
      throw new PinflowError('POST_NOT_EDITABLE', 'publishing has ended: the post can no longer change');
    }
    throw err;
  }
}

export function cancelPublish(client: Client, postId: string): Promise<PostState> {
  return update(() => client.workflow.getHandle(postId).executeUpdate(cancelUpdate));
}

export function reschedulePublish(client: Client, postId: string, scheduledAt: string): Promise<PostState> {
  return update(() => client.workflow.getHandle(postId).executeUpdate(rescheduleUpdate, { args: [scheduledAt] }));
}

export function editPublish(client: Client, postId: string, edit: PostEdit): Promise<PostState> {
  return update(() => client.workflow.getHandle(postId).executeUpdate(editUpdate, { args: [edit] }));
}
