-- Up Migration

-- A Pinterest user connected to a workspace. Tokens are AES-256-GCM blobs that name their key
-- (src/accounts/token-crypto.ts) and are bound to the row's id, so a copied blob does not decrypt.
-- Reconnecting the same Pinterest user updates the row, keeping its id (posts refer to it).
CREATE TABLE social_accounts (
  id                        text PRIMARY KEY,
  workspace_id              text NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  platform                  text NOT NULL DEFAULT 'PINTEREST' CHECK (platform = 'PINTEREST'),
  pinterest_user_id         text NOT NULL,
  username                  text NOT NULL,
  account_type              text,
  status                    text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'reconnect_required')),
  -- NULL when unknown (a token handed over server-to-server, until its first refresh names them).
  scopes                    text[],
  access_token              bytea NOT NULL,
  refresh_token             bytea,
  access_token_expires_at   timestamptz,
  refresh_token_expires_at  timestamptz,
  -- Bumped by every token change: a process that waited for the row lock sees that another one refreshed.
  token_generation          integer NOT NULL DEFAULT 1,
  monthly_views             integer,
  connected_at              timestamptz NOT NULL DEFAULT now(),
  updated_at                timestamptz NOT NULL DEFAULT now(),
  UNIQUE (workspace_id, pinterest_user_id)
);

-- The boards of an account as Pinterest listed them at connect time or at the last refresh.
CREATE TABLE boards (
  account_id   text NOT NULL REFERENCES social_accounts(id) ON DELETE CASCADE,
  board_id     text NOT NULL CHECK (board_id ~ '^[0-9]+$'),
  name         text NOT NULL,
  privacy      text NOT NULL,
  description  text,
  fetched_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, board_id)
);

-- OAuth `state` nonces: the signed state proves who asked and until when; the row makes it single-use.
CREATE TABLE oauth_states (
  nonce           text PRIMARY KEY,
  workspace_id    text NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  redirect_after  text,
  expires_at      timestamptz NOT NULL,
  used_at         timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX oauth_states_expires ON oauth_states (expires_at);

-- Down Migration
DROP TABLE oauth_states;
DROP TABLE boards;
DROP TABLE social_accounts;
