// Posts for chaos runs: made through the HTTP API as a user would, then audited against what Pinterest
// (the emulator) holds and what PostgreSQL says — counts, not timings.
import assert from 'node:assert/strict';
import { REQUESTED_SCOPES } from '../../../src/accounts/connect';
import type { Account } from '../../../src/accounts/schemas';
import type { CreatedPin } from '../../../src/emulator';
import type { PostView } from '../../../src/posts/schemas';
import { jpeg } from '../../support/images';
import { uploadImage as uploadImageAs } from '../../support/media';
import { isChaosBoard, type ChaosSystem } from './harness';

export const finalStatuses = ['published', 'partially_published', 'failed', 'canceled'];

export interface ConnectedAccount {
  accountId: string;
  boardIds: string[];
  accessToken: string;
  refreshToken: string;
}

export async function connectAccount(sys: ChaosSystem, userId: string): Promise<ConnectedAccount> {
  const tokens = sys.emulator.state.issueTokens({ userId, scopes: REQUESTED_SCOPES });
  const res = await sys.call<Account>('POST', '/v1/accounts/pinterest', {
    accessToken: tokens.accessToken,
    refreshToken: tokens.refreshToken,
    expiresIn: tokens.expiresIn,
  });
  assert.equal(res.status, 201, `connecting user ${userId}: ${JSON.stringify(res.body)}`);
  return {
    accountId: res.body.id,
    boardIds: res.body.boards.filter((b) => b.privacy !== 'SECRET').map((b) => b.id),
    accessToken: tokens.accessToken,
    refreshToken: tokens.refreshToken,
  };
}

export async function uploadImage(sys: ChaosSystem, hue = 120): Promise<string> {
  return uploadImageAs(sys.apiUrl, sys.apiKey, await jpeg(1000, 1500, hue), 'chaos.jpg');
}

/**
 * One post per due time, titled `<label>-<i>`, on the account's chaos boards (`extraBoards`) in turn, the first
 * `boardCount` of them: posts spread over boards, away from the demo boards other checks read.
 */
export function postsOverBoards(
  label: string,
  account: ConnectedAccount,
  mediaId: string,
  due: ReadonlyArray<PostSpec['scheduledAt']>,
  boardCount: number,
): PostSpec[] {
  const boards = account.boardIds.filter(isChaosBoard);
  return due.map((scheduledAt, i) => ({
    title: `${label}-${i}`,
    accountId: account.accountId,
    boardId: boards[i % boardCount]!,
    mediaId,
    scheduledAt,
  }));
}

export interface PostSpec {
  /** Unique per run: the emulator's pins are matched to posts by it. */
  title: string;
  accountId: string;
  boardId: string;
  mediaId: string;
  /** A function is asked at the moment the post is sent (due times that depend on how creation goes). */
  scheduledAt: Date | (() => Date);
}

/** A spec as it was sent: its due time fixed. */
export interface SentSpec extends PostSpec {
  scheduledAt: Date;
}

export interface Created {
  id: string;
  spec: SentSpec;
}

/**
 * Creates the posts through POST /v1/posts, `concurrency` at a time, each with an Idempotency-Key so a
 * retried request can never make a second post. A 503 is retried (bounded); anything else fails the run.
 */
export async function createPosts(sys: ChaosSystem, specs: PostSpec[], concurrency = 8): Promise<Created[]> {
  const created: Created[] = new Array(specs.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < specs.length) {
      const i = next++;
      const asked = specs[i]!;
      const spec: SentSpec = { ...asked, scheduledAt: typeof asked.scheduledAt === 'function' ? asked.scheduledAt() : asked.scheduledAt };
      const body = {
        content: `${spec.title} — chaos run`,
        scheduledFor: spec.scheduledAt.toISOString(),
        mediaIds: [spec.mediaId],
        platforms: [{ accountId: spec.accountId, platformOptions: { platform: 'PINTEREST', board: spec.boardId, title: spec.title } }],
      };
      for (let attempt = 1; ; attempt++) {
        const res = await sys.call<PostView>('POST', '/v1/posts', body, { headers: { 'idempotency-key': `chaos-${spec.title}` } });
        if (res.status === 201) {
          created[i] = { id: res.body.id, spec };
          break;
        }
        if ((res.status === 503 || res.status === 0) && attempt < 5) {
          await new Promise((r) => setTimeout(r, 1000 * attempt));
          continue;
        }
        throw new Error(`creating ${spec.title}: HTTP ${res.status} ${res.clientError ?? ''} ${JSON.stringify(res.body)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return created;
}

/** Post statuses straight from PostgreSQL; undefined while the database does not answer. */
export async function statusCounts(sys: ChaosSystem, ids: string[]): Promise<Record<string, number> | undefined> {
  try {
    const { rows } = await sys.db.query<{ status: string; n: string }>(
      'SELECT status, count(*) AS n FROM posts WHERE id = ANY($1) GROUP BY status',
      [ids],
    );
    return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  } catch {
    return undefined;
  }
}

/**
 * Waits until every post is in a final state or `timeoutMs` passes (then answers what it saw: the audit
 * reports the stragglers). `onTick` runs between polls (the kill schedule of a test).
 */
export async function waitForFinal(
  sys: ChaosSystem,
  ids: string[],
  timeoutMs: number,
  onTick?: (counts: Record<string, number>) => Promise<void>,
): Promise<Record<string, number>> {
  const deadline = Date.now() + timeoutMs;
  let counts: Record<string, number> = {};
  while (Date.now() < deadline) {
    counts = (await statusCounts(sys, ids)) ?? counts;
    const final = finalStatuses.reduce((n, s) => n + (counts[s] ?? 0), 0);
    if (final === ids.length) return counts;
    if (onTick) await onTick(counts);
    await new Promise((r) => setTimeout(r, 500));
  }
  return counts;
}

export interface Audit {
  posts: number;
  byStatus: Record<string, number>;
  byTargetStatus: Record<string, number>;
  errorCodes: Record<string, number>;
  /** Pins at Pinterest whose title belongs to this run. */
  pins: number;
  /** Pins beyond the first for one post (a post published twice). */
  duplicates: number;
  /** Posts not in a final state, or stored as published with no pin at Pinterest. */
  lost: number;
  /** Posts the API accepted that PostgreSQL does not have. */
  missingRows: number;
  /** Published targets whose pin id is not at Pinterest, or is there on another board or with another title. */
  mismatches: string[];
  /** Pins at Pinterest no target points to (created but never recorded). */
  unrecorded: number;
  attempts: Record<string, number>;
  /** Up to five posts not in a final state, with their attempts (what to look at when one is lost). */
  stragglers: string[];
}

function countBy<T>(items: T[], key: (item: T) => string | null | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of items) {
    const k = key(item) ?? 'none';
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}

/** Compares PostgreSQL's record of the posts with the pins the emulator holds. */
export async function audit(sys: ChaosSystem, created: Created[]): Promise<Audit> {
  const ids = created.map((c) => c.id);
  const { rows: posts } = await sys.db.query<{ id: string; status: string }>('SELECT id, status FROM posts WHERE id = ANY($1)', [ids]);
  const { rows: targets } = await sys.db.query<{
    id: string;
    post_id: string;
    status: string;
    pin_id: string | null;
    board_id: string;
    title: string;
    error_code: string | null;
  }>('SELECT id, post_id, status, pin_id, board_id, title, error_code FROM post_targets WHERE post_id = ANY($1)', [ids]);
  const { rows: attempts } = await sys.db.query<{ outcome: string }>(
    'SELECT a.outcome FROM publish_attempts a JOIN post_targets t ON t.id = a.target_id WHERE t.post_id = ANY($1)',
    [ids],
  );
  const titles = new Set(created.map((c) => c.spec.title));
  const pins: CreatedPin[] = sys.emulator.state.createdPins().filter((p) => titles.has(p.requestBody.title ?? ''));
  const pinsById = new Map(pins.map((p) => [p.id, p]));
  const pinsPerTitle = countBy(pins, (p) => p.requestBody.title);
  const duplicates = Object.values(pinsPerTitle).reduce((n, c) => n + Math.max(0, c - 1), 0);
  const recorded = new Set(targets.map((t) => t.pin_id).filter((id): id is string => id !== null));
  const mismatches: string[] = [];
  let lostPublished = 0;
  for (const t of targets) {
    if (t.status !== 'published') continue;
    const pin = t.pin_id ? pinsById.get(t.pin_id) : undefined;
    if (!pin) {
      lostPublished++;
      mismatches.push(`${t.post_id}: published as pin ${t.pin_id} which Pinterest does not have`);
    } else if (pin.boardId !== t.board_id || pin.requestBody.title !== t.title) {
      mismatches.push(
        `${t.post_id}: pin ${pin.id} is on board ${pin.boardId} titled ${pin.requestBody.title}, stored ${t.board_id} ${t.title}`,
      );
    }
  }
  const open = posts.filter((p) => !finalStatuses.includes(p.status));
  const notFinal = open.length;
  const stragglers: string[] = [];
  for (const post of open.slice(0, 5)) {
    const { rows } = await sys.db.query<{ started_at: Date; finished_at: Date | null; outcome: string; error_code: string | null }>(
      'SELECT a.started_at, a.finished_at, a.outcome, a.error_code FROM publish_attempts a JOIN post_targets t ON t.id = a.target_id WHERE t.post_id = $1 ORDER BY a.started_at',
      [post.id],
    );
    const title = created.find((c) => c.id === post.id)?.spec.title;
    const list = rows.map((a) => `${a.started_at.toISOString().slice(11, 23)} ${a.outcome}${a.error_code ? ` ${a.error_code}` : ''}`);
    stragglers.push(`${post.id} (${title}) ${post.status}: ${list.join(' | ') || 'no attempt'}`);
  }
  return {
    posts: created.length,
    byStatus: countBy(posts, (p) => p.status),
    byTargetStatus: countBy(targets, (t) => t.status),
    errorCodes: countBy(
      targets.filter((t) => t.error_code),
      (t) => t.error_code,
    ),
    pins: pins.length,
    duplicates,
    lost: notFinal + lostPublished + (created.length - posts.length),
    missingRows: created.length - posts.length,
    mismatches,
    unrecorded: pins.filter((p) => !recorded.has(p.id)).length,
    attempts: countBy(attempts, (a) => a.outcome),
    stragglers,
  };
}

/** p50 / p90 / max of a list of milliseconds. */
export function percentiles(values: number[]): string {
  if (values.length === 0) return 'none';
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return `${at(0.5)} / ${at(0.9)} / ${at(1)} ms`;
}

/** How late each post's pin was at Pinterest (its creation minus the due time), and the latest post's attempts. */
export async function lateness(sys: ChaosSystem, created: Created[]): Promise<{ late: number[]; slowest: string }> {
  const byTitle = new Map(created.map((c) => [c.spec.title, c]));
  let worst: { ms: number; id: string } | undefined;
  const late: number[] = [];
  for (const pin of sys.emulator.state.createdPins()) {
    const post = byTitle.get(pin.requestBody.title ?? '');
    if (!post) continue;
    const ms = Date.parse(pin.createdAt) - post.spec.scheduledAt.getTime();
    late.push(ms);
    if (!worst || ms > worst.ms) worst = { ms, id: post.id };
  }
  if (!worst) return { late, slowest: 'none' };
  const { rows } = await sys.db.query<{ started_at: Date; outcome: string; error_code: string | null }>(
    'SELECT a.started_at, a.outcome, a.error_code FROM publish_attempts a JOIN post_targets t ON t.id = a.target_id WHERE t.post_id = $1 ORDER BY a.started_at',
    [worst.id],
  );
  const due = created.find((c) => c.id === worst.id)!.spec.scheduledAt.getTime();
  const steps = rows.map(
    (a) => `+${((a.started_at.getTime() - due) / 1000).toFixed(1)}s ${a.outcome}${a.error_code ? ` ${a.error_code}` : ''}`,
  );
  return { late, slowest: `${worst.id} ${(worst.ms / 1000).toFixed(1)} s late: ${steps.join(' | ')}` };
}

/** Spreads `count` due times evenly over [start, start + spreadMs). */
export function spread(count: number, start: number, spreadMs: number): Date[] {
  return Array.from({ length: count }, (_, i) => new Date(start + Math.floor((i * spreadMs) / Math.max(1, count))));
}

export function figures(name: string, values: Record<string, unknown>): void {
  const lines = Object.entries(values).map(([k, v]) => `  ${k.padEnd(28)} ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
  console.log(`\n[chaos] ${name}\n${lines.join('\n')}\n`);
}
