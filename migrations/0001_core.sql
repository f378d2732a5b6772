-- Core tables of SPEC §2 that every later feature reads or writes.
-- Marketplace-specific data carries `marketplace` in its key from the start, so a second
-- marketplace is configuration, not a migration. Money is numeric, never float.

CREATE TABLE vendors (
  id             bigserial PRIMARY KEY,
  name           text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
  email          text,
  country        char(2),
  currency       char(3),
  lead_time_days integer CHECK (lead_time_days >= 0),
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX vendors_name_key ON vendors (lower(name));

CREATE TABLE price_lists (
  id          bigserial PRIMARY KEY,
  vendor_id   bigint NOT NULL REFERENCES vendors (id) ON DELETE CASCADE,
  file_name   text NOT NULL,
  sha256      char(64) NOT NULL,
  rows        integer NOT NULL DEFAULT 0,
  inserted    integer NOT NULL DEFAULT 0,
  updated     integer NOT NULL DEFAULT 0,
  unchanged   integer NOT NULL DEFAULT 0,
  duplicates  integer NOT NULL DEFAULT 0,
  rejected    integer NOT NULL DEFAULT 0,
  status      text NOT NULL CHECK (status IN ('success', 'failed', 'skipped', 'partial')),
  dry_run     boolean NOT NULL DEFAULT false,
  created_by  text,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX price_lists_vendor_idx ON price_lists (vendor_id, created_at DESC);

CREATE TABLE vendor_prices (
  vendor_id      bigint NOT NULL REFERENCES vendors (id) ON DELETE CASCADE,
  sku            text NOT NULL,
  asin           text,
  barcode        text,
  title          text,
  cost           numeric(14, 4) NOT NULL CHECK (cost > 0),
  currency       char(3) NOT NULL,
  pack_size      integer NOT NULL DEFAULT 1 CHECK (pack_size >= 1),
  moq            integer NOT NULL DEFAULT 0 CHECK (moq >= 0),
  lead_time_days integer CHECK (lead_time_days >= 0),
  price_list_id  bigint REFERENCES price_lists (id) ON DELETE SET NULL,
  updated_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (vendor_id, sku)
);
CREATE INDEX vendor_prices_asin_idx ON vendor_prices (asin) WHERE asin IS NOT NULL;
CREATE INDEX vendor_prices_barcode_idx ON vendor_prices (barcode) WHERE barcode IS NOT NULL;

-- Appended whenever cost or currency changes; alerts and trends read it.
CREATE TABLE vendor_price_history (
  vendor_id     bigint NOT NULL,
  sku           text NOT NULL,
  observed_at   timestamptz NOT NULL,
  old_cost      numeric(14, 4),
  cost          numeric(14, 4) NOT NULL,
  old_currency  char(3),
  currency      char(3) NOT NULL,
  price_list_id bigint REFERENCES price_lists (id) ON DELETE SET NULL,
  PRIMARY KEY (vendor_id, sku, observed_at),
  FOREIGN KEY (vendor_id, sku) REFERENCES vendor_prices (vendor_id, sku) ON DELETE CASCADE
);

CREATE TABLE products (
  asin        text PRIMARY KEY CHECK (asin ~ '^[A-Z0-9]{10}$'),
  marketplace char(2) NOT NULL DEFAULT 'DE',
  title       text,
  brand       text,
  category    text,
  weight_kg   numeric(10, 3) CHECK (weight_kg >= 0),
  length_cm   numeric(10, 2),
  width_cm    numeric(10, 2),
  height_cm   numeric(10, 2),
  status      text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected', 'observe')),
  approved_by text,
  approved_at timestamptz,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX products_category_idx ON products (category);
CREATE INDEX products_status_idx ON products (status);

CREATE TABLE product_identifiers (
  kind       text NOT NULL CHECK (kind IN ('EAN', 'UPC', 'ISBN', 'GTIN')),
  value      text NOT NULL CHECK (value ~ '^[0-9]{8,14}$'),
  asin       text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (kind, value)
);
CREATE INDEX product_identifiers_asin_idx ON product_identifiers (asin);

-- rate = units of the marketplace currency per 1 unit of `currency`.
CREATE TABLE fx_rates (
  currency char(3) NOT NULL,
  as_of    date NOT NULL,
  rate     numeric(18, 8) NOT NULL CHECK (rate > 0),
  source   text,
  PRIMARY KEY (currency, as_of)
);

CREATE TABLE fees (
  marketplace char(2) NOT NULL,
  asin        text NOT NULL,
  referral    numeric(12, 2),
  fulfilment  numeric(12, 2),
  storage     numeric(12, 2),
  other       numeric(12, 2),
  currency    char(3) NOT NULL,
  price_basis numeric(12, 2),
  source      text NOT NULL CHECK (source IN ('sp_api', 'helium10', 'fee_preview_report', 'manual')),
  captured_at timestamptz NOT NULL,
  PRIMARY KEY (marketplace, asin)
);

CREATE TABLE fees_history (
  marketplace char(2) NOT NULL,
  asin        text NOT NULL,
  captured_at timestamptz NOT NULL,
  referral    numeric(12, 2),
  fulfilment  numeric(12, 2),
  storage     numeric(12, 2),
  other       numeric(12, 2),
  currency    char(3) NOT NULL,
  price_basis numeric(12, 2),
  source      text NOT NULL,
  PRIMARY KEY (marketplace, asin, captured_at)
);

CREATE TABLE buybox_history (
  marketplace char(2) NOT NULL,
  asin        text NOT NULL,
  captured_at timestamptz NOT NULL,
  price       numeric(12, 2) NOT NULL CHECK (price > 0),
  currency    char(3) NOT NULL,
  source      text NOT NULL,
  PRIMARY KEY (marketplace, asin, captured_at)
);

CREATE TABLE product_metrics (
  marketplace       char(2) NOT NULL,
  asin              text NOT NULL,
  captured_at       timestamptz NOT NULL,
  sales_rank        integer,
  offers_new        integer,
  offers_fba        integer,
  amazon_on_listing boolean,
  rating            numeric(2, 1),
  reviews           integer,
  PRIMARY KEY (marketplace, asin, captured_at)
);

-- Run-once guard for imports: the same content (idempotency_key = sha256) loads once.
CREATE TABLE load_log (
  id              bigserial PRIMARY KEY,
  source          text NOT NULL,
  idempotency_key text NOT NULL,
  status          text NOT NULL CHECK (status IN ('pending', 'success', 'failed', 'skipped')),
  meta            jsonb NOT NULL DEFAULT '{}',
  started_at      timestamptz NOT NULL DEFAULT now(),
  finished_at     timestamptz,
  duration_ms     integer,
  UNIQUE (source, idempotency_key)
);

CREATE TABLE agent_runs (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  agent       text NOT NULL,
  status      text NOT NULL CHECK (status IN ('running', 'success', 'failed', 'skipped', 'tripped')),
  dry_run     boolean NOT NULL DEFAULT false,
  trigger     text NOT NULL DEFAULT 'manual' CHECK (trigger IN ('manual', 'schedule', 'api')),
  job_id      text,
  counts      jsonb NOT NULL DEFAULT '{}',
  reason      text,
  error       text,
  started_at  timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz,
  duration_ms integer
);
CREATE INDEX agent_runs_started_idx ON agent_runs (started_at DESC, id);
CREATE INDEX agent_runs_agent_idx ON agent_runs (agent, started_at DESC);
CREATE INDEX agent_runs_job_idx ON agent_runs (job_id) WHERE job_id IS NOT NULL;

CREATE TABLE users (
  id          bigserial PRIMARY KEY,
  name        text NOT NULL,
  role        text NOT NULL CHECK (role IN ('viewer', 'ops', 'admin')),
  email       text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  disabled_at timestamptz
);
CREATE UNIQUE INDEX users_name_key ON users (lower(name));

-- Tokens are random; only their sha256 is stored, so a leaked table grants nothing.
CREATE TABLE api_tokens (
  id           bigserial PRIMARY KEY,
  name         text NOT NULL CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$'),
  role         text NOT NULL CHECK (role IN ('viewer', 'ops', 'admin')),
  token_hash   char(64) NOT NULL UNIQUE,
  prefix       text NOT NULL,
  user_id      bigint REFERENCES users (id) ON DELETE CASCADE,
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at   timestamptz
);
CREATE UNIQUE INDEX api_tokens_active_name_key ON api_tokens (lower(name)) WHERE revoked_at IS NULL;

CREATE TABLE audit_log (
  id          bigserial PRIMARY KEY,
  at          timestamptz NOT NULL DEFAULT now(),
  actor       text NOT NULL,
  role        text,
  method      text NOT NULL,
  route       text NOT NULL,
  status      integer NOT NULL,
  latency_ms  numeric(10, 2) NOT NULL,
  request_id  text,
  ip          text
);
CREATE INDEX audit_log_at_idx ON audit_log (at DESC);
CREATE INDEX audit_log_actor_idx ON audit_log (actor, at DESC);
