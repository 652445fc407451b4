// Connecting a Pinterest account, end to end over HTTP: the consent page, the redirect back with a
// code, the code exchange, and continuous refresh.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { request } from 'undici';
import { createEmulator, demo, demoFixture, type Emulator } from '../../src/emulator';
import { createPinterestClient, PinterestApiError, type PinterestClient } from '../../src/pinterest';

const redirectUri = demo.redirectUris[0];
const scopes = ['boards:read', 'pins:read', 'pins:write', 'user_accounts:read'] as const;

/** The hidden fields and the action of the consent page's form, as a browser would submit them. */
function consentForm(html: string): { action: string; fields: Record<string, string> } {
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
  assert.ok(action, 'the page has a consent form');
  const unescape = (value: string) =>
    value
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
  const fields = Object.fromEntries(
    [...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1] ?? '', unescape(m[2] ?? '')]),
  );
  return { action, fields };
}

async function rejection(promise: Promise<unknown>): Promise<PinterestApiError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof PinterestApiError, `expected a PinterestApiError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected the call to fail');
}

describe('OAuth with the emulator', () => {
  let emulator: Emulator;
  let client: PinterestClient;
  let clock: number;

  before(async () => {
    clock = Date.now();
    emulator = await createEmulator({ fixture: demoFixture(), tokenLifetimes: { accessTokenTtlSec: 3600 }, now: () => clock });
    client = createPinterestClient({
      apiUrl: emulator.url,
      oauthUrl: `${emulator.url}/oauth/`,
      clientId: demo.clientId,
      clientSecret: demo.clientSecret,
      timeoutMs: 3000,
    });
  });
  beforeEach(() => emulator.state.reset());
  after(() => emulator.close());

  /** Opens the consent page the client's authorize URL leads to, and presses a button. */
  async function consent(decision: 'allow' | 'deny', state = 'st-123'): Promise<URL> {
    const authorizeUrl = client.authorizeUrl({ redirectUri, scopes, state });
    const page = await request(authorizeUrl);
    assert.equal(page.statusCode, 200);
    const { action, fields } = consentForm(await page.body.text());
    const answer = await request(new URL(action, emulator.url), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...fields, decision }).toString(),
    });
    await answer.body.dump();
    assert.equal(answer.statusCode, 302);
    return new URL(String(answer.headers.location));
  }

  it('builds the authorize URL Pinterest expects, scopes comma-separated', () => {
    const url = client.authorizeUrl({ redirectUri, scopes, state: 'abc' });
    assert.ok(url.startsWith(`${emulator.url}/oauth/?client_id=${demo.clientId}&redirect_uri=`));
    assert.ok(url.includes('&response_type=code&scope=boards:read,pins:read,pins:write,user_accounts:read&state=abc'), url);
  });

  it('approving on the consent page redirects back with a code and the state, and the code buys working tokens', async () => {
    const back = await consent('allow');
    assert.equal(`${back.origin}${back.pathname}`, redirectUri);
    assert.equal(back.searchParams.get('state'), 'st-123');
    const code = back.searchParams.get('code');
    assert.ok(code);

    const tokens = await client.exchangeCode({ code, redirectUri });
    assert.match(tokens.accessToken, /^pina_/);
    assert.match(tokens.refreshToken, /^pinr_/);
    assert.equal(tokens.expiresIn, 3600);
    assert.ok((tokens.refreshTokenExpiresIn ?? 0) > 0);
    assert.equal(tokens.scope, scopes.join(','));
    assert.equal((await client.getUserAccount(tokens.accessToken)).username, demo.username);
  });

  it('denying redirects back with error=access_denied and no code', async () => {
    const back = await consent('deny');
    assert.equal(back.searchParams.get('error'), 'access_denied');
    assert.equal(back.searchParams.get('state'), 'st-123');
    assert.equal(back.searchParams.get('code'), null);
  });

  it('lets a test decide with GET /oauth/approve, as any signed-in user', async () => {
    const query = new URLSearchParams({
      client_id: demo.clientId,
      redirect_uri: redirectUri,
      response_type: 'code',
      scope: 'user_accounts:read',
      state: 's',
      user_id: demo.otherUserId,
      decision: 'allow',
    });
    const answer = await request(`${emulator.url}/oauth/approve?${query}`);
    await answer.body.dump();
    const code = new URL(String(answer.headers.location)).searchParams.get('code');
    assert.ok(code);
    const tokens = await client.exchangeCode({ code, redirectUri });
    assert.equal((await client.getUserAccount(tokens.accessToken)).id, demo.otherUserId);
  });

  it('refuses a redirect_uri that is not registered exactly, without redirecting anywhere', async () => {
    for (const wrong of [`${redirectUri}/`, `${redirectUri}?next=x`, 'https://evil.example/callback']) {
      const authorizeUrl = client.authorizeUrl({ redirectUri: wrong, scopes, state: 's' });
      const page = await request(authorizeUrl);
      const html = await page.body.text();
      assert.equal(page.statusCode, 400, wrong);
      assert.equal(page.headers.location, undefined);
      assert.match(html, /redirect_uri/);
    }
  });

  it('refuses an unknown scope by redirecting with error=invalid_scope', async () => {
    const url = `${emulator.url}/oauth/?client_id=${demo.clientId}&redirect_uri=${encodeURIComponent(redirectUri)}&response_type=code&scope=pins:everything&state=s`;
    const answer = await request(url);
    await answer.body.dump();
    assert.equal(new URL(String(answer.headers.location)).searchParams.get('error'), 'invalid_scope');
  });

  it('takes a code once only, and only with the redirect_uri it was issued for', async () => {
    const code = (await consent('allow')).searchParams.get('code') ?? '';
    await client.exchangeCode({ code, redirectUri });
    const replay = await rejection(client.exchangeCode({ code, redirectUri }));
    assert.deepEqual([replay.status, replay.code, replay.retryable], [400, 'OAUTH_EXCHANGE_FAILED', false]);

    const other = (await consent('allow')).searchParams.get('code') ?? '';
    const mismatch = await rejection(client.exchangeCode({ code: other, redirectUri: demo.redirectUris[1] }));
    assert.equal(mismatch.code, 'OAUTH_EXCHANGE_FAILED');
    assert.match(mismatch.pinterestMessage ?? '', /redirect_uri/);
    const afterMismatch = await rejection(client.exchangeCode({ code: other, redirectUri }));
    assert.equal(afterMismatch.code, 'OAUTH_EXCHANGE_FAILED', 'a code tried with the wrong redirect_uri is spent');
  });

  it('refuses a client with the wrong secret', async () => {
    const code = (await consent('allow')).searchParams.get('code') ?? '';
    const impostor = createPinterestClient({
      apiUrl: emulator.url,
      clientId: demo.clientId,
      clientSecret: 'not-the-secret',
      timeoutMs: 3000,
    });
    const err = await rejection(impostor.exchangeCode({ code, redirectUri }));
    assert.deepEqual([err.status, err.code], [401, 'OAUTH_EXCHANGE_FAILED']);
  });

  it('refreshing returns a new refresh token and retires the old one (continuous refresh)', async () => {
    const code = (await consent('allow')).searchParams.get('code') ?? '';
    const first = await client.exchangeCode({ code, redirectUri });
    const second = await client.refreshToken(first.refreshToken);
    assert.notEqual(second.refreshToken, first.refreshToken);
    assert.notEqual(second.accessToken, first.accessToken);
    assert.equal(second.scope, first.scope);
    assert.equal((await client.getUserAccount(second.accessToken)).id, demo.userId);
    const stale = await rejection(client.refreshToken(first.refreshToken));
    assert.deepEqual([stale.status, stale.code], [400, 'OAUTH_EXCHANGE_FAILED']);
    const third = await client.refreshToken(second.refreshToken);
    assert.match(third.refreshToken, /^pinr_/);
  });

  it('expires access tokens after their lifetime: 401 code 2 until refreshed', async () => {
    const code = (await consent('allow')).searchParams.get('code') ?? '';
    const tokens = await client.exchangeCode({ code, redirectUri });
    clock += 3601 * 1000;
    const expired = await rejection(client.getUserAccount(tokens.accessToken));
    assert.deepEqual([expired.status, expired.pinterestCode, expired.code], [401, 2, 'PINTEREST_TOKEN_INVALID']);
    const fresh = await client.refreshToken(tokens.refreshToken);
    assert.equal((await client.getUserAccount(fresh.accessToken)).id, demo.userId);
  });
});
