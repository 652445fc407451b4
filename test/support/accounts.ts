// Connected accounts for integration tests: the emulator's demo user, connected through the
// server-to-server route (POST /v1/accounts/pinterest) with tokens the emulator issues.
import assert from 'node:assert/strict';
import { REQUESTED_SCOPES } from '../../src/accounts/connect';
import type { Account, Board } from '../../src/accounts/schemas';
import { demo } from '../../src/emulator';
import type { TestSystem } from './system';

export interface ConnectedDemoAccount {
  accountId: string;
  /** Recipes, Travel (public) and Drafts (secret). */
  boards: Board[];
  /** The tokens pinflow was given (tests that revoke or expire them at the emulator need them). */
  accessToken: string;
  refreshToken: string;
}

export async function connectDemoAccount(
  ts: TestSystem,
  opts: { key?: string; expiresIn?: number; userId?: string } = {},
): Promise<ConnectedDemoAccount> {
  const tokens = ts.emulator.state.issueTokens({ userId: opts.userId ?? demo.userId, scopes: REQUESTED_SCOPES });
  const res = await ts.call<Account>(
    'POST',
    '/v1/accounts/pinterest',
    { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, expiresIn: opts.expiresIn ?? tokens.expiresIn },
    { key: opts.key },
  );
  assert.equal(res.status, 201, `connecting the demo account: ${JSON.stringify(res.body)}`);
  return { accountId: res.body.id, boards: res.body.boards, accessToken: tokens.accessToken, refreshToken: tokens.refreshToken };
}

const unescapeHtml = (value: string): string =>
  value.replace(/&(amp|lt|gt|quot|#39);/g, (_, name: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[name] ?? '');

/**
 * What a person does on the emulator's consent page: open `authorizeUrl`, submit its form with "Give
 * access" or "Deny". Answers where Pinterest sends the browser next (pinflow's callback URL).
 */
export async function answerConsent(authorizeUrl: string, decision: 'allow' | 'deny'): Promise<string> {
  const page = await fetch(authorizeUrl, { redirect: 'manual' });
  assert.equal(page.status, 200, 'the consent page opens');
  const html = await page.text();
  const form = /<form method="post" action="([^"]+)">([\s\S]*?)<\/form>/.exec(html);
  assert.ok(form, 'the consent page has a form');
  const fields = new URLSearchParams();
  for (const [, name, value] of form[2]!.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g))
    fields.set(name!, unescapeHtml(value!));
  const selected = /<option value="([^"]+)" selected>/.exec(form[2]!);
  if (selected) fields.set('user_id', selected[1]!);
  fields.set('decision', decision);
  const answer = await fetch(new URL(form[1]!, authorizeUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: fields.toString(),
    redirect: 'manual',
  });
  assert.equal(answer.status, 302, 'Pinterest redirects back');
  const location = answer.headers.get('location');
  assert.ok(location, 'with a Location');
  return location;
}
