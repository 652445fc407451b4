// OpenAPI 3.1 generated from the routes' zod schemas: `GET /openapi.json`, browsable at `/docs`.
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { errorCodes } from '../domain/errors';
import type { App } from './app-type';

/** The error code table, as the guide's "Common errors" is: code, HTTP status, meaning. */
export function errorCodeTable(): string {
  const rows = Object.entries(errorCodes).map(([code, { status, meaning }]) => `| \`${code}\` | ${status} | ${meaning} |`);
  return ['| code | status | meaning |', '|---|---|---|', ...rows].join('\n');
}

export async function registerOpenApi(app: App): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'pinflow API',
        version: '1',
        description: [
          'Schedule Pinterest pins: one image or a 2–5 image carousel, on one board, at a time.',
          'Authenticate with `Authorization: Bearer pf_live_…`. Every error answers `{ errors: [{ code, message, path?, target? }], requestId }`.',
          '',
          '## Error codes',
          '',
          errorCodeTable(),
        ].join('\n'),
      },
      components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'pf_live_… API key' } } },
      security: [{ apiKey: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
