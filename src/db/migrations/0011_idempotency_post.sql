-- Up Migration
-- The post a request under this key stored, written in the same statement as the post: a request whose api
-- process died after storing its post is answered with that post when the key is used again.
ALTER TABLE idempotency_keys ADD COLUMN post_id text;

-- Down Migration
ALTER TABLE idempotency_keys DROP COLUMN post_id;
