// Workspaces and their API keys: create, authenticate, list, revoke.
import { generateApiKey, hashApiKey, looksLikeApiKey, sameHash } from '../auth/api-keys';
import type { Db } from '../db/pool';
import * as q from '../db/workspaces';
import { newId } from '../domain/ids';

export interface CreatedKey {
  keyId: string;
  apiKey: string;
  prefix: string;
}

export async function createWorkspace(db: Db, secret: string, name: string): Promise<{ workspaceId: string } & CreatedKey> {
  const workspaceId = newId('workspace');
  await q.insertWorkspace(db, { id: workspaceId, name });
  return { workspaceId, ...(await createApiKey(db, secret, workspaceId, 'default')) };
}

export async function createApiKey(db: Db, secret: string, workspaceId: string, name?: string): Promise<CreatedKey> {
  const key = generateApiKey(secret);
  const keyId = newId('apiKey');
  await q.insertApiKey(db, { id: keyId, workspaceId, prefix: key.prefix, hash: key.hash, name });
  return { keyId, apiKey: key.key, prefix: key.prefix };
}

/** The workspace a bearer key belongs to, or undefined for a missing, malformed, unknown or revoked key. */
export async function authenticate(db: Db, secret: string, apiKey: string | undefined): Promise<string | undefined> {
  if (!apiKey || !looksLikeApiKey(apiKey)) return undefined;
  const hash = hashApiKey(apiKey, secret);
  const row = await q.findActiveKeyByHash(db, hash);
  return row && sameHash(row.hash, hash) ? row.workspace_id : undefined;
}

export async function listKeys(db: Db, workspaceId: string): Promise<Array<{ id: string; prefix: string; name: string | null; createdAt: string; revokedAt: string | null }>> {
  const rows = await q.listApiKeys(db, workspaceId);
  return rows.map((r) => ({ id: r.id, prefix: r.prefix, name: r.name, createdAt: r.created_at.toISOString(), revokedAt: r.revoked_at?.toISOString() ?? null }));
}

export const revokeKey = q.revokeApiKey;
export const workspaceExists = q.workspaceExists;
