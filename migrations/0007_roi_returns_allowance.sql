-- ROI's returns allowance now reads the report tables of 0006 (it was 0 until they existed). A
-- materialized view cannot be altered, so it is dropped and created again with the same columns and
-- every index of 0003 and 0005. Its new contents are computed here, once, at migration time.
DROP MATERIALIZED VIEW roi_offers;

CREATE INDEX settlement_lines_raw_posted_idx ON settlement_lines_raw (posted_date);
CREATE INDEX reimbursements_raw_date_idx ON reimbursements_raw (approval_date);

CREATE MATERIALIZED VIEW roi_offers AS
WITH settings AS (
  SELECT * FROM roi_settings WHERE id
),
-- rate = marketplace-currency units per 1 unit of `currency`; the latest row per currency wins.
fx AS (
  SELECT DISTINCT ON (currency) currency, rate FROM fx_rates ORDER BY currency, as_of DESC
),
-- Each lane's rate in force today; where rows of one lane overlap, the latest start wins.
lanes_today AS (
  SELECT DISTINCT ON (carrier, origin, dest, service)
         carrier, origin, dest, service, eur_per_kg,
         carrier || ':' || origin || ':' || dest || ':' || service AS lane
  FROM logistics_rates
  WHERE effective_from <= current_date AND (effective_to IS NULL OR effective_to >= current_date)
  ORDER BY carrier, origin, dest, service, effective_from DESC
),
-- Per origin country, the lane its vendors ship on to the marketplace: the default lane's carrier and
-- service when it serves that origin, else the cheapest lane (ties by name, to stay deterministic).
origin_lanes AS (
  SELECT DISTINCT ON (l.origin) l.origin, l.lane, l.eur_per_kg
  FROM lanes_today l
  JOIN settings s ON l.dest = s.dest_country
  ORDER BY l.origin, (l.carrier = s.lane_carrier AND l.service = s.lane_service) DESC, l.eur_per_kg, l.lane
),
-- Vendors without a country, or from a country without a lane, use the configured default lane.
default_lane AS (
  SELECT l.lane, l.eur_per_kg
  FROM lanes_today l
  JOIN settings s ON (l.carrier, l.origin, l.dest, l.service)
                   = (s.lane_carrier, s.lane_origin, s.lane_dest, s.lane_service)
),
-- Barcodes compared as 14-digit GTINs, so a UPC-A (12) and its EAN-13 (leading 0) match. A barcode
-- known for several ASINs resolves to one: a catalogued product first, then the newest mapping.
barcode_asins AS (
  SELECT DISTINCT ON (lpad(pi.value, 14, '0')) lpad(pi.value, 14, '0') AS gtin, pi.asin
  FROM product_identifiers pi
  LEFT JOIN products p ON p.asin = pi.asin
  ORDER BY lpad(pi.value, 14, '0'), (p.asin IS NULL), pi.updated_at DESC, pi.asin
),
offers AS (
  SELECT vp.vendor_id, vp.sku, coalesce(vp.asin, b.asin) AS asin,
         CASE WHEN vp.asin IS NULL THEN 'barcode' ELSE 'vendor' END AS asin_source,
         vp.barcode, vp.title, vp.cost, vp.currency, vp.pack_size, vp.updated_at
  FROM vendor_prices vp
  LEFT JOIN barcode_asins b
    ON vp.asin IS NULL AND vp.barcode ~ '^[0-9]{8,14}$' AND b.gtin = lpad(vp.barcode, 14, '0')
  WHERE vp.asin IS NOT NULL OR b.asin IS NOT NULL
),
-- Returns allowance per unit = (refunds − reimbursements over the trailing 90 days) / units sold in
-- those 90 days (SPEC §6). Refunds: the settlement's refund lines where settlements are loaded (the
-- money actually taken back), else the refund amounts a returns report carries. Units sold: ledger
-- customer shipments, else settlement order lines. SKUs map to ASINs through the seller's listings.
-- No units sold in the window → no allowance (0), since there is nothing to spread the cost over.
-- Only the marketplace's own data counts (a seller's US refunds say nothing about DE), refunds are
-- the item price (Principal; refunded tax and shipping are not the seller's loss), and the
-- allowance is never negative: reimbursements mostly pay for stock Amazon lost or damaged, and
-- counting them as extra profit per unit would rank an offer higher for Amazon's mistakes.
sku_asins AS (
  SELECT DISTINCT ON (l.sku) l.sku, l.asin FROM listings l JOIN settings s ON l.marketplace = s.marketplace
  WHERE l.asin IS NOT NULL ORDER BY l.sku, l.updated_at DESC
),
settled AS (
  SELECT sa.asin,
         -sum(l.amount) FILTER (WHERE l.transaction_type = 'Refund' AND l.amount_type = 'ItemPrice'
                                AND l.amount_description = 'Principal') AS refunds,
         sum(l.quantity_purchased) FILTER (WHERE l.transaction_type = 'Order' AND l.amount_type = 'ItemPrice'
                                             AND l.amount_description = 'Principal') AS units
  FROM settlement_lines_raw l JOIN sku_asins sa ON sa.sku = l.sku
  WHERE l.posted_date >= current_date - 89
  GROUP BY sa.asin
),
returned AS (
  SELECT r.asin, sum(r.refund_amount) AS refunds FROM returns_raw r JOIN settings s ON r.marketplace = s.marketplace
  WHERE r.return_date >= current_date - 89 AND r.asin IS NOT NULL AND r.refund_amount IS NOT NULL
  GROUP BY r.asin
),
reimbursed AS (
  SELECT m.asin, sum(m.amount_total) AS amount FROM reimbursements_raw m JOIN settings s ON m.marketplace = s.marketplace
  WHERE m.approval_date >= current_date - 89 AND m.asin IS NOT NULL
  GROUP BY m.asin
),
shipped AS (
  -- the ledger says GB where AWA's marketplace code is UK
  SELECT d.asin, sum(d.units) AS units FROM sales_daily d JOIN settings s
    ON d.country IS NULL OR d.country = s.marketplace OR (s.marketplace = 'UK' AND d.country = 'GB')
  WHERE d.day >= current_date - 89 AND d.asin IS NOT NULL
  GROUP BY d.asin
),
returns_allowances AS (
  SELECT a.asin,
         greatest(round((coalesce(s.refunds, r.refunds, 0) - coalesce(m.amount, 0))
                        / nullif(coalesce(sh.units, s.units), 0), 4), 0) AS per_unit
  FROM (SELECT asin FROM returned UNION SELECT asin FROM reimbursed UNION SELECT asin FROM settled) a
  LEFT JOIN settled s ON s.asin = a.asin
  LEFT JOIN returned r ON r.asin = a.asin
  LEFT JOIN reimbursed m ON m.asin = a.asin
  LEFT JOIN shipped sh ON sh.asin = a.asin
),
inputs AS (
  SELECT o.vendor_id, v.name AS vendor_name, v.country AS vendor_country, o.sku, o.asin, o.asin_source,
         o.barcode, coalesce(p.title, o.title) AS title, p.brand, p.category, p.status AS product_status,
         s.marketplace, s.currency, s.vat_rate,
         o.cost, o.currency AS cost_currency, o.pack_size,
         CASE WHEN o.currency = s.currency THEN 1 ELSE fx_cost.rate END AS cost_fx_rate,
         nullif(p.weight_kg, 0) AS weight_kg,
         coalesce(ol.lane, dl.lane) AS lane,
         coalesce(ol.eur_per_kg, dl.eur_per_kg) AS eur_per_kg,
         CASE WHEN s.currency = 'EUR' THEN 1 ELSE fx_eur.rate END AS freight_fx_rate,
         f.referral, f.fulfilment, f.storage, f.currency AS fees_currency,
         CASE WHEN f.currency = s.currency THEN 1 ELSE fx_fees.rate END AS fees_fx_rate,
         bb.price AS buybox_price, bb.currency AS buybox_currency, bb.captured_at AS buybox_at,
         CASE WHEN bb.currency = s.currency THEN 1 ELSE fx_bb.rate END AS buybox_fx_rate,
         coalesce(ra.per_unit, 0) AS returns_allowance,
         greatest(o.updated_at, p.updated_at, f.captured_at, bb.captured_at, s.changed_at) AS computed_at
  FROM offers o
  CROSS JOIN settings s
  JOIN vendors v ON v.id = o.vendor_id
  LEFT JOIN products p ON p.asin = o.asin
  LEFT JOIN fx fx_cost ON fx_cost.currency = o.currency
  LEFT JOIN fx fx_eur ON fx_eur.currency = 'EUR'
  LEFT JOIN origin_lanes ol ON ol.origin = v.country
  LEFT JOIN default_lane dl ON true
  LEFT JOIN fees f ON f.marketplace = s.marketplace AND f.asin = o.asin
  LEFT JOIN fx fx_fees ON fx_fees.currency = f.currency
  LEFT JOIN LATERAL (
    SELECT h.price, h.currency, h.captured_at FROM buybox_history h
    WHERE h.marketplace = s.marketplace AND h.asin = o.asin
    ORDER BY h.captured_at DESC LIMIT 1
  ) bb ON true
  LEFT JOIN fx fx_bb ON fx_bb.currency = bb.currency
  LEFT JOIN returns_allowances ra ON ra.asin = o.asin
),
-- Money in the marketplace currency, rounded to 4 places (the precision of vendor costs) so the
-- components shown add up exactly to the profit shown.
amounts AS MATERIALIZED (
  SELECT i.*,
         round(i.cost * i.cost_fx_rate, 4) AS unit_cost,
         CASE WHEN i.weight_kg IS NOT NULL AND i.eur_per_kg IS NOT NULL AND i.freight_fx_rate IS NOT NULL
              THEN round(i.weight_kg * i.eur_per_kg * i.freight_fx_rate, 4) ELSE 0 END AS freight,
         round(i.referral * i.fees_fx_rate, 4) AS referral_fee,
         round(i.fulfilment * i.fees_fx_rate, 4) AS fulfilment_fee,
         round(i.storage * i.fees_fx_rate, 4) AS storage_fee,
         CASE WHEN i.fees_currency IS NOT NULL THEN
           coalesce(round(i.referral * i.fees_fx_rate, 4), 0)
           + coalesce(round(i.fulfilment * i.fees_fx_rate, 4), 0)
           + coalesce(round(i.storage * i.fees_fx_rate, 4), 0) END AS fees_total,
         round(i.buybox_price * i.buybox_fx_rate / (1 + i.vat_rate), 4) AS price,
         array_remove(ARRAY[
           CASE WHEN i.cost_fx_rate IS NULL
                  OR (i.fees_currency IS NOT NULL AND i.fees_fx_rate IS NULL)
                  OR (i.buybox_currency IS NOT NULL AND i.buybox_fx_rate IS NULL)
                  OR (i.weight_kg IS NOT NULL AND i.eur_per_kg IS NOT NULL AND i.freight_fx_rate IS NULL)
                THEN 'fx_missing' END,
           CASE WHEN i.weight_kg IS NULL THEN 'weight_missing' END,
           CASE WHEN i.eur_per_kg IS NULL THEN 'freight_missing' END,
           CASE WHEN i.fees_currency IS NULL THEN 'fees_missing' END,
           CASE WHEN i.buybox_price IS NULL THEN 'no_buybox' END
         ]::text[], NULL) AS flags
  FROM inputs i
),
figures AS (
  SELECT a.*, a.price - a.fees_total - a.unit_cost - a.freight - a.returns_allowance AS profit
  FROM amounts a
),
scored AS (
  SELECT f.*,
         CASE WHEN cardinality(f.flags) = 0
              THEN round(100 * f.profit / nullif(f.unit_cost + f.freight, 0), 1) END AS roi_pct,
         round(100 * f.profit / nullif(f.price, 0), 1) AS margin_pct
  FROM figures f
)
SELECT vendor_id, vendor_name, vendor_country, sku, asin, asin_source, barcode, title, brand, category,
       product_status, marketplace, currency,
       cost, cost_currency, pack_size, cost_fx_rate, unit_cost,
       weight_kg, lane, eur_per_kg, freight_fx_rate, freight,
       referral_fee AS referral, fulfilment_fee AS fulfilment, storage_fee AS storage, fees_currency,
       fees_fx_rate, fees_total AS fees,
       buybox_price, buybox_currency, buybox_fx_rate, buybox_at, vat_rate, price,
       returns_allowance, profit, roi_pct, margin_pct, flags,
       row_number() OVER (
         PARTITION BY asin ORDER BY roi_pct DESC NULLS LAST, unit_cost ASC NULLS LAST, vendor_id, sku
       ) = 1 AS best,
       computed_at,
       lower(concat_ws(' ', asin, sku, title, brand)) AS search
FROM scored;

-- CONCURRENTLY needs a unique index; (vendor_id, sku) is the offer's key and serves the vendor filter.
CREATE UNIQUE INDEX roi_offers_key ON roi_offers (vendor_id, sku);
-- One best offer per ASIN: guards the ranking and serves /score and /sku lookups of the best offer.
CREATE UNIQUE INDEX roi_offers_best_asin_key ON roi_offers (asin) WHERE best;
-- Sorts: each ends with the stable tie-break (asin, vendor_id, sku). NULL ROIs/margins (flagged rows)
-- sort last both ways, which one btree cannot give for both directions, hence asc and desc indexes.
-- best_only=true is a filter on these scans (about one row in a few is best), not an index of its own.
CREATE INDEX roi_offers_roi_desc_idx ON roi_offers (roi_pct DESC NULLS LAST, asin, vendor_id, sku);
CREATE INDEX roi_offers_roi_asc_idx ON roi_offers (roi_pct ASC NULLS LAST, asin, vendor_id, sku);
CREATE INDEX roi_offers_margin_desc_idx ON roi_offers (margin_pct DESC NULLS LAST, asin, vendor_id, sku);
CREATE INDEX roi_offers_margin_asc_idx ON roi_offers (margin_pct ASC NULLS LAST, asin, vendor_id, sku);
CREATE INDEX roi_offers_asin_idx ON roi_offers (asin, vendor_id, sku);
CREATE INDEX roi_offers_vendor_name_idx ON roi_offers (vendor_name, asin, vendor_id, sku);
-- Filters.
CREATE INDEX roi_offers_category_idx ON roi_offers (category);
CREATE INDEX roi_offers_flags_idx ON roi_offers USING gin (flags);
CREATE INDEX roi_offers_search_idx ON roi_offers USING gin (search gin_trgm_ops);
CREATE INDEX roi_offers_best_category_idx ON roi_offers (category, roi_pct DESC NULLS LAST) WHERE best;
CREATE INDEX roi_offers_best_search_idx ON roi_offers USING gin (search gin_trgm_ops) WHERE best;
