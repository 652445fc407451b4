// OAuth grants of the emulator: authorization codes (single use, bound to client and redirect URI),
// access tokens `pina_…` and continuous refresh tokens `pinr_…` (each refresh returns a new one and
// retires the old, so a caller that forgets to store the newest token finds out here, not in production).
import { randomBytes } from 'node:crypto';
import type { PinterestScope } from '../pinterest/schemas';

export interface Grant {
  clientId: string;
  userId: string;
  scopes: ReadonlySet<PinterestScope>;
}

interface Expiring extends Grant {
  expiresAt: number;
  revoked: boolean;
}

interface AuthorizationCode extends Expiring {
  redirectUri: string;
}

export interface TokenLifetimes {
  /** Seconds; Pinterest's is about 30 days [UNCONFIRMED]. */
  accessTokenTtlSec: number;
  /** Seconds; continuous refresh tokens last 60 days [SPEC]. */
  refreshTokenTtlSec: number;
  codeTtlSec: number;
}

export const defaultTokenLifetimes: TokenLifetimes = { accessTokenTtlSec: 30 * 86_400, refreshTokenTtlSec: 60 * 86_400, codeTtlSec: 600 };

export interface IssuedTokens {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  refreshTokenExpiresIn: number;
  /** Epoch seconds. */
  refreshTokenExpiresAt: number;
  scopes: PinterestScope[];
}

export type Redemption = { ok: true; tokens: IssuedTokens } | { ok: false; reason: string };

export interface TokenBook {
  issueCode(grant: Grant & { redirectUri: string }): string;
  redeemCode(input: { clientId: string; code: string; redirectUri: string }): Redemption;
  refresh(input: { clientId: string; refreshToken: string; scopes?: PinterestScope[] }): Redemption;
  /** Tokens straight away, without the consent page (tests, the demo). */
  issue(grant: Grant): IssuedTokens;
  /** The grant behind a live access token, or undefined (unknown, expired, revoked). */
  authenticate(accessToken: string): Grant | undefined;
  /** Revokes an access or a refresh token; false when it is unknown. */
  revoke(token: string): boolean;
  /** Makes an access or a refresh token expire now; false when it is unknown. */
  expire(token: string): boolean;
  reset(): void;
}

export function createTokenBook(lifetimes: TokenLifetimes, now: () => number): TokenBook {
  const codes = new Map<string, AuthorizationCode>();
  const accessTokens = new Map<string, Expiring>();
  const refreshTokens = new Map<string, Expiring>();

  const live = (entry: Expiring | undefined): entry is Expiring => entry !== undefined && !entry.revoked && entry.expiresAt > now();

  function issue(grant: Grant): IssuedTokens {
    const at = now();
    const accessToken = `pina_${randomBytes(24).toString('base64url')}`;
    const refreshToken = `pinr_${randomBytes(24).toString('base64url')}`;
    const base = { clientId: grant.clientId, userId: grant.userId, scopes: new Set(grant.scopes), revoked: false };
    accessTokens.set(accessToken, { ...base, expiresAt: at + lifetimes.accessTokenTtlSec * 1000 });
    const refreshExpiresAt = at + lifetimes.refreshTokenTtlSec * 1000;
    refreshTokens.set(refreshToken, { ...base, expiresAt: refreshExpiresAt });
    return {
      accessToken,
      refreshToken,
      expiresIn: lifetimes.accessTokenTtlSec,
      refreshTokenExpiresIn: lifetimes.refreshTokenTtlSec,
      refreshTokenExpiresAt: Math.floor(refreshExpiresAt / 1000),
      scopes: [...grant.scopes],
    };
  }

  function retire(token: string, change: (entry: Expiring) => void): boolean {
    const entry = accessTokens.get(token) ?? refreshTokens.get(token) ?? codes.get(token);
    if (!entry) return false;
    change(entry);
    return true;
  }

  return {
    issueCode(grant) {
      const code = randomBytes(18).toString('base64url');
      codes.set(code, { ...grant, scopes: new Set(grant.scopes), expiresAt: now() + lifetimes.codeTtlSec * 1000, revoked: false });
      return code;
    },

    redeemCode({ clientId, code, redirectUri }) {
      const entry = codes.get(code);
      if (!live(entry) || entry.clientId !== clientId) return { ok: false, reason: 'Invalid authorization code.' };
      // Single use, whatever the outcome: a code seen twice may have leaked.
      entry.revoked = true;
      if (entry.redirectUri !== redirectUri) return { ok: false, reason: 'redirect_uri does not match the one the code was issued for.' };
      return { ok: true, tokens: issue(entry) };
    },

    refresh({ clientId, refreshToken, scopes }) {
      const entry = refreshTokens.get(refreshToken);
      if (!live(entry) || entry.clientId !== clientId) return { ok: false, reason: 'Invalid refresh token.' };
      if (scopes && scopes.some((scope) => !entry.scopes.has(scope)))
        return { ok: false, reason: 'Requested scope exceeds the granted scope.' };
      entry.revoked = true;
      return { ok: true, tokens: issue({ ...entry, scopes: new Set(scopes ?? entry.scopes) }) };
    },

    issue,

    authenticate(accessToken) {
      const entry = accessTokens.get(accessToken);
      return live(entry) ? entry : undefined;
    },

    revoke: (token) => retire(token, (entry) => (entry.revoked = true)),
    expire: (token) => retire(token, (entry) => (entry.expiresAt = now())),

    reset() {
      codes.clear();
      accessTokens.clear();
      refreshTokens.clear();
    },
  };
}
