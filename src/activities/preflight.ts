// Preflight: ahead of the due time, check what would make the post fail — the account's token, the board
// at Pinterest, the media in the store, the link — and flag the post at risk while there is time to fix it.
import { findAccount, refreshBoards } from '../accounts/service';
import * as posts from '../db/posts';
import type { Deps } from '../deps';
import { PinflowError, problem, type Problem } from '../domain/errors';
import { getMediaMany } from '../media/service';
import { checkLinkResolves } from '../net/link-check';
import { announceAtRisk } from './post-events';

export interface PreflightResult {
  problems: Problem[];
}

async function checkTarget(deps: Deps, workspaceId: string, target: posts.TargetRow, index: number): Promise<Problem[]> {
  const where = { target: index };
  const account = await findAccount(deps.db, workspaceId, target.account_id);
  if (!account) return [problem('ACCOUNT_NOT_FOUND', 'the account was disconnected', where)];
  if (account.status !== 'active') return [problem('ACCOUNT_RECONNECT_REQUIRED', 'the Pinterest connection must be renewed', where)];
  const problems: Problem[] = [];
  try {
    // Listing the boards proves the token works and refreshes what the publish-time check compares with.
    const boards = await refreshBoards(deps, workspaceId, target.account_id);
    if (!boards.some((b) => b.id === target.board_id)) {
      problems.push(problem('PIN_BOARD_NOT_FOUND', `board ${target.board_id} no longer exists on this Pinterest account`, where));
    }
  } catch (err) {
    if (!(err instanceof PinflowError)) throw err;
    if (err.code === 'PINTEREST_UNAVAILABLE' || err.code === 'PIN_RATE_LIMITED') throw err; // Pinterest's trouble, not the post's
    problems.push(problem(err.code, err.message, where));
  }
  if (target.link) {
    const verdict = await checkLinkResolves(target.link, { allowHosts: deps.config.FETCH_ALLOW_HOSTS });
    if (!verdict.ok) problems.push(problem('PIN_LINK_INVALID', `the link did not resolve: ${verdict.reason}`, where));
  }
  return problems;
}

async function checkMedia(deps: Deps, workspaceId: string, mediaIds: string[]): Promise<Problem[]> {
  const found = await getMediaMany(deps, workspaceId, mediaIds);
  const problems: Problem[] = [];
  for (const [i, id] of mediaIds.entries()) {
    const media = found.get(id);
    const present = media ? await deps.media.exists(media.storageKey) : false;
    if (!present) problems.push(problem('MEDIA_NOT_FOUND', `media ${id} is gone`, { path: `mediaIds[${i}]` }));
  }
  return problems;
}

export function createPreflightActivities(deps: Deps) {
  return {
    async preflightPost(input: { postId: string }): Promise<PreflightResult> {
      const post = await posts.postById(deps.db, input.postId);
      if (!post || post.status !== 'scheduled') return { problems: [] };
      const targets = await posts.targetsOfPosts(deps.db, [post.id]);
      const mediaIds = (await posts.mediaIdsOfPosts(deps.db, [post.id])).map((m) => m.media_id);
      const perTarget = await Promise.all(targets.map((t, i) => checkTarget(deps, post.workspace_id, t, i)));
      const problems = [...perTarget.flat(), ...(await checkMedia(deps, post.workspace_id, mediaIds))];
      const first = problems[0];
      await posts.setPostRisk(deps.db, post.id, first ? { code: first.code, message: first.message } : null);
      if (first) {
        deps.logger.warn({ postId: post.id, code: first.code }, 'preflight: post at risk');
        await announceAtRisk(deps, post.id, first.code);
      }
      return { problems };
    },
  };
}

export type PreflightActivities = ReturnType<typeof createPreflightActivities>;
