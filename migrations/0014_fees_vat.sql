-- Fees that are really charged, and VAT the way a European seller pays it (SPEC §4, §6, §8).
--
-- 1. The fee preview's fulfilment fee comes as one current column or as the older three parts; the
--    raw rows keep every form the file had, so a partial fee can be told from a zero one.
ALTER TABLE fee_preview_raw
  ADD COLUMN expected_fulfillment_fee_per_unit      numeric(12, 2),
  ADD COLUMN estimated_weight_handling_fee_per_unit numeric(12, 2),
  ADD COLUMN estimated_order_handling_fee_per_order numeric(12, 2);

-- 2. Whether the seller is VAT-registered decides what a sale earns (the net price, or the gross one)
--    and what a purchase costs (the net cost, or cost + VAT the seller cannot reclaim). The service
--    writes it with the configured marketplace's rate (VAT_RATE, or its standard rate) before every
--    refresh, as it writes vat_rate; until then the stored row holds.
ALTER TABLE roi_settings ADD COLUMN vat_registered boolean NOT NULL DEFAULT true;

-- Reduced rates (books, food, baby products…) per product category or per ASIN; an ASIN's own rate
-- wins over its category's, which wins over the marketplace's standard rate.
CREATE TABLE vat_rates (
  marketplace char(2) NOT NULL CHECK (marketplace ~ '^[A-Z]{2}$'),
  scope       text NOT NULL CHECK (scope IN ('category', 'asin')),
  -- categories compare case-insensitively: Keepa and Amazon's reports do not agree on case
  key         text NOT NULL CHECK (length(key) BETWEEN 1 AND 200),
  rate        numeric(6, 4) NOT NULL CHECK (rate >= 0 AND rate < 1),
  note        text,
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX vat_rates_key ON vat_rates (marketplace, scope, lower(key));

-- 3. "Today" for the view's windows (freight lanes in force, 90 days of returns) comes from the
--    refresh's injected clock (refreshRoi sets awa.today in its transaction), so every date in the
--    view agrees with the clock the rest of AWA uses; without it, the database's current_date.
CREATE FUNCTION awa_today() RETURNS date LANGUAGE sql STABLE AS
$$ SELECT coalesce(nullif(current_setting('awa.today', true), '')::date, current_date) $$;

-- 4. The ROI view again (a materialized view cannot be altered): every column of 0007, plus the
--    `other` fee (closing fees) in the fees, the `fees_partial` flag, and per row the VAT rate used,
--    where it came from and whether the seller is registered. Every index of 0003/0005/0007 is
--    created again.
DROP MATERIALIZED VIEW roi_offers;

CREATE MATERIALIZED VIEW roi_offers AS
WITH settings AS (
  SELECT * FROM roi_settings WHERE id
),
fx AS (
  SELECT DISTINCT ON (currency) currency, rate FROM fx_rates ORDER BY currency, as_of DESC
),
lanes_today AS (
  SELECT DISTINCT ON (carrier, origin, dest, service)
         carrier, origin, dest, service, eur_per_kg,
         carrier || ':' || origin || ':' || dest || ':' || service AS lane
  FROM logistics_rates
  WHERE effective_from <= awa_today() AND (effective_to IS NULL OR effective_to >= awa_today())
  ORDER BY carrier, origin, dest, service, effective_from DESC
),
origin_lanes AS (
  SELECT DISTINCT ON (l.origin) l.origin, l.lane, l.eur_per_kg
  FROM lanes_today l
  JOIN settings s ON l.dest = s.dest_country
  ORDER BY l.origin, (l.carrier = s.lane_carrier AND l.service = s.lane_service) DESC, l.eur_per_kg, l.lane
),
default_lane AS (
  SELECT l.lane, l.eur_per_kg
  FROM lanes_today l
  JOIN settings s ON (l.carrier, l.origin, l.dest, l.service)
                   = (s.lane_carrier, s.lane_origin, s.lane_dest, s.lane_service)
),
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
-- The returns allowance's parts (0007), kept apart so the refunds can be taken net of VAT below.
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
  WHERE l.posted_date >= awa_today() - 89
  GROUP BY sa.asin
),
returned AS (
  SELECT r.asin, sum(r.refund_amount) AS refunds FROM returns_raw r JOIN settings s ON r.marketplace = s.marketplace
  WHERE r.return_date >= awa_today() - 89 AND r.asin IS NOT NULL AND r.refund_amount IS NOT NULL
  GROUP BY r.asin
),
reimbursed AS (
  SELECT m.asin, sum(m.amount_total) AS amount FROM reimbursements_raw m JOIN settings s ON m.marketplace = s.marketplace
  WHERE m.approval_date >= awa_today() - 89 AND m.asin IS NOT NULL
  GROUP BY m.asin
),
shipped AS (
  SELECT d.asin, sum(d.units) AS units FROM sales_daily d JOIN settings s
    ON d.country IS NULL OR d.country = s.marketplace OR (s.marketplace = 'UK' AND d.country = 'GB')
  WHERE d.day >= awa_today() - 89 AND d.asin IS NOT NULL
  GROUP BY d.asin
),
returns_parts AS (
  SELECT a.asin, coalesce(s.refunds, r.refunds, 0) AS refunds, coalesce(m.amount, 0) AS reimbursed,
         nullif(coalesce(sh.units, s.units), 0) AS units
  FROM (SELECT asin FROM returned UNION SELECT asin FROM reimbursed UNION SELECT asin FROM settled) a
  LEFT JOIN settled s ON s.asin = a.asin
  LEFT JOIN returned r ON r.asin = a.asin
  LEFT JOIN reimbursed m ON m.asin = a.asin
  LEFT JOIN shipped sh ON sh.asin = a.asin
),
-- An offer is sold through FBA unless every active listing the seller has for the ASIN here is
-- merchant-fulfilled (a wholesale offer not listed yet is bought to be sent to FBA).
channels AS (
  SELECT l.asin, bool_or(l.fulfillment_channel IS DISTINCT FROM 'MFN') AS fba
  FROM listings l JOIN settings s ON l.marketplace = s.marketplace
  WHERE l.asin IS NOT NULL AND l.status = 'active'
  GROUP BY l.asin
),
inputs AS (
  SELECT o.vendor_id, v.name AS vendor_name, v.country AS vendor_country, o.sku, o.asin, o.asin_source,
         o.barcode, coalesce(p.title, o.title) AS title, p.brand, p.category, p.status AS product_status,
         s.marketplace, s.currency,
         coalesce(va.rate, vc.rate, s.vat_rate) AS vat_rate,
         CASE WHEN va.rate IS NOT NULL THEN 'asin' WHEN vc.rate IS NOT NULL THEN 'category'
              ELSE 'marketplace' END AS vat_source,
         s.vat_registered,
         o.cost, o.currency AS cost_currency, o.pack_size,
         CASE WHEN o.currency = s.currency THEN 1 ELSE fx_cost.rate END AS cost_fx_rate,
         nullif(p.weight_kg, 0) AS weight_kg,
         coalesce(ol.lane, dl.lane) AS lane,
         coalesce(ol.eur_per_kg, dl.eur_per_kg) AS eur_per_kg,
         CASE WHEN s.currency = 'EUR' THEN 1 ELSE fx_eur.rate END AS freight_fx_rate,
         f.referral, f.fulfilment, f.storage, f.other, f.currency AS fees_currency,
         CASE WHEN f.currency = s.currency THEN 1 ELSE fx_fees.rate END AS fees_fx_rate,
         coalesce(ch.fba, true) AS fba,
         bb.price AS buybox_price, bb.currency AS buybox_currency, bb.captured_at AS buybox_at,
         CASE WHEN bb.currency = s.currency THEN 1 ELSE fx_bb.rate END AS buybox_fx_rate,
         rp.refunds, rp.reimbursed, rp.units AS returns_units,
         greatest(o.updated_at, p.updated_at, f.captured_at, bb.captured_at, s.changed_at, va.updated_at,
                  vc.updated_at) AS computed_at
  FROM offers o
  CROSS JOIN settings s
  JOIN vendors v ON v.id = o.vendor_id
  LEFT JOIN products p ON p.asin = o.asin
  LEFT JOIN vat_rates va ON va.marketplace = s.marketplace AND va.scope = 'asin' AND lower(va.key) = lower(o.asin)
  LEFT JOIN vat_rates vc ON vc.marketplace = s.marketplace AND vc.scope = 'category'
                        AND lower(vc.key) = lower(p.category)
  LEFT JOIN fx fx_cost ON fx_cost.currency = o.currency
  LEFT JOIN fx fx_eur ON fx_eur.currency = 'EUR'
  LEFT JOIN origin_lanes ol ON ol.origin = v.country
  LEFT JOIN default_lane dl ON true
  LEFT JOIN fees f ON f.marketplace = s.marketplace AND f.asin = o.asin
  LEFT JOIN fx fx_fees ON fx_fees.currency = f.currency
  LEFT JOIN channels ch ON ch.asin = o.asin
  LEFT JOIN LATERAL (
    SELECT h.price, h.currency, h.captured_at FROM buybox_history h
    WHERE h.marketplace = s.marketplace AND h.asin = o.asin
    ORDER BY h.captured_at DESC LIMIT 1
  ) bb ON true
  LEFT JOIN fx fx_bb ON fx_bb.currency = bb.currency
  LEFT JOIN returns_parts rp ON rp.asin = o.asin
),
-- Money in the marketplace currency, rounded to 4 places so the components shown add up exactly to
-- the profit shown. A VAT-registered seller keeps the net price and reclaims the VAT on purchases; a
-- seller who is not keeps the gross price and pays the VAT on purchases (the product's rate: an
-- approximation of the vendor's). Refunds give the customer the gross price back, but a registered
-- seller reclaims that VAT too, so only the net part is lost. Prices on Amazon include VAT: the
-- referral fee is charged on the gross price (repricer/bounds.ts uses the same rules).
amounts AS MATERIALIZED (
  SELECT i.*,
         round(i.cost * i.cost_fx_rate * CASE WHEN i.vat_registered THEN 1 ELSE 1 + i.vat_rate END, 4)
           AS unit_cost,
         CASE WHEN i.weight_kg IS NOT NULL AND i.eur_per_kg IS NOT NULL AND i.freight_fx_rate IS NOT NULL
              THEN round(i.weight_kg * i.eur_per_kg * i.freight_fx_rate, 4) ELSE 0 END AS freight,
         round(i.referral * i.fees_fx_rate, 4) AS referral_fee,
         round(i.fulfilment * i.fees_fx_rate, 4) AS fulfilment_fee,
         round(i.storage * i.fees_fx_rate, 4) AS storage_fee,
         round(i.other * i.fees_fx_rate, 4) AS other_fee,
         CASE WHEN i.fees_currency IS NOT NULL THEN
           coalesce(round(i.referral * i.fees_fx_rate, 4), 0)
           + coalesce(round(i.fulfilment * i.fees_fx_rate, 4), 0)
           + coalesce(round(i.storage * i.fees_fx_rate, 4), 0)
           + coalesce(round(i.other * i.fees_fx_rate, 4), 0) END AS fees_total,
         round(i.buybox_price * i.buybox_fx_rate
               / CASE WHEN i.vat_registered THEN 1 + i.vat_rate ELSE 1 END, 4) AS price,
         coalesce(greatest(round((i.refunds / CASE WHEN i.vat_registered THEN 1 + i.vat_rate ELSE 1 END
                                  - i.reimbursed) / i.returns_units, 4), 0), 0) AS returns_allowance,
         array_remove(ARRAY[
           CASE WHEN i.cost_fx_rate IS NULL
                  OR (i.fees_currency IS NOT NULL AND i.fees_fx_rate IS NULL)
                  OR (i.buybox_currency IS NOT NULL AND i.buybox_fx_rate IS NULL)
                  OR (i.weight_kg IS NOT NULL AND i.eur_per_kg IS NOT NULL AND i.freight_fx_rate IS NULL)
                THEN 'fx_missing' END,
           CASE WHEN i.weight_kg IS NULL THEN 'weight_missing' END,
           CASE WHEN i.eur_per_kg IS NULL THEN 'freight_missing' END,
           CASE WHEN i.fees_currency IS NULL THEN 'fees_missing' END,
           -- a fee snapshot without the referral fee, or an FBA offer's without its fulfilment fee, is
           -- not a zero fee: the ROI it would give is overstated by the whole missing fee
           CASE WHEN i.fees_currency IS NOT NULL AND (i.referral IS NULL OR (i.fba AND i.fulfilment IS NULL))
                THEN 'fees_partial' END,
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
       referral_fee AS referral, fulfilment_fee AS fulfilment, storage_fee AS storage, other_fee AS other,
       fees_currency, fees_fx_rate, fees_total AS fees, fba,
       buybox_price, buybox_currency, buybox_fx_rate, buybox_at, vat_rate, vat_source, vat_registered, price,
       returns_allowance, profit, roi_pct, margin_pct, flags,
       row_number() OVER (
         PARTITION BY asin ORDER BY roi_pct DESC NULLS LAST, unit_cost ASC NULLS LAST, vendor_id, sku
       ) = 1 AS best,
       computed_at,
       lower(concat_ws(' ', asin, sku, title, brand)) AS search
FROM scored;

CREATE UNIQUE INDEX roi_offers_key ON roi_offers (vendor_id, sku);
CREATE UNIQUE INDEX roi_offers_best_asin_key ON roi_offers (asin) WHERE best;
CREATE INDEX roi_offers_roi_desc_idx ON roi_offers (roi_pct DESC NULLS LAST, asin, vendor_id, sku);
CREATE INDEX roi_offers_roi_asc_idx ON roi_offers (roi_pct ASC NULLS LAST, asin, vendor_id, sku);
CREATE INDEX roi_offers_margin_desc_idx ON roi_offers (margin_pct DESC NULLS LAST, asin, vendor_id, sku);
CREATE INDEX roi_offers_margin_asc_idx ON roi_offers (margin_pct ASC NULLS LAST, asin, vendor_id, sku);
CREATE INDEX roi_offers_asin_idx ON roi_offers (asin, vendor_id, sku);
CREATE INDEX roi_offers_vendor_name_idx ON roi_offers (vendor_name, asin, vendor_id, sku);
CREATE INDEX roi_offers_category_idx ON roi_offers (category);
CREATE INDEX roi_offers_flags_idx ON roi_offers USING gin (flags);
CREATE INDEX roi_offers_search_idx ON roi_offers USING gin (search gin_trgm_ops);
CREATE INDEX roi_offers_best_category_idx ON roi_offers (category, roi_pct DESC NULLS LAST) WHERE best;
CREATE INDEX roi_offers_best_search_idx ON roi_offers USING gin (search gin_trgm_ops) WHERE best;
