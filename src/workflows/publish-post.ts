// One workflow per post (workflow id = post id): wait durably until the due time — moved by `reschedule`,
// ended early by `cancel`, content changed by `edit` — then publish every target in parallel.
import {
  ActivityFailure,
  ApplicationFailure,
  allHandlersFinished,
  condition,
  defineQuery,
  defineUpdate,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { PreflightActivities } from '../activities/preflight';
import type { PublishActivities } from '../activities/publish';
import { BoardIds, PostStatus as PostStatusKey, ScheduledAt } from '../temporal/search-attributes';
import {
  finalStatus,
  isEditable,
  msUntil,
  nextPreflightPoint,
  preflightPointsDue,
  withTarget,
  type PostState,
  type PostStatus,
} from './post-lifecycle';

export interface PublishPostInput {
  postId: string;
  scheduledAt: string;
  targetIds: string[];
  /** When to check the post ahead of its time (default 24 h before, and again a minute before). */
  preflightLeadsMs?: number[];
  /**
   * How long before its time the post starts publishing (default 20 s): the activities are dispatched and do
   * every check and read by then, and wait in the worker for the exact moment, so a burst of posts due at
   * once does not queue behind workflow tasks at it. Edits and cancels close at this point.
   */
  publishLeadMs?: number;
  /**
   * false when no webhook of the workspace took `post.scheduled` as the post was accepted: the announcement
   * would find no one to tell, and skipping it spares each post an activity and a workflow task (default true).
   */
  announceScheduled?: boolean;
}

const defaultPreflightLeadsMs = [24 * 3600_000, 60_000];
const defaultPublishLeadMs = 20_000;

/** An edit already validated and stored-ready by the API; the workflow only serialises it with the timer. */
export interface PostEdit {
  scheduledAt?: string;
  /** Opaque to the workflow: applied by the applyPostEdit activity. */
  changes: Record<string, unknown>;
}

export const statusQuery = defineQuery<PostState>('status');
export const rescheduleUpdate = defineUpdate<PostState, [string]>('reschedule');
export const editUpdate = defineUpdate<PostState, [PostEdit]>('edit');
export const cancelUpdate = defineUpdate<PostState, []>('cancel');

/** What the API gets when it asks to change a post that already began publishing. */
export const notEditableError = 'POST_NOT_EDITABLE';

const { publishTarget } = proxyActivities<PublishActivities>({
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: '30 seconds',
  // Rate limits and Pinterest outages are waited out, but not forever: after this the target fails
  // with its last code. 429s carry Pinterest's own delay (nextRetryDelay), which overrides the backoff.
  scheduleToCloseTimeout: '6 hours',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

const { preflightPost } = proxyActivities<PreflightActivities>({
  startToCloseTimeout: '1 minute',
  // A preflight that cannot run (Pinterest down) is skipped, not waited for: the publish itself retries.
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumAttempts: 3 },
});

const bookkeeping = proxyActivities<PublishActivities>({
  startToCloseTimeout: '30 seconds',
  // Bookkeeping sits on the publish path (a final status, an edit): retried often, its backoff stays short.
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 seconds' },
});

export async function publishPost(input: PublishPostInput): Promise<PostState> {
  let state: PostState = {
    postId: input.postId,
    status: 'scheduled',
    scheduledAt: input.scheduledAt,
    targets: input.targetIds.map((targetId) => ({ targetId, status: 'scheduled' })),
  };
  let version = 0;

  const refuseUnlessEditable = (): void => {
    if (!isEditable(state)) throw ApplicationFailure.nonRetryable(`post is ${state.status}`, notEditableError);
  };
  setHandler(statusQuery, () => state);
  setHandler(
    rescheduleUpdate,
    async (scheduledAt) => {
      // The timer moves at once; the database follows before the caller hears back.
      state = { ...state, scheduledAt };
      version++;
      upsertSearchAttributes([{ key: ScheduledAt, value: new Date(scheduledAt) }]);
      await bookkeeping.applyPostEdit({ postId: state.postId, scheduledAt, changes: {} });
      return state;
    },
    { validator: (_scheduledAt: string) => refuseUnlessEditable() },
  );
  setHandler(
    editUpdate,
    async (edit) => {
      if (edit.scheduledAt) {
        state = { ...state, scheduledAt: edit.scheduledAt };
        upsertSearchAttributes([{ key: ScheduledAt, value: new Date(edit.scheduledAt) }]);
      }
      version++;
      const applied = await bookkeeping.applyPostEdit({ postId: state.postId, ...edit });
      upsertSearchAttributes([{ key: BoardIds, value: applied.boardIds }]);
      return state;
    },
    { validator: (_edit: PostEdit) => refuseUnlessEditable() },
  );
  setHandler(
    cancelUpdate,
    async () => {
      state = { ...state, status: 'canceled', targets: state.targets.map((t) => ({ ...t, status: 'canceled' })) };
      version++;
      upsertSearchAttributes([{ key: PostStatusKey, value: 'canceled' }]);
      await bookkeeping.setPostStatus({ postId: state.postId, status: 'canceled' });
      return state;
    },
    { validator: refuseUnlessEditable },
  );

  // Not awaited either: a busy database retrying this announcement must not hold back the wait for the due time.
  if (input.announceScheduled !== false) void bookkeeping.announceScheduled({ postId: state.postId }).catch(() => undefined);
  const checked = new Set<string>();
  // Started, not awaited: a preflight reports on the post (risk, post.at_risk) but never holds back its
  // publishing — a slow one (Pinterest or the worker busy) once made posts of a busy minute wait behind it.
  const preflight = (): void => {
    void preflightPost({ postId: state.postId }).catch(() => undefined);
  };
  const leads = input.preflightLeadsMs ?? defaultPreflightLeadsMs;
  const publishLead = input.publishLeadMs ?? defaultPublishLeadMs;
  for (;;) {
    await waitUntilDue(
      () => state,
      () => version,
      { preflightLeadsMs: leads, publishLeadMs: publishLead },
      checked,
      preflight,
    );
    // An edit accepted just before the due time finishes before anything is sent…
    await condition(allHandlersFinished);
    // …and if it moved the due time later, the wait starts again.
    if (state.status === 'canceled' || msUntil(state.scheduledAt, Date.now()) <= publishLead) break;
  }
  if (state.status === 'canceled') return state;
  // No activity here: the due-time path is one activity per target, which marks the post publishing itself.
  state = { ...state, status: 'publishing' };
  upsertSearchAttributes([{ key: PostStatusKey, value: 'publishing' }]);
  await Promise.all(state.targets.map((t) => publishOne(t.targetId)));
  await setStatus(finalStatus(state.targets));
  return state;

  async function publishOne(targetId: string): Promise<void> {
    state = withTarget(state, targetId, { status: 'publishing' });
    try {
      // With a lead, the activity starts before the due time and waits for it; without one it starts after.
      const result = await publishTarget({ targetId, notBefore: publishLead > 0 ? state.scheduledAt : undefined });
      state = withTarget(state, targetId, { status: 'published', pinId: result.pinId });
    } catch (err) {
      const code = failureCode(err);
      const ended = await bookkeeping.finishFailedTarget({ targetId, code, message: failureMessage(err) });
      state = withTarget(state, targetId, { status: ended.status, errorCode: code });
    }
  }

  async function setStatus(status: PostStatus): Promise<void> {
    state = { ...state, status };
    await bookkeeping.setPostStatus({ postId: state.postId, status });
    upsertSearchAttributes([{ key: PostStatusKey, value: status }]);
  }
}

/**
 * Sleeps on a durable timer until the publish lead before the due time, stopping at each preflight point on
 * the way (a point already past — a post scheduled less than a day ahead — is checked at once, and points
 * that fall due together are checked once). Wakes to re-arm when a reschedule moves the time, or on cancel.
 */
async function waitUntilDue(
  current: () => PostState,
  version: () => number,
  leads: { preflightLeadsMs: readonly number[]; publishLeadMs: number },
  checked: Set<string>,
  preflight: () => void,
): Promise<void> {
  const leadsMs = leads.preflightLeadsMs;
  for (;;) {
    const state = current();
    if (state.status === 'canceled') return;
    const now = Date.now();
    const remaining = msUntil(state.scheduledAt, now) - leads.publishLeadMs;
    if (remaining <= 0) return;
    const due = preflightPointsDue(state.scheduledAt, leadsMs, now).filter((key) => !checked.has(key));
    if (due.length > 0) {
      due.forEach((key) => checked.add(key));
      preflight();
      continue;
    }
    const next = nextPreflightPoint(state.scheduledAt, leadsMs, now);
    const seen = version();
    await condition(() => version() !== seen, Math.min(remaining, next === undefined ? remaining : next - now));
  }
}

function failureCode(err: unknown): string {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  return cause instanceof ApplicationFailure && cause.type ? cause.type : 'PINTEREST_UNAVAILABLE';
}

function failureMessage(err: unknown): string {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  return cause instanceof Error ? cause.message : 'publishing failed';
}
