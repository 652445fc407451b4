// What every /v5 resource route does before its own work, in Pinterest's order: who is calling (401
// code 2), may the token do this (401 code 3, scopes as the operation's `security` block lists them),
// and is there quota left in the operation's `x-ratelimit-category` (429 code 8, with X-RateLimit-*).
import type { FastifyReply, FastifyRequest, RouteGenericInterface } from 'fastify';
import type { PinterestScope } from '../pinterest/schemas';
import type { User } from './fixture';
import type { RateLimitCategory } from './rate-limit';
import { refusals } from './replies';
import type { EmulatorState } from './state';

export interface Caller {
  user: User;
  clientId: string;
  scopes: ReadonlySet<PinterestScope>;
}

export interface Rule {
  scopes: readonly PinterestScope[];
  category: RateLimitCategory;
}

export function guarded<Route extends RouteGenericInterface>(
  state: EmulatorState,
  rule: Rule,
  handler: (request: FastifyRequest<Route>, reply: FastifyReply, caller: Caller) => Promise<unknown>,
): (request: FastifyRequest<Route>, reply: FastifyReply) => Promise<unknown> {
  return async (request, reply) => {
    const caller = authenticate(state, request.headers.authorization);
    if (rule.scopes.some((scope) => !caller.scopes.has(scope))) throw refusals.scopeMissing();
    // Quota is Pinterest's "per user per app", so a refreshed token does not get a fresh window.
    const decision = state.rateLimiter.take(`${caller.clientId}:${caller.user.id}`, rule.category);
    const headers = {
      'x-ratelimit-limit': String(decision.limit),
      'x-ratelimit-remaining': String(decision.remaining),
      'x-ratelimit-reset': String(decision.resetSeconds),
    };
    if (!decision.allowed) throw refusals.rateLimited(headers);
    reply.headers(headers);
    return handler(request, reply, caller);
  };
}

function authenticate(state: EmulatorState, authorization: string | undefined): Caller {
  const token = /^Bearer (\S+)$/i.exec(authorization ?? '')?.[1];
  const grant = token === undefined ? undefined : state.tokens.authenticate(token);
  const user = grant && state.store.users.get(grant.userId);
  if (!grant || !user) throw refusals.authenticationFailed();
  return { user, clientId: grant.clientId, scopes: grant.scopes };
}

/** Secret boards are visible only to a token that may read them. */
export function canSee(caller: Caller, board: { ownerId: string; privacy: string }): boolean {
  if (board.ownerId !== caller.user.id) return false;
  return board.privacy !== 'SECRET' || caller.scopes.has('boards:read_secret');
}
