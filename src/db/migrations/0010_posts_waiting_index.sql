-- Up Migration
-- The reconciler's scan, across workspaces: posts still waiting, by due time.
CREATE INDEX posts_waiting_time ON posts (scheduled_at) WHERE status = 'scheduled';

-- Down Migration
DROP INDEX posts_waiting_time;
