-- Repricer live mode, > 500 changes (SPEC §8): one JSON_LISTINGS_FEED carries every price. Each
-- price_updates_log row of a feed keeps submission_id = the feedId and its message's messageId, so
-- the feed's processing report (issues per messageId) resolves the row; a feed not done within the
-- run leaves its rows pending, and the next run looks up those feeds before it decides anything.
ALTER TABLE price_updates_log ADD COLUMN feed_message_id integer CHECK (feed_message_id > 0);

-- The next run's look-up: feeds still pending (a handful of feedIds, each with up to thousands of rows).
CREATE INDEX price_updates_log_pending_feed_idx ON price_updates_log (marketplace, submission_id)
  WHERE submission_status = 'pending' AND feed_message_id IS NOT NULL;
