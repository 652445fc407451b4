// Applies an accepted edit to the stored post. Runs as an activity of the post's workflow, so it is
// serialised with the due-time timer: it happens before publishing or not at all.
import { inTransaction } from '../db/pool';
import * as q from '../db/posts';
import type { Deps } from '../deps';
import type { CanonicalPostUpdate, PostTargetEdit } from '../domain/post';
import type { PostEdit } from '../workflows/publish-post';

type TargetFields = Parameters<typeof q.updateTargetFields>[2];

function targetFields(edit: Partial<PostTargetEdit>): TargetFields {
  return { boardId: edit.board, boardSectionId: edit.boardSection, title: edit.title, link: edit.link, altText: edit.altText };
}

export async function applyEdit(deps: Deps, postId: string, edit: PostEdit): Promise<{ boardIds: string[] }> {
  const update = edit.changes as Partial<CanonicalPostUpdate>;
  await inTransaction(deps.db, async (tx) => {
    await q.updatePostFields(tx, postId, {
      description: update.description,
      scheduledAt: edit.scheduledAt ? new Date(edit.scheduledAt) : undefined,
      timezone: update.timezone,
    });
    if (update.mediaIds) await q.replacePostMedia(tx, postId, update.mediaIds);
    const targets = await q.targetsOfPosts(tx, [postId]);
    for (const target of targets) {
      const own = update.targets?.find((t) => t.targetId === target.id);
      await q.updateTargetFields(tx, target.id, { ...targetFields(update.allTargets ?? {}), ...stripUndefined(targetFields(own ?? {})) });
    }
  });
  const targets = await q.targetsOfPosts(deps.db, [postId]);
  return { boardIds: [...new Set(targets.map((t) => t.board_id))] };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
