// The admin API under /_admin, for tests and the demo: the same operations as `emulator.state`.
// Loopback only, like the emulator itself, so it has no authentication.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { pinterestScopeSchema } from '../../pinterest/schemas';
import { faultChangesSchema } from '../faults';
import { fixtureSchema } from '../fixture';
import { rateLimitsSchema } from '../rate-limit';
import { refusals } from '../replies';
import type { EmulatorState } from '../state';
import { parseOrRefuse } from './parse';

const issueSchema = z.object({ userId: z.string(), scopes: z.array(pinterestScopeSchema), clientId: z.string().optional() });
const tokenSchema = z.object({ token: z.string().min(1) });

export function adminRoutes(app: FastifyInstance, state: EmulatorState): void {
  app.get('/_admin/pins', async () => ({ items: state.createdPins() }));
  app.get('/_admin/traffic', async () => ({ items: state.traffic() }));

  app.post('/_admin/reset', async (_request, reply) => {
    state.reset();
    return reply.code(204).send();
  });

  app.post('/_admin/seed', async (request, reply) => {
    state.seed(parseOrRefuse(fixtureSchema, request.body, 'fixture'));
    return reply.code(204).send();
  });

  app.get('/_admin/faults', async () => state.faults.current());
  app.put('/_admin/faults', async (request) => state.setFaults(parseOrRefuse(faultChangesSchema, request.body, 'faults')));
  app.delete('/_admin/faults', async (_request, reply) => {
    state.clearFaults();
    return reply.code(204).send();
  });

  app.put('/_admin/rate-limits', async (request) => {
    state.setRateLimits(parseOrRefuse(rateLimitsSchema, request.body, 'rate limits'));
    return state.rateLimiter.limits();
  });

  app.post('/_admin/tokens', async (request, reply) => {
    const input = parseOrRefuse(issueSchema, request.body, 'token grant');
    let tokens;
    try {
      tokens = state.issueTokens(input);
    } catch (err) {
      throw refusals.invalid(err instanceof Error ? err.message : String(err));
    }
    return reply
      .code(201)
      .send({
        access_token: tokens.accessToken,
        refresh_token: tokens.refreshToken,
        expires_in: tokens.expiresIn,
        scope: tokens.scopes.join(','),
      });
  });

  for (const [path, act] of [
    ['/_admin/tokens/revoke', state.revokeToken],
    ['/_admin/tokens/expire', state.expireToken],
  ] as const) {
    app.post(path, async (request, reply) => {
      const { token } = parseOrRefuse(tokenSchema, request.body, 'token');
      return act(token) ? reply.code(204).send() : reply.code(404).send({ code: 404, message: 'No such token.' });
    });
  }
}
