-- Up Migration
-- Images a workspace uploaded or had fetched; the bytes live in the media store under storage_key.
CREATE TABLE media (
  id            text PRIMARY KEY,
  workspace_id  text NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  type          text NOT NULL CHECK (type IN ('IMAGE')),
  format        text NOT NULL,
  width         integer NOT NULL,
  height        integer NOT NULL,
  bytes         integer NOT NULL,
  aspect        text NOT NULL,
  sha256        text NOT NULL,
  storage_key   text NOT NULL,
  -- The copy sent to Pinterest (downscaled to 1200×1800 at most), prepared when a post is accepted.
  optimized_key text,
  optimized_bytes integer,
  source_url    text,
  -- Whole milliseconds: a JavaScript Date holds no more, so a list cursor carrying created_at round-trips exactly.
  created_at    timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now())
);
-- Listing: a workspace's media newest first; the id breaks ties for the cursor.
CREATE INDEX media_workspace ON media (workspace_id, created_at DESC, id DESC);

-- Down Migration
DROP TABLE media;
