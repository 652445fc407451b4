-- Up Migration
-- How many times publishing this target met Pinterest unavailable (5xx, no answer): its retries back off
-- by this count alone, so attempts that only waited (a rate-limit reset, looking again for a pin) do not
-- stretch the backoff the way Temporal's attempt number would.
ALTER TABLE post_targets ADD COLUMN pinterest_failures integer NOT NULL DEFAULT 0;

-- Down Migration
ALTER TABLE post_targets DROP COLUMN pinterest_failures;
