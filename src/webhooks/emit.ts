// emitEvent: what the rest of pinflow calls when something happened that webhooks may want to hear about.
// The event and one delivery per subscribed webhook are stored first (idempotent on the event id), then
// handed to the ordering key's workflow, which delivers them in order, at least once.
import { z } from 'zod';
import * as q from '../db/webhooks';
import { inTransaction, type Db } from '../db/pool';
import type { Deps } from '../deps';
import { newId } from '../domain/ids';
import { enqueueDeliveries } from './dispatch';
import { eventId, eventInputSchema, webhookEventSchema, type EventInput } from './events';
import type { DeliveryRef } from './lanes';

export const emitOptionsSchema = z.object({
  /**
   * Events with the same key are delivered in the order they were emitted (per webhook): the id of what the
   * events are about, e.g. the post id for post.* events, the account id for account.* events.
   */
  orderingKey: z.string().min(1).max(200),
});
export type EmitOptions = z.infer<typeof emitOptionsSchema>;

export interface EmittedEvent {
  /** `evt_…`, the same for every emit of the same (workspace, ordering key, type, sequence). */
  id: string;
  /** The deliveries handed to Temporal by this call, one per webhook (none when no webhook takes the event). */
  deliveries: DeliveryRef[];
}

/**
 * Stores the event and its deliveries, then queues them on the workflow `webhooks-<orderingKey>`. Safe to
 * repeat: a retry finds the event stored and re-queues only deliveries still pending (the workflow and the
 * activity skip any already made). Call it from something that retries it until it succeeds (an activity),
 * so that a crash between storing and queueing cannot strand a delivery.
 */
export async function emitEvent(
  deps: Pick<Deps, 'db' | 'temporal' | 'config'>,
  workspaceId: string,
  event: EventInput,
  options: EmitOptions,
): Promise<EmittedEvent> {
  const input = eventInputSchema.parse(event);
  const { orderingKey } = emitOptionsSchema.parse(options);
  const id = eventId(workspaceId, orderingKey, input.type, input.sequence);
  const pending = await inTransaction(deps.db, (tx) => storeEvent(tx, workspaceId, id, input, orderingKey));
  await enqueueDeliveries(deps.temporal, deps.config.TEMPORAL_TASK_QUEUE, orderingKey, pending);
  return { id, deliveries: pending };
}

/** The event's deliveries still to be made; nothing is stored when no webhook takes the type. */
async function storeEvent(tx: Db, workspaceId: string, id: string, input: EventInput, orderingKey: string): Promise<DeliveryRef[]> {
  const webhookIds = await q.subscribedWebhookIds(tx, workspaceId, input.type);
  if (webhookIds.length === 0) return [];
  const createdAt = new Date();
  const body = JSON.stringify(webhookEventSchema.parse({ id, type: input.type, createdAt: createdAt.toISOString(), data: input.data }));
  await q.insertEvent(tx, { id, workspaceId, type: input.type, orderingKey, body, createdAt });
  for (const webhookId of webhookIds) await q.insertOriginalDelivery(tx, { id: newId('delivery'), webhookId, eventId: id });
  const pending = await q.pendingDeliveriesOfEvent(tx, id);
  return pending.map((d) => ({ deliveryId: d.id, webhookId: d.webhook_id }));
}
