// Queries for webhooks, the events sent to them and the delivery log.
import type { Db } from './pool';

export interface WebhookRow {
  id: string;
  workspace_id: string;
  url: string;
  events: string[] | null;
  description: string | null;
  secret: Buffer;
  created_at: Date;
}

export interface DeliveryRow {
  id: string;
  webhook_id: string;
  event_id: string;
  replay_of: string | null;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  last_status_code: number | null;
  last_error: string | null;
  last_attempt_at: Date | null;
  next_attempt_at: Date | null;
  delivered_at: Date | null;
  created_at: Date;
}

/** A delivery with its event's type, as the log shows it. */
export type DeliveryLogRow = DeliveryRow & { event_type: string };

/** Everything the delivery activity needs to send one request. */
export type DeliveryToSend = Pick<DeliveryRow, 'id' | 'webhook_id' | 'event_id' | 'status' | 'attempts'> &
  Pick<WebhookRow, 'url' | 'secret'> & { event_type: string; body: string };

export interface NewWebhook {
  id: string;
  workspaceId: string;
  url: string;
  events: readonly string[] | null;
  description: string | null;
  secret: Buffer;
}

export async function insertWebhook(db: Db, w: NewWebhook): Promise<WebhookRow> {
  const { rows } = await db.query<WebhookRow>(
    'INSERT INTO webhooks (id, workspace_id, url, events, description, secret) VALUES ($1, $2, $3, $4, $5, $6) RETURNING *',
    [w.id, w.workspaceId, w.url, w.events, w.description, w.secret],
  );
  return rows[0]!;
}

export async function listWebhooks(db: Db, workspaceId: string): Promise<WebhookRow[]> {
  const { rows } = await db.query<WebhookRow>('SELECT * FROM webhooks WHERE workspace_id = $1 ORDER BY created_at, id', [workspaceId]);
  return rows;
}

export async function findWebhook(db: Db, workspaceId: string, id: string): Promise<WebhookRow | undefined> {
  const { rows } = await db.query<WebhookRow>('SELECT * FROM webhooks WHERE id = $1 AND workspace_id = $2', [id, workspaceId]);
  return rows[0];
}

export async function deleteWebhook(db: Db, workspaceId: string, id: string): Promise<boolean> {
  const { rowCount } = await db.query('DELETE FROM webhooks WHERE id = $1 AND workspace_id = $2', [id, workspaceId]);
  return (rowCount ?? 0) > 0;
}

/** The webhooks of a workspace that take events of `type` (NULL events: every type). */
export async function subscribedWebhookIds(db: Db, workspaceId: string, type: string): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    'SELECT id FROM webhooks WHERE workspace_id = $1 AND (events IS NULL OR $2 = ANY(events)) ORDER BY created_at, id',
    [workspaceId, type],
  );
  return rows.map((r) => r.id);
}

export interface NewEvent {
  id: string;
  workspaceId: string;
  type: string;
  orderingKey: string;
  body: string;
  createdAt: Date;
}

/** Stores the event unless it is already stored (a retried emit): the first body is kept. */
export async function insertEvent(db: Db, e: NewEvent): Promise<void> {
  await db.query(
    `INSERT INTO webhook_events (id, workspace_id, type, ordering_key, body, created_at) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (id) DO NOTHING`,
    [e.id, e.workspaceId, e.type, e.orderingKey, e.body, e.createdAt],
  );
}

export async function eventOrderingKey(db: Db, eventId: string): Promise<string | undefined> {
  const { rows } = await db.query<{ ordering_key: string }>('SELECT ordering_key FROM webhook_events WHERE id = $1', [eventId]);
  return rows[0]?.ordering_key;
}

/** One delivery of the event per webhook; a second insert for the same pair adds nothing. */
export async function insertOriginalDelivery(db: Db, d: { id: string; webhookId: string; eventId: string }): Promise<void> {
  await db.query(
    `INSERT INTO webhook_deliveries (id, webhook_id, event_id) VALUES ($1, $2, $3)
     ON CONFLICT (webhook_id, event_id) WHERE replay_of IS NULL DO NOTHING`,
    [d.id, d.webhookId, d.eventId],
  );
}

export async function insertReplay(db: Db, d: { id: string; of: DeliveryRow }): Promise<DeliveryRow> {
  const { rows } = await db.query<DeliveryRow>(
    'INSERT INTO webhook_deliveries (id, webhook_id, event_id, replay_of) VALUES ($1, $2, $3, $4) RETURNING *',
    [d.id, d.of.webhook_id, d.of.event_id, d.of.id],
  );
  return rows[0]!;
}

export async function deleteDelivery(db: Db, deliveryId: string): Promise<void> {
  await db.query('DELETE FROM webhook_deliveries WHERE id = $1', [deliveryId]);
}

/** The event's first deliveries that are still to be made, in webhook order. */
export async function pendingDeliveriesOfEvent(db: Db, eventId: string): Promise<Array<{ id: string; webhook_id: string }>> {
  const { rows } = await db.query<{ id: string; webhook_id: string }>(
    `SELECT d.id, d.webhook_id FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
     WHERE d.event_id = $1 AND d.replay_of IS NULL AND d.status = 'pending' ORDER BY w.created_at, w.id`,
    [eventId],
  );
  return rows;
}

export async function findDelivery(db: Db, webhookId: string, deliveryId: string): Promise<DeliveryLogRow | undefined> {
  const { rows } = await db.query<DeliveryLogRow>(
    `SELECT d.*, e.type AS event_type FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id
     WHERE d.id = $1 AND d.webhook_id = $2`,
    [deliveryId, webhookId],
  );
  return rows[0];
}

/**
 * Newest first, ordered by (created_at, id) descending: a keyset continued after the delivery `afterId`
 * (compared in the database, so created_at keeps its microseconds).
 */
export async function deliveryLog(db: Db, webhookId: string, page: { limit: number; afterId?: string }): Promise<DeliveryLogRow[]> {
  const args: unknown[] = [webhookId, page.limit];
  let keyset = '';
  if (page.afterId) {
    args.push(page.afterId);
    keyset = 'AND (d.created_at, d.id) < (SELECT created_at, id FROM webhook_deliveries WHERE id = $3 AND webhook_id = $1)';
  }
  const { rows } = await db.query<DeliveryLogRow>(
    `SELECT d.*, e.type AS event_type FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id
     WHERE d.webhook_id = $1 ${keyset} ORDER BY d.created_at DESC, d.id DESC LIMIT $2`,
    args,
  );
  return rows;
}

export async function deliveryToSend(db: Db, deliveryId: string): Promise<DeliveryToSend | undefined> {
  const { rows } = await db.query<DeliveryToSend>(
    `SELECT d.id, d.webhook_id, d.event_id, d.status, d.attempts, w.url, w.secret, e.type AS event_type, e.body
     FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id JOIN webhook_events e ON e.id = d.event_id
     WHERE d.id = $1`,
    [deliveryId],
  );
  return rows[0];
}

export interface AttemptOutcome {
  status: DeliveryRow['status'];
  statusCode: number | null;
  error: string | null;
  nextAttemptAt: Date | null;
}

/** One attempt made: counted, with what the receiver answered; a delivered or failed delivery stays so. */
export async function recordAttempt(db: Db, deliveryId: string, o: AttemptOutcome): Promise<void> {
  await db.query(
    `UPDATE webhook_deliveries SET attempts = attempts + 1, status = $2, last_status_code = $3, last_error = $4,
       next_attempt_at = $5, last_attempt_at = now(), delivered_at = CASE WHEN $2 = 'delivered' THEN now() ELSE delivered_at END
     WHERE id = $1 AND status = 'pending'`,
    [deliveryId, o.status, o.statusCode, o.error, o.nextAttemptAt],
  );
}

/** Retries are over: a still-pending delivery fails with the reason, and no next attempt is announced. */
export async function giveUpDelivery(db: Db, deliveryId: string, reason: string): Promise<void> {
  await db.query(
    `UPDATE webhook_deliveries SET status = 'failed', next_attempt_at = NULL, last_error = COALESCE(last_error, $2)
     WHERE id = $1 AND status = 'pending'`,
    [deliveryId, reason],
  );
}
