// Connected accounts as the workspace sees them: list, read, remove, refresh boards. Every query is
// scoped to the workspace, so another workspace's account is indistinguishable from none.
import type { Deps } from '../deps';
import * as q from '../db/accounts';
import { PinflowError } from '../domain/errors';
import { waitingTargetsOfAccount } from '../db/posts';
import { inTransaction, type Db } from '../db/pool';
import { accountNotFound, asPinflowError } from './errors';
import type { Account, AccountSummary, Board } from './schemas';
import { withAccessToken } from './tokens';

function toSummary(row: q.AccountRow): AccountSummary {
  return {
    id: row.id,
    platform: row.platform,
    pinterestUserId: row.pinterest_user_id,
    username: row.username,
    accountType: row.account_type,
    status: row.status,
    scopes: row.scopes,
    monthlyViews: row.monthly_views,
    connectedAt: row.connected_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

function toBoard(row: q.BoardRow): Board {
  return { id: row.board_id, name: row.name, privacy: row.privacy, description: row.description };
}

/** The account (without boards) if the workspace has it: for the posts service's checks. */
export async function findAccount(db: Db, workspaceId: string, accountId: string): Promise<AccountSummary | undefined> {
  const row = await q.findAccount(db, workspaceId, accountId);
  return row && toSummary(row);
}

/** The stored boards of the account; empty when the workspace has no such account. */
export async function getBoardsOfAccount(db: Db, workspaceId: string, accountId: string): Promise<Board[]> {
  return (await q.listBoards(db, workspaceId, [accountId])).map(toBoard);
}

export async function listAccounts(db: Db, workspaceId: string): Promise<Account[]> {
  const rows = await q.listAccounts(db, workspaceId);
  const boards = await q.listBoards(
    db,
    workspaceId,
    rows.map((r) => r.id),
  );
  return rows.map((row) => ({ ...toSummary(row), boards: boards.filter((b) => b.account_id === row.id).map(toBoard) }));
}

/** The account with its boards; 404 when the workspace has no such account. */
export async function getAccount(db: Db, workspaceId: string, accountId: string): Promise<Account> {
  const account = await findAccount(db, workspaceId, accountId);
  if (!account) throw accountNotFound(accountId);
  return { ...account, boards: await getBoardsOfAccount(db, workspaceId, accountId) };
}

/**
 * Removes the account, its tokens and its boards. Refused (409 ACCOUNT_IN_USE) while posts waiting to
 * publish target it: removing it would make them fail at their time, a surprise nobody asked for.
 */
export async function removeAccount(db: Db, workspaceId: string, accountId: string): Promise<void> {
  if (!(await findAccount(db, workspaceId, accountId))) throw accountNotFound(accountId);
  const waiting = await waitingTargetsOfAccount(db, accountId);
  if (waiting > 0) throw new PinflowError('ACCOUNT_IN_USE', `${waiting} scheduled pin(s) target this account: cancel those posts first`);
  if (!(await q.deleteAccount(db, workspaceId, accountId))) throw accountNotFound(accountId);
}

/** Lists the boards again at Pinterest and stores them; answers the stored list. */
export async function refreshBoards(
  deps: Pick<Deps, 'db' | 'pinterest' | 'secrets' | 'logger'>,
  workspaceId: string,
  accountId: string,
): Promise<Board[]> {
  if (!(await findAccount(deps.db, workspaceId, accountId))) throw accountNotFound(accountId);
  const boards = await withAccessToken(deps, accountId, (token) => deps.pinterest.listBoards(token)).catch((err: unknown) => {
    throw asPinflowError(err);
  });
  await inTransaction(deps.db, (client) => q.replaceBoards(client, accountId, boards.map(boardWrite)));
  return getBoardsOfAccount(deps.db, workspaceId, accountId);
}

/** A Pinterest board as we store it; a board without a privacy is public (Pinterest's default). */
export function boardWrite(board: { id: string; name: string; privacy?: string; description?: string | null }): q.BoardWrite {
  return { boardId: board.id, name: board.name, privacy: board.privacy ?? 'PUBLIC', description: board.description ?? null };
}
