// `Idempotency-Key`: the same key with the same body answers the first response again; with another
// body it is refused (409). A request still running under the key is refused too, rather than run twice.
import { createHash } from 'node:crypto';
import type { Db } from '../db/pool';
import { PinflowError } from '../domain/errors';

export interface StoredAnswer {
  status: number;
  body: unknown;
}

function hashOf(body: unknown): string {
  return createHash('sha256').update(JSON.stringify(body ?? null)).digest('hex');
}

/**
 * Runs `fn` once per (workspace, key). 4xx answers are kept like successes (the same request would fail the
 * same way); anything else releases the key so the caller may retry.
 */
export async function withIdempotency(
  db: Db,
  workspaceId: string,
  key: string | undefined,
  body: unknown,
  fn: () => Promise<StoredAnswer>,
): Promise<StoredAnswer> {
  if (!key) return fn();
  if (key.length > 255) throw new PinflowError('VALIDATION_FAILED', 'Idempotency-Key is at most 255 characters');
  const hash = hashOf(body);
  const claimed = await db.query(
    `INSERT INTO idempotency_keys (workspace_id, key, request_hash) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
    [workspaceId, key, hash],
  );
  if (!claimed.rowCount) {
    const { rows } = await db.query<{ request_hash: string; status: number | null; response: unknown }>(
      'SELECT request_hash, status, response FROM idempotency_keys WHERE workspace_id = $1 AND key = $2',
      [workspaceId, key],
    );
    const row = rows[0];
    if (!row || row.request_hash !== hash) throw new PinflowError('IDEMPOTENCY_KEY_REUSED');
    if (row.status === null) throw new PinflowError('IDEMPOTENCY_KEY_REUSED', 'a request with this Idempotency-Key is still in progress');
    return { status: row.status, body: row.response };
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

async function store(db: Db, workspaceId: string, key: string, answer: StoredAnswer): Promise<void> {
  await db.query('UPDATE idempotency_keys SET status = $3, response = $4 WHERE workspace_id = $1 AND key = $2', [
    workspaceId,
    key,
    answer.status,
    JSON.stringify(answer.body),
  ]);
}
