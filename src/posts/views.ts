// Rows → the post as the API shows it: for a page of posts in three queries whatever the count, or for a post
// just stored, from the values in hand (nothing to read back).
import type { Db } from '../db/pool';
import * as q from '../db/posts';
import type { PostView } from './schemas';

type TargetView = PostView['targets'][number];

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

export async function postViews(db: Db, rows: readonly q.PostRow[]): Promise<PostView[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [targets, media] = await Promise.all([q.targetsOfPosts(db, ids), q.mediaIdsOfPosts(db, ids)]);
  const attempts = await q.attemptsOfTargets(
    db,
    targets.map((t) => t.id),
  );
  return rows.map((post) =>
    toPostView(
      post,
      media.filter((m) => m.post_id === post.id).map((m) => m.media_id),
      targets
        .filter((t) => t.post_id === post.id)
        .map((t) =>
          toTargetView(
            t,
            attempts.filter((a) => a.target_id === t.id),
          ),
        ),
    ),
  );
}

/** A post `insertPost` just stored: every target scheduled, nothing attempted yet. */
export function newPostView(row: q.PostRow, mediaIds: readonly string[], targets: q.NewPost['targets']): PostView {
  return toPostView(
    row,
    mediaIds,
    targets.map((t) => ({
      id: t.id,
      accountId: t.accountId,
      platform: 'PINTEREST' as const,
      board: t.boardId,
      boardSection: t.boardSectionId ?? null,
      title: t.title ?? null,
      link: t.link ?? null,
      altText: t.altText ?? null,
      status: 'scheduled',
      pinId: null,
      pinUrl: null,
      error: null,
      publishedAt: null,
      attempts: [],
    })),
  );
}

function toPostView(post: q.PostRow, mediaIds: readonly string[], targets: TargetView[]): PostView {
  return {
    id: post.id,
    status: post.status as PostView['status'],
    description: post.description,
    scheduledAt: post.scheduled_at.toISOString(),
    timezone: post.timezone,
    mediaIds: [...mediaIds],
    fit: post.fit,
    optimize: post.optimize,
    createdAt: post.created_at.toISOString(),
    updatedAt: post.updated_at.toISOString(),
    finishedAt: iso(post.finished_at),
    risk:
      post.risk_code && post.risk_checked_at
        ? { code: post.risk_code, message: post.risk_message, checkedAt: post.risk_checked_at.toISOString() }
        : null,
    targets,
  };
}

function toTargetView(t: q.TargetRow, attempts: readonly q.AttemptRow[]): TargetView {
  return {
    id: t.id,
    accountId: t.account_id,
    platform: 'PINTEREST',
    board: t.board_id,
    boardSection: t.board_section_id,
    title: t.title,
    link: t.link,
    altText: t.alt_text,
    status: t.status as TargetView['status'],
    pinId: t.pin_id,
    pinUrl: t.pin_url,
    error: t.error_code ? { code: t.error_code, message: t.error_message } : null,
    publishedAt: iso(t.published_at),
    attempts: attempts.map((a) => ({
      id: a.id,
      startedAt: a.started_at.toISOString(),
      finishedAt: iso(a.finished_at),
      outcome: a.outcome,
      pinId: a.pin_id,
      pinterestRequestId: a.pinterest_request_id,
      errorCode: a.error_code,
    })),
  };
}
