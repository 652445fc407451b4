// The HTTP API: Fastify with zod schemas in and out, API-key auth, one plugin per resource.
import Fastify, { type FastifyBaseLogger } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { newId } from '../domain/ids';
import { registerAccountRoutes } from './accounts';
import { registerAuth } from './auth';
import type { App } from './app-type';
import type { ApiDeps } from './deps';
import { registerErrorHandling } from './errors';
import { registerHealth } from './health';
import { registerKeyRoutes } from './keys';
import { registerPostRoutes } from './posts';

export async function buildApp(deps: ApiDeps): Promise<App> {
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    bodyLimit: 1024 * 1024,
    genReqId: () => newId('request'),
    requestIdHeader: false,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  registerErrorHandling(app);
  registerHealth(app, deps);
  registerAuth(app, deps);
  registerAccountRoutes(app, deps);
  registerKeyRoutes(app, deps);
  registerPostRoutes(app, deps);
  return app;
}
