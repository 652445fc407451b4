// Access tokens for the code that calls Pinterest on an account's behalf (activities, board refresh).
// A token about to expire is refreshed before use; a token Pinterest rejects is refreshed once and the
// call retried once; a refresh Pinterest refuses turns the account `reconnect_required`.
//
// Continuous refresh tokens are single-use: two processes refreshing one account at once would leave one
// of them holding a dead token. So a refresh happens under the account's row lock (all replicas), after
// re-checking whether another process already refreshed, and one process sends one request (single flight).
import type { Deps } from '../deps';
import type { Db } from '../db/pool';
import { inTransaction } from '../db/pool';
import * as q from '../db/accounts';
import { PinflowError } from '../domain/errors';
import { isPinterestApiError } from '../pinterest';
import { decryptToken, encryptToken } from './token-crypto';

export type TokenDeps = Pick<Deps, 'db' | 'pinterest' | 'secrets' | 'logger'>;

/** Refresh this long before expiry: a post due soon should not wait on a refresh, nor fail on an expired token. */
export const REFRESH_AHEAD_MS = 24 * 60 * 60 * 1000;

interface CurrentToken {
  accessToken: string;
  /** social_accounts.token_generation when read: tells a waiter whether someone refreshed meanwhile. */
  generation: number;
  expiresAt: Date | null;
  canRefresh: boolean;
}

/**
 * Runs `fn` with a valid access token of the account. Throws ACCOUNT_NOT_FOUND, ACCOUNT_RECONNECT_REQUIRED,
 * or whatever `fn` throws (a PinterestApiError keeps its code and retryability).
 */
export async function withAccessToken<T>(deps: TokenDeps, accountId: string, fn: (accessToken: string) => Promise<T>): Promise<T> {
  return (await holdAccessToken(deps, accountId)).run(fn);
}

/** A token read ahead of its use (the publish path reads it before the due time); `run` refreshes it once if rejected. */
export interface HeldToken {
  run<T>(fn: (accessToken: string) => Promise<T>): Promise<T>;
}

export async function holdAccessToken(deps: TokenDeps, accountId: string): Promise<HeldToken> {
  let token = await readToken(deps, accountId);
  if (expiresSoon(token)) token = await refreshAhead(deps, accountId, token);
  const held = token;
  return {
    async run(fn) {
      try {
        return await fn(held.accessToken);
      } catch (err) {
        if (!isPinterestApiError(err) || err.code !== 'PINTEREST_TOKEN_INVALID') throw err;
        deps.logger.info({ accountId, operation: err.operation }, 'Pinterest rejected the access token; refreshing it once');
        const fresh = await refreshToken(deps, accountId, held.generation);
        return fn(fresh.accessToken);
      }
    },
  };
}

function expiresSoon(token: CurrentToken, now: number = Date.now()): boolean {
  return token.canRefresh && token.expiresAt !== null && token.expiresAt.getTime() - now < REFRESH_AHEAD_MS;
}

/** A refresh ahead of expiry that Pinterest could not serve (5xx, timeout) is no reason to fail while the token still works. */
async function refreshAhead(deps: TokenDeps, accountId: string, token: CurrentToken): Promise<CurrentToken> {
  try {
    return await refreshToken(deps, accountId, token.generation);
  } catch (err) {
    const stillValid = token.expiresAt !== null && token.expiresAt.getTime() > Date.now();
    if (!isPinterestApiError(err) || !err.retryable || !stillValid) throw err;
    deps.logger.warn({ accountId, code: err.code }, 'refreshing an expiring token failed; using the current one');
    return token;
  }
}

async function readToken(deps: TokenDeps, accountId: string): Promise<CurrentToken> {
  const row = await q.findTokens(deps.db, accountId);
  if (!row) throw new PinflowError('ACCOUNT_NOT_FOUND', `No account ${accountId}.`);
  if (row.status === 'reconnect_required') throw reconnectRequired(accountId);
  return currentToken(deps, row);
}

function currentToken(deps: TokenDeps, row: q.TokenRow): CurrentToken {
  return {
    accessToken: decryptToken(deps.secrets, row.access_token, { accountId: row.id, kind: 'access' }),
    generation: row.token_generation,
    expiresAt: row.access_token_expires_at,
    canRefresh: row.refresh_token !== null,
  };
}

function reconnectRequired(accountId: string): PinflowError {
  return new PinflowError(
    'ACCOUNT_RECONNECT_REQUIRED',
    `The Pinterest connection of account ${accountId} expired or was revoked: reconnect the account.`,
  );
}

// ---------------------------------------------------------------------------------------------------
// Refresh: single flight per process, row lock across processes

/** In-flight refreshes per pool (one pool per process; tests build a second pool to act as another replica). */
const flights = new WeakMap<Db, Map<string, Promise<CurrentToken>>>();

/** A token newer than generation `seen`: refreshed here, or by whoever got there first. */
export function refreshToken(deps: TokenDeps, accountId: string, seen: number): Promise<CurrentToken> {
  let running = flights.get(deps.db);
  if (!running) flights.set(deps.db, (running = new Map()));
  const inFlight = running.get(accountId);
  if (inFlight) return inFlight;
  const flight = refreshUnderLock(deps, accountId, seen).finally(() => running.delete(accountId));
  running.set(accountId, flight);
  return flight;
}

type Outcome = { kind: 'token'; token: CurrentToken } | { kind: 'missing' } | { kind: 'reconnect' };

async function refreshUnderLock(deps: TokenDeps, accountId: string, seen: number): Promise<CurrentToken> {
  // The lock is held across the call to Pinterest on purpose: a second refresher must wait for the new
  // refresh token, not spend the old one.
  const outcome = await inTransaction(deps.db, async (client): Promise<Outcome> => {
    const row = await q.lockTokens(client, accountId);
    if (!row) return { kind: 'missing' };
    if (row.status === 'reconnect_required') return { kind: 'reconnect' };
    if (row.token_generation !== seen) return { kind: 'token', token: currentToken(deps, row) };
    if (!row.refresh_token) {
      await q.markReconnectRequired(client, accountId);
      return { kind: 'reconnect' };
    }
    const refreshToken = decryptToken(deps.secrets, row.refresh_token, { accountId, kind: 'refresh' });
    try {
      return { kind: 'token', token: await storeRefreshed(deps, client, accountId, await deps.pinterest.refreshToken(refreshToken)) };
    } catch (err) {
      // Only a refusal (4xx from the token endpoint) means the grant is gone; 5xx and timeouts are retried by the caller.
      if (!isPinterestApiError(err) || err.code !== 'OAUTH_EXCHANGE_FAILED') throw err;
      deps.logger.warn(
        { accountId, status: err.status, pinterestCode: err.pinterestCode },
        'Pinterest refused the refresh token; the account needs reconnecting',
      );
      await q.markReconnectRequired(client, accountId);
      return { kind: 'reconnect' };
    }
  });
  if (outcome.kind === 'missing') throw new PinflowError('ACCOUNT_NOT_FOUND', `No account ${accountId}.`);
  if (outcome.kind === 'reconnect') throw reconnectRequired(accountId);
  return outcome.token;
}

type Refreshed = Awaited<ReturnType<TokenDeps['pinterest']['refreshToken']>>;

async function storeRefreshed(deps: TokenDeps, db: Db, accountId: string, tokens: Refreshed): Promise<CurrentToken> {
  const now = Date.now();
  const expiresAt = new Date(now + tokens.expiresIn * 1000);
  const generation = await q.updateTokens(db, accountId, {
    accessToken: encryptToken(deps.secrets, tokens.accessToken, { accountId, kind: 'access' }),
    // Continuous refresh: the old refresh token is spent, the new one is the only one that works.
    refreshToken: encryptToken(deps.secrets, tokens.refreshToken, { accountId, kind: 'refresh' }),
    accessTokenExpiresAt: expiresAt,
    refreshTokenExpiresAt: tokens.refreshTokenExpiresIn === undefined ? null : new Date(now + tokens.refreshTokenExpiresIn * 1000),
    scopes: parseScopes(tokens.scope),
  });
  deps.logger.info({ accountId, generation }, 'refreshed the Pinterest access token');
  return { accessToken: tokens.accessToken, generation, expiresAt, canRefresh: true };
}

/** Pinterest's `scope` is comma-separated (spaces tolerated, as OAuth's generic separator). */
export function parseScopes(scope: string): string[] | null {
  const scopes = scope.split(/[\s,]+/).filter(Boolean);
  return scopes.length > 0 ? scopes : null;
}
