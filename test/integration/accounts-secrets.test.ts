// Pinterest tokens never reach the database in plaintext, nor the logs, even at debug level: after an
// OAuth connection, a server-to-server connection, a refresh, and a few failures, every text and bytea
// value of every table and every log line is searched for every token the emulator issued.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ConnectResponse } from '../../src/accounts/schemas';
import { withAccessToken } from '../../src/accounts/tokens';
import { answerConsent, connectDemoAccount } from '../support/accounts';
import { startTestSystem, type TestSystem } from '../support/system';

let ts: TestSystem;
const logLines: string[] = [];

before(async () => {
  ts = await startTestSystem({
    emulator: { recordTraffic: true },
    env: { LOG_LEVEL: 'debug' },
    logDestination: { write: (line: string) => void logLines.push(line) },
  });
});
after(async () => {
  await ts?.stop();
});

/** Every access and refresh token that went over the wire to or from the emulator's token endpoint. */
function tokensSeenByEmulator(): Set<string> {
  const tokens = new Set<string>();
  for (const t of ts.emulator.state.traffic()) {
    for (const body of [t.requestBody, t.responseBody]) {
      const fields = body as { access_token?: unknown; refresh_token?: unknown } | undefined;
      for (const value of [fields?.access_token, fields?.refresh_token]) if (typeof value === 'string') tokens.add(value);
    }
  }
  return tokens;
}

/** Every row of every table of the public schema, as JSON text (bytea shows as \x… hex). */
async function databaseDump(): Promise<string> {
  const { rows: tables } = await ts.system.db.query<{ table_name: string }>(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
  );
  const parts: string[] = [];
  for (const { table_name } of tables) {
    const { rows } = await ts.system.db.query<{ row: string }>(
      `SELECT row_to_json(t)::text AS row FROM "${table_name.replace(/"/g, '""')}" t`,
    );
    parts.push(...rows.map((r) => `${table_name}: ${r.row}`));
  }
  return parts.join('\n');
}

/** The forms a leaked token could take: as text, as bytes in a bytea (hex), base64 or URL-encoded. */
function leakedForms(token: string): string[] {
  const bytes = Buffer.from(token, 'utf8');
  return [token, bytes.toString('hex'), bytes.toString('base64'), encodeURIComponent(token), token.slice(5, 25)];
}

function assertNoToken(haystack: string, tokens: Set<string>, where: string): void {
  for (const token of tokens) {
    for (const form of leakedForms(token)) assert.ok(!haystack.includes(form), `${where} contains a token (${token.slice(0, 5)}…)`);
  }
}

describe('tokens at rest and in logs', () => {
  const known = new Set<string>();

  before(async () => {
    // OAuth: consent page, code exchange.
    const connect = await ts.call<ConnectResponse>('POST', '/v1/accounts/pinterest/connect');
    const location = new URL(await answerConsent(connect.body.authorizeUrl, 'allow'));
    const connected = await ts.call<{ account: { id: string } }>('GET', location.pathname + location.search, undefined, { key: null });
    assert.equal(connected.status, 200);

    // Server-to-server, then a refresh after Pinterest rejects the access token.
    const handed = await connectDemoAccount(ts, { userId: '1100000000000000002' });
    for (const t of [handed.accessToken, handed.refreshToken]) known.add(t);
    ts.emulator.state.expireToken(handed.accessToken);
    await withAccessToken(ts.system.deps, handed.accountId, (token) => ts.system.deps.pinterest.getUserAccount(token));

    // A refresh ahead of expiry on the OAuth account, and failures that log.
    await ts.system.db.query('UPDATE social_accounts SET access_token_expires_at = now() WHERE id = $1', [connected.body.account.id]);
    await withAccessToken(ts.system.deps, connected.body.account.id, (token) => ts.system.deps.pinterest.listBoards(token));
    const refused = await ts.call('POST', '/v1/accounts/pinterest', { accessToken: 'pina_rejected_token_that_should_not_be_logged' });
    assert.equal(refused.status, 401);
    known.add('pina_rejected_token_that_should_not_be_logged');
  });

  it('issued, exchanged and refreshed some tokens (the search below is not vacuous)', () => {
    const tokens = tokensSeenByEmulator();
    assert.ok(tokens.size >= 6, `saw ${tokens.size} tokens`);
    assert.ok(logLines.length > 0 && logLines.some((l) => l.includes('"level":20')), 'debug lines were logged');
    assert.ok(logLines.some((l) => l.includes('refreshed the Pinterest access token')));
    const [one] = tokens;
    assert.throws(
      () => assertNoToken(`{"access_token":"\\\\x${Buffer.from(one!).toString('hex')}"}`, tokens, 'a bytea'),
      'a token stored as bytes would be found',
    );
  });

  it('stores no token in plaintext anywhere in the database', async () => {
    const dump = await databaseDump();
    assert.ok(dump.includes('social_accounts: '), 'the dump has the accounts');
    assertNoToken(dump, new Set([...tokensSeenByEmulator(), ...known]), 'the database');
  });

  it('logs no token, even at debug level', () => {
    assertNoToken(logLines.join('\n'), new Set([...tokensSeenByEmulator(), ...known]), 'the logs');
  });
});
