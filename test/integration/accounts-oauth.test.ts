// Connecting a Pinterest account through OAuth, end to end: pinflow's API, the emulator's consent page and
// token endpoint over HTTP, a real PostgreSQL.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { OAUTH_STATE_TTL_MS, newStateNonce, signState } from '../../src/accounts/oauth-state';
import type { Account, ConnectResponse } from '../../src/accounts/schemas';
import type { ErrorBody } from '../../src/api/errors';
import { demo } from '../../src/emulator';
import { answerConsent } from '../support/accounts';
import { startTestSystem, type TestSystem } from '../support/system';

let ts: TestSystem;

before(async () => {
  ts = await startTestSystem({ emulator: { recordTraffic: true } });
});
after(async () => {
  await ts?.stop();
});

/** Path and query of a URL on pinflow's API, for `ts.call`. */
const onApi = (url: string): string => {
  const parsed = new URL(url);
  assert.equal(parsed.origin, new URL(ts.apiUrl).origin, `${url} is on pinflow's API`);
  return parsed.pathname + parsed.search;
};

async function connect(body?: { redirectAfter?: string }, key?: string): Promise<ConnectResponse> {
  const res = await ts.call<ConnectResponse>('POST', '/v1/accounts/pinterest/connect', body, { key });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body;
}

/** The browser arriving at pinflow's callback (no API key). */
const callback = <T>(url: string) => ts.call<T>('GET', onApi(url), undefined, { key: null });

async function counts(): Promise<{ accounts: number; boards: number }> {
  const { rows } = await ts.system.db.query<{ accounts: number; boards: number }>(
    'SELECT (SELECT count(*)::int FROM social_accounts) AS accounts, (SELECT count(*)::int FROM boards) AS boards',
  );
  return rows[0]!;
}

function codeOf(body: unknown): string | undefined {
  return (body as ErrorBody).errors?.[0]?.code;
}

const callbackUrl = (query: Record<string, string>): string => `${ts.apiUrl}/v1/oauth/pinterest/callback?${new URLSearchParams(query)}`;

describe('connecting Pinterest through OAuth', () => {
  it('asks Pinterest for the scopes to read boards (secret too), the account, and to create pins', async () => {
    const { authorizeUrl, state, expiresAt } = await connect();
    const url = new URL(authorizeUrl);
    assert.equal(url.origin + url.pathname, `${ts.emulator.url}/oauth/`);
    assert.equal(url.searchParams.get('redirect_uri'), `${ts.apiUrl}/v1/oauth/pinterest/callback`);
    assert.equal(url.searchParams.get('response_type'), 'code');
    assert.equal(url.searchParams.get('state'), state);
    assert.deepEqual(url.searchParams.get('scope')?.split(',').sort(), [
      'boards:read',
      'boards:read_secret',
      'boards:write',
      'pins:read',
      'pins:write',
      'user_accounts:read',
    ]);
    const ttl = Date.parse(expiresAt) - Date.now();
    assert.ok(ttl > OAUTH_STATE_TTL_MS - 60_000 && ttl <= OAUTH_STATE_TTL_MS, 'the state lasts ten minutes');
  });

  it('connects the user who approves on the consent page, with every board including the secret one', async () => {
    const { authorizeUrl } = await connect();
    const res = await callback<{ account: Account }>(await answerConsent(authorizeUrl, 'allow'));
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const { account } = res.body;
    assert.match(account.id, /^soc_/);
    assert.equal(account.platform, 'PINTEREST');
    assert.equal(account.pinterestUserId, demo.userId);
    assert.equal(account.username, demo.username);
    assert.equal(account.status, 'active');
    assert.equal(account.monthlyViews, 48_210);
    assert.ok(account.scopes?.includes('pins:write') && account.scopes.includes('boards:read_secret'));
    const boards = Object.fromEntries(account.boards.map((b) => [b.id, b]));
    assert.deepEqual(
      Object.keys(boards).sort(),
      [demo.boards.recipes, demo.boards.travel, demo.boards.drafts].sort(),
      "the demo user's boards, not someone else's",
    );
    assert.equal(boards[demo.boards.drafts]?.privacy, 'SECRET');
    assert.equal(boards[demo.boards.recipes]?.name, 'Recipes');

    const listed = await ts.call<{ items: Account[] }>('GET', '/v1/accounts');
    assert.deepEqual(
      listed.body.items.map((a) => a.id),
      [account.id],
      'the workspace that started the connection has the account',
    );
  });

  it('reconnecting the same Pinterest user updates the account and keeps its id', async () => {
    const before = (await ts.call<{ items: Account[] }>('GET', '/v1/accounts')).body.items;
    const { authorizeUrl } = await connect();
    const res = await callback<{ account: Account }>(await answerConsent(authorizeUrl, 'allow'));
    assert.equal(res.status, 200);
    const after = (await ts.call<{ items: Account[] }>('GET', '/v1/accounts')).body.items;
    assert.equal(after.length, before.length);
    assert.equal(res.body.account.id, before[0]?.id);
  });

  it('sends the browser on to redirectAfter with the account id', async () => {
    const { authorizeUrl } = await connect({ redirectAfter: 'https://app.example.com/settings/pinterest?tab=accounts' });
    const res = await callback(await answerConsent(authorizeUrl, 'allow'));
    assert.equal(res.status, 302);
    const to = new URL(res.headers.get('location')!);
    assert.equal(to.origin + to.pathname, 'https://app.example.com/settings/pinterest');
    assert.equal(to.searchParams.get('tab'), 'accounts');
    assert.match(to.searchParams.get('accountId') ?? '', /^soc_/);
  });

  it('refuses a redirectAfter that is not an http(s) URL', async () => {
    const res = await ts.call('POST', '/v1/accounts/pinterest/connect', { redirectAfter: 'javascript:alert(1)' });
    assert.equal(res.status, 400);
    assert.equal(codeOf(res.body), 'VALIDATION_FAILED');
  });

  describe('failures store nothing', () => {
    let fresh: TestSystem['workspace'];
    before(async () => {
      fresh = await ts.newWorkspace('failures');
    });
    const freshAccounts = async (): Promise<number> =>
      (await ts.call<{ items: Account[] }>('GET', '/v1/accounts', undefined, { key: fresh.apiKey })).body.items.length;

    it('answers OAUTH_DENIED when the user denies access', async () => {
      const stored = await counts();
      const { authorizeUrl } = await connect(undefined, fresh.apiKey);
      const location = await answerConsent(authorizeUrl, 'deny');
      assert.equal(new URL(location).searchParams.get('error'), 'access_denied');
      const res = await callback(location);
      assert.equal(res.status, 400);
      assert.equal(codeOf(res.body), 'OAUTH_DENIED');
      assert.deepEqual(await counts(), stored);
      assert.equal(await freshAccounts(), 0);
    });

    it('sends a denied browser on to redirectAfter with error=OAUTH_DENIED', async () => {
      const { authorizeUrl } = await connect({ redirectAfter: 'https://app.example.com/done' }, fresh.apiKey);
      const res = await callback(await answerConsent(authorizeUrl, 'deny'));
      assert.equal(res.status, 302);
      const to = new URL(res.headers.get('location')!);
      assert.equal(to.searchParams.get('error'), 'OAUTH_DENIED');
      assert.equal(to.searchParams.get('accountId'), null);
      assert.equal(await freshAccounts(), 0);
    });

    it('answers OAUTH_STATE_INVALID to a state signed with another secret', async () => {
      const { state } = await connect(undefined, fresh.apiKey);
      const payload = JSON.parse(Buffer.from(state.split('.')[0]!, 'base64url').toString('utf8')) as Parameters<typeof signState>[1];
      const forged = signState('an-attacker-secret-of-32-characters-or-more', payload);
      const res = await callback(callbackUrl({ code: 'whatever', state: forged }));
      assert.equal(res.status, 400);
      assert.equal(codeOf(res.body), 'OAUTH_STATE_INVALID');
      assert.equal(await freshAccounts(), 0);
    });

    it('answers OAUTH_STATE_INVALID to a state whose workspace was swapped, and to a missing state', async () => {
      const { state } = await connect(undefined, fresh.apiKey);
      const [payload, signature] = state.split('.');
      const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8')) as { workspaceId: string };
      const swapped = Buffer.from(JSON.stringify({ ...claims, workspaceId: ts.workspace.id })).toString('base64url');
      const queries: Array<Record<string, string>> = [{ code: 'x', state: `${swapped}.${signature}` }, { code: 'x' }];
      for (const query of queries) {
        const res = await callback(callbackUrl(query));
        assert.equal(res.status, 400);
        assert.equal(codeOf(res.body), 'OAUTH_STATE_INVALID');
      }
    });

    it('answers OAUTH_STATE_INVALID to an expired state, before asking Pinterest anything', async () => {
      const expired = signState(ts.system.secrets.serverSecret, {
        workspaceId: fresh.id,
        nonce: newStateNonce(),
        expiresAt: Date.now() - 1000,
      });
      const callsBefore = ts.emulator.state.traffic().length;
      const res = await callback(callbackUrl({ code: 'whatever', state: expired }));
      assert.equal(res.status, 400);
      assert.equal(codeOf(res.body), 'OAUTH_STATE_INVALID');
      assert.equal(ts.emulator.state.traffic().length, callsBefore, 'no call to Pinterest');
    });

    it('answers OAUTH_STATE_INVALID to a genuine state whose nonce pinflow never issued', async () => {
      const unissued = signState(ts.system.secrets.serverSecret, {
        workspaceId: fresh.id,
        nonce: newStateNonce(),
        expiresAt: Date.now() + 60_000,
      });
      const res = await callback(callbackUrl({ code: 'whatever', state: unissued }));
      assert.equal(codeOf(res.body), 'OAUTH_STATE_INVALID');
    });

    it('answers OAUTH_STATE_INVALID when a completed callback is replayed', async () => {
      const { authorizeUrl } = await connect(undefined, fresh.apiKey);
      const location = await answerConsent(authorizeUrl, 'allow');
      assert.equal((await callback(location)).status, 200);
      const stored = await counts();
      const replay = await callback(location);
      assert.equal(replay.status, 400);
      assert.equal(codeOf(replay.body), 'OAUTH_STATE_INVALID');
      assert.deepEqual(await counts(), stored);
      // Back to no account, which the other failure tests assert.
      await ts.system.db.query('DELETE FROM social_accounts WHERE workspace_id = $1', [fresh.id]);
    });

    it('answers OAUTH_EXCHANGE_FAILED (502) when Pinterest refuses the code', async () => {
      const { state } = await connect(undefined, fresh.apiKey);
      const res = await callback(callbackUrl({ code: 'not-a-code-pinterest-issued', state }));
      assert.equal(res.status, 502);
      assert.equal(codeOf(res.body), 'OAUTH_EXCHANGE_FAILED');
      assert.equal(await freshAccounts(), 0);
    });

    it('answers OAUTH_EXCHANGE_FAILED when the token endpoint fails', async () => {
      const { authorizeUrl } = await connect(undefined, fresh.apiKey);
      const location = await answerConsent(authorizeUrl, 'allow');
      ts.emulator.state.setFaults({ serverErrorRate: 1, routes: ['POST /v5/oauth/token'] });
      try {
        const res = await callback(location);
        assert.equal(res.status, 502);
        assert.equal(codeOf(res.body), 'OAUTH_EXCHANGE_FAILED');
      } finally {
        ts.emulator.state.clearFaults();
      }
      assert.equal(await freshAccounts(), 0);
    });

    it('stores nothing when reading the boards fails after the exchange', async () => {
      const stored = await counts();
      const { authorizeUrl } = await connect(undefined, fresh.apiKey);
      const location = await answerConsent(authorizeUrl, 'allow');
      ts.emulator.state.setFaults({ serverErrorRate: 1, routes: ['GET /v5/boards'] });
      try {
        const res = await callback(location);
        assert.equal(res.status, 502);
        assert.equal(codeOf(res.body), 'PINTEREST_UNAVAILABLE');
      } finally {
        ts.emulator.state.clearFaults();
      }
      assert.deepEqual(await counts(), stored);
    });
  });

  it('needs an API key to start a connection', async () => {
    const res = await ts.call('POST', '/v1/accounts/pinterest/connect', undefined, { key: null });
    assert.equal(res.status, 401);
    assert.equal(codeOf(res.body), 'UNAUTHORIZED');
  });
});
