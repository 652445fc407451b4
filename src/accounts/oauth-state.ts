// The OAuth `state` parameter: which workspace asked, a single-use nonce and an expiry, signed with an
// HMAC under the server secret. The signature lets the public callback trust the workspace id without an
// API key; the nonce row (oauth_states) makes each state usable once.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { PinflowError } from '../domain/errors';

/** Long enough to read a consent page, short enough that a leaked link soon stops working. */
export const OAUTH_STATE_TTL_MS = 10 * 60 * 1000;

export const oauthStateSchema = z.object({
  workspaceId: z.string().min(1),
  nonce: z.string().min(16),
  /** Epoch milliseconds. */
  expiresAt: z.number().int(),
});
export type OAuthState = z.infer<typeof oauthStateSchema>;

/** The signing key is derived, so a state signature can never double as an API-key hash (same secret). */
function stateKey(serverSecret: string): Buffer {
  return createHmac('sha256', serverSecret).update('pinflow/oauth-state/v1').digest();
}

function signature(serverSecret: string, payload: string): Buffer {
  return createHmac('sha256', stateKey(serverSecret)).update(payload).digest();
}

export function newStateNonce(): string {
  return randomBytes(18).toString('base64url');
}

/** `base64url(JSON payload).base64url(HMAC)`: URL-safe, so it survives the round trip through Pinterest. */
export function signState(serverSecret: string, state: OAuthState): string {
  const payload = Buffer.from(JSON.stringify(oauthStateSchema.parse(state)), 'utf8').toString('base64url');
  return `${payload}.${signature(serverSecret, payload).toString('base64url')}`;
}

const invalid = (why: string): PinflowError =>
  new PinflowError('OAUTH_STATE_INVALID', `The OAuth state is ${why}; start the connection again.`);

/** The state's contents if the signature holds and it has not expired; else OAUTH_STATE_INVALID. */
export function verifyState(serverSecret: string, state: string | undefined, now: number = Date.now()): OAuthState {
  if (!state) throw invalid('missing');
  const [payload, sent, extra] = state.split('.');
  if (!payload || !sent || extra !== undefined) throw invalid('malformed');
  const expected = signature(serverSecret, payload);
  const given = Buffer.from(sent, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid('not signed by this server');
  const parsed = oauthStateSchema.safeParse(parseJson(Buffer.from(payload, 'base64url').toString('utf8')));
  if (!parsed.success) throw invalid('malformed');
  if (parsed.data.expiresAt <= now) throw invalid('expired');
  return parsed.data;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
