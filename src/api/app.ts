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
import { registerErrorHandling } from './errors';
import { registerHealth } from './health';
import { registerKeyRoutes } from './keys';
import { registerMediaRoutes } from './media';
import { registerMetrics } from './metrics';
import { registerOpenApi } from './openapi';
import { registerPostRoutes } from './posts';
import { registerWebhookRoutes } from './webhooks';

export async function buildApp(deps: ApiDeps): Promise<App> {
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    bodyLimit: 1024 * 1024,
    requestTimeout: deps.config.HTTP_REQUEST_TIMEOUT_MS,
    // Node looks for requests past their deadline every 30 s by default; every second keeps the deadline close.
    http: { connectionsCheckingInterval: 1000 },
    genReqId: () => newId('request'),
    requestIdHeader: false,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
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
