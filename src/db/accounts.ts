// Queries for connected accounts, their boards and OAuth state nonces. Reads for the API never select
// the token columns; only the token functions at the bottom do.
import type { Db } from './pool';

export interface AccountRow {
  id: string;
  workspace_id: string;
  platform: 'PINTEREST';
  pinterest_user_id: string;
  username: string;
  account_type: string | null;
  status: 'active' | 'reconnect_required';
  scopes: string[] | null;
  monthly_views: number | null;
  connected_at: Date;
  updated_at: Date;
}

export interface BoardRow {
  account_id: string;
  board_id: string;
  name: string;
  privacy: string;
  description: string | null;
  fetched_at: Date;
}

/** The sealed tokens of an account, for src/accounts/tokens.ts. */
export interface TokenRow {
  id: string;
  status: AccountRow['status'];
  access_token: Buffer;
  refresh_token: Buffer | null;
  access_token_expires_at: Date | null;
  token_generation: number;
}

export interface AccountWrite {
  id: string;
  workspaceId: string;
  pinterestUserId: string;
  username: string;
  accountType: string | null;
  scopes: string[] | null;
  accessToken: Buffer;
  refreshToken: Buffer | null;
  accessTokenExpiresAt: Date | null;
  refreshTokenExpiresAt: Date | null;
  monthlyViews: number | null;
}

export interface BoardWrite {
  boardId: string;
  name: string;
  privacy: string;
  description: string | null;
}

export interface TokenUpdate {
  accessToken: Buffer;
  refreshToken: Buffer;
  accessTokenExpiresAt: Date;
  refreshTokenExpiresAt: Date | null;
  scopes: string[] | null;
}

const accountColumns = `id, workspace_id, platform, pinterest_user_id, username, account_type, status, scopes, monthly_views, connected_at, updated_at`;
const tokenColumns = `id, status, access_token, refresh_token, access_token_expires_at, token_generation`;

/**
 * Serialises connections of one Pinterest user to one workspace until the transaction ends, so two
 * callbacks racing for a new account agree on one row id (the id the tokens are bound to).
 */
export async function lockAccountIdentity(db: Db, workspaceId: string, pinterestUserId: string): Promise<void> {
  await db.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`social_accounts:${workspaceId}:${pinterestUserId}`]);
}

export async function findAccountIdOfUser(db: Db, workspaceId: string, pinterestUserId: string): Promise<string | undefined> {
  const { rows } = await db.query<{ id: string }>('SELECT id FROM social_accounts WHERE workspace_id = $1 AND pinterest_user_id = $2', [
    workspaceId,
    pinterestUserId,
  ]);
  return rows[0]?.id;
}

/** Inserts the account, or (same workspace and Pinterest user) replaces its tokens and makes it active again. */
export async function upsertAccount(db: Db, a: AccountWrite): Promise<void> {
  await db.query(
    `INSERT INTO social_accounts (id, workspace_id, pinterest_user_id, username, account_type, scopes, access_token, refresh_token,
                                  access_token_expires_at, refresh_token_expires_at, monthly_views)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
     ON CONFLICT (workspace_id, pinterest_user_id) DO UPDATE SET
       username = EXCLUDED.username, account_type = EXCLUDED.account_type, scopes = EXCLUDED.scopes,
       access_token = EXCLUDED.access_token, refresh_token = EXCLUDED.refresh_token,
       access_token_expires_at = EXCLUDED.access_token_expires_at, refresh_token_expires_at = EXCLUDED.refresh_token_expires_at,
       monthly_views = EXCLUDED.monthly_views, status = 'active', token_generation = social_accounts.token_generation + 1,
       connected_at = now(), updated_at = now()`,
    [
      a.id,
      a.workspaceId,
      a.pinterestUserId,
      a.username,
      a.accountType,
      a.scopes,
      a.accessToken,
      a.refreshToken,
      a.accessTokenExpiresAt,
      a.refreshTokenExpiresAt,
      a.monthlyViews,
    ],
  );
}

/** Makes the stored boards exactly `boards`; rows of boards still there are updated, not recreated. */
export async function replaceBoards(db: Db, accountId: string, boards: BoardWrite[]): Promise<void> {
  const ids = boards.map((b) => b.boardId);
  await db.query('DELETE FROM boards WHERE account_id = $1 AND NOT (board_id = ANY($2::text[]))', [accountId, ids]);
  if (boards.length === 0) return;
  await db.query(
    `INSERT INTO boards (account_id, board_id, name, privacy, description, fetched_at)
     SELECT $1, * , now() FROM unnest($2::text[], $3::text[], $4::text[], $5::text[])
     ON CONFLICT (account_id, board_id) DO UPDATE SET
       name = EXCLUDED.name, privacy = EXCLUDED.privacy, description = EXCLUDED.description, fetched_at = EXCLUDED.fetched_at`,
    [accountId, ids, boards.map((b) => b.name), boards.map((b) => b.privacy), boards.map((b) => b.description)],
  );
}

export async function findAccount(db: Db, workspaceId: string, accountId: string): Promise<AccountRow | undefined> {
  const { rows } = await db.query<AccountRow>(`SELECT ${accountColumns} FROM social_accounts WHERE id = $1 AND workspace_id = $2`, [
    accountId,
    workspaceId,
  ]);
  return rows[0];
}

export async function listAccounts(db: Db, workspaceId: string): Promise<AccountRow[]> {
  const { rows } = await db.query<AccountRow>(
    `SELECT ${accountColumns} FROM social_accounts WHERE workspace_id = $1 ORDER BY connected_at, id`,
    [workspaceId],
  );
  return rows;
}

/** Boards of the given accounts of the workspace (the join keeps another workspace's boards out). */
export async function listBoards(db: Db, workspaceId: string, accountIds: string[]): Promise<BoardRow[]> {
  const { rows } = await db.query<BoardRow>(
    `SELECT b.* FROM boards b JOIN social_accounts a ON a.id = b.account_id
     WHERE a.workspace_id = $1 AND b.account_id = ANY($2::text[]) ORDER BY b.account_id, b.name, b.board_id`,
    [workspaceId, accountIds],
  );
  return rows;
}

/** For checking a post's targets in one query: each asked account of the workspace, its status and which of `boardIds` it has. */
export async function accountsWithBoards(
  db: Db,
  workspaceId: string,
  accountIds: readonly string[],
  boardIds: readonly string[],
): Promise<Array<{ id: string; status: string; board_ids: string[] }>> {
  const { rows } = await db.query<{ id: string; status: string; board_ids: string[] }>(
    `SELECT a.id, a.status, ARRAY(SELECT b.board_id FROM boards b WHERE b.account_id = a.id AND b.board_id = ANY($3::text[])) AS board_ids
     FROM social_accounts a WHERE a.workspace_id = $1 AND a.id = ANY($2::text[])`,
    [workspaceId, accountIds, boardIds],
  );
  return rows;
}

export async function deleteAccount(db: Db, workspaceId: string, accountId: string): Promise<boolean> {
  const { rowCount } = await db.query('DELETE FROM social_accounts WHERE id = $1 AND workspace_id = $2', [accountId, workspaceId]);
  return (rowCount ?? 0) > 0;
}

// ---------------------------------------------------------------------------------------------------
// Tokens

export async function findTokens(db: Db, accountId: string): Promise<TokenRow | undefined> {
  const { rows } = await db.query<TokenRow>(`SELECT ${tokenColumns} FROM social_accounts WHERE id = $1`, [accountId]);
  return rows[0];
}

/** The tokens under a row lock held until the transaction ends: one refresher per account, across processes. */
export async function lockTokens(db: Db, accountId: string): Promise<TokenRow | undefined> {
  const { rows } = await db.query<TokenRow>(`SELECT ${tokenColumns} FROM social_accounts WHERE id = $1 FOR UPDATE`, [accountId]);
  return rows[0];
}

export async function updateTokens(db: Db, accountId: string, t: TokenUpdate): Promise<number> {
  const { rows } = await db.query<{ token_generation: number }>(
    `UPDATE social_accounts SET access_token = $2, refresh_token = $3, access_token_expires_at = $4,
       refresh_token_expires_at = COALESCE($5, refresh_token_expires_at), scopes = COALESCE($6, scopes),
       token_generation = token_generation + 1, updated_at = now()
     WHERE id = $1 RETURNING token_generation`,
    [accountId, t.accessToken, t.refreshToken, t.accessTokenExpiresAt, t.refreshTokenExpiresAt, t.scopes],
  );
  const generation = rows[0]?.token_generation;
  if (generation === undefined) throw new Error(`account ${accountId} vanished while its token was refreshed`);
  return generation;
}

export async function markReconnectRequired(db: Db, accountId: string): Promise<void> {
  await db.query("UPDATE social_accounts SET status = 'reconnect_required', updated_at = now() WHERE id = $1", [accountId]);
}

// ---------------------------------------------------------------------------------------------------
// OAuth state nonces

export interface OAuthStateRow {
  nonce: string;
  workspace_id: string;
  redirect_after: string | null;
  expires_at: Date;
  used_at: Date | null;
}

export async function insertOAuthState(
  db: Db,
  s: { nonce: string; workspaceId: string; redirectAfter: string | null; expiresAt: Date },
): Promise<void> {
  // Expired nonces are of no use to anyone; sweeping them here keeps the table small without a cron job.
  await db.query("DELETE FROM oauth_states WHERE expires_at < now() - interval '1 day'");
  await db.query('INSERT INTO oauth_states (nonce, workspace_id, redirect_after, expires_at) VALUES ($1, $2, $3, $4)', [
    s.nonce,
    s.workspaceId,
    s.redirectAfter,
    s.expiresAt,
  ]);
}

export async function findOAuthState(db: Db, nonce: string): Promise<OAuthStateRow | undefined> {
  const { rows } = await db.query<OAuthStateRow>('SELECT * FROM oauth_states WHERE nonce = $1', [nonce]);
  return rows[0];
}

/** Marks the nonce used; false when it was already used, has expired or belongs to another workspace. */
export async function consumeOAuthState(db: Db, nonce: string, workspaceId: string): Promise<boolean> {
  const { rowCount } = await db.query(
    'UPDATE oauth_states SET used_at = now() WHERE nonce = $1 AND workspace_id = $2 AND used_at IS NULL AND expires_at > now()',
    [nonce, workspaceId],
  );
  return (rowCount ?? 0) > 0;
}
