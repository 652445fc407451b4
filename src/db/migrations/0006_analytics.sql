-- Up Migration

-- Pinterest's pin analytics, one row per pin, UTC day and metric (Pinterest's own metric names; the
-- guide's metrics are computed from them in src/analytics/metrics.ts). Fetching a day again upserts:
-- a row changes only when Pinterest's answer changed. data_status says whether the day is final.
CREATE TABLE pin_analytics_daily (
  account_id   text NOT NULL REFERENCES social_accounts(id) ON DELETE CASCADE,
  pin_id       text NOT NULL,
  date         date NOT NULL,
  metric       text NOT NULL,
  -- Counts; a float column so that a fractional metric Pinterest may add needs no migration.
  value        double precision NOT NULL,
  data_status  text NOT NULL,
  -- Whether Pinterest will revise the day no more (isFinalStatus in src/analytics/metrics.ts, the one
  -- place that decides it); the next refresh starts at the first day that is not final.
  final        boolean NOT NULL,
  fetched_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, pin_id, date, metric)
);

-- Per pin, the last refresh that fetched it: a retried or resumed refresh skips it. A pin Pinterest no
-- longer has (deleted) keeps its error code and is not asked for again.
CREATE TABLE pin_analytics_fetches (
  account_id   text NOT NULL REFERENCES social_accounts(id) ON DELETE CASCADE,
  pin_id       text NOT NULL,
  refresh_id   text NOT NULL,
  fetched_at   timestamptz NOT NULL DEFAULT now(),
  error_code   text,
  PRIMARY KEY (account_id, pin_id)
);

-- monthly_views of GET /v5/user_account, once per account per refresh.
CREATE TABLE account_analytics_snapshots (
  account_id     text NOT NULL REFERENCES social_accounts(id) ON DELETE CASCADE,
  refresh_id     text NOT NULL,
  monthly_views  integer,
  taken_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, refresh_id)
);
CREATE INDEX account_analytics_snapshots_time ON account_analytics_snapshots (account_id, taken_at DESC);

-- One row per refresh (the id is the scheduled workflow's id, kept across continueAsNew) and per
-- account in it: a refresh started again with the same id skips the accounts it finished.
CREATE TABLE analytics_refreshes (
  id           text PRIMARY KEY,
  started_at   timestamptz NOT NULL DEFAULT now(),
  finished_at  timestamptz
);

CREATE TABLE analytics_refresh_accounts (
  refresh_id     text NOT NULL REFERENCES analytics_refreshes(id) ON DELETE CASCADE,
  -- No foreign key: the record of a refresh outlives an account removed since.
  account_id     text NOT NULL,
  status         text NOT NULL CHECK (status IN ('running', 'refreshed', 'failed')),
  pins           integer NOT NULL DEFAULT 0,
  requests       integer NOT NULL DEFAULT 0,
  rows_changed   integer NOT NULL DEFAULT 0,
  error_code     text,
  error_message  text,
  updated_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (refresh_id, account_id)
);

-- Per-account pacing of org_analytics requests (a token bucket of one, shared by every worker replica).
CREATE TABLE account_analytics_budget (
  account_id  text PRIMARY KEY,
  tokens      double precision NOT NULL,
  updated_at  timestamptz NOT NULL
);

-- Down Migration
DROP TABLE account_analytics_budget;
DROP TABLE analytics_refresh_accounts;
DROP TABLE analytics_refreshes;
DROP TABLE account_analytics_snapshots;
DROP TABLE pin_analytics_fetches;
DROP TABLE pin_analytics_daily;
