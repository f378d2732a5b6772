-- fees.checked_at: when the fee agent last confirmed the row (captured_at moves only when a value
-- changes, because it feeds the ROI view's computed_at). A retried run skips what it already
-- confirmed today at the same price instead of spending the 0.5 request/s SP-API budget again.
ALTER TABLE fees ADD COLUMN checked_at timestamptz;
