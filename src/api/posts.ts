// /v1/posts: schedule, dry-run, read, list, edit, cancel.
import { z } from 'zod';
import type { Deps } from '../deps';
import { postRequestSchema, postUpdateRequestSchema } from '../domain/post';
import { withIdempotency } from '../posts/idempotency';
import { postListQuerySchema, postListSchema, postSchema, validationResultSchema } from '../posts/schemas';
import { cancelPost, createPost, getPost, listPosts, updatePost, validatePost } from '../posts/service';
import type { App } from './app-type';
import { errorResponses } from './error-schema';

const idParams = z.object({ id: z.string().max(100) });
/**
 * The request schemas document the body; the body itself is checked by the domain's normalizer, which
 * reports every problem with the guide's codes (a schema validator would stop at generic ones).
 */
const documentOnly = { validatorCompiler: () => (data: unknown) => ({ value: data }) };

export function registerPostRoutes(app: App, deps: Deps): void {
  app.post(
    '/v1/posts',
    {
      ...documentOnly,
      schema: {
        tags: ['posts'],
        summary: 'Schedule a post (flat or nested shape)',
        body: postRequestSchema,
        headers: z.object({ 'idempotency-key': z.string().optional() }).passthrough(),
        response: { 201: postSchema, ...errorResponses(400, 401, 409, 413, 422, 503) },
      },
    },
    async (request, reply) => {
      const key = request.headers['idempotency-key'];
      const idempotencyKey = typeof key === 'string' ? key : undefined;
      const answer = await withIdempotency(
        deps.db,
        request.workspaceId,
        idempotencyKey,
        request.body,
        async () => ({ status: 201, body: await createPost(deps, request.workspaceId, request.body, { idempotencyKey }) }),
        // The post a request that died had stored under the key, as it is now.
        { recover: async (postId) => ({ status: 201, body: await getPost(deps, request.workspaceId, postId) }) },
      );
      // A replayed answer may be the first request's 4xx: its status is sent as it was, with this request's id.
      const body = answer.status >= 400 ? { ...(answer.body as object), requestId: request.id } : answer.body;
      return reply.status(answer.status as 201).send(body as z.infer<typeof postSchema>);
    },
  );

  app.post(
    '/v1/posts/validate',
    {
      ...documentOnly,
      schema: {
        tags: ['posts'],
        summary: 'Check a post as POST /v1/posts would, storing nothing',
        body: postRequestSchema,
        response: { 200: validationResultSchema, ...errorResponses(400, 401, 422) },
      },
    },
    async (request) => ({ valid: true as const, post: await validatePost(deps, request.workspaceId, request.body) }),
  );

  app.get(
    '/v1/posts',
    {
      schema: {
        tags: ['posts'],
        summary: 'List posts',
        querystring: postListQuerySchema,
        response: { 200: postListSchema, ...errorResponses(400, 401) },
      },
    },
    async (request) => listPosts(deps, request.workspaceId, request.query),
  );

  app.get(
    '/v1/posts/:id',
    {
      schema: {
        tags: ['posts'],
        summary: 'A post, its targets, pins and attempts',
        params: idParams,
        response: { 200: postSchema, ...errorResponses(401, 404) },
      },
    },
    async (request) => getPost(deps, request.workspaceId, request.params.id),
  );

  app.patch(
    '/v1/posts/:id',
    {
      ...documentOnly,
      schema: {
        tags: ['posts'],
        summary: 'Reschedule or edit a post before it publishes',
        params: idParams,
        body: postUpdateRequestSchema,
        response: { 200: postSchema, ...errorResponses(400, 401, 404, 409, 422) },
      },
    },
    async (request) => updatePost(deps, request.workspaceId, (request.params as { id: string }).id, request.body),
  );

  app.delete(
    '/v1/posts/:id',
    {
      schema: {
        tags: ['posts'],
        summary: 'Cancel a post before it publishes',
        params: idParams,
        response: { 200: postSchema, ...errorResponses(401, 404, 409) },
      },
    },
    async (request) => cancelPost(deps, request.workspaceId, request.params.id),
  );
}
