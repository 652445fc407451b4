// Posts: accept (check everything, store, start the workflow), read, list, edit, cancel.
import * as q from '../db/posts';
import type { Deps } from '../deps';
import { PinflowError, problem, type Problem } from '../domain/errors';
import { newId } from '../domain/ids';
import { normalizePostRequest, normalizePostUpdate, type CanonicalPostRequest, type CanonicalPostUpdate } from '../domain/post';
import { getMediaMany, preparePublishCopy } from '../media/service';
import { accountsWithBoards } from '../db/accounts';
import { checkMediaForPin } from '../domain/pinterest-rules';
import { fitAspect } from '../activities/recheck';
import { checkLinkResolves } from '../net/link-check';
import { checkPost, discardIngested, shapeOf, type CheckedPost } from './check';
import type { PostList, PostListQuery, PostView } from './schemas';
import { newPostView, postViews } from './views';
import { anyWebhookTakes } from '../webhooks/service';
import { cancelPublish, editPublish, publishSummary, reschedulePublish, startPublish } from './workflow-client';

/** Normalizes and checks a request against the workspace; throws every problem at once. */
async function accept(deps: Deps, workspaceId: string, body: unknown): Promise<{ post: CanonicalPostRequest; checked: CheckedPost }> {
  const normalized = normalizePostRequest(body, { now: new Date() });
  if (!normalized.ok) throw PinflowError.of(normalized.problems);
  const checked = await checkPost(deps, workspaceId, normalized.post, shapeOf(body));
  if (checked.problems.length > 0) {
    await discardIngested(deps, workspaceId, checked.ingested);
    throw PinflowError.of(checked.problems);
  }
  return { post: normalized.post, checked };
}

/** `POST /v1/posts/validate`: the same checks, nothing kept. */
export async function validatePost(deps: Deps, workspaceId: string, body: unknown): Promise<CanonicalPostRequest> {
  const { post, checked } = await accept(deps, workspaceId, body);
  await discardIngested(deps, workspaceId, checked.ingested);
  return post;
}

/**
 * Prepares what will be sent at the due time (optimized or fitted copies), stores the post and its
 * targets in one transaction, then starts its workflow. If the workflow cannot be started, the post is
 * removed again and the caller gets a 503 to retry: a post is never stored without a workflow to publish it.
 */
export async function createPost(
  deps: Deps,
  workspaceId: string,
  body: unknown,
  options: { idempotencyKey?: string } = {},
): Promise<PostView> {
  const { post, checked } = await accept(deps, workspaceId, body);
  const slideAspect = post.fit && checked.media.length > 1 ? fitAspect(checked.media) : undefined;
  const [announceScheduled] = await Promise.all([
    anyWebhookTakes(deps, workspaceId, 'post.scheduled'),
    ...checked.media.map((m) => preparePublishCopy(deps, m, { optimize: post.optimize, fit: post.fit, aspect: slideAspect })),
  ]);

  const postId = newId('post');
  const targets = post.targets.map((t) => ({
    id: newId('target'),
    accountId: t.accountId,
    boardId: t.board,
    boardSectionId: t.boardSection,
    title: t.title,
    link: t.link,
    altText: t.altText,
  }));
  const scheduledAt = new Date(post.scheduledAt);
  const mediaIds = checked.media.map((m) => m.id);
  const stored = await q.insertPost(deps.db, {
    id: postId,
    workspaceId,
    description: post.description,
    scheduledAt,
    timezone: post.timezone,
    fit: post.fit,
    optimize: post.optimize,
    mediaIds,
    targets,
    idempotencyKey: options.idempotencyKey,
  });
  try {
    await startPublish(
      deps.temporal,
      { taskQueue: deps.config.TEMPORAL_TASK_QUEUE, publishLeadMs: deps.config.PUBLISH_LEAD_MS },
      {
        postId,
        workspaceId,
        scheduledAt,
        targets,
        summary: publishSummary({ targets, scheduledAt, description: post.description }),
        announceScheduled,
      },
    );
  } catch (err) {
    await q.deletePost(deps.db, postId);
    deps.logger.warn({ err, postId }, 'could not start the publish workflow; the post was not kept');
    throw new PinflowError('SERVICE_UNAVAILABLE', 'the scheduler is unavailable; nothing was stored, retry shortly');
  }
  // Answered from the values just stored, as of acceptance (no read back): a post due now may already be
  // publishing when the caller next reads it.
  return newPostView(stored, mediaIds, targets);
}

export async function getPost(deps: Deps, workspaceId: string, postId: string): Promise<PostView> {
  const row = await q.findPost(deps.db, workspaceId, postId);
  if (!row) throw new PinflowError('POST_NOT_FOUND');
  const [view] = await postViews(deps.db, [row]);
  return view!;
}

const encodeCursor = (row: q.PostRow): string =>
  Buffer.from(JSON.stringify([row.scheduled_at.toISOString(), row.id])).toString('base64url');

function decodeCursor(cursor: string): { scheduledAt: Date; id: string } {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as [string, string];
    const scheduledAt = new Date(at);
    if (typeof id !== 'string' || Number.isNaN(scheduledAt.getTime())) throw new Error('bad cursor');
    return { scheduledAt, id };
  } catch {
    throw new PinflowError('VALIDATION_FAILED', 'cursor is not one this API returned', [
      problem('VALIDATION_FAILED', 'invalid cursor', { path: 'cursor' }),
    ]);
  }
}

export async function listPosts(deps: Deps, workspaceId: string, query: PostListQuery): Promise<PostList> {
  const rows = await q.listPosts(deps.db, {
    workspaceId,
    status: query.status,
    accountId: query.accountId,
    from: query.from ? new Date(query.from) : undefined,
    to: query.to ? new Date(query.to) : undefined,
    after: query.cursor ? decodeCursor(query.cursor) : undefined,
    limit: query.limit + 1,
  });
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  return { data: await postViews(deps.db, page), nextCursor: rows.length > query.limit && last ? encodeCursor(last) : null };
}

export async function cancelPost(deps: Deps, workspaceId: string, postId: string): Promise<PostView> {
  const row = await q.findPost(deps.db, workspaceId, postId);
  if (!row) throw new PinflowError('POST_NOT_FOUND');
  await cancelPublish(deps.temporal, postId);
  return getPost(deps, workspaceId, postId);
}

/**
 * `PATCH /v1/posts/:id`: the edit is checked like a new post against the stored one, then handed to the
 * workflow, which applies it only if publishing has not begun.
 */
export async function updatePost(deps: Deps, workspaceId: string, postId: string, body: unknown): Promise<PostView> {
  const current = await getPost(deps, workspaceId, postId);
  const normalized = normalizePostUpdate(body, { now: new Date() });
  if (!normalized.ok) throw PinflowError.of(normalized.problems);
  const update = normalized.update;
  const problems = await checkEdit(deps, workspaceId, current, update);
  if (problems.length > 0) throw PinflowError.of(problems);

  const onlyTime = Object.keys(update.allTargets).length === 0 && update.targets.length === 0 && !update.description && !update.mediaIds;
  if (onlyTime && update.scheduledAt) {
    await reschedulePublish(deps.temporal, postId, update.scheduledAt);
  } else {
    await editPublish(deps.temporal, postId, { scheduledAt: update.scheduledAt, changes: update as unknown as Record<string, unknown> });
  }
  return getPost(deps, workspaceId, postId);
}

async function checkEdit(deps: Deps, workspaceId: string, current: PostView, update: CanonicalPostUpdate): Promise<Problem[]> {
  const problems: Problem[] = [];
  const byId = new Map(current.targets.map((t) => [t.id, t]));
  const boards = await boardsOfEditedTargets(deps, workspaceId, byId, update);
  for (const [i, edit] of update.targets.entries()) {
    const target = byId.get(edit.targetId);
    if (!target) {
      problems.push(problem('VALIDATION_FAILED', `no target ${edit.targetId} in this post`, { path: `targets[${i}].targetId` }));
      continue;
    }
    if (edit.board && !boards.get(target.accountId)?.includes(edit.board)) {
      problems.push(
        problem('PIN_BOARD_NOT_FOUND', `board ${edit.board} is not a board of this Pinterest account`, { path: `targets[${i}].board` }),
      );
    }
  }
  const links = [
    ...(update.allTargets.link ? [{ link: update.allTargets.link, path: 'link' }] : []),
    ...update.targets.flatMap((t, i) => (t.link ? [{ link: t.link, path: `targets[${i}].link` }] : [])),
  ];
  for (const { link, path } of links) {
    const verdict = await checkLinkResolves(link, { allowHosts: deps.config.FETCH_ALLOW_HOSTS });
    if (!verdict.ok) problems.push(problem('PIN_LINK_INVALID', `the link did not resolve: ${verdict.reason}`, { path }));
  }
  if (update.mediaIds) {
    const found = await getMediaMany(deps, workspaceId, update.mediaIds);
    const missing = update.mediaIds.flatMap((id, i) =>
      found.has(id) ? [] : [problem('MEDIA_NOT_FOUND', `no media ${id} in this workspace`, { path: `mediaIds[${i}]` })],
    );
    if (missing.length > 0) return [...problems, ...missing];
    const media = update.mediaIds.map((id) => found.get(id)!);
    problems.push(...checkMediaForPin(media, { path: 'mediaIds' }, { fitted: current.fit !== null && media.length > 1 }));
    if (problems.length === 0) {
      const aspect = current.fit && media.length > 1 ? fitAspect(media) : undefined;
      await Promise.all(
        media.map((m) => preparePublishCopy(deps, m, { optimize: current.optimize, fit: current.fit ?? undefined, aspect })),
      );
    }
  }
  return problems;
}

/** Which of the boards an edit asks for each target's account has, in one query as for a new post (checkTargets). */
async function boardsOfEditedTargets(
  deps: Deps,
  workspaceId: string,
  byId: Map<string, PostView['targets'][number]>,
  update: CanonicalPostUpdate,
): Promise<Map<string, string[]>> {
  const asked = update.targets.flatMap((edit) => {
    const target = byId.get(edit.targetId);
    return edit.board && target ? [{ accountId: target.accountId, board: edit.board }] : [];
  });
  if (asked.length === 0) return new Map();
  const accountIds = [...new Set(asked.map((a) => a.accountId))];
  const boardIds = [...new Set(asked.map((a) => a.board))];
  return new Map((await accountsWithBoards(deps.db, workspaceId, accountIds, boardIds)).map((a) => [a.id, a.board_ids]));
}
