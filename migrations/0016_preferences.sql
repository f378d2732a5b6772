-- The web app's per-person settings and saved views (issue 12), plus the indexes two of its reads need.
--
-- 1. Preferences and saved views belong to a principal: the `name` of an API token or the e-mail of a
--    signed-in user (whichever authenticated the request). They are keyed on that text, not on a
--    users/tokens id, so they work for tokens and users alike and survive a token being re-issued
--    under the same name.
CREATE TABLE user_preferences (
  owner          text PRIMARY KEY CHECK (length(owner) BETWEEN 1 AND 320),
  -- the user's thresholds for colouring figures (SPEC §6); never used to compute anything
  min_roi_pct    numeric(8, 2) NOT NULL CHECK (min_roi_pct BETWEEN -100 AND 10000),
  min_profit     numeric(12, 2) NOT NULL CHECK (min_profit BETWEEN -1000000 AND 1000000),
  max_sales_rank integer CHECK (max_sales_rank >= 1),
  -- BCP 47 tag such as de-DE; NULL = the browser's
  locale         text CHECK (locale ~ '^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$'),
  updated_at     timestamptz NOT NULL DEFAULT now()
);

-- `params` is the page's URL query string (filters, sort, columns), replayed as it was saved.
CREATE TABLE saved_views (
  id         bigserial PRIMARY KEY,
  owner      text NOT NULL CHECK (length(owner) BETWEEN 1 AND 320),
  page       text NOT NULL CHECK (page ~ '^[a-z][a-z0-9_-]{0,39}$'),
  name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 60),
  params     text NOT NULL CHECK (length(params) <= 2000),
  created_at timestamptz NOT NULL DEFAULT now()
);
-- one name per owner and page (case-sensitive, as typed); also serves GET /views?page=…
CREATE UNIQUE INDEX saved_views_owner_page_name_key ON saved_views (owner, page, name);

-- 2. GET /roi?sort=profit: the same shape as the ROI and margin sort indexes of migration 0014, so a
--    page of 600k offers is read from an index instead of sorting them all. A later migration that
--    recreates roi_offers must create these two again.
CREATE INDEX roi_offers_profit_desc_idx ON roi_offers (profit DESC NULLS LAST, asin, vendor_id, sku);
CREATE INDEX roi_offers_profit_asc_idx ON roi_offers (profit ASC NULLS LAST, asin, vendor_id, sku);

-- 3. GET /search matches product titles by substring (ILIKE '%…%'); a trigram index keeps that under a
--    few milliseconds over 200k products. pg_trgm was created by migration 0003.
CREATE INDEX products_title_trgm_idx ON products USING gin (title gin_trgm_ops);

-- 4. GET /roi?status=… counts its matches against the live decisions (products.status), which change
--    without a refresh of the view: cached counts are keyed on this sequence too, which every decision
--    advances after it commits (roi.service.ts). Sequences are not transactional: a rolled-back bump
--    only costs one recount.
CREATE SEQUENCE roi_decisions_seq;
