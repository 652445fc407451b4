-- Up Migration

-- A receiver URL of a workspace. The signing secret is an AES-256-GCM blob (src/accounts/token-crypto.ts)
-- bound to the webhook's id: the plain secret is shown once at creation and needed again only to sign.
-- `events` NULL means every event type, including types added after the webhook was created.
CREATE TABLE webhooks (
  id            text PRIMARY KEY,
  workspace_id  text NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  url           text NOT NULL,
  events        text[],
  description   text,
  secret        bytea NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhooks_workspace ON webhooks (workspace_id, created_at, id);

-- An event as it is sent: `body` is the exact JSON text, so every delivery and replay of the event
-- carries the same bytes (and the same id). The id is derived from what the event is about, so a
-- retried emit finds the row and adds nothing.
CREATE TABLE webhook_events (
  id            text PRIMARY KEY,
  workspace_id  text NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  type          text NOT NULL,
  -- Deliveries of events with one ordering key (a post, an account) are made in order by one workflow.
  ordering_key  text NOT NULL,
  body          text NOT NULL,
  created_at    timestamptz NOT NULL
);

-- One event to one webhook; a replay is another delivery of the same event. The delivery log.
CREATE TABLE webhook_deliveries (
  id                text PRIMARY KEY,
  webhook_id        text NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
  event_id          text NOT NULL REFERENCES webhook_events(id) ON DELETE CASCADE,
  replay_of         text REFERENCES webhook_deliveries(id) ON DELETE SET NULL,
  status            text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts          integer NOT NULL DEFAULT 0,
  last_status_code  integer,
  last_error        text,
  last_attempt_at   timestamptz,
  next_attempt_at   timestamptz,
  delivered_at      timestamptz,
  created_at        timestamptz NOT NULL DEFAULT clock_timestamp()
);
-- An event is delivered once per webhook (replays aside): a retried emit cannot add a second delivery.
CREATE UNIQUE INDEX webhook_deliveries_original ON webhook_deliveries (webhook_id, event_id) WHERE replay_of IS NULL;
-- The log of a webhook, newest first, with a keyset cursor.
CREATE INDEX webhook_deliveries_log ON webhook_deliveries (webhook_id, created_at DESC, id DESC);
CREATE INDEX webhook_deliveries_event ON webhook_deliveries (event_id);

-- Down Migration
DROP TABLE webhook_deliveries;
DROP TABLE webhook_events;
DROP TABLE webhooks;
