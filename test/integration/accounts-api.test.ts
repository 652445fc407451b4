// The accounts and keys API as a workspace uses it: connect with tokens, list, read, refresh boards,
// disconnect, manage keys; and what another workspace, or no key at all, gets to see (nothing).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { REQUESTED_SCOPES } from '../../src/accounts/connect';
import type { Account, Board } from '../../src/accounts/schemas';
import type { ErrorBody } from '../../src/api/errors';
import { demo } from '../../src/emulator';
import type { ApiKey } from '../../src/workspaces/schemas';
import { withAccessToken } from '../../src/accounts/tokens';
import { connectDemoAccount } from '../support/accounts';
import { startTestSystem, type TestSystem } from '../support/system';

let ts: TestSystem;
let other: TestSystem['workspace'];

before(async () => {
  ts = await startTestSystem();
  other = await ts.newWorkspace('other');
});
after(async () => {
  await ts?.stop();
});

const codeOf = (body: unknown): string | undefined => (body as ErrorBody).errors?.[0]?.code;
const unknownKey = 'pf_live_thisKeyWasNeverIssuedByPinflow0000';

async function storedRows(accountId: string): Promise<{ accounts: number; boards: number }> {
  const { rows } = await ts.system.db.query<{ accounts: number; boards: number }>(
    'SELECT (SELECT count(*)::int FROM social_accounts WHERE id = $1) AS accounts, (SELECT count(*)::int FROM boards WHERE account_id = $1) AS boards',
    [accountId],
  );
  return rows[0]!;
}

describe('connecting with tokens a backend already holds', () => {
  it('reads the account and every board with the token and stores them', async () => {
    const { accountId, boards } = await connectDemoAccount(ts);
    assert.match(accountId, /^soc_/);
    assert.deepEqual(boards.map((b) => b.name).sort(), ['Drafts', 'Recipes', 'Travel']);
    assert.deepEqual(
      boards.find((b) => b.id === demo.boards.drafts),
      { id: demo.boards.drafts, name: 'Drafts', privacy: 'SECRET', description: 'Only I see this' },
    );
  });

  it('answers PINTEREST_TOKEN_INVALID and stores nothing when Pinterest rejects the token', async () => {
    const before = await ts.system.db.query('SELECT count(*)::int AS n FROM social_accounts');
    const res = await ts.call('POST', '/v1/accounts/pinterest', { accessToken: 'pina_not_a_token_pinterest_issued' });
    assert.equal(res.status, 401);
    assert.equal(codeOf(res.body), 'PINTEREST_TOKEN_INVALID');
    const afterwards = await ts.system.db.query('SELECT count(*)::int AS n FROM social_accounts');
    assert.deepEqual(afterwards.rows, before.rows);
  });

  it('answers PINTEREST_SCOPE_MISSING when the token may not read the user account', async () => {
    const tokens = ts.emulator.state.issueTokens({ userId: demo.userId, scopes: ['boards:read'] });
    const res = await ts.call('POST', '/v1/accounts/pinterest', { accessToken: tokens.accessToken });
    assert.equal(res.status, 403);
    assert.equal(codeOf(res.body), 'PINTEREST_SCOPE_MISSING');
  });

  it('refuses a body without an access token', async () => {
    const res = await ts.call('POST', '/v1/accounts/pinterest', { refreshToken: 'pinr_x' });
    assert.equal(res.status, 400);
    assert.equal(codeOf(res.body), 'VALIDATION_FAILED');
  });
});

describe('reading accounts', () => {
  let account: Account;
  before(async () => {
    const { accountId } = await connectDemoAccount(ts);
    account = (await ts.call<Account>('GET', `/v1/accounts/${accountId}`)).body;
  });

  it('shows status, username, scopes, connection time and boards (id, name, privacy), never a token', async () => {
    const res = await ts.call<Account>('GET', `/v1/accounts/${account.id}`);
    assert.equal(res.status, 200);
    assert.equal(res.body.status, 'active');
    assert.equal(res.body.username, demo.username);
    assert.equal(res.body.scopes, null, 'a handed-over token does not say its scopes');
    assert.ok(Math.abs(Date.parse(res.body.connectedAt) - Date.now()) < 60_000);
    assert.ok(res.body.boards.every((b) => /^\d+$/.test(b.id) && b.name && b.privacy));
    assert.doesNotMatch(JSON.stringify(res.body), /pina_|pinr_|token/i);
  });

  it('lists the accounts of the workspace with their boards', async () => {
    const res = await ts.call<{ items: Account[] }>('GET', '/v1/accounts');
    assert.equal(res.status, 200);
    const listed = res.body.items.find((a) => a.id === account.id);
    assert.deepEqual(listed, account);
  });

  it('learns the scopes at the first token refresh', async () => {
    const { accountId } = await connectDemoAccount(ts, { userId: demo.otherUserId });
    // Expiring within the refresh margin: the next use refreshes it first.
    await ts.system.db.query("UPDATE social_accounts SET access_token_expires_at = now() + interval '1 minute' WHERE id = $1", [accountId]);
    await withAccessToken(ts.system.deps, accountId, (token) => ts.system.deps.pinterest.getUserAccount(token));
    const res = await ts.call<Account>('GET', `/v1/accounts/${accountId}`);
    assert.deepEqual(res.body.scopes?.slice().sort(), [...REQUESTED_SCOPES].sort());
  });
});

describe('refreshing boards', () => {
  it('picks up a board created at Pinterest and drops one that is gone', async () => {
    const { accountId } = await connectDemoAccount(ts);
    ts.emulator.state.seed({
      boards: [
        { id: '1200000000000000077', ownerId: demo.userId, name: 'New board', privacy: 'PUBLIC' },
        // Handed to someone else: no longer a board of the demo user.
        { id: demo.boards.travel, ownerId: demo.otherUserId, name: 'Travel', privacy: 'PUBLIC' },
      ],
    });
    try {
      const res = await ts.call<{ items: Board[] }>('POST', `/v1/accounts/${accountId}/boards/refresh`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(res.body.items.map((b) => b.name).sort(), ['Drafts', 'New board', 'Recipes']);
      const stored = await ts.call<Account>('GET', `/v1/accounts/${accountId}`);
      assert.deepEqual(stored.body.boards, res.body.items);
    } finally {
      // The demo world as it was, for the tests after this one.
      ts.emulator.state.seed({
        boards: [
          { id: '1200000000000000077', ownerId: demo.otherUserId, name: 'New board', privacy: 'PUBLIC' },
          { id: demo.boards.travel, ownerId: demo.userId, name: 'Travel', privacy: 'PUBLIC', createdAt: '2024-05-12T14:30:00Z' },
        ],
      });
    }
  });
});

describe('disconnecting', () => {
  it('removes the account, its tokens and its boards', async () => {
    const { accountId } = await connectDemoAccount(ts, { key: other.apiKey });
    assert.deepEqual(await storedRows(accountId), { accounts: 1, boards: 3 });
    const res = await ts.call('DELETE', `/v1/accounts/${accountId}`, undefined, { key: other.apiKey });
    assert.equal(res.status, 204);
    assert.deepEqual(await storedRows(accountId), { accounts: 0, boards: 0 });
    const again = await ts.call('GET', `/v1/accounts/${accountId}`, undefined, { key: other.apiKey });
    assert.equal(again.status, 404);
  });
});

describe('another workspace', () => {
  let accountId: string;
  before(async () => {
    ({ accountId } = await connectDemoAccount(ts));
  });

  it('does not see the account: 404 ACCOUNT_NOT_FOUND, as for an id that never existed', async () => {
    for (const id of [accountId, 'soc_doesnotexist000000000', 'not-even-an-id']) {
      const res = await ts.call('GET', `/v1/accounts/${id}`, undefined, { key: other.apiKey });
      assert.equal(res.status, 404, id);
      assert.equal(codeOf(res.body), 'ACCOUNT_NOT_FOUND');
      assert.ok(!JSON.stringify(res.body).includes(demo.username));
    }
    const listed = await ts.call<{ items: Account[] }>('GET', '/v1/accounts', undefined, { key: other.apiKey });
    assert.ok(!listed.body.items.some((a) => a.id === accountId));
  });

  it('cannot disconnect it nor refresh its boards', async () => {
    const del = await ts.call('DELETE', `/v1/accounts/${accountId}`, undefined, { key: other.apiKey });
    assert.equal(del.status, 404);
    assert.equal(codeOf(del.body), 'ACCOUNT_NOT_FOUND');
    const refresh = await ts.call('POST', `/v1/accounts/${accountId}/boards/refresh`, undefined, { key: other.apiKey });
    assert.equal(refresh.status, 404);
    assert.equal(codeOf(refresh.body), 'ACCOUNT_NOT_FOUND');
    assert.equal((await storedRows(accountId)).accounts, 1, 'still there');
  });

  it('connecting the same Pinterest user makes its own account, leaving the first one alone', async () => {
    const theirs = await connectDemoAccount(ts, { key: other.apiKey });
    assert.notEqual(theirs.accountId, accountId);
    const mine = await ts.call<Account>('GET', `/v1/accounts/${accountId}`);
    assert.equal(mine.status, 200);
  });

  it('cannot revoke this workspace’s keys: 404, and the key keeps working', async () => {
    const created = await ts.call<{ keyId: string; apiKey: string }>('POST', '/v1/keys', { name: 'mine' });
    const res = await ts.call('DELETE', `/v1/keys/${created.body.keyId}`, undefined, { key: other.apiKey });
    assert.equal(res.status, 404);
    assert.equal(codeOf(res.body), 'NOT_FOUND');
    assert.equal((await ts.call('GET', '/v1/accounts', undefined, { key: created.body.apiKey })).status, 200);
    const theirList = await ts.call<{ items: ApiKey[] }>('GET', '/v1/keys', undefined, { key: other.apiKey });
    assert.ok(!theirList.body.items.some((k) => k.id === created.body.keyId));
  });
});

describe('without a valid API key', () => {
  const routes: Array<[string, string, unknown?]> = [
    ['GET', '/v1/accounts'],
    ['GET', '/v1/accounts/soc_x'],
    ['DELETE', '/v1/accounts/soc_x'],
    ['POST', '/v1/accounts/soc_x/boards/refresh'],
    ['POST', '/v1/accounts/pinterest', { accessToken: 'pina_x' }],
    ['POST', '/v1/accounts/pinterest/connect'],
    ['GET', '/v1/keys'],
    ['POST', '/v1/keys'],
    ['DELETE', '/v1/keys/key_x'],
  ];

  it('every account and key route answers 401 UNAUTHORIZED, with no key or an unknown one', async () => {
    for (const [method, route, body] of routes) {
      for (const key of [null, unknownKey, 'not-even-shaped-like-a-key']) {
        const res = await ts.call(method, route, body, { key });
        assert.equal(res.status, 401, `${method} ${route} with ${key}`);
        assert.equal(codeOf(res.body), 'UNAUTHORIZED');
      }
    }
  });
});

describe('API keys over HTTP', () => {
  it('creates a key shown once, lists keys by prefix only, and a revoked key stops working', async () => {
    const created = await ts.call<{ keyId: string; apiKey: string; prefix: string }>('POST', '/v1/keys', { name: 'ci' });
    assert.equal(created.status, 201);
    assert.match(created.body.apiKey, /^pf_live_/);
    assert.ok(created.body.apiKey.startsWith(created.body.prefix));

    const listed = await ts.call<{ items: ApiKey[] }>('GET', '/v1/keys');
    assert.equal(listed.status, 200);
    const entry = listed.body.items.find((k) => k.id === created.body.keyId);
    assert.deepEqual(entry && { name: entry.name, prefix: entry.prefix, revokedAt: entry.revokedAt }, {
      name: 'ci',
      prefix: created.body.prefix,
      revokedAt: null,
    });
    assert.ok(!JSON.stringify(listed.body).includes(created.body.apiKey), 'the list never shows a whole key');

    assert.equal((await ts.call('GET', '/v1/keys', undefined, { key: created.body.apiKey })).status, 200);
    const revoked = await ts.call('DELETE', `/v1/keys/${created.body.keyId}`);
    assert.equal(revoked.status, 204);
    const refused = await ts.call('GET', '/v1/keys', undefined, { key: created.body.apiKey });
    assert.equal(refused.status, 401);
    assert.equal(codeOf(refused.body), 'UNAUTHORIZED');
    const again = await ts.call('DELETE', `/v1/keys/${created.body.keyId}`);
    assert.equal(again.status, 404, 'a revoked key cannot be revoked twice');
  });

  it('creates a key without a body too', async () => {
    const created = await ts.call<{ keyId: string }>('POST', '/v1/keys');
    assert.equal(created.status, 201);
  });
});
