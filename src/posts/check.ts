// A canonical post checked against the workspace's world: its accounts, their stored boards, its media
// (fetched and stored now when given by URL) and its links. Every problem is reported at once, with the
// caller's own field names in the paths.
import { accountsWithBoards } from '../db/accounts';
import type { Deps } from '../deps';
import { PinflowError, problem, type Problem } from '../domain/errors';
import type { CanonicalPostRequest } from '../domain/post';
import { checkMediaForPin } from '../domain/pinterest-rules';
import type { MediaRecord } from '../media/record';
import { deleteMedia, getMediaMany, ingestMediaFromUrl } from '../media/service';
import { checkLinkResolves } from '../net/link-check';

export type Shape = 'flat' | 'nested';

/** The request's own names, so a problem's path points at what the caller wrote. */
export function shapeOf(body: unknown): Shape {
  return typeof body === 'object' && body !== null && ('platforms' in body || 'content' in body || 'scheduledFor' in body)
    ? 'flat'
    : 'nested';
}

const names = {
  flat: { targets: 'platforms', account: 'accountId' },
  nested: { targets: 'targets', account: 'socialAccountId' },
} as const;

export interface CheckedPost {
  problems: Problem[];
  /** In slide order; empty when the media had problems. */
  media: MediaRecord[];
  /** Media fetched from URLs for this request: to be deleted if the post is not stored. */
  ingested: string[];
}

export async function checkPost(deps: Deps, workspaceId: string, post: CanonicalPostRequest, shape: Shape): Promise<CheckedPost> {
  const [targets, media, links] = await Promise.all([
    checkTargets(deps, workspaceId, post, shape),
    checkMedia(deps, workspaceId, post),
    checkLinks(deps, post, shape),
  ]);
  return { problems: [...targets, ...media.problems, ...links], media: media.media, ingested: media.ingested };
}

async function checkTargets(deps: Deps, workspaceId: string, post: CanonicalPostRequest, shape: Shape): Promise<Problem[]> {
  const n = names[shape];
  // One query for every target: the accounts asked for, their status and which of the asked boards they have.
  const accountIds = [...new Set(post.targets.map((t) => t.accountId))];
  const boardIds = [...new Set(post.targets.map((t) => t.board))];
  const accounts = new Map((await accountsWithBoards(deps.db, workspaceId, accountIds, boardIds)).map((a) => [a.id, a]));
  const perTarget = post.targets.map((target, i): Problem[] => {
    const at = (field: string): { path: string; target: number } => ({ path: `${n.targets}[${i}].${field}`, target: i });
    const account = accounts.get(target.accountId);
    if (!account) return [problem('ACCOUNT_NOT_FOUND', `no connected account ${target.accountId} in this workspace`, at(n.account))];
    const problems: Problem[] = [];
    if (account.status !== 'active')
      problems.push(problem('ACCOUNT_RECONNECT_REQUIRED', 'this Pinterest connection must be renewed', at(n.account)));
    if (!account.board_ids.includes(target.board)) {
      problems.push(
        problem('PIN_BOARD_NOT_FOUND', `board ${target.board} is not a board of this Pinterest account`, at('platformOptions.board')),
      );
    }
    return problems;
  });
  const seen = new Set<string>();
  const duplicates = post.targets.flatMap((t, i) => {
    const key = `${t.accountId}/${t.board}`;
    if (!seen.has(key)) return (seen.add(key), []);
    return [
      problem('VALIDATION_FAILED', 'the same account and board appear twice: that would publish the same pin twice', {
        path: `${names[shape].targets}[${i}]`,
        target: i,
      }),
    ];
  });
  return [...perTarget.flat(), ...duplicates];
}

async function checkMedia(
  deps: Deps,
  workspaceId: string,
  post: CanonicalPostRequest,
): Promise<{ problems: Problem[]; media: MediaRecord[]; ingested: string[] }> {
  const fitted = post.fit !== undefined;
  if ('ids' in post.media) {
    const ids = post.media.ids;
    const found = await getMediaMany(deps, workspaceId, ids);
    const missing = ids.flatMap((id, i) =>
      found.has(id) ? [] : [problem('MEDIA_NOT_FOUND', `no media ${id} in this workspace`, { path: `mediaIds[${i}]` })],
    );
    if (missing.length > 0) return { problems: missing, media: [], ingested: [] };
    const media = ids.map((id) => found.get(id)!);
    return { problems: checkMediaForPin(media, { path: 'mediaIds' }, { fitted: fitted && media.length > 1 }), media, ingested: [] };
  }
  const results = await Promise.allSettled(post.media.items.map((item) => ingestMediaFromUrl(deps, workspaceId, item.url)));
  const media = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const ingested = media.map((m) => m.id);
  const fetchProblems = results.flatMap((r, i) => {
    if (r.status === 'fulfilled') return [];
    const err = r.reason;
    if (!(err instanceof PinflowError)) throw err;
    return err.problems.map((p) => ({ ...p, path: `mediaItems[${i}]` }));
  });
  if (fetchProblems.length > 0) return { problems: fetchProblems, media: [], ingested };
  return { problems: checkMediaForPin(media, { path: 'mediaItems' }, { fitted: fitted && media.length > 1 }), media, ingested };
}

/** Each distinct link is checked once, SSRF-safely and with a short timeout. */
async function checkLinks(deps: Deps, post: CanonicalPostRequest, shape: Shape): Promise<Problem[]> {
  const links = [...new Set(post.targets.flatMap((t) => (t.link ? [t.link] : [])))];
  const policy = { allowHosts: deps.config.FETCH_ALLOW_HOSTS };
  const verdicts = new Map(await Promise.all(links.map(async (link) => [link, await checkLinkResolves(link, policy)] as const)));
  return post.targets.flatMap((t, i) => {
    const verdict = t.link ? verdicts.get(t.link) : undefined;
    if (!verdict || verdict.ok) return [];
    return [
      problem('PIN_LINK_INVALID', `the link did not resolve: ${verdict.reason}`, {
        path: `${names[shape].targets}[${i}].platformOptions.link`,
        target: i,
      }),
    ];
  });
}

/** Media fetched for a request that was then refused are not kept. */
export async function discardIngested(deps: Deps, workspaceId: string, ids: readonly string[]): Promise<void> {
  await Promise.all(ids.map((id) => deleteMedia(deps, workspaceId, id).catch(() => undefined)));
}
