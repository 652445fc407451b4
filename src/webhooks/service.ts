// Webhooks: register (URL checked against the SSRF rules, secret made and sealed), read, delete, the
// delivery log, and replay (the same event, as a new delivery, queued behind its ordering key).
import * as q from '../db/webhooks';
import type { Deps } from '../deps';
import { PinflowError, problem } from '../domain/errors';
import { newId } from '../domain/ids';
import { enqueueDeliveries } from './dispatch';
import { eventTypes, eventTypeSchema, type EventType } from './events';
import type { CreateWebhookRequest, CreatedWebhook, DeliveryList, DeliveryListQuery, DeliveryView, WebhookView } from './schemas';
import { newWebhookSecret, sealSecret } from './secret';
import { checkWebhookUrl } from './url';

function isEventType(type: string): type is EventType {
  return eventTypeSchema.safeParse(type).success;
}

function webhookView(row: q.WebhookRow): WebhookView {
  return {
    id: row.id,
    url: row.url,
    events: row.events ? row.events.filter(isEventType) : [...eventTypes],
    description: row.description,
    createdAt: row.created_at.toISOString(),
  };
}

function deliveryView(row: q.DeliveryLogRow): DeliveryView {
  return {
    id: row.id,
    eventId: row.event_id,
    eventType: eventTypeSchema.parse(row.event_type),
    replayOf: row.replay_of,
    status: row.status,
    attempts: row.attempts,
    lastStatusCode: row.last_status_code,
    lastError: row.last_error,
    lastAttemptAt: row.last_attempt_at?.toISOString() ?? null,
    nextAttemptAt: row.next_attempt_at?.toISOString() ?? null,
    deliveredAt: row.delivered_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
  };
}

export async function createWebhook(deps: Deps, workspaceId: string, request: CreateWebhookRequest): Promise<CreatedWebhook> {
  const url = await checkWebhookUrl(request.url, deps.config.FETCH_ALLOW_HOSTS);
  const id = newId('webhook');
  const secret = newWebhookSecret();
  const row = await q.insertWebhook(deps.db, {
    id,
    workspaceId,
    url,
    events: request.events ? [...new Set(request.events)] : null,
    description: request.description ?? null,
    secret: sealSecret(deps.secrets, id, secret),
  });
  return { ...webhookView(row), secret };
}

export async function listWebhooks(deps: Deps, workspaceId: string): Promise<WebhookView[]> {
  return (await q.listWebhooks(deps.db, workspaceId)).map(webhookView);
}

/** Another workspace's webhook and an unknown one look the same. */
async function ownWebhook(deps: Deps, workspaceId: string, id: string): Promise<q.WebhookRow> {
  const row = await q.findWebhook(deps.db, workspaceId, id);
  if (!row) throw new PinflowError('WEBHOOK_NOT_FOUND', `No webhook ${id} in this workspace.`);
  return row;
}

export async function getWebhook(deps: Deps, workspaceId: string, id: string): Promise<WebhookView> {
  return webhookView(await ownWebhook(deps, workspaceId, id));
}

/** Its pending deliveries go with it: the workflow skips what it can no longer find. */
export async function deleteWebhook(deps: Deps, workspaceId: string, id: string): Promise<void> {
  if (!(await q.deleteWebhook(deps.db, workspaceId, id)))
    throw new PinflowError('WEBHOOK_NOT_FOUND', `No webhook ${id} in this workspace.`);
}

export async function listDeliveries(deps: Deps, workspaceId: string, webhookId: string, query: DeliveryListQuery): Promise<DeliveryList> {
  await ownWebhook(deps, workspaceId, webhookId);
  if (query.cursor && !(await q.findDelivery(deps.db, webhookId, query.cursor))) {
    throw PinflowError.of([problem('VALIDATION_FAILED', 'cursor is not one this API returned', { path: 'cursor' })]);
  }
  // One more than asked for tells whether there is a next page.
  const rows = await q.deliveryLog(deps.db, webhookId, { limit: query.limit + 1, afterId: query.cursor });
  const page = rows.slice(0, query.limit);
  return { data: page.map(deliveryView), nextCursor: rows.length > query.limit ? (page.at(-1)?.id ?? null) : null };
}

async function ownDelivery(deps: Deps, workspaceId: string, webhookId: string, deliveryId: string): Promise<q.DeliveryLogRow> {
  await ownWebhook(deps, workspaceId, webhookId);
  const row = await q.findDelivery(deps.db, webhookId, deliveryId);
  if (!row) throw new PinflowError('WEBHOOK_DELIVERY_NOT_FOUND', `No delivery ${deliveryId} for webhook ${webhookId}.`);
  return row;
}

export async function getDelivery(deps: Deps, workspaceId: string, webhookId: string, deliveryId: string): Promise<DeliveryView> {
  return deliveryView(await ownDelivery(deps, workspaceId, webhookId, deliveryId));
}

/** The same event (same id, same body) sent again as a new delivery, after whatever its ordering key has queued. */
export async function replayDelivery(deps: Deps, workspaceId: string, webhookId: string, deliveryId: string): Promise<DeliveryView> {
  const original = await ownDelivery(deps, workspaceId, webhookId, deliveryId);
  const orderingKey = await q.eventOrderingKey(deps.db, original.event_id);
  if (!orderingKey) throw new PinflowError('WEBHOOK_DELIVERY_NOT_FOUND', `The event of delivery ${deliveryId} is gone.`);
  const replay = await q.insertReplay(deps.db, { id: newId('delivery'), of: original });
  try {
    await enqueueDeliveries(deps.temporal, deps.config.TEMPORAL_TASK_QUEUE, orderingKey, [{ deliveryId: replay.id, webhookId }]);
  } catch (err) {
    // Not queued, not kept: a replay in the log is one that will be made. The caller gets a 503 to retry.
    await q.deleteDelivery(deps.db, replay.id);
    throw err;
  }
  return deliveryView({ ...replay, event_type: original.event_type });
}

/** Whether any webhook of the workspace takes events of `type` now (a post's workflow skips announcing to no one). */
export async function anyWebhookTakes(deps: Pick<Deps, 'db'>, workspaceId: string, type: EventType): Promise<boolean> {
  return (await q.subscribedWebhookIds(deps.db, workspaceId, type)).length > 0;
}
