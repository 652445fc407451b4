// What a post (or an account) tells the workspace's webhooks, emitted from activities so a crash between storing and
// queueing an event is retried rather than lost. Event ids derive from (post, type, target), so a retried
// activity emits the same events again and receivers can dedupe.
import * as posts from '../db/posts';
import type { Deps } from '../deps';
import { emitEvent } from '../webhooks/emit';
import type { EventType } from '../webhooks/events';

const finalEvents: Record<string, EventType> = {
  published: 'post.published',
  partially_published: 'post.partially_published',
  failed: 'post.failed',
  canceled: 'post.canceled',
};

/** `post.scheduled` once the workflow holds the post. */
export async function announceScheduled(deps: Deps, postId: string): Promise<void> {
  const post = await posts.postById(deps.db, postId);
  if (!post) return;
  await emitEvent(deps, post.workspace_id, { type: 'post.scheduled', data: { postId, status: 'scheduled' }, sequence: 'scheduled' }, { orderingKey: postId });
}

/**
 * The post's final status, one event per target so each carries its own pin or error code; a target whose
 * outcome is unknown also gets `post.outcome_unknown`. A canceled post is one event.
 */
export async function announceOutcome(deps: Deps, postId: string, status: string): Promise<void> {
  const type = finalEvents[status];
  const post = await posts.postById(deps.db, postId);
  if (!type || !post) return;
  const emit = (eventType: EventType, data: Record<string, string | undefined>, sequence: string) =>
    emitEvent(deps, post.workspace_id, { type: eventType, data: { postId, status, ...data }, sequence }, { orderingKey: postId });
  if (status === 'canceled') {
    await emit(type, {}, 'canceled');
    return;
  }
  for (const target of await posts.targetsOfPosts(deps.db, [postId])) {
    const data = {
      targetId: target.id,
      accountId: target.account_id,
      pinId: target.pin_id ?? undefined,
      pinUrl: target.pin_url ?? undefined,
      errorCode: target.error_code ?? undefined,
    };
    if (target.status === 'outcome_unknown') await emit('post.outcome_unknown', data, target.id);
    await emit(type, data, target.id);
  }
}

/** `post.at_risk` with the preflight's first problem; one per problem code and due time. */
export async function announceAtRisk(deps: Deps, postId: string, code: string): Promise<void> {
  const post = await posts.postById(deps.db, postId);
  if (!post) return;
  await emitEvent(
    deps,
    post.workspace_id,
    { type: 'post.at_risk', data: { postId, status: post.status, errorCode: code }, sequence: `${post.scheduled_at.toISOString()}/${code}` },
    { orderingKey: postId },
  );
}

/** `account.reconnect_required`, at most once a day per account. */
export async function announceReconnect(deps: Deps, workspaceId: string, accountId: string): Promise<void> {
  const day = new Date().toISOString().slice(0, 10);
  await emitEvent(deps, workspaceId, { type: 'account.reconnect_required', data: { accountId, errorCode: 'ACCOUNT_RECONNECT_REQUIRED' }, sequence: day }, { orderingKey: accountId });
}

/** `analytics.refreshed` for an account once a refresh has stored its metrics; one per refresh. */
export async function announceAnalyticsRefreshed(deps: Deps, accountId: string, refreshId: string): Promise<void> {
  const { rows } = await deps.db.query<{ workspace_id: string }>('SELECT workspace_id FROM social_accounts WHERE id = $1', [accountId]);
  const workspaceId = rows[0]?.workspace_id;
  if (!workspaceId) return;
  await emitEvent(deps, workspaceId, { type: 'analytics.refreshed', data: { accountId }, sequence: refreshId }, { orderingKey: accountId });
}
