// The events pinflow sends to webhooks: their types, the payload every receiver gets (a zod schema, the
// one definition of its shape), and the event id, derived from what the event is about so that emitting
// the same logical event twice (a retried activity) gives the same id.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { idPrefixes } from '../domain/ids';

export const eventTypes = [
  'post.scheduled',
  'post.published',
  'post.partially_published',
  'post.failed',
  'post.canceled',
  'post.outcome_unknown',
  'post.at_risk',
  'account.reconnect_required',
  'analytics.refreshed',
] as const;

export const eventTypeSchema = z.enum(eventTypes);
export type EventType = z.infer<typeof eventTypeSchema>;

export const eventDataSchema = z.object({
  postId: z.string().optional(),
  targetId: z.string().optional(),
  pinId: z.string().optional(),
  pinUrl: z.string().optional(),
  accountId: z.string().optional(),
  errorCode: z.string().optional(),
  status: z.string().optional(),
});
export type EventData = z.infer<typeof eventDataSchema>;

/** The JSON body of every webhook request. */
export const webhookEventSchema = z.object({
  id: z.string().startsWith('evt_'),
  type: eventTypeSchema,
  createdAt: z.iso.datetime({ offset: true }),
  data: eventDataSchema,
});
export type WebhookEvent = z.infer<typeof webhookEventSchema>;

/** What a caller of emitEvent says happened. */
export const eventInputSchema = z.object({
  type: eventTypeSchema,
  data: eventDataSchema,
  /**
   * Tells apart occurrences of the same type about the same subject (a post rescheduled twice, an account
   * needing reconnection again). A retry of one emit passes the same value; a new occurrence a new one.
   */
  sequence: z.union([z.number().int().min(0), z.string().min(1).max(200)]),
});
export type EventInput = z.infer<typeof eventInputSchema>;

const idAlphabet = '0123456789abcdefghijklmnopqrstuvwxyz';

/** `evt_` + 20 base-36 characters of SHA-256(workspace, ordering key, type, sequence): the same logical event, the same id. */
export function eventId(workspaceId: string, orderingKey: string, type: EventType, sequence: EventInput['sequence']): string {
  const digest = createHash('sha256')
    .update(JSON.stringify([workspaceId, orderingKey, type, String(sequence)]))
    .digest();
  let body = '';
  for (const byte of digest.subarray(0, 20)) body += idAlphabet[byte % 36];
  return `${idPrefixes.event}_${body}`;
}
