// Queries for workspaces and their API keys.
import type { Db } from './pool';

export interface ApiKeyRow {
  id: string;
  workspace_id: string;
  prefix: string;
  hash: Buffer;
  name: string | null;
  created_at: Date;
  revoked_at: Date | null;
}

export async function insertWorkspace(db: Db, ws: { id: string; name: string }): Promise<void> {
  await db.query('INSERT INTO workspaces (id, name) VALUES ($1, $2)', [ws.id, ws.name]);
}

export async function workspaceExists(db: Db, id: string): Promise<boolean> {
  const { rowCount } = await db.query('SELECT 1 FROM workspaces WHERE id = $1', [id]);
  return (rowCount ?? 0) > 0;
}

export async function firstWorkspace(db: Db): Promise<{ id: string; name: string } | undefined> {
  const { rows } = await db.query<{ id: string; name: string }>('SELECT id, name FROM workspaces ORDER BY created_at LIMIT 1');
  return rows[0];
}

export async function insertApiKey(db: Db, key: { id: string; workspaceId: string; prefix: string; hash: Buffer; name?: string }): Promise<void> {
  await db.query('INSERT INTO api_keys (id, workspace_id, prefix, hash, name) VALUES ($1, $2, $3, $4, $5)', [
    key.id,
    key.workspaceId,
    key.prefix,
    key.hash,
    key.name ?? null,
  ]);
}

export async function findActiveKeyByHash(db: Db, hash: Buffer): Promise<ApiKeyRow | undefined> {
  const { rows } = await db.query<ApiKeyRow>('SELECT * FROM api_keys WHERE hash = $1 AND revoked_at IS NULL', [hash]);
  return rows[0];
}

export async function listApiKeys(db: Db, workspaceId: string): Promise<ApiKeyRow[]> {
  const { rows } = await db.query<ApiKeyRow>('SELECT * FROM api_keys WHERE workspace_id = $1 ORDER BY created_at', [workspaceId]);
  return rows;
}

export async function revokeApiKey(db: Db, workspaceId: string, keyId: string): Promise<boolean> {
  const { rowCount } = await db.query('UPDATE api_keys SET revoked_at = now() WHERE id = $1 AND workspace_id = $2 AND revoked_at IS NULL', [
    keyId,
    workspaceId,
  ]);
  return (rowCount ?? 0) > 0;
}
