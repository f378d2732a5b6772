-- ROI kept current by change instead of by a whole refresh (SPEC §6).
--
-- roi_offers was a materialized view: every import, ingest and agent run refreshed all of it (33–40 s
-- at 600k offers with nothing changed). It becomes a table with the same columns and indexes, kept by
-- src/domains/roi/roi.update.repo.ts: a trigger on every input table notes which keys a statement
-- changed (ASIN, barcode, vendor, currency, freight lane, VAT category, seller SKU) in roi_changes, in
-- the writer's own transaction, so no writer can forget it and no change is noted that did not
-- commit. The update takes the noted keys, recomputes only the offers of the ASINs they reach, and
-- writes the differences, in one transaction: readers see all of a change or none of it.

-- 1. The table, filled with what the view held (an upgrade keeps its ROI without waiting for a run).
CREATE TABLE roi_offers_next (
  vendor_id         bigint NOT NULL,
  vendor_name       text NOT NULL,
  vendor_country    char(2),
  sku               text NOT NULL,
  asin              text NOT NULL,
  asin_source       text NOT NULL,
  barcode           text,
  title             text,
  brand             text,
  category          text,
  product_status    text,
  marketplace       char(2) NOT NULL,
  currency          char(3) NOT NULL,
  cost              numeric(14, 4),
  cost_currency     char(3),
  pack_size         integer,
  cost_fx_rate      numeric,
  unit_cost         numeric,
  weight_kg         numeric(10, 3),
  lane              text,
  eur_per_kg        numeric(12, 4),
  freight_fx_rate   numeric,
  freight           numeric,
  referral          numeric,
  fulfilment        numeric,
  storage           numeric,
  other             numeric,
  fees_currency     char(3),
  fees_fx_rate      numeric,
  fees              numeric,
  fba               boolean,
  buybox_price      numeric(12, 2),
  buybox_currency   char(3),
  buybox_fx_rate    numeric,
  buybox_at         timestamptz,
  vat_rate          numeric(6, 4),
  vat_source        text,
  vat_registered    boolean,
  price             numeric,
  returns_allowance numeric,
  profit            numeric,
  roi_pct           numeric,
  margin_pct        numeric,
  flags             text[] NOT NULL,
  best              boolean NOT NULL,
  computed_at       timestamptz,
  search            text NOT NULL
);
INSERT INTO roi_offers_next SELECT * FROM roi_offers;
DROP MATERIALIZED VIEW roi_offers;
ALTER TABLE roi_offers_next RENAME TO roi_offers;

-- every index of 0014 and 0016, by the same names
ALTER TABLE roi_offers ADD CONSTRAINT roi_offers_key PRIMARY KEY (vendor_id, sku);
CREATE UNIQUE INDEX roi_offers_best_asin_key ON roi_offers (asin) WHERE best;
CREATE INDEX roi_offers_roi_desc_idx ON roi_offers (roi_pct DESC NULLS LAST, asin, vendor_id, sku);
CREATE INDEX roi_offers_roi_asc_idx ON roi_offers (roi_pct ASC NULLS LAST, asin, vendor_id, sku);
CREATE INDEX roi_offers_margin_desc_idx ON roi_offers (margin_pct DESC NULLS LAST, asin, vendor_id, sku);
CREATE INDEX roi_offers_margin_asc_idx ON roi_offers (margin_pct ASC NULLS LAST, asin, vendor_id, sku);
CREATE INDEX roi_offers_profit_desc_idx ON roi_offers (profit DESC NULLS LAST, asin, vendor_id, sku);
CREATE INDEX roi_offers_profit_asc_idx ON roi_offers (profit ASC NULLS LAST, asin, vendor_id, sku);
CREATE INDEX roi_offers_asin_idx ON roi_offers (asin, vendor_id, sku);
CREATE INDEX roi_offers_vendor_name_idx ON roi_offers (vendor_name, asin, vendor_id, sku);
CREATE INDEX roi_offers_category_idx ON roi_offers (category);
CREATE INDEX roi_offers_flags_idx ON roi_offers USING gin (flags);
CREATE INDEX roi_offers_search_idx ON roi_offers USING gin (search gin_trgm_ops);
CREATE INDEX roi_offers_best_category_idx ON roi_offers (category, roi_pct DESC NULLS LAST) WHERE best;
CREATE INDEX roi_offers_best_search_idx ON roi_offers USING gin (search gin_trgm_ops) WHERE best;
-- the update finds the offers a changed barcode mapped, a vendor's and a currency's offers
CREATE INDEX roi_offers_gtin_idx ON roi_offers (lpad(barcode, 14, '0')) WHERE asin_source = 'barcode';
CREATE INDEX roi_offers_vendor_idx ON roi_offers (vendor_id);

-- the update reads the offers and identifiers of a set of ASINs by their 14-digit barcodes
CREATE INDEX vendor_prices_gtin_idx ON vendor_prices (lpad(barcode, 14, '0')) WHERE asin IS NULL;
CREATE INDEX product_identifiers_gtin_idx ON product_identifiers (lpad(value, 14, '0'));

-- 2. What changed since the last update. Appended, never merged: a writer that found its key already
--    noted could commit after the update had taken that note, and its change would be lost.
CREATE TABLE roi_changes (
  id       bigserial PRIMARY KEY,
  kind     text NOT NULL CHECK (kind IN ('all', 'asin', 'gtin', 'vendor', 'currency', 'lane', 'category', 'sku')),
  key      text NOT NULL,
  noted_at timestamptz NOT NULL DEFAULT now()
);

-- Notes the keys of the rows a statement wrote. Arguments: pairs of a kind and an SQL expression over
-- a row of the table giving that kind's key (NULL: nothing to note). UPDATE notes old and new keys:
-- an offer that moves to another ASIN changes both.
CREATE FUNCTION roi_note_changes() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  i int := 0;
BEGIN
  WHILE i < TG_NARGS LOOP
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
      EXECUTE format('INSERT INTO roi_changes (kind, key) SELECT DISTINCT %L, k FROM (SELECT %s AS k FROM new_rows) r'
                     ' WHERE k IS NOT NULL', TG_ARGV[i], TG_ARGV[i + 1]);
    END IF;
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
      EXECUTE format('INSERT INTO roi_changes (kind, key) SELECT DISTINCT %L, k FROM (SELECT %s AS k FROM old_rows) r'
                     ' WHERE k IS NOT NULL', TG_ARGV[i], TG_ARGV[i + 1]);
    END IF;
    i := i + 2;
  END LOOP;
  RETURN NULL;
END $$;

-- A TRUNCATE reaches every offer.
CREATE FUNCTION roi_note_all() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO roi_changes (kind, key) VALUES ('all', TG_TABLE_NAME);
  RETURN NULL;
END $$;

-- Creates the insert, update, delete and truncate triggers of one input table.
CREATE FUNCTION roi_watch(tbl regclass, VARIADIC args text[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  a text := (SELECT string_agg(quote_literal(x), ', ') FROM unnest(args) x);
BEGIN
  EXECUTE format('CREATE TRIGGER roi_note_ins AFTER INSERT ON %s REFERENCING NEW TABLE AS new_rows'
                 ' FOR EACH STATEMENT EXECUTE FUNCTION roi_note_changes(%s)', tbl, a);
  EXECUTE format('CREATE TRIGGER roi_note_upd AFTER UPDATE ON %s REFERENCING OLD TABLE AS old_rows'
                 ' NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION roi_note_changes(%s)', tbl, a);
  EXECUTE format('CREATE TRIGGER roi_note_del AFTER DELETE ON %s REFERENCING OLD TABLE AS old_rows'
                 ' FOR EACH STATEMENT EXECUTE FUNCTION roi_note_changes(%s)', tbl, a);
  EXECUTE format('CREATE TRIGGER roi_note_trunc AFTER TRUNCATE ON %s FOR EACH STATEMENT'
                 ' EXECUTE FUNCTION roi_note_all()', tbl);
END $$;

-- an offer is found by its ASIN, or by its barcode when it has none
SELECT roi_watch('vendor_prices', 'asin', 'asin',
  'gtin', $$CASE WHEN asin IS NULL AND barcode ~ '^[0-9]{8,14}$' THEN lpad(barcode, 14, '0') END$$);
SELECT roi_watch('vendors', 'vendor', 'id::text');
SELECT roi_watch('products', 'asin', 'asin');
SELECT roi_watch('product_identifiers', 'asin', 'asin', 'gtin', $$lpad(value, 14, '0')$$);
SELECT roi_watch('fees', 'asin', 'asin');
SELECT roi_watch('buybox_history', 'asin', 'asin');
SELECT roi_watch('fx_rates', 'currency', 'currency');
SELECT roi_watch('logistics_rates', 'lane', $$carrier || ':' || origin || ':' || dest || ':' || service$$);
SELECT roi_watch('vat_rates', 'asin', $$CASE WHEN scope = 'asin' THEN upper(key) END$$,
  'category', $$CASE WHEN scope = 'category' THEN lower(key) END$$);
SELECT roi_watch('listings', 'asin', 'asin');
SELECT roi_watch('settlement_lines_raw', 'sku', 'sku');
SELECT roi_watch('returns_raw', 'asin', 'asin');
SELECT roi_watch('reimbursements_raw', 'asin', 'asin');
SELECT roi_watch('inventory_ledger_raw', 'asin', $$CASE WHEN event_type = 'Shipments' THEN asin END$$);

-- the service writes the settings before each update, changing the row only when a value changes: a
-- statement trigger without rows would note every no-op write
SELECT roi_watch('roi_settings', 'all', $$'roi_settings'$$);

DROP FUNCTION roi_watch(regclass, text[]);

-- 3. Each run says what it did: a rebuild of every offer, or the changes of some keys; `day` is the
--    "today" it computed with (the freight lanes in force and the 90-day windows move with it, so the
--    scheduled run rebuilds once the day has changed).
ALTER TABLE roi_refreshes
  ADD COLUMN mode text NOT NULL DEFAULT 'rebuild' CHECK (mode IN ('rebuild', 'changes')),
  ADD COLUMN day date,
  ADD COLUMN keys integer,
  ADD COLUMN changed integer;

-- statistics of the new expression indexes (the barcode lookups above), before the first update plans
ANALYZE vendor_prices, product_identifiers, roi_offers;
