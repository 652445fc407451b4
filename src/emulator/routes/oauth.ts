// OAuth 2.0 as Pinterest runs it: the consent page GET /oauth/ (Approve / Deny), the decision at
// /oauth/approve (a form POST, or a GET with decision=allow|deny for tests), and POST /v5/oauth/token
// (HTTP Basic client authentication, form body; authorization_code and refresh_token grants).
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { pinterestScopeSchema, type OAuthTokenBody, type PinterestScope } from '../../pinterest/schemas';
import type { App, User } from '../fixture';
import { PinterestRefusal, refusals } from '../replies';
import type { EmulatorState } from '../state';
import type { IssuedTokens } from '../tokens';
import { parseOrRefuse } from './parse';

const authorizationRequestSchema = z.object({
  client_id: z.string().default(''),
  redirect_uri: z.string().default(''),
  response_type: z.string().default(''),
  scope: z.string().default(''),
  state: z.string().optional(),
  /** Who is "logged in to Pinterest" in the browser; the first seeded user when absent. */
  user_id: z.string().optional(),
  decision: z.string().optional(),
});
type AuthorizationRequest = z.infer<typeof authorizationRequestSchema>;

/** Scopes arrive comma-separated (Pinterest's form); spaces are tolerated as OAuth's generic separator. */
const scopeListSchema = z
  .string()
  .transform((value) => value.split(/[\s,]+/).filter(Boolean))
  .pipe(z.array(pinterestScopeSchema).min(1));

const tokenRequestSchema = z.discriminatedUnion('grant_type', [
  z.object({ grant_type: z.literal('authorization_code'), code: z.string().min(1), redirect_uri: z.string().min(1) }),
  z.object({ grant_type: z.literal('refresh_token'), refresh_token: z.string().min(1), scope: scopeListSchema.optional() }),
]);

type Checked =
  | { kind: 'page'; status: number; message: string }
  | { kind: 'redirect'; to: string }
  | { kind: 'ok'; app: App; user: User; scopes: PinterestScope[]; request: AuthorizationRequest };

function redirectTo(redirectUri: string, params: Record<string, string | undefined>): string {
  const url = new URL(redirectUri);
  for (const [name, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(name, value);
  return url.toString();
}

/**
 * An unknown client or an unregistered redirect_uri gets an error page, never a redirect (RFC 6749
 * §4.1.2.1): redirecting there would hand codes or errors to whoever forged the link.
 */
function checkAuthorization(state: EmulatorState, request: AuthorizationRequest): Checked {
  const app = state.store.apps.get(request.client_id);
  if (!app) return { kind: 'page', status: 400, message: 'Unknown client_id.' };
  if (!app.redirectUris.includes(request.redirect_uri)) {
    return { kind: 'page', status: 400, message: 'The redirect_uri does not match any redirect URI registered for this app.' };
  }
  const back = (error: string) => ({ kind: 'redirect' as const, to: redirectTo(request.redirect_uri, { error, state: request.state }) });
  if (request.response_type !== 'code') return back('unsupported_response_type');
  const scopes = scopeListSchema.safeParse(request.scope);
  if (!scopes.success) return back('invalid_scope');
  const user = request.user_id === undefined ? state.store.users.values().next().value : state.store.users.get(request.user_id);
  if (!user) return { kind: 'page', status: 400, message: 'No such Pinterest user in the emulator.' };
  return { kind: 'ok', app, user, scopes: scopes.data, request };
}

const escapeHtml = (value: string): string =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

function page(title: string, body: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
}

function consentPage(state: EmulatorState, checked: Extract<Checked, { kind: 'ok' }>): string {
  const hidden = (['client_id', 'redirect_uri', 'response_type', 'scope', 'state'] as const)
    .map((name) => `<input type="hidden" name="${name}" value="${escapeHtml(checked.request[name] ?? '')}">`)
    .join('');
  const users = [...state.store.users.values()]
    .map(
      (user) =>
        `<option value="${escapeHtml(user.id)}"${user.id === checked.user.id ? ' selected' : ''}>${escapeHtml(user.username)}</option>`,
    )
    .join('');
  const scopes = checked.scopes.map((scope) => `<li>${escapeHtml(scope)}</li>`).join('');
  return page(
    'Pinterest (emulator): give access?',
    `<p>App <b>${escapeHtml(checked.app.clientId)}</b> asks for:</p><ul>${scopes}</ul>` +
      `<form method="post" action="/oauth/approve">${hidden}` +
      `<label>Signed in as <select name="user_id">${users}</select></label> ` +
      `<button type="submit" name="decision" value="allow">Give access</button> ` +
      `<button type="submit" name="decision" value="deny">Deny</button></form>`,
  );
}

function tokenBody(tokens: IssuedTokens, responseType: 'authorization_code' | 'refresh_token'): OAuthTokenBody {
  return {
    access_token: tokens.accessToken,
    refresh_token: tokens.refreshToken,
    token_type: 'bearer',
    expires_in: tokens.expiresIn,
    refresh_token_expires_in: tokens.refreshTokenExpiresIn,
    refresh_token_expires_at: tokens.refreshTokenExpiresAt,
    scope: tokens.scopes.join(','),
    response_type: responseType,
  };
}

/** The app behind `Authorization: Basic base64(client_id:client_secret)`. */
function authenticateApp(state: EmulatorState, authorization: string | undefined): App {
  const encoded = /^Basic (\S+)$/i.exec(authorization ?? '')?.[1];
  const decoded = encoded === undefined ? '' : Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const app = colon < 0 ? undefined : state.store.apps.get(decoded.slice(0, colon));
  if (!app || app.clientSecret !== decoded.slice(colon + 1)) throw refusals.authenticationFailed();
  return app;
}

export function oauthRoutes(app: FastifyInstance, state: EmulatorState): void {
  const decide = (reply: FastifyReply, input: unknown) => {
    const checked = checkAuthorization(state, parseOrRefuse(authorizationRequestSchema, input, 'authorization request'));
    if (checked.kind === 'page')
      return reply
        .code(checked.status)
        .type('text/html')
        .send(page('Pinterest (emulator)', `<p>${escapeHtml(checked.message)}</p>`));
    if (checked.kind === 'redirect') return reply.redirect(checked.to, 302);
    const { request } = checked;
    if (request.decision === 'deny')
      return reply.redirect(redirectTo(request.redirect_uri, { error: 'access_denied', state: request.state }), 302);
    if (request.decision !== 'allow')
      return reply.code(400).type('text/html').send(page('Pinterest (emulator)', '<p>decision must be allow or deny.</p>'));
    const code = state.tokens.issueCode({
      clientId: checked.app.clientId,
      userId: checked.user.id,
      scopes: new Set(checked.scopes),
      redirectUri: request.redirect_uri,
    });
    return reply.redirect(redirectTo(request.redirect_uri, { code, state: request.state }), 302);
  };

  app.get('/oauth/', async (request, reply) => {
    const checked = checkAuthorization(state, parseOrRefuse(authorizationRequestSchema, request.query, 'authorization request'));
    if (checked.kind === 'page')
      return reply
        .code(checked.status)
        .type('text/html')
        .send(page('Pinterest (emulator)', `<p>${escapeHtml(checked.message)}</p>`));
    if (checked.kind === 'redirect') return reply.redirect(checked.to, 302);
    return reply.type('text/html').send(consentPage(state, checked));
  });
  app.get('/oauth/approve', async (request, reply) => decide(reply, request.query));
  app.post('/oauth/approve', async (request, reply) => decide(reply, request.body));

  app.post('/v5/oauth/token', async (request, reply): Promise<OAuthTokenBody> => {
    const client = authenticateApp(state, request.headers.authorization);
    const quota = state.rateLimiter.take(`${client.clientId}:app`, 'org_read');
    if (!quota.allowed) throw refusals.rateLimited({ 'x-ratelimit-reset': String(quota.resetSeconds) });
    if (!request.headers['content-type']?.startsWith('application/x-www-form-urlencoded')) {
      throw refusals.invalid('The token request must be application/x-www-form-urlencoded.');
    }
    const body = parseOrRefuse(tokenRequestSchema, request.body, 'token request');
    const redemption =
      body.grant_type === 'authorization_code'
        ? state.tokens.redeemCode({ clientId: client.clientId, code: body.code, redirectUri: body.redirect_uri })
        : state.tokens.refresh({ clientId: client.clientId, refreshToken: body.refresh_token, scopes: body.scope });
    if (!redemption.ok) throw new PinterestRefusal(400, 1, redemption.reason);
    reply.code(200);
    return tokenBody(redemption.tokens, body.grant_type);
  });
}
