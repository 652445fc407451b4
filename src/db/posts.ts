// Queries for posts, their media, their targets and the attempts to publish them.
import type { Db } from './pool';

export interface PostRow {
  id: string;
  workspace_id: string;
  description: string;
  scheduled_at: Date;
  timezone: string | null;
  status: string;
  fit: 'pad' | 'crop' | null;
  optimize: boolean;
  created_at: Date;
  updated_at: Date;
  finished_at: Date | null;
  risk_code: string | null;
  risk_message: string | null;
  risk_checked_at: Date | null;
}

export interface TargetRow {
  id: string;
  post_id: string;
  position: number;
  account_id: string;
  board_id: string;
  board_section_id: string | null;
  title: string | null;
  link: string | null;
  alt_text: string | null;
  status: string;
  pin_id: string | null;
  pin_url: string | null;
  error_code: string | null;
  error_message: string | null;
  published_at: Date | null;
  updated_at: Date;
  write_slot_at: Date | null;
  pinterest_failures: number;
}

export interface AttemptRow {
  id: string;
  target_id: string;
  started_at: Date;
  finished_at: Date | null;
  outcome: 'pending' | 'created' | 'adopted' | 'failed' | 'not_created';
  pin_id: string | null;
  pinterest_request_id: string | null;
  error_code: string | null;
  error_message: string | null;
}

export interface NewPost {
  id: string;
  workspaceId: string;
  description: string;
  scheduledAt: Date;
  timezone?: string;
  fit?: 'pad' | 'crop';
  optimize: boolean;
  mediaIds: string[];
  /** The request's Idempotency-Key: the key is linked to the post in the same statement. */
  idempotencyKey?: string;
  targets: Array<{
    id: string;
    accountId: string;
    boardId: string;
    boardSectionId?: string;
    title?: string;
    link?: string;
    altText?: string;
  }>;
}

/**
 * Stores the post, its media and its targets in one statement (atomic without a transaction, one round trip);
 * answers the row as stored, for the caller to answer from.
 */
export async function insertPost(db: Db, post: NewPost): Promise<PostRow> {
  const t = post.targets;
  const { rows } = await db.query<PostRow>(
    `WITH post AS (
       INSERT INTO posts (id, workspace_id, description, scheduled_at, timezone, status, fit, optimize)
       VALUES ($1, $2, $3, $4, $5, 'scheduled', $6, $7) RETURNING *
     ), media AS (
       INSERT INTO post_media (post_id, position, media_id)
       SELECT $1, ord - 1, id FROM unnest($8::text[]) WITH ORDINALITY AS m(id, ord)
     ), targets AS (
       INSERT INTO post_targets (id, post_id, position, account_id, board_id, board_section_id, title, link, alt_text, status)
       SELECT id, $1, ord - 1, account_id, board_id, section_id, title, link, alt_text, 'scheduled'
       FROM unnest($9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[])
            WITH ORDINALITY AS t(id, account_id, board_id, section_id, title, link, alt_text, ord)
     ), idempotency AS (
       UPDATE idempotency_keys SET post_id = $1 WHERE workspace_id = $2 AND key = $16::text
     )
     SELECT * FROM post`,
    [
      post.id,
      post.workspaceId,
      post.description,
      post.scheduledAt,
      post.timezone ?? null,
      post.fit ?? null,
      post.optimize,
      post.mediaIds,
      t.map((x) => x.id),
      t.map((x) => x.accountId),
      t.map((x) => x.boardId),
      t.map((x) => x.boardSectionId ?? null),
      t.map((x) => x.title ?? null),
      t.map((x) => x.link ?? null),
      t.map((x) => x.altText ?? null),
      post.idempotencyKey ?? null,
    ],
  );
  return rows[0]!;
}

export async function replacePostMedia(db: Db, postId: string, mediaIds: readonly string[]): Promise<void> {
  await db.query('DELETE FROM post_media WHERE post_id = $1', [postId]);
  await db.query(
    'INSERT INTO post_media (post_id, position, media_id) SELECT $1, ord - 1, id FROM unnest($2::text[]) WITH ORDINALITY AS m(id, ord)',
    [postId, mediaIds],
  );
}

/**
 * Posts still waiting whose time is before `dueBefore`, stored before `storedBefore`, earliest first: the
 * reconciler's candidates (a post whose workflow was never started looks exactly like this).
 */
export async function waitingPostsDueBefore(db: Db, dueBefore: Date, storedBefore: Date, limit: number): Promise<PostRow[]> {
  const { rows } = await db.query<PostRow>(
    `SELECT * FROM posts WHERE status = 'scheduled' AND scheduled_at < $1 AND created_at < $2 ORDER BY scheduled_at, id LIMIT $3`,
    [dueBefore, storedBefore, limit],
  );
  return rows;
}

export async function deletePost(db: Db, postId: string): Promise<void> {
  await db.query('DELETE FROM posts WHERE id = $1', [postId]);
}

export async function findPost(db: Db, workspaceId: string, postId: string): Promise<PostRow | undefined> {
  const { rows } = await db.query<PostRow>('SELECT * FROM posts WHERE id = $1 AND workspace_id = $2', [postId, workspaceId]);
  return rows[0];
}

export async function postById(db: Db, postId: string): Promise<PostRow | undefined> {
  const { rows } = await db.query<PostRow>('SELECT * FROM posts WHERE id = $1', [postId]);
  return rows[0];
}

export async function targetsOfPosts(db: Db, postIds: readonly string[]): Promise<TargetRow[]> {
  const { rows } = await db.query<TargetRow>('SELECT * FROM post_targets WHERE post_id = ANY($1) ORDER BY post_id, position', [postIds]);
  return rows;
}

export async function mediaIdsOfPosts(db: Db, postIds: readonly string[]): Promise<Array<{ post_id: string; media_id: string }>> {
  const { rows } = await db.query<{ post_id: string; media_id: string }>(
    'SELECT post_id, media_id FROM post_media WHERE post_id = ANY($1) ORDER BY post_id, position',
    [postIds],
  );
  return rows;
}

export async function attemptsOfTargets(db: Db, targetIds: readonly string[]): Promise<AttemptRow[]> {
  const { rows } = await db.query<AttemptRow>('SELECT * FROM publish_attempts WHERE target_id = ANY($1) ORDER BY started_at', [targetIds]);
  return rows;
}

export interface PostFilter {
  workspaceId: string;
  status?: string;
  accountId?: string;
  from?: Date;
  to?: Date;
  after?: { scheduledAt: Date; id: string };
  limit: number;
}

/** Ordered by (scheduled_at, id): a keyset the cursor continues from, fast at any depth. */
export async function listPosts(db: Db, f: PostFilter): Promise<PostRow[]> {
  const where = ['p.workspace_id = $1'];
  const args: unknown[] = [f.workspaceId];
  const arg = (v: unknown): string => {
    args.push(v);
    return `$${args.length}`;
  };
  if (f.status) where.push(`p.status = ${arg(f.status)}`);
  if (f.from) where.push(`p.scheduled_at >= ${arg(f.from)}`);
  if (f.to) where.push(`p.scheduled_at < ${arg(f.to)}`);
  if (f.accountId) where.push(`EXISTS (SELECT 1 FROM post_targets t WHERE t.post_id = p.id AND t.account_id = ${arg(f.accountId)})`);
  if (f.after) where.push(`(p.scheduled_at, p.id) > (${arg(f.after.scheduledAt)}, ${arg(f.after.id)})`);
  const { rows } = await db.query<PostRow>(
    `SELECT p.* FROM posts p WHERE ${where.join(' AND ')} ORDER BY p.scheduled_at, p.id LIMIT ${arg(f.limit)}`,
    args,
  );
  return rows;
}

export async function setPostStatus(db: Db, postId: string, status: string): Promise<void> {
  const final = ['published', 'partially_published', 'failed', 'canceled'].includes(status);
  await db.query(
    `UPDATE posts SET status = $2, updated_at = now(), finished_at = CASE WHEN $3 THEN now() ELSE finished_at END WHERE id = $1`,
    [postId, status, final],
  );
  if (status === 'canceled') {
    await db.query(`UPDATE post_targets SET status = 'canceled', updated_at = now() WHERE post_id = $1 AND status = 'scheduled'`, [postId]);
  }
}

export async function updatePostFields(
  db: Db,
  postId: string,
  fields: { description?: string; scheduledAt?: Date; timezone?: string | null },
): Promise<void> {
  await db.query(
    `UPDATE posts SET description = COALESCE($2, description), scheduled_at = COALESCE($3, scheduled_at),
       timezone = CASE WHEN $4 THEN $5 ELSE timezone END, updated_at = now() WHERE id = $1`,
    [postId, fields.description ?? null, fields.scheduledAt ?? null, fields.timezone !== undefined, fields.timezone ?? null],
  );
}

export async function updateTargetFields(
  db: Db,
  targetId: string,
  fields: { boardId?: string; boardSectionId?: string | null; title?: string | null; link?: string | null; altText?: string | null },
): Promise<void> {
  const sets: string[] = [];
  const args: unknown[] = [targetId];
  const column: Record<string, string> = {
    boardId: 'board_id',
    boardSectionId: 'board_section_id',
    title: 'title',
    link: 'link',
    altText: 'alt_text',
  };
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    args.push(value);
    sets.push(`${column[key]} = $${args.length}`);
  }
  if (sets.length === 0) return;
  await db.query(`UPDATE post_targets SET ${sets.join(', ')}, updated_at = now() WHERE id = $1`, args);
}

/** Everything needed to publish one target, in one round trip. */
export interface PublishableTarget extends TargetRow {
  workspace_id: string;
  description: string;
  scheduled_at: Date;
  post_status: string;
  fit: 'pad' | 'crop' | null;
  optimize: boolean;
  media_ids: string[];
}

export async function publishableTarget(db: Db, targetId: string): Promise<PublishableTarget | undefined> {
  const { rows } = await db.query<PublishableTarget>(
    `SELECT t.*, p.workspace_id, p.description, p.scheduled_at, p.status AS post_status, p.fit, p.optimize,
            ARRAY(SELECT media_id FROM post_media pm WHERE pm.post_id = p.id ORDER BY position) AS media_ids
       FROM post_targets t JOIN posts p ON p.id = t.post_id WHERE t.id = $1`,
    [targetId],
  );
  return rows[0];
}

export async function setTargetStatus(db: Db, targetId: string, status: string, error?: { code: string; message: string }): Promise<void> {
  await db.query('UPDATE post_targets SET status = $2, error_code = $3, error_message = $4, updated_at = now() WHERE id = $1', [
    targetId,
    status,
    error?.code ?? null,
    error?.message ?? null,
  ]);
}

/** Recorded (and committed) before the call to Pinterest: the evidence that a pin may exist. */
export async function startAttempt(db: Db, attemptId: string, targetId: string): Promise<void> {
  // One statement, one round trip: it sits on the due-time path.
  await db.query(
    `WITH attempt AS (INSERT INTO publish_attempts (id, target_id, outcome) VALUES ($1, $2, 'pending')),
          target AS (UPDATE post_targets SET status = 'publishing', updated_at = now() WHERE id = $2 AND status = 'scheduled' RETURNING post_id)
     UPDATE posts SET status = 'publishing', updated_at = now() WHERE id IN (SELECT post_id FROM target) AND status = 'scheduled'`,
    [attemptId, targetId],
  );
}

export async function pendingAttempts(db: Db, targetId: string): Promise<AttemptRow[]> {
  const { rows } = await db.query<AttemptRow>(
    `SELECT * FROM publish_attempts WHERE target_id = $1 AND outcome = 'pending' ORDER BY started_at`,
    [targetId],
  );
  return rows;
}

export async function finishAttempt(
  db: Db,
  attemptId: string,
  outcome: AttemptRow['outcome'],
  detail: { pinId?: string; requestId?: string; code?: string; message?: string } = {},
): Promise<void> {
  await db.query(
    `UPDATE publish_attempts SET outcome = $2, finished_at = clock_timestamp(), pin_id = $3, pinterest_request_id = $4, error_code = $5, error_message = $6 WHERE id = $1`,
    [attemptId, outcome, detail.pinId ?? null, detail.requestId ?? null, detail.code ?? null, detail.message ?? null],
  );
}

export async function markPublished(db: Db, targetId: string, pin: { pinId: string; pinUrl: string }): Promise<void> {
  await db.query(
    `UPDATE post_targets SET status = 'published', pin_id = $2, pin_url = $3, published_at = now(), error_code = NULL, error_message = NULL, updated_at = now() WHERE id = $1`,
    [targetId, pin.pinId, pin.pinUrl],
  );
}

/** Pins already claimed by targets on this board: a lookup must never adopt another target's pin. */
export async function claimedPinIds(db: Db, boardId: string): Promise<Set<string>> {
  const { rows } = await db.query<{ pin_id: string }>('SELECT pin_id FROM post_targets WHERE board_id = $1 AND pin_id IS NOT NULL', [
    boardId,
  ]);
  return new Set(rows.map((r) => r.pin_id));
}

/** Is any scheduled (not yet finished) post using this media? */
export async function mediaInUse(db: Db, mediaId: string): Promise<boolean> {
  const { rowCount } = await db.query(
    `SELECT 1 FROM post_media pm JOIN posts p ON p.id = pm.post_id WHERE pm.media_id = $1 AND p.status IN ('scheduled', 'publishing') LIMIT 1`,
    [mediaId],
  );
  return (rowCount ?? 0) > 0;
}

/**
 * Reserves one write for an account from a token bucket (capacity `burst`, refilled at `perSecond`) for the
 * moment `at` (a write planned for the due time is booked at the due time, not when it is planned), going
 * into debt when empty: the answer is when the write may go. Debt queues the writes fairly across every
 * worker process, since the bucket lives in PostgreSQL.
 */
export async function reserveAccountWrite(
  db: Db,
  accountId: string,
  perSecond: number,
  burst: number,
  at: Date = new Date(0),
): Promise<Date> {
  const { rows } = await db.query<{ tokens: number; booked_at: Date }>(
    `INSERT INTO account_write_budget AS b (account_id, tokens, updated_at)
       VALUES ($1, $3::float8 - 1, greatest(clock_timestamp(), $4::timestamptz))
     ON CONFLICT (account_id) DO UPDATE SET
       tokens = least($3::float8, b.tokens + greatest(0, extract(epoch FROM EXCLUDED.updated_at - b.updated_at)) * $2::float8) - 1,
       updated_at = greatest(b.updated_at, EXCLUDED.updated_at)
     RETURNING tokens, updated_at AS booked_at`,
    [accountId, perSecond, burst, at],
  );
  const { tokens, booked_at: bookedAt } = rows[0]!;
  return new Date(bookedAt.getTime() + (tokens >= 0 ? 0 : Math.ceil((-tokens / perSecond) * 1000)));
}

/** The preflight's verdict: a problem that will make the post fail, or null when all is well. */
export async function setPostRisk(db: Db, postId: string, risk: { code: string; message: string } | null): Promise<void> {
  await db.query('UPDATE posts SET risk_code = $2, risk_message = $3, risk_checked_at = now() WHERE id = $1', [
    postId,
    risk?.code ?? null,
    risk?.message ?? null,
  ]);
}

/** Targets of an account still waiting to publish (scheduled or publishing). */
export async function waitingTargetsOfAccount(db: Db, accountId: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM post_targets WHERE account_id = $1 AND status IN ('scheduled', 'publishing')`,
    [accountId],
  );
  return rows[0]?.n ?? 0;
}

/**
 * When this target may write to Pinterest: a slot reserved from its account's budget, kept on the target so a
 * retry soon after reuses it (a slot older than `reuseWithinMs` was spent by a failed attempt: book another).
 */
export async function reserveWriteSlot(
  db: Db,
  target: { id: string; account_id: string; write_slot_at: Date | null },
  budget: { perSecond: number; burst: number; reuseWithinMs: number; notBefore: Date },
): Promise<Date> {
  if (target.write_slot_at && target.write_slot_at.getTime() > Date.now() - budget.reuseWithinMs) return target.write_slot_at;
  const slot = await reserveAccountWrite(db, target.account_id, budget.perSecond, budget.burst, budget.notBefore);
  await db.query('UPDATE post_targets SET write_slot_at = $2 WHERE id = $1', [target.id, slot]);
  return slot;
}

/** After a 429: the target writes no sooner than Pinterest's reset, however early its next attempt starts. */
export async function deferWriteSlot(db: Db, targetId: string, until: Date): Promise<void> {
  await db.query('UPDATE post_targets SET write_slot_at = GREATEST(write_slot_at, $2) WHERE id = $1', [targetId, until]);
}

/** Counts one more time Pinterest was unavailable to this target; answers the count. */
export async function countPinterestFailure(db: Db, targetId: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    'UPDATE post_targets SET pinterest_failures = pinterest_failures + 1 WHERE id = $1 RETURNING pinterest_failures AS n',
    [targetId],
  );
  return rows[0]?.n ?? 1;
}

/** The attempt's outcome and the target's pin, in one statement (atomic without a transaction's round trips). */
export async function recordCreatedPin(
  db: Db,
  attemptId: string,
  targetId: string,
  pin: { pinId: string; pinUrl: string; requestId?: string },
): Promise<void> {
  await db.query(
    `WITH attempt AS (
       UPDATE publish_attempts SET outcome = 'created', finished_at = clock_timestamp(), pin_id = $3, pinterest_request_id = $5 WHERE id = $1
     )
     UPDATE post_targets SET status = 'published', pin_id = $3, pin_url = $4, published_at = now(), error_code = NULL, error_message = NULL, updated_at = now()
      WHERE id = $2`,
    [attemptId, targetId, pin.pinId, pin.pinUrl, pin.requestId ?? null],
  );
}
