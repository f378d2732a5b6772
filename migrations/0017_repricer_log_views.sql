-- The repricer page (issue 13): its log is sorted by time, SKU or price change and lists recent runs.

-- Recent runs without reading their decisions: a loose index scan steps from one (created_at,
-- run_id) to the next older one (several runs can share a timestamp, so run_id is in the key).
CREATE INDEX repricer_log_runs_idx ON repricer_log (marketplace, created_at DESC, run_id DESC);

-- "Biggest drops first": the relative change of a decision (0 where there was no old price), the
-- expression GET /repricer/log?sort=change orders by.
CREATE INDEX repricer_log_change_idx ON repricer_log
  (marketplace, (coalesce((final_price - old_price) / nullif(old_price, 0), 0)), id);
