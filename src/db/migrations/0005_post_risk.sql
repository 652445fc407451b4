-- Up Migration
-- What the last preflight found: a post that will fail at its time is flagged before it, not after.
ALTER TABLE posts ADD COLUMN risk_code text, ADD COLUMN risk_message text, ADD COLUMN risk_checked_at timestamptz;

-- Down Migration
ALTER TABLE posts DROP COLUMN risk_code, DROP COLUMN risk_message, DROP COLUMN risk_checked_at;
