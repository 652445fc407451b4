// OpenAPI 3.1 generated from the routes' zod schemas: `GET /openapi.json`, browsable at `/docs`.
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { accountListSchema, accountSchema, boardListSchema, boardSchema, connectResponseSchema } from '../accounts/schemas';
import { accountAnalyticsReportSchema, postAnalyticsReportSchema } from '../analytics/schemas';
import { errorCodes } from '../domain/errors';
import { flatPostRequestSchema, nestedPostRequestSchema, postUpdateRequestSchema } from '../domain/post';
import { mediaListSchema, mediaSchema } from '../media/schemas';
import { postListSchema, postSchema, postTargetSchema, publishAttemptSchema } from '../posts/schemas';
import { apiKeySchema } from '../workspaces/schemas';
import type { App } from './app-type';
import { errorBodySchema, problemSchema } from './error-schema';

/** The error code table, as the guide's "Common errors" is: code, HTTP status, meaning. */
export function errorCodeTable(): string {
  // A `|` inside a meaning (e.g. "pad" | "crop") would end its cell.
  const rows = Object.entries(errorCodes).map(
    ([code, { status, meaning }]) => `| \`${code}\` | ${status} | ${meaning.replaceAll('|', '\\|')} |`,
  );
  return ['| code | status | meaning |', '|---|---|---|', ...rows].join('\n');
}

/**
 * The schemas the document names under `components.schemas` (and the SDK's types after them). Registered once
 * per process: zod's global registry refuses an id twice. Request shapes get the suffix `Input` (their
 * `z.input` type: defaults optional), answers none.
 */
const named: Record<string, z.ZodType> = {
  Post: postSchema,
  PostTarget: postTargetSchema,
  PublishAttempt: publishAttemptSchema,
  PostList: postListSchema,
  FlatPostRequest: flatPostRequestSchema,
  NestedPostRequest: nestedPostRequestSchema,
  PostUpdateRequest: postUpdateRequestSchema,
  Media: mediaSchema,
  MediaList: mediaListSchema,
  Account: accountSchema,
  AccountList: accountListSchema,
  Board: boardSchema,
  BoardList: boardListSchema,
  ConnectResponse: connectResponseSchema,
  ApiKey: apiKeySchema,
  PostAnalytics: postAnalyticsReportSchema,
  AccountAnalytics: accountAnalyticsReportSchema,
  Error: errorBodySchema,
  Problem: problemSchema,
};
for (const [id, schema] of Object.entries(named)) {
  if (z.globalRegistry.get(schema)?.id !== id) z.globalRegistry.add(schema, { ...z.globalRegistry.get(schema), id });
}

/** Every named schema comes out twice (as input and as output): keep those the routes refer to. */
function referencedOnly<D extends object>(doc: D): D {
  const { paths, components } = doc as { paths?: unknown; components?: { schemas?: Record<string, unknown> } };
  const schemas = components?.schemas ?? {};
  const refs = (value: unknown): string[] => [...JSON.stringify(value).matchAll(/"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]!);
  const kept = new Set<string>();
  const visit = (names: string[]): void => {
    for (const name of names.filter((n) => !kept.has(n))) {
      kept.add(name);
      visit(refs(schemas[name]));
    }
  };
  visit(refs(paths));
  const pruned = Object.fromEntries(Object.entries(schemas).filter(([name]) => kept.has(name)));
  return { ...doc, components: { ...components, schemas: pruned } };
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
    transformObject: (input) => referencedOnly(jsonSchemaTransformObject(input)),
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
