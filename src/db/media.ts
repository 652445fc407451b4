// Queries for the media table: one workspace's images, and the copies prepared for Pinterest.
import type { MediaRecord } from '../media/record';
import { storedMediaSchema, type StoredMedia } from '../media/schemas';
import type { Db } from './pool';

/** The columns as StoredMedia names them. */
const columns = `id, workspace_id AS "workspaceId", type, format, width, height, bytes, aspect, sha256,
  storage_key AS "storageKey", optimized_key AS "optimizedKey", source_url AS "sourceUrl", created_at AS "createdAt"`;

function toStored(rows: unknown[]): StoredMedia[] {
  return rows.map((row) => storedMediaSchema.parse(row));
}

export async function insertMedia(db: Db, workspaceId: string, media: MediaRecord, sourceUrl?: string): Promise<StoredMedia> {
  const { rows } = await db.query(
    `INSERT INTO media (id, workspace_id, type, format, width, height, bytes, aspect, sha256, storage_key, source_url)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING ${columns}`,
    [
      media.id,
      workspaceId,
      media.type,
      media.format,
      media.width,
      media.height,
      media.bytes,
      media.aspect,
      media.sha256,
      media.storageKey,
      sourceUrl ?? null,
    ],
  );
  return toStored(rows)[0]!;
}

export async function findMedia(db: Db, workspaceId: string, ids: readonly string[]): Promise<StoredMedia[]> {
  const { rows } = await db.query(`SELECT ${columns} FROM media WHERE workspace_id = $1 AND id = ANY($2)`, [workspaceId, ids]);
  return toStored(rows);
}

export interface MediaListFilter {
  workspaceId: string;
  /** The last media of the previous page. */
  after?: { createdAt: Date; id: string };
  limit: number;
}

/** Newest first, ordered by (created_at, id) descending: a keyset the cursor continues from, fast at any depth. */
export async function listMedia(db: Db, page: MediaListFilter): Promise<StoredMedia[]> {
  const after = page.after ? 'AND (created_at, id) < ($3, $4)' : '';
  const args = page.after ? [page.workspaceId, page.limit, page.after.createdAt, page.after.id] : [page.workspaceId, page.limit];
  const { rows } = await db.query(
    `SELECT ${columns} FROM media WHERE workspace_id = $1 ${after} ORDER BY created_at DESC, id DESC LIMIT $2`,
    args,
  );
  return toStored(rows);
}

/** Deletes the row and answers it, or undefined when the workspace has no such media. */
/** Finished posts (published, failed, canceled) let go of a media: their pins live at Pinterest now. */
export async function releaseFromFinishedPosts(db: Db, id: string): Promise<void> {
  await db.query(
    `DELETE FROM post_media pm USING posts p WHERE pm.post_id = p.id AND pm.media_id = $1 AND p.status NOT IN ('scheduled', 'publishing')`,
    [id],
  );
}

export async function deleteMediaRow(db: Db, workspaceId: string, id: string): Promise<StoredMedia | undefined> {
  const { rows } = await db.query(`DELETE FROM media WHERE workspace_id = $1 AND id = $2 RETURNING ${columns}`, [workspaceId, id]);
  return toStored(rows)[0];
}

export async function optimizedKeyOf(db: Db, id: string): Promise<string | undefined> {
  const { rows } = await db.query<{ optimized_key: string | null }>('SELECT optimized_key FROM media WHERE id = $1', [id]);
  return rows[0]?.optimized_key ?? undefined;
}

/** False when the media is gone. */
export async function setOptimizedCopy(db: Db, id: string, copy: { key: string; bytes: number }): Promise<boolean> {
  const { rowCount } = await db.query('UPDATE media SET optimized_key = $2, optimized_bytes = $3 WHERE id = $1', [
    id,
    copy.key,
    copy.bytes,
  ]);
  return (rowCount ?? 0) > 0;
}
