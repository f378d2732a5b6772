-- Repricer (SPEC §8): per-SKU rules, every decision of every run, and every price actually set.

-- Bounds and strategy per listing; a listing without a row gets the default rule (beat_buybox,
-- enabled). min ≤ max is checked here too, so no import path can store a rule decide() refuses.
CREATE TABLE repricer_rules (
  marketplace char(2) NOT NULL,
  sku         text NOT NULL CHECK (length(sku) BETWEEN 1 AND 200),
  min_price   numeric(12, 2) CHECK (min_price >= 0),
  max_price   numeric(12, 2) CHECK (max_price > 0),
  map_price   numeric(12, 2) CHECK (map_price >= 0),
  strategy    text NOT NULL DEFAULT 'beat_buybox'
              CHECK (strategy IN ('match_buybox', 'beat_buybox', 'min_roi', 'hold')),
  step        numeric(12, 2) CHECK (step > 0),
  enabled     boolean NOT NULL DEFAULT true,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  updated_by  text,
  PRIMARY KEY (marketplace, sku),
  CONSTRAINT repricer_rules_min_le_max CHECK (min_price IS NULL OR max_price IS NULL OR min_price <= max_price)
);
-- GET /repricer/rules: SKU prefix filter and SKU order in byte order (C collation), so one btree
-- serves both the LIKE 'prefix%' range and the sort whatever the database's collation.
CREATE INDEX repricer_rules_sku_c_idx ON repricer_rules (marketplace, (sku COLLATE "C"));

-- One row per decision per run (priced, skipped or refused rule), written with COPY.
CREATE TABLE repricer_log (
  id          bigserial PRIMARY KEY,
  run_id      uuid NOT NULL,
  marketplace char(2) NOT NULL,
  sku         text NOT NULL,
  asin        text,
  currency    char(3) NOT NULL,
  old_price   numeric(12, 2),
  proposed    numeric(12, 2),
  final_price numeric(12, 2),
  floor       numeric(12, 2),
  ceiling     numeric(12, 2),
  buybox      numeric(12, 2),
  strategy    text NOT NULL,
  guards      text[] NOT NULL DEFAULT '{}',
  changed     boolean NOT NULL,
  skipped     boolean NOT NULL,
  error       boolean NOT NULL DEFAULT false,
  mode        text NOT NULL CHECK (mode IN ('dry_run', 'apply', 'live')),
  reason      text NOT NULL,
  created_at  timestamptz NOT NULL
);
-- GET /repricer/log is newest first (created_at DESC, id DESC) within the marketplace, filtered by
-- run, sku, guard or changed. A run's rows share created_at, so id orders them.
CREATE INDEX repricer_log_recent_idx ON repricer_log (marketplace, created_at DESC, id DESC);
CREATE INDEX repricer_log_run_idx ON repricer_log (run_id, created_at DESC, id DESC);
CREATE INDEX repricer_log_sku_idx ON repricer_log (marketplace, sku, created_at DESC, id DESC);
CREATE INDEX repricer_log_changed_idx ON repricer_log (marketplace, created_at DESC, id DESC) WHERE changed;
CREATE INDEX repricer_log_guards_idx ON repricer_log USING gin (guards);

-- Our price book: every price set by the repricer (apply/live) or a user (POST /pricing/apply), and
-- for live runs what Amazon answered. `not_submitted` (apply mode, manual) and `accepted` rows are
-- prices in force; `pending` is written before the call, so a crash mid-submission leaves a trace.
CREATE TABLE price_updates_log (
  id                bigserial PRIMARY KEY,
  marketplace       char(2) NOT NULL,
  sku               text NOT NULL,
  asin              text,
  currency          char(3) NOT NULL,
  old_price         numeric(12, 2),
  new_price         numeric(12, 2) NOT NULL CHECK (new_price > 0),
  strategy          text,
  actor             text NOT NULL,
  context           jsonb NOT NULL DEFAULT '{}',
  run_id            uuid,
  mode              text NOT NULL CHECK (mode IN ('apply', 'live', 'manual')),
  submission_status text NOT NULL
                    CHECK (submission_status IN ('not_submitted', 'pending', 'accepted', 'rejected', 'failed')),
  submission_id     text,
  issues            jsonb,
  created_at        timestamptz NOT NULL DEFAULT now(),
  submitted_at      timestamptz,
  updated_at        timestamptz NOT NULL DEFAULT now()
);
-- The repricer's current price: the latest price in force per listing (one probe per listing).
CREATE INDEX price_updates_log_in_force_idx ON price_updates_log (marketplace, sku, created_at DESC, id DESC)
  WHERE submission_status IN ('not_submitted', 'accepted');
CREATE INDEX price_updates_log_run_idx ON price_updates_log (run_id) WHERE run_id IS NOT NULL;
