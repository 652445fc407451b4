// `Idempotency-Key`: the same key with the same body answers the first response again; with another
// body it is refused (409). A request still running under the key is refused too, rather than run twice;
// one whose process died is recovered (see withIdempotency).
import { createHash } from 'node:crypto';
import type { Db } from '../db/pool';
import { PinflowError } from '../domain/errors';

export interface StoredAnswer {
  status: number;
  body: unknown;
}

/** The request's fingerprint under its key: the same key with another body is refused. */
export function requestHash(body: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify(body ?? null))
    .digest('hex');
}

/**
 * A request still "in progress" after this long died with its process (a request's own deadlines are far
 * shorter): its key is recovered rather than refused forever.
 */
const staleAfterSeconds = 300;

export interface IdempotencyOptions {
  /** For a key whose request died after storing its post: the answer that post gives now. */
  recover?: (postId: string) => Promise<StoredAnswer | undefined>;
}

/**
 * Runs `fn` once per (workspace, key). 4xx answers are kept like successes (the same request would fail the
 * same way); anything else releases the key so the caller may retry. A key left in progress by a request that
 * died is answered with the post it stored, if it stored one, else taken over and run again.
 */
export async function withIdempotency(
  db: Db,
  workspaceId: string,
  key: string | undefined,
  body: unknown,
  fn: () => Promise<StoredAnswer>,
  options: IdempotencyOptions = {},
): Promise<StoredAnswer> {
  if (!key) return fn();
  if (key.length > 255) throw new PinflowError('VALIDATION_FAILED', 'Idempotency-Key is at most 255 characters');
  const hash = requestHash(body);
  const claimed = await db.query(
    `INSERT INTO idempotency_keys (workspace_id, key, request_hash) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
    [workspaceId, key, hash],
  );
  if (!claimed.rowCount) {
    const { rows } = await db.query<{
      request_hash: string;
      status: number | null;
      response: unknown;
      post_id: string | null;
      stale: boolean;
    }>(
      `SELECT request_hash, status, response, post_id, created_at < now() - make_interval(secs => $3) AS stale
       FROM idempotency_keys WHERE workspace_id = $1 AND key = $2`,
      [workspaceId, key, staleAfterSeconds],
    );
    const row = rows[0];
    if (!row || row.request_hash !== hash) throw new PinflowError('IDEMPOTENCY_KEY_REUSED');
    if (row.status !== null) return { status: row.status, body: row.response };
    if (!row.stale) throw new PinflowError('IDEMPOTENCY_KEY_REUSED', 'a request with this Idempotency-Key is still in progress');
    // The post is looked up under this workspace: a row that names no post of it recovers nothing.
    const recovered = row.post_id ? await recoverOrNothing(options, row.post_id) : undefined;
    if (recovered) {
      await store(db, workspaceId, key, recovered);
      return recovered;
    }
    // Nothing was stored under the key: this request takes it over (one request only, if several arrive).
    const taken = await db.query(
      `UPDATE idempotency_keys SET created_at = now() WHERE workspace_id = $1 AND key = $2 AND status IS NULL AND created_at < now() - make_interval(secs => $3)`,
      [workspaceId, key, staleAfterSeconds],
    );
    if (!taken.rowCount) throw new PinflowError('IDEMPOTENCY_KEY_REUSED', 'a request with this Idempotency-Key is still in progress');
  }
  try {
    const answer = await fn();
    await store(db, workspaceId, key, answer);
    return answer;
  } catch (err) {
    if (err instanceof PinflowError && err.status < 500) {
      // An answer jsonb cannot hold (a NUL echoed from the body) is not kept: the key is released, not left "in progress".
      await store(db, workspaceId, key, { status: err.status, body: { errors: err.problems } }).catch(() =>
        db.query('DELETE FROM idempotency_keys WHERE workspace_id = $1 AND key = $2', [workspaceId, key]).catch(() => undefined),
      );
    } else {
      await db.query('DELETE FROM idempotency_keys WHERE workspace_id = $1 AND key = $2', [workspaceId, key]).catch(() => undefined);
    }
    throw err;
  }
}

async function recoverOrNothing(options: IdempotencyOptions, postId: string): Promise<StoredAnswer | undefined> {
  try {
    return await options.recover?.(postId);
  } catch (err) {
    if (err instanceof PinflowError && err.code === 'POST_NOT_FOUND') return undefined;
    throw err;
  }
}

async function store(db: Db, workspaceId: string, key: string, answer: StoredAnswer): Promise<void> {
  await db.query('UPDATE idempotency_keys SET status = $3, response = $4 WHERE workspace_id = $1 AND key = $2', [
    workspaceId,
    key,
    answer.status,
    JSON.stringify(answer.body),
  ]);
}
