-- Up Migration
CREATE TABLE posts (
  id            text PRIMARY KEY,
  workspace_id  text NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  description   text NOT NULL,
  scheduled_at  timestamptz NOT NULL,
  timezone      text,
  status        text NOT NULL CHECK (status IN ('scheduled', 'publishing', 'published', 'partially_published', 'failed', 'canceled')),
  fit           text CHECK (fit IN ('pad', 'crop')),
  optimize      boolean NOT NULL DEFAULT true,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  finished_at   timestamptz
);
-- Listing: a workspace's posts by time, filtered by status; the id breaks ties for the cursor.
CREATE INDEX posts_workspace_time ON posts (workspace_id, scheduled_at, id);
CREATE INDEX posts_workspace_status_time ON posts (workspace_id, status, scheduled_at, id);

-- The images of a post in slide order. RESTRICT: media in use by a post cannot vanish under it.
CREATE TABLE post_media (
  post_id   text NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
  position  smallint NOT NULL,
  media_id  text NOT NULL REFERENCES media(id) ON DELETE RESTRICT,
  PRIMARY KEY (post_id, position)
);
CREATE INDEX post_media_media ON post_media (media_id);

-- One pin on one board of one account.
CREATE TABLE post_targets (
  id                text PRIMARY KEY,
  post_id           text NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
  position          smallint NOT NULL,
  account_id        text NOT NULL,
  board_id          text NOT NULL,
  board_section_id  text,
  title             text,
  link              text,
  alt_text          text,
  status            text NOT NULL CHECK (status IN ('scheduled', 'publishing', 'published', 'failed', 'canceled', 'outcome_unknown')),
  pin_id            text,
  pin_url           text,
  error_code        text,
  error_message     text,
  published_at      timestamptz,
  updated_at        timestamptz NOT NULL DEFAULT now(),
  UNIQUE (post_id, position)
);
CREATE INDEX post_targets_account ON post_targets (account_id, status);

-- Every call to create a pin, recorded before it is made: after a crash or a timeout the next attempt
-- knows an earlier one may have reached Pinterest, and looks for its pin before creating another.
CREATE TABLE publish_attempts (
  id                  text PRIMARY KEY,
  target_id           text NOT NULL REFERENCES post_targets(id) ON DELETE CASCADE,
  started_at          timestamptz NOT NULL DEFAULT clock_timestamp(),
  finished_at         timestamptz,
  outcome             text NOT NULL CHECK (outcome IN ('pending', 'created', 'adopted', 'failed', 'not_created')),
  pin_id              text,
  pinterest_request_id text,
  error_code          text,
  error_message       text
);
CREATE INDEX publish_attempts_target ON publish_attempts (target_id, started_at);

-- A request replayed with the same Idempotency-Key gets the first answer again.
CREATE TABLE idempotency_keys (
  workspace_id  text NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  key           text NOT NULL,
  request_hash  text NOT NULL,
  status        integer,
  response      jsonb,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, key)
);

-- Per-account write budget (a token bucket with debt): bursts for one account are paced under
-- Pinterest's per-user org_write limit instead of tripping it into long 429 backoffs.
CREATE TABLE account_write_budget (
  account_id  text PRIMARY KEY,
  tokens      double precision NOT NULL,
  updated_at  timestamptz NOT NULL
);

-- Down Migration
DROP TABLE account_write_budget;
DROP TABLE idempotency_keys;
DROP TABLE publish_attempts;
DROP TABLE post_targets;
DROP TABLE post_media;
DROP TABLE posts;
