// The emulator's Fastify app: Pinterest-shaped errors everywhere, `x-pinterest-rid` on every answer,
// injected latency and server errors before a route does its work, and the traffic log for the contract test.
import { setTimeout as sleep } from 'node:timers/promises';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { SERVER_ERROR_MESSAGE } from './faults';
import { PinterestRefusal } from './replies';
import { adminRoutes } from './routes/admin';
import { boardRoutes } from './routes/boards';
import { mediaRoutes } from './routes/media';
import { oauthRoutes } from './routes/oauth';
import { pinRoutes } from './routes/pins';
import { userAccountRoutes } from './routes/user-account';
import type { EmulatorState } from './state';

/** Carousels of five 20 MB images, in base64, fit. */
const BODY_LIMIT = 160 * 1024 * 1024;

export function buildEmulatorApp(state: EmulatorState, options: { logger?: FastifyBaseLogger; closing: AbortSignal }): FastifyInstance {
  const app = Fastify({ loggerInstance: options.logger, forceCloseConnections: true, bodyLimit: BODY_LIMIT });

  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(String(body))));
  });

  app.addHook('onRequest', async (_request, reply) => {
    reply.header('x-pinterest-rid', state.nextRequestId());
  });

  // Faults strike once the request (body included) has arrived, before the route's own work.
  app.addHook('preHandler', async (request) => {
    if (!request.url.startsWith('/v5/')) return;
    const route = `${request.method} ${request.routeOptions.url ?? request.url.split('?')[0]}`;
    const latency = state.faults.latencyFor(route);
    // A request the caller gave up on is still processed after the delay, as a real server would:
    // that is what makes a timed-out create "outcome unknown". Only a reset or close cuts it short.
    if (latency > 0) {
      const cut = AbortSignal.any([options.closing, state.interruption()]);
      await sleep(latency, undefined, { signal: cut }).catch(() => undefined);
      if (cut.aborted) throw new PinterestRefusal(503, 503, SERVER_ERROR_MESSAGE);
    }
    const status = state.faults.serverErrorFor(route);
    if (status !== undefined) throw new PinterestRefusal(status, status, SERVER_ERROR_MESSAGE);
  });

  app.addHook('onSend', async (request, reply, payload) => {
    if (request.url.startsWith('/v5/')) {
      state.record({
        method: request.method,
        route: request.routeOptions.url,
        url: request.url,
        status: reply.statusCode,
        requestContentType: request.headers['content-type'],
        requestBody: request.body,
        responseBody: typeof payload === 'string' && payload !== '' ? parseJson(payload) : undefined,
      });
    }
    return payload;
  });

  app.setErrorHandler((error, request, reply) => {
    if (error instanceof PinterestRefusal) {
      return reply.code(error.status).headers(error.headers).send({ code: error.pinterestCode, message: error.message });
    }
    // Fastify's own refusals (malformed JSON, body too large, unknown content type) keep their status.
    const status =
      typeof error === 'object' && error !== null && 'statusCode' in error && typeof error.statusCode === 'number' ? error.statusCode : 500;
    if (status >= 500) request.log.error({ err: error }, 'emulator error');
    const message = error instanceof Error ? error.message : 'Unexpected error.';
    return reply.code(status).send({ code: status >= 500 ? status : 1, message });
  });
  app.setNotFoundHandler((_request, reply) => reply.code(404).send({ code: 404, message: 'Not found.' }));

  oauthRoutes(app, state);
  userAccountRoutes(app, state);
  boardRoutes(app, state);
  pinRoutes(app, state);
  mediaRoutes(app, state);
  adminRoutes(app, state);
  return app;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
