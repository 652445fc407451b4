// /v1/webhooks: register receivers, read and delete them, read their delivery log, replay a delivery.
import { z } from 'zod';
import type { Deps } from '../deps';
import {
  createdWebhookSchema,
  createWebhookRequestSchema,
  deliveryListQuerySchema,
  deliveryListSchema,
  deliveryParamsSchema,
  deliverySchema,
  webhookListSchema,
  webhookParamsSchema,
  webhookSchema,
} from '../webhooks/schemas';
import { createWebhook, deleteWebhook, getDelivery, getWebhook, listDeliveries, listWebhooks, replayDelivery } from '../webhooks/service';
import type { App } from './app-type';
import { errorResponses } from './error-schema';

const tags = ['webhooks'];

export function registerWebhookRoutes(app: App, deps: Deps): void {
  app.post(
    '/v1/webhooks',
    {
      schema: {
        tags,
        summary: 'Register a webhook (its signing secret is shown once)',
        body: createWebhookRequestSchema,
        response: { 201: createdWebhookSchema, ...errorResponses(400, 401, 422) },
      },
    },
    async (request, reply) => reply.code(201).send(await createWebhook(deps, request.workspaceId, request.body)),
  );

  app.get(
    '/v1/webhooks',
    { schema: { tags, summary: 'List webhooks', response: { 200: webhookListSchema, ...errorResponses(401) } } },
    async (request) => ({ data: await listWebhooks(deps, request.workspaceId) }),
  );

  app.get(
    '/v1/webhooks/:id',
    {
      schema: {
        tags,
        summary: 'A webhook (without its secret)',
        params: webhookParamsSchema,
        response: { 200: webhookSchema, ...errorResponses(401, 404) },
      },
    },
    async (request) => getWebhook(deps, request.workspaceId, request.params.id),
  );

  app.delete(
    '/v1/webhooks/:id',
    {
      schema: {
        tags,
        summary: 'Delete a webhook; its pending deliveries are dropped',
        params: webhookParamsSchema,
        response: { 204: z.null(), ...errorResponses(401, 404) },
      },
    },
    async (request, reply) => {
      await deleteWebhook(deps, request.workspaceId, request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/v1/webhooks/:id/deliveries',
    {
      schema: {
        tags,
        summary: 'The delivery log, newest first: attempts, last answer, next attempt',
        params: webhookParamsSchema,
        querystring: deliveryListQuerySchema,
        response: { 200: deliveryListSchema, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => listDeliveries(deps, request.workspaceId, request.params.id, request.query),
  );

  app.get(
    '/v1/webhooks/:id/deliveries/:deliveryId',
    {
      schema: {
        tags,
        summary: 'One delivery',
        params: deliveryParamsSchema,
        response: { 200: deliverySchema, ...errorResponses(401, 404) },
      },
    },
    async (request) => getDelivery(deps, request.workspaceId, request.params.id, request.params.deliveryId),
  );

  app.post(
    '/v1/webhooks/:id/deliveries/:deliveryId/replay',
    {
      schema: {
        tags,
        summary: 'Send the same event (same id) again, as a new delivery',
        params: deliveryParamsSchema,
        response: { 202: deliverySchema, ...errorResponses(401, 404, 503) },
      },
    },
    async (request, reply) =>
      reply.code(202).send(await replayDelivery(deps, request.workspaceId, request.params.id, request.params.deliveryId)),
  );
}
