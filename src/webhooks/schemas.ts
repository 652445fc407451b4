// What the webhooks API takes and answers: zod schemas shared by the routes, the OpenAPI document and the SDK.
import { z } from 'zod';
import { eventTypeSchema } from './events';
import { maxUrlLength } from './url';

export const createWebhookRequestSchema = z.object({
  url: z.string().min(1).max(maxUrlLength),
  /** The event types to receive; every type (including future ones) when omitted. */
  events: z.array(eventTypeSchema).min(1).optional(),
  description: z.string().max(500).optional(),
});
export type CreateWebhookRequest = z.infer<typeof createWebhookRequestSchema>;

export const webhookSchema = z.object({
  id: z.string(),
  url: z.string(),
  events: z.array(eventTypeSchema),
  description: z.string().nullable(),
  createdAt: z.iso.datetime(),
});
export type WebhookView = z.infer<typeof webhookSchema>;

export const createdWebhookSchema = webhookSchema.extend({
  /** Signs every request (Pinflow-Signature). Shown once: store it now. */
  secret: z.string(),
});
export type CreatedWebhook = z.infer<typeof createdWebhookSchema>;

export const webhookListSchema = z.object({ data: z.array(webhookSchema) });

export const deliverySchema = z.object({
  id: z.string(),
  eventId: z.string(),
  eventType: eventTypeSchema,
  /** The delivery this one replays, if it is a replay. */
  replayOf: z.string().nullable(),
  status: z.enum(['pending', 'delivered', 'failed']),
  attempts: z.number().int(),
  lastStatusCode: z.number().int().nullable(),
  lastError: z.string().nullable(),
  lastAttemptAt: z.iso.datetime().nullable(),
  /** When the next attempt is due while the delivery is retrying; null otherwise. */
  nextAttemptAt: z.iso.datetime().nullable(),
  deliveredAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
});
export type DeliveryView = z.infer<typeof deliverySchema>;

export const deliveryListSchema = z.object({
  data: z.array(deliverySchema),
  /** Pass as `cursor` for older deliveries; null on the last page. */
  nextCursor: z.string().nullable(),
});
export type DeliveryList = z.infer<typeof deliveryListSchema>;

export const deliveryListQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().max(200).optional(),
});
export type DeliveryListQuery = z.infer<typeof deliveryListQuerySchema>;

export const webhookParamsSchema = z.object({ id: z.string().max(100) });
export const deliveryParamsSchema = webhookParamsSchema.extend({ deliveryId: z.string().max(100) });
