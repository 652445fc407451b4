-- Up Migration
-- The moment a target may write to Pinterest, reserved once from its account's write budget: a retry
-- (or an activity that hands a long wait back to Temporal) keeps its place instead of booking another.
ALTER TABLE post_targets ADD COLUMN write_slot_at timestamptz;

-- Down Migration
ALTER TABLE post_targets DROP COLUMN write_slot_at;
