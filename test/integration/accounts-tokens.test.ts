// Access tokens for calls on an account's behalf: refreshed ahead of expiry, refreshed once when Pinterest
// rejects one, one refresh for many concurrent callers (in one process and across replicas), and an
// account that needs reconnecting when Pinterest refuses the refresh. Pinterest is the emulator over HTTP.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { decryptToken } from '../../src/accounts/token-crypto';
import { withAccessToken, type TokenDeps } from '../../src/accounts/tokens';
import type { Account } from '../../src/accounts/schemas';
import { createPool } from '../../src/db/pool';
import { PinflowError } from '../../src/domain/errors';
import { PinterestApiError } from '../../src/pinterest';
import { connectDemoAccount } from '../support/accounts';
import { startTestSystem, type TestSystem } from '../support/system';

let ts: TestSystem;
let deps: TokenDeps;

before(async () => {
  ts = await startTestSystem({ emulator: { recordTraffic: true } });
  deps = ts.system.deps;
});
after(async () => {
  await ts?.stop();
});
beforeEach(() => ts.emulator.state.clearFaults());

/** Refresh-token exchanges the emulator has served so far. */
function refreshExchanges(): number {
  return ts.emulator.state
    .traffic()
    .filter((t) => t.route === '/v5/oauth/token' && (t.requestBody as { grant_type?: string }).grant_type === 'refresh_token').length;
}

async function stored(accountId: string): Promise<{ status: string; accessToken: string; refreshToken: string | null }> {
  const { rows } = await ts.system.db.query<{ status: string; access_token: Buffer; refresh_token: Buffer | null }>(
    'SELECT status, access_token, refresh_token FROM social_accounts WHERE id = $1',
    [accountId],
  );
  const row = rows[0]!;
  const keys = ts.system.secrets;
  return {
    status: row.status,
    accessToken: decryptToken(keys, row.access_token, { accountId, kind: 'access' }),
    refreshToken: row.refresh_token && decryptToken(keys, row.refresh_token, { accountId, kind: 'refresh' }),
  };
}

/** A Pinterest call that records the token it was given. */
function readAccountWith(seen: string[]): (token: string) => Promise<string> {
  return async (token) => {
    seen.push(token);
    return (await deps.pinterest.getUserAccount(token)).username;
  };
}

const isCode = (code: string) => (err: unknown) => err instanceof PinflowError && err.code === code;

describe('withAccessToken', () => {
  it('calls Pinterest with the stored token while it is valid, without refreshing', async () => {
    const account = await connectDemoAccount(ts);
    const before = refreshExchanges();
    const seen: string[] = [];
    assert.equal(await withAccessToken(deps, account.accountId, readAccountWith(seen)), 'pinflow_demo');
    assert.deepEqual(seen, [account.accessToken]);
    assert.equal(refreshExchanges(), before);
  });

  it('refreshes a token Pinterest rejects during a call once, retries the call once, and stores the newest refresh token', async () => {
    const account = await connectDemoAccount(ts);
    ts.emulator.state.expireToken(account.accessToken);
    const before = refreshExchanges();
    const seen: string[] = [];
    assert.equal(await withAccessToken(deps, account.accountId, readAccountWith(seen)), 'pinflow_demo');
    assert.equal(refreshExchanges() - before, 1, 'one refresh');
    assert.equal(seen.length, 2, 'the call, then one retry');
    assert.equal(seen[0], account.accessToken);
    const now = await stored(account.accountId);
    assert.equal(seen[1], now.accessToken, 'the retry used the refreshed token, which is stored');
    assert.notEqual(now.refreshToken, account.refreshToken, 'the new refresh token replaced the spent one');
    assert.equal(now.status, 'active');

    // The stored refresh token is the one that works now: expire again, and refreshing succeeds again.
    ts.emulator.state.expireToken(now.accessToken);
    assert.equal(await withAccessToken(deps, account.accountId, readAccountWith([])), 'pinflow_demo');
    assert.equal(refreshExchanges() - before, 2);
  });

  it('refreshes ahead of time a token that expires within a day', async () => {
    const account = await connectDemoAccount(ts, { expiresIn: 3600 });
    const before = refreshExchanges();
    const seen: string[] = [];
    await withAccessToken(deps, account.accountId, readAccountWith(seen));
    assert.equal(refreshExchanges() - before, 1);
    assert.equal(seen.length, 1, 'no rejected call first');
    assert.notEqual(seen[0], account.accessToken);
  });

  it('does not refresh for a failure that is not about the token', async () => {
    const account = await connectDemoAccount(ts);
    const before = refreshExchanges();
    let calls = 0;
    await assert.rejects(
      withAccessToken(deps, account.accountId, async (token) => {
        calls++;
        return deps.pinterest.listBoardPins(token, '1200000000000000999');
      }),
      (err: unknown) => err instanceof PinterestApiError && err.code !== 'PINTEREST_TOKEN_INVALID',
    );
    assert.equal(calls, 1);
    assert.equal(refreshExchanges(), before);
  });

  describe('concurrent refreshes of one account', () => {
    it('in one process: one token exchange, and every caller gets the new token', async () => {
      const account = await connectDemoAccount(ts);
      ts.emulator.state.expireToken(account.accessToken);
      ts.emulator.state.setFaults({ latencyMs: 150, routes: ['POST /v5/oauth/token'] });
      const before = refreshExchanges();
      const seen: string[][] = [[], [], []];
      await Promise.all(seen.map((s) => withAccessToken(deps, account.accountId, readAccountWith(s))));
      assert.equal(refreshExchanges() - before, 1, 'exactly one token exchange');
      const { accessToken } = await stored(account.accountId);
      for (const s of seen) assert.deepEqual(s, [account.accessToken, accessToken]);
    });

    it('across two replicas (two pools, no shared memory): the row lock lets one refresh, the other uses its token', async () => {
      const account = await connectDemoAccount(ts);
      const replica: TokenDeps = { ...deps, db: createPool(ts.config.DATABASE_URL!, 2) };
      try {
        ts.emulator.state.expireToken(account.accessToken);
        ts.emulator.state.setFaults({ latencyMs: 300, routes: ['POST /v5/oauth/token'] });
        const before = refreshExchanges();
        const seenA: string[] = [];
        const seenB: string[] = [];
        await Promise.all([
          withAccessToken(deps, account.accountId, readAccountWith(seenA)),
          withAccessToken(replica, account.accountId, readAccountWith(seenB)),
        ]);
        assert.equal(refreshExchanges() - before, 1, 'exactly one token exchange');
        const now = await stored(account.accountId);
        assert.equal(now.status, 'active', 'nobody spent a dead refresh token');
        assert.deepEqual(seenA, [account.accessToken, now.accessToken]);
        assert.deepEqual(seenB, [account.accessToken, now.accessToken]);
      } finally {
        await replica.db.end();
      }
    });
  });

  describe('when the connection is gone', () => {
    it('marks the account reconnect_required when Pinterest refuses the refresh token, then fails fast', async () => {
      const account = await connectDemoAccount(ts);
      ts.emulator.state.expireToken(account.accessToken);
      ts.emulator.state.revokeToken(account.refreshToken);
      await assert.rejects(withAccessToken(deps, account.accountId, readAccountWith([])), isCode('ACCOUNT_RECONNECT_REQUIRED'));
      assert.equal((await stored(account.accountId)).status, 'reconnect_required');
      const shown = await ts.call<Account>('GET', `/v1/accounts/${account.accountId}`);
      assert.equal(shown.body.status, 'reconnect_required');

      const traffic = ts.emulator.state.traffic().length;
      let called = false;
      await assert.rejects(
        withAccessToken(deps, account.accountId, async () => {
          called = true;
        }),
        isCode('ACCOUNT_RECONNECT_REQUIRED'),
      );
      assert.equal(called, false);
      assert.equal(ts.emulator.state.traffic().length, traffic, 'no call to Pinterest');

      const refresh = await ts.call('POST', `/v1/accounts/${account.accountId}/boards/refresh`);
      assert.equal(refresh.status, 409);
      assert.equal((refresh.body as { errors: Array<{ code: string }> }).errors[0]?.code, 'ACCOUNT_RECONNECT_REQUIRED');

      const reconnected = await connectDemoAccount(ts);
      assert.equal(reconnected.accountId, account.accountId, 'reconnecting revives the same account');
      assert.equal((await stored(account.accountId)).status, 'active');
    });

    it('keeps the account active when the token endpoint merely fails (5xx): the caller retries later', async () => {
      const account = await connectDemoAccount(ts);
      ts.emulator.state.expireToken(account.accessToken);
      ts.emulator.state.setFaults({ serverErrorRate: 1, routes: ['POST /v5/oauth/token'] });
      await assert.rejects(
        withAccessToken(deps, account.accountId, readAccountWith([])),
        (err: unknown) => err instanceof PinterestApiError && err.code === 'PINTEREST_UNAVAILABLE' && err.retryable,
      );
      const now = await stored(account.accountId);
      assert.equal(now.status, 'active');
      assert.equal(now.refreshToken, account.refreshToken, 'the refresh token was not spent');
    });

    it('marks an account without a refresh token reconnect_required once Pinterest rejects its token', async () => {
      const tokens = ts.emulator.state.issueTokens({ userId: '1100000000000000002', scopes: ['user_accounts:read', 'boards:read'] });
      const res = await ts.call<Account>('POST', '/v1/accounts/pinterest', { accessToken: tokens.accessToken });
      assert.equal(res.status, 201);
      ts.emulator.state.revokeToken(tokens.accessToken);
      await assert.rejects(withAccessToken(deps, res.body.id, readAccountWith([])), isCode('ACCOUNT_RECONNECT_REQUIRED'));
      assert.equal((await stored(res.body.id)).status, 'reconnect_required');
    });

    it('answers ACCOUNT_NOT_FOUND for an account that does not exist', async () => {
      await assert.rejects(withAccessToken(deps, 'soc_gone00000000000000', readAccountWith([])), isCode('ACCOUNT_NOT_FOUND'));
    });
  });
});
