-- Amazon report landing tables (SPEC §4) and the seller's own offers and stock that later agents
-- read. Every landed row remembers the load (load_log.id) that first brought it, so a user can trace
-- a figure back to a file. Natural keys make re-ingesting a file, or an overlapping report, a no-op.

ALTER TABLE load_log ADD COLUMN rows_inserted integer;
CREATE INDEX load_log_source_started_idx ON load_log (source, started_at DESC);

-- Customer returns (FBA customer returns report). Key columns that the report may leave empty are
-- stored as '' so that they can take part in the unique key.
CREATE TABLE returns_raw (
  order_id              text NOT NULL,
  sku                   text NOT NULL DEFAULT '',
  license_plate_number  text NOT NULL DEFAULT '',
  return_date           timestamptz NOT NULL,
  marketplace           char(2) NOT NULL,
  asin                  text,
  fnsku                 text,
  product_name          text,
  quantity              integer NOT NULL,
  fulfillment_center_id text,
  detailed_disposition  text,
  reason                text,
  status                text,
  customer_comments     text,
  refund_amount         numeric(12, 2),
  currency              char(3),
  load_id               bigint NOT NULL,
  -- SPEC's key (order_id, sku, license_plate_number, return_date), date first: reports are
  -- chronological, so new rows append to the index instead of landing all over it
  PRIMARY KEY (return_date, order_id, sku, license_plate_number)
);
CREATE INDEX returns_raw_asin_date_idx ON returns_raw (asin, return_date DESC);

CREATE TABLE reimbursements_raw (
  reimbursement_id            text NOT NULL,
  sku                         text NOT NULL DEFAULT '',
  approval_date               timestamptz NOT NULL,
  marketplace                 char(2) NOT NULL,
  case_id                     text,
  amazon_order_id             text,
  reason                      text,
  fnsku                       text,
  asin                        text,
  product_name                text,
  condition                   text,
  currency                    char(3),
  amount_per_unit             numeric(12, 2),
  amount_total                numeric(12, 2),
  quantity_reimbursed_cash      integer,
  quantity_reimbursed_inventory integer,
  quantity_reimbursed_total     integer,
  original_reimbursement_id   text,
  original_reimbursement_type text,
  load_id                     bigint NOT NULL,
  PRIMARY KEY (reimbursement_id, sku)
);
CREATE INDEX reimbursements_raw_asin_date_idx ON reimbursements_raw (asin, approval_date DESC);

-- Fee preview rows: one snapshot per report (captured_at = when the file was first ingested, kept on
-- a forced re-ingest so that it adds nothing). The latest row per ASIN also updates `fees` (source
-- fee_preview_report) and fills unknown product weights.
CREATE TABLE fee_preview_raw (
  marketplace                       char(2) NOT NULL,
  sku                               text NOT NULL,
  captured_at                       timestamptz NOT NULL,
  line                              integer NOT NULL,
  fnsku                             text,
  asin                              text,
  product_name                      text,
  your_price                        numeric(12, 2),
  sales_price                       numeric(12, 2),
  item_package_weight               numeric(12, 4),
  unit_of_weight                    text,
  product_size_tier                 text,
  currency                          char(3),
  estimated_fee_total               numeric(12, 2),
  estimated_referral_fee_per_unit   numeric(12, 2),
  estimated_variable_closing_fee    numeric(12, 2),
  estimated_pick_pack_fee_per_unit  numeric(12, 2),
  load_id                           bigint NOT NULL,
  PRIMARY KEY (marketplace, sku, captured_at)
);
CREATE INDEX fee_preview_raw_asin_idx ON fee_preview_raw (asin, captured_at DESC);

-- The ledger has no row id: a row's identity is the hash of its cells plus how many identical rows
-- came before it in the same report (two identical shipments on one day are two rows). The key
-- starts with the date so that a report (chronological) appends to the index instead of writing
-- all over it: with the random hash first, a million-row ledger took three times as long to merge.
CREATE TABLE inventory_ledger_raw (
  row_hash           bytea NOT NULL,
  occurrence         integer NOT NULL,
  event_date         date NOT NULL,
  fnsku              text,
  asin               text,
  msku               text,
  title              text,
  event_type         text NOT NULL,
  reference_id       text,
  quantity           integer NOT NULL,
  fulfillment_center text,
  disposition        text,
  reason             text,
  country            text,
  load_id            bigint NOT NULL,
  PRIMARY KEY (event_date, row_hash, occurrence)
);
-- Units sold per day (velocity for restock, ROI's returns allowance) are read by date range over
-- all SKUs at once. A (msku, date) index would be written all over for every report (it doubled a
-- million-row merge) and would serve only single-SKU lookups, which this partial index serves too.
CREATE INDEX inventory_ledger_raw_shipments_idx ON inventory_ledger_raw (event_date, asin)
  INCLUDE (msku, quantity) WHERE event_type = 'Shipments';

-- Units sold per SKU and day: customer shipments leave the warehouse as negative quantities.
CREATE VIEW sales_daily AS
SELECT msku AS sku, asin, country, event_date AS day, sum(-quantity)::integer AS units
FROM inventory_ledger_raw
WHERE event_type = 'Shipments'
GROUP BY msku, asin, country, event_date;

-- One row per settlement (the report's summary row); its lines are replaced as a whole on re-ingest.
CREATE TABLE settlements (
  settlement_id         text PRIMARY KEY,
  settlement_start_date timestamptz,
  settlement_end_date   timestamptz,
  deposit_date          timestamptz,
  total_amount          numeric(14, 2),
  currency              char(3),
  load_id               bigint NOT NULL,
  updated_at            timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE settlement_lines_raw (
  settlement_id      text NOT NULL,
  line               integer NOT NULL,
  transaction_type   text,
  order_id           text,
  adjustment_id      text,
  shipment_id        text,
  marketplace_name   text,
  amount_type        text,
  amount_description text,
  amount             numeric(14, 2),
  posted_date        timestamptz,
  sku                text,
  quantity_purchased integer,
  load_id            bigint NOT NULL,
  PRIMARY KEY (settlement_id, line)
);
CREATE INDEX settlement_lines_raw_sku_idx ON settlement_lines_raw (sku, posted_date);

-- The seller's own offers, from the All Listings and FBA inventory reports (or SP-API later).
CREATE TABLE listings (
  marketplace         char(2) NOT NULL,
  sku                 text NOT NULL,
  asin                text,
  listing_id          text,
  title               text,
  price               numeric(12, 2),
  quantity            integer,
  open_date           timestamptz,
  product_id_type     text,
  product_id          text,
  item_condition      text,
  fulfillment_channel text CHECK (fulfillment_channel IN ('AFN', 'MFN')),
  status              text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive', 'incomplete')),
  load_id             bigint,
  updated_at          timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (marketplace, sku)
);
CREATE INDEX listings_asin_idx ON listings (asin);

CREATE TABLE inventory_snapshots (
  marketplace                    char(2) NOT NULL,
  sku                            text NOT NULL,
  as_of                          timestamptz NOT NULL,
  fnsku                          text,
  asin                           text,
  product_name                   text,
  condition                      text,
  your_price                     numeric(12, 2),
  afn_fulfillable_quantity       integer NOT NULL DEFAULT 0,
  afn_unsellable_quantity        integer NOT NULL DEFAULT 0,
  afn_reserved_quantity          integer NOT NULL DEFAULT 0,
  afn_inbound_working_quantity   integer NOT NULL DEFAULT 0,
  afn_inbound_shipped_quantity   integer NOT NULL DEFAULT 0,
  afn_inbound_receiving_quantity integer NOT NULL DEFAULT 0,
  load_id                        bigint NOT NULL,
  PRIMARY KEY (marketplace, sku, as_of)
);
CREATE INDEX inventory_snapshots_latest_idx ON inventory_snapshots (marketplace, sku, as_of DESC);

CREATE TABLE ads_sp_daily_raw (
  date             date NOT NULL,
  campaign_id      text NOT NULL,
  ad_group_id      text NOT NULL,
  keyword_id       text NOT NULL DEFAULT '',
  sku              text NOT NULL DEFAULT '',
  marketplace      char(2) NOT NULL,
  campaign_name    text,
  ad_group_name    text,
  asin             text,
  impressions      integer NOT NULL DEFAULT 0,
  clicks           integer NOT NULL DEFAULT 0,
  cost             numeric(12, 2) NOT NULL DEFAULT 0,
  purchases        integer,
  sales            numeric(12, 2),
  currency         char(3),
  load_id          bigint NOT NULL,
  PRIMARY KEY (date, campaign_id, ad_group_id, keyword_id, sku)
);
CREATE INDEX ads_sp_daily_raw_sku_date_idx ON ads_sp_daily_raw (sku, date);
