// Connecting a Pinterest account: the OAuth round trip (connect → consent page → callback) and the
// server-to-server hand-over of tokens a backend already holds. Both read the user account and every
// board with the new token, then store account, sealed tokens and boards in one transaction.
import type { Config } from '../config';
import type { Deps } from '../deps';
import * as q from '../db/accounts';
import { inTransaction, type Db } from '../db/pool';
import { PinflowError } from '../domain/errors';
import { newId } from '../domain/ids';
import { isPinterestApiError, type Account as PinterestAccount, type Board as PinterestBoard, type PinterestScope } from '../pinterest';
import { asPinflowError } from './errors';
import { newStateNonce, OAUTH_STATE_TTL_MS, signState, verifyState } from './oauth-state';
import type { Account, CallbackQuery, ConnectRequest, ConnectResponse, TokenConnectRequest } from './schemas';
import { boardWrite, getAccount } from './service';
import { encryptToken, type TokenKeys } from './token-crypto';
import { parseScopes } from './tokens';

export const OAUTH_CALLBACK_PATH = '/v1/oauth/pinterest/callback';

/**
 * What pinflow asks for. The guide lists boards:read, boards:read_secret, pins:read and pins:write, but
 * Pinterest's spec (security block of POST /v5/pins) also requires boards:write to create a pin, and the
 * emulator enforces it as the spec says; boards:read_secret lets the board list include secret boards;
 * user_accounts:read reads the account (id, username, monthly views). pins:write_secret is left out:
 * whether pinning to a secret board needs it is unconfirmed (api-notes §1), and asking for less is kinder.
 */
export const REQUESTED_SCOPES = [
  'boards:read',
  'boards:read_secret',
  'boards:write',
  'pins:read',
  'pins:write',
  'user_accounts:read',
] as const satisfies readonly PinterestScope[];

type ConnectDeps = Pick<Deps, 'config' | 'db' | 'pinterest' | 'secrets' | 'logger'>;

export function callbackUrl(config: Pick<Config, 'PUBLIC_URL' | 'HOST' | 'PORT'>): string {
  const base = config.PUBLIC_URL ?? `http://${config.HOST}:${config.PORT}`;
  return `${base.replace(/\/+$/, '')}${OAUTH_CALLBACK_PATH}`;
}

/** Step 1: a signed, single-use state and the consent page URL to send the user to. */
export async function startConnect(deps: ConnectDeps, workspaceId: string, request: ConnectRequest): Promise<ConnectResponse> {
  const nonce = newStateNonce();
  const expiresAt = Date.now() + OAUTH_STATE_TTL_MS;
  await q.insertOAuthState(deps.db, { nonce, workspaceId, redirectAfter: request.redirectAfter ?? null, expiresAt: new Date(expiresAt) });
  const state = signState(deps.secrets.serverSecret, { workspaceId, nonce, expiresAt });
  const authorizeUrl = deps.pinterest.authorizeUrl({ redirectUri: callbackUrl(deps.config), scopes: REQUESTED_SCOPES, state });
  return { authorizeUrl, state, expiresAt: new Date(expiresAt).toISOString() };
}

export interface Connected {
  account: Account;
  /** Where the browser goes next (from the connect request), or null to answer JSON. */
  redirectAfter: string | null;
}

/** Step 2, Pinterest's redirect back: verify the state, exchange the code, read and store the account. */
export async function completeConnect(deps: ConnectDeps, query: CallbackQuery): Promise<Connected> {
  // The state first: nothing else in an unverified callback is worth believing, not even its error.
  const state = verifyState(deps.secrets.serverSecret, query.state);
  if (query.error !== undefined) throw denied(query.error);
  if (!query.code)
    throw new PinflowError('VALIDATION_FAILED', 'The callback carries neither code nor error.', [
      { code: 'VALIDATION_FAILED', message: 'code is missing', path: 'code' },
    ]);
  const row = await q.findOAuthState(deps.db, state.nonce);
  if (!row || row.workspace_id !== state.workspaceId || row.used_at !== null) throw stateUsed();

  const tokens = await exchangeCode(deps, query.code);
  requireScopes(tokens.scope);
  const pinterest = await readPinterest(deps, tokens.accessToken);
  const accountId = await inTransaction(deps.db, async (client) => {
    // Marked used in the transaction that stores the account: a replay racing us finds it used, or waits.
    if (!(await q.consumeOAuthState(client, state.nonce, state.workspaceId))) throw stateUsed();
    const now = Date.now();
    return storeConnection(client, deps.secrets, {
      workspaceId: state.workspaceId,
      ...pinterest,
      scopes: parseScopes(tokens.scope),
      accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken,
      accessTokenExpiresAt: new Date(now + tokens.expiresIn * 1000),
      refreshTokenExpiresAt: tokens.refreshTokenExpiresIn === undefined ? null : new Date(now + tokens.refreshTokenExpiresIn * 1000),
    });
  });
  deps.logger.info({ workspaceId: state.workspaceId, accountId }, 'connected a Pinterest account');
  return { account: await getAccount(deps.db, state.workspaceId, accountId), redirectAfter: row.redirect_after };
}

/** Where a failed callback should send the browser, when its state is genuine and asked for a redirect. */
export async function redirectAfterFailure(deps: ConnectDeps, stateParam: string | undefined): Promise<string | null> {
  try {
    const state = verifyState(deps.secrets.serverSecret, stateParam);
    const row = await q.findOAuthState(deps.db, state.nonce);
    return row && row.workspace_id === state.workspaceId ? row.redirect_after : null;
  } catch {
    return null;
  }
}

/** Server-to-server: tokens a backend obtained itself. Pinterest is asked who they belong to. */
export async function connectWithTokens(deps: ConnectDeps, workspaceId: string, request: TokenConnectRequest): Promise<Account> {
  const pinterest = await readPinterest(deps, request.accessToken);
  const now = Date.now();
  const accountId = await inTransaction(deps.db, (client) =>
    storeConnection(client, deps.secrets, {
      workspaceId,
      ...pinterest,
      // Unknown until the first refresh names them: Pinterest has no endpoint that lists a user token's scopes.
      scopes: null,
      accessToken: request.accessToken,
      refreshToken: request.refreshToken ?? null,
      accessTokenExpiresAt: request.expiresIn === undefined ? null : new Date(now + request.expiresIn * 1000),
      refreshTokenExpiresAt: request.refreshTokenExpiresIn === undefined ? null : new Date(now + request.refreshTokenExpiresIn * 1000),
    }),
  );
  deps.logger.info({ workspaceId, accountId }, 'connected a Pinterest account with given tokens');
  return getAccount(deps.db, workspaceId, accountId);
}

// ---------------------------------------------------------------------------------------------------

function denied(error: string): PinflowError {
  const message =
    error === 'access_denied' ? 'The Pinterest user did not grant access.' : `Pinterest did not grant access (error=${error}).`;
  return new PinflowError('OAUTH_DENIED', message);
}

function stateUsed(): PinflowError {
  return new PinflowError('OAUTH_STATE_INVALID', 'The OAuth state is unknown or was already used; start the connection again.');
}

async function exchangeCode(deps: ConnectDeps, code: string): ReturnType<ConnectDeps['pinterest']['exchangeCode']> {
  try {
    return await deps.pinterest.exchangeCode({ code, redirectUri: callbackUrl(deps.config) });
  } catch (err) {
    if (!isPinterestApiError(err)) throw err;
    // A 5xx or a timeout is a failed exchange too: the code is single-use, so the user must start again either way.
    throw new PinflowError('OAUTH_EXCHANGE_FAILED', `Pinterest did not exchange the authorization code: ${err.message}`);
  }
}

/** Without these the account can neither list its boards nor publish: refuse now rather than at the due time. */
function requireScopes(granted: string): void {
  const scopes = new Set(parseScopes(granted) ?? []);
  const missing = REQUESTED_SCOPES.filter((scope) => !scopes.has(scope));
  if (missing.length > 0)
    throw new PinflowError(
      'PINTEREST_SCOPE_MISSING',
      `Pinterest granted no ${missing.join(', ')}; connect again and allow every requested permission.`,
    );
}

interface PinterestView {
  user: PinterestAccount;
  boards: PinterestBoard[];
}

/** The user account and every board the token may see (secret ones too, with boards:read_secret). */
async function readPinterest(deps: ConnectDeps, accessToken: string): Promise<PinterestView> {
  try {
    const user = await deps.pinterest.getUserAccount(accessToken);
    const boards = await deps.pinterest.listBoards(accessToken);
    return { user, boards };
  } catch (err) {
    throw asPinflowError(err);
  }
}

interface Connection extends PinterestView {
  workspaceId: string;
  scopes: string[] | null;
  accessToken: string;
  refreshToken: string | null;
  accessTokenExpiresAt: Date | null;
  refreshTokenExpiresAt: Date | null;
}

/** Inside a transaction: the account row (new, or the one this user already has here) and its boards. */
async function storeConnection(db: Db, keys: TokenKeys, c: Connection): Promise<string> {
  await q.lockAccountIdentity(db, c.workspaceId, c.user.id);
  const id = (await q.findAccountIdOfUser(db, c.workspaceId, c.user.id)) ?? newId('account');
  await q.upsertAccount(db, {
    id,
    workspaceId: c.workspaceId,
    pinterestUserId: c.user.id,
    username: c.user.username,
    accountType: c.user.account_type ?? null,
    scopes: c.scopes,
    accessToken: encryptToken(keys, c.accessToken, { accountId: id, kind: 'access' }),
    refreshToken: c.refreshToken === null ? null : encryptToken(keys, c.refreshToken, { accountId: id, kind: 'refresh' }),
    accessTokenExpiresAt: c.accessTokenExpiresAt,
    refreshTokenExpiresAt: c.refreshTokenExpiresAt,
    monthlyViews: c.user.monthly_views ?? null,
  });
  await q.replaceBoards(db, id, c.boards.map(boardWrite));
  return id;
}
