// The workspace's API keys over HTTP (the same operations as `npx pinflow key …`).
import { z } from 'zod';
import type { Deps } from '../deps';
import { PinflowError } from '../domain/errors';
import { createApiKey, listKeys, revokeKey } from '../workspaces/service';
import { apiKeyListSchema, createdKeySchema, createKeyRequestSchema, keyParamsSchema } from '../workspaces/schemas';
import type { App } from './app-type';
import { errorResponses } from './error-schema';

const tags = ['keys'];

export function registerKeyRoutes(app: App, deps: Deps): void {
  app.get(
    '/v1/keys',
    { schema: { tags, summary: 'List API keys (prefixes only)', response: { 200: apiKeyListSchema, ...errorResponses(401) } } },
    async (request) => ({
      items: await listKeys(deps.db, request.workspaceId),
    }),
  );

  app.post(
    '/v1/keys',
    {
      schema: {
        tags,
        summary: 'Create an API key (shown once)',
        body: createKeyRequestSchema.nullish(),
        response: { 201: createdKeySchema, ...errorResponses(400, 401) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await createApiKey(deps.db, deps.secrets.serverSecret, request.workspaceId, request.body?.name)),
  );

  app.delete(
    '/v1/keys/:id',
    { schema: { tags, summary: 'Revoke an API key', params: keyParamsSchema, response: { 204: z.null(), ...errorResponses(401, 404) } } },
    async (request, reply) => {
      // Another workspace's key, an unknown one and one already revoked look the same: nothing to revoke here.
      if (!(await revokeKey(deps.db, request.workspaceId, request.params.id))) {
        throw new PinflowError('NOT_FOUND', `No active API key ${request.params.id} in this workspace.`);
      }
      return reply.code(204).send(null);
    },
  );
}
