-- Reports pulled from SP-API (issue 16): per report type and marketplace a watermark, the reports
-- requested from Amazon (so a killed worker resumes one instead of requesting it again), and the
-- settlement reports already fetched (Amazon generates those; each is loaded once).

-- 1. Where each (report type, marketplace) stands. `data_to` is the end of the last data window
--    loaded (windowed types), `next_run_at` when the scheduler owes it its next report.
CREATE TABLE sync_state (
  report_type     text NOT NULL,          -- SP-API report type, e.g. GET_LEDGER_DETAIL_VIEW_DATA
  marketplace     text NOT NULL,          -- AWA's code (DE, UK, US…)
  data_from       timestamptz,            -- start of the first window ever loaded
  data_to         timestamptz,            -- watermark: end of the last window loaded
  last_success_at timestamptz,
  last_attempt_at timestamptz,
  next_run_at     timestamptz,
  last_error      text,
  last_error_at   timestamptz,
  rows_loaded     bigint NOT NULL DEFAULT 0, -- over all runs
  last_rows       integer,
  PRIMARY KEY (report_type, marketplace)
);

-- 2. Every report asked of Amazon. At most one is outstanding per (type, marketplace): the partial
--    unique index is what stops two workers from requesting the same report twice even if both got
--    past the advisory lock (e.g. one of them lost its connection).
CREATE TABLE sync_requests (
  id              bigserial PRIMARY KEY,
  report_type     text NOT NULL,
  marketplace     text NOT NULL,
  window_start    timestamptz,            -- null for snapshot reports (listings, inventory, fee preview)
  window_end      timestamptz,
  -- pending: planned, createReport not confirmed; requested: Amazon's reportId known, polling;
  -- done: DONE with a document, not loaded yet; loaded / cancelled / fatal / failed: finished
  status          text NOT NULL CHECK (status IN
                    ('pending', 'requested', 'done', 'loaded', 'cancelled', 'fatal', 'failed')),
  report_id       text,                   -- Amazon's reportId
  document_id     text,                   -- reportDocumentId
  -- when createReport was sent: a pending row with this set may exist on Amazon's side already
  create_sent_at  timestamptz,
  attempts        integer NOT NULL DEFAULT 0,
  error           text,
  rows            integer,
  load_id         bigint,                 -- load_log row of the ingest
  dry_run         boolean NOT NULL DEFAULT false,
  created_at      timestamptz NOT NULL,
  updated_at      timestamptz NOT NULL,
  finished_at     timestamptz
);
CREATE UNIQUE INDEX sync_requests_open_idx ON sync_requests (report_type, marketplace)
  WHERE status IN ('pending', 'requested', 'done');
CREATE UNIQUE INDEX sync_requests_report_idx ON sync_requests (report_id) WHERE report_id IS NOT NULL;
CREATE INDEX sync_requests_recent_idx ON sync_requests (report_type, marketplace, id DESC);
