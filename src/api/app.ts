// The HTTP API: Fastify with zod schemas in and out, API-key auth, one plugin per resource.
import Fastify, { type FastifyBaseLogger } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { newId } from '../domain/ids';
import { registerAccountRoutes } from './accounts';
import { registerAnalyticsRoutes } from './analytics';
import { registerAuth } from './auth';
import { registerCodecRoutes } from './codec';
import type { App } from './app-type';
import type { ApiDeps } from './deps';
import { registerErrorHandling, renderFrameworkError } from './errors';
import { registerHealth } from './health';
import { registerKeyRoutes } from './keys';
import { registerMediaRoutes } from './media';
import { answerClientError } from './client-errors';
import { registerMetrics } from './metrics';
import { registerOpenApi } from './openapi';
import { registerPostRoutes } from './posts';
import { registerWebhookRoutes } from './webhooks';

export async function buildApp(deps: ApiDeps): Promise<App> {
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    bodyLimit: 1024 * 1024,
    requestTimeout: deps.config.HTTP_REQUEST_TIMEOUT_MS,
    // Node swaps a headers deadline longer than the request's in for it, and looks for late requests every 30 s
    // by default: the headers get at most the request's deadline, and the check runs every second.
    http: { headersTimeout: Math.min(60_000, deps.config.HTTP_REQUEST_TIMEOUT_MS || 60_000), connectionsCheckingInterval: 1000 },
    frameworkErrors: renderFrameworkError,
    clientErrorHandler: answerClientError,
    genReqId: () => newId('request'),
    requestIdHeader: false,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // Every route reads JSON (and /v1/media multipart): a text/plain body is a 415, not a string for the schema to refuse.
  app.removeContentTypeParser('text/plain');
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  registerErrorHandling(app);
  await registerOpenApi(app);
  registerMetrics(app);
  registerHealth(app, deps);
  await registerCodecRoutes(app, deps);
  registerAuth(app, deps);
  registerAccountRoutes(app, deps);
  registerKeyRoutes(app, deps);
  registerPostRoutes(app, deps);
  registerAnalyticsRoutes(app, deps);
  registerMediaRoutes(app, deps);
  registerWebhookRoutes(app, deps);
  return app;
}
