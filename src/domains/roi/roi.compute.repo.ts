/**
 * The landed cost and ROI of vendor offers (SPEC §6), as one SELECT giving roi_offers' columns in
 * order. `scoped`: only the offers of the ASINs in the temporary table roi_scope, whose barcodes are
 * in roi_scope_gtins (the incremental update); otherwise every offer (a rebuild). Both read the same text, so an incremental update and a
 * rebuild cannot disagree on a formula; the scope only decides which rows each part reads, and reads
 * every input of an ASIN that is in it (all its offers, for the `best` flag).
 *
 * An offer has an ASIN (its own, or the one its barcode identifies); inputs that are missing raise a
 * flag and leave roi_pct NULL, so a user sees why an offer has no ROI instead of a wrong one.
 * computed_at is the newest of the inputs' timestamps, not the run's time: rows whose figures did not
 * change stay byte-identical, and the update writes only the rows that differ.
 */
export function roiRows(scoped: boolean): string {
  // a condition that holds for every row of a rebuild
  const onlyIf = (cond: string) => (scoped ? cond : 'true');
  const inScope = (col: string) => onlyIf(`${col} IN (SELECT asin FROM roi_scope)`);
  return `
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
-- A barcode names the ASIN of a known product first, then the most recently seen one. Scoped: the
-- barcodes of the scope's ASINs (roi_scope_gtins), each decided over all its identifiers.
barcode_asins AS (
  SELECT DISTINCT ON (lpad(pi.value, 14, '0')) lpad(pi.value, 14, '0') AS gtin, pi.asin
  FROM product_identifiers pi
  LEFT JOIN products p ON p.asin = pi.asin
  WHERE ${onlyIf(`lpad(pi.value, 14, '0') IN (SELECT gtin FROM roi_scope_gtins)`)}
  ORDER BY lpad(pi.value, 14, '0'), (p.asin IS NULL), pi.updated_at DESC, pi.asin
),
-- The vendor is joined in each branch: a join on a column of a UNION has no statistics, and the
-- planner's default guess (1/200 of the rows) made it read 600k offers in nested loops and sorts.
offers AS (
  SELECT vp.vendor_id, v.name AS vendor_name, v.country AS vendor_country, vp.sku, vp.asin,
         'vendor' AS asin_source, vp.barcode, vp.title, vp.cost, vp.currency, vp.pack_size, vp.updated_at
  FROM vendor_prices vp JOIN vendors v ON v.id = vp.vendor_id
  WHERE vp.asin IS NOT NULL AND ${inScope('vp.asin')}
  UNION ALL
  SELECT vp.vendor_id, v.name, v.country, vp.sku, b.asin,
         'barcode', vp.barcode, vp.title, vp.cost, vp.currency, vp.pack_size, vp.updated_at
  FROM ${
    scoped
      ? `roi_scope_gtins g JOIN vendor_prices vp ON lpad(vp.barcode, 14, '0') = g.gtin AND vp.asin IS NULL`
      : 'vendor_prices vp'
  }
  JOIN vendors v ON v.id = vp.vendor_id
  JOIN barcode_asins b ON b.gtin = lpad(vp.barcode, 14, '0')
  WHERE vp.asin IS NULL AND vp.barcode ~ '^[0-9]{8,14}$' AND ${inScope('b.asin')}
),
-- The returns allowance's parts, kept apart so the refunds can be taken net of VAT below. A seller
-- SKU counts for the ASIN of its newest listing (scoped: decided over all the SKU's listings).
sku_asins AS (
  SELECT DISTINCT ON (l.sku) l.sku, l.asin FROM listings l JOIN settings s ON l.marketplace = s.marketplace
  WHERE l.asin IS NOT NULL
    AND ${onlyIf('l.sku IN (SELECT sku FROM listings WHERE asin IN (SELECT asin FROM roi_scope))')}
  ORDER BY l.sku, l.updated_at DESC
),
settled AS (
  SELECT sa.asin,
         -sum(l.amount) FILTER (WHERE l.transaction_type = 'Refund' AND l.amount_type = 'ItemPrice'
                                AND l.amount_description = 'Principal') AS refunds,
         sum(l.quantity_purchased) FILTER (WHERE l.transaction_type = 'Order' AND l.amount_type = 'ItemPrice'
                                             AND l.amount_description = 'Principal') AS units
  FROM settlement_lines_raw l JOIN sku_asins sa ON sa.sku = l.sku
  WHERE l.posted_date >= awa_today() - 89 AND ${inScope('sa.asin')}
  GROUP BY sa.asin
),
returned AS (
  SELECT r.asin, sum(r.refund_amount) AS refunds FROM returns_raw r JOIN settings s ON r.marketplace = s.marketplace
  WHERE r.return_date >= awa_today() - 89 AND r.asin IS NOT NULL AND r.refund_amount IS NOT NULL
    AND ${inScope('r.asin')}
  GROUP BY r.asin
),
reimbursed AS (
  SELECT m.asin, sum(m.amount_total) AS amount FROM reimbursements_raw m JOIN settings s ON m.marketplace = s.marketplace
  WHERE m.approval_date >= awa_today() - 89 AND m.asin IS NOT NULL AND ${inScope('m.asin')}
  GROUP BY m.asin
),
shipped AS (
  SELECT d.asin, sum(d.units) AS units FROM sales_daily d JOIN settings s
    ON d.country IS NULL OR d.country = s.marketplace OR (s.marketplace = 'UK' AND d.country = 'GB')
  WHERE d.day >= awa_today() - 89 AND d.asin IS NOT NULL AND ${inScope('d.asin')}
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
  WHERE l.asin IS NOT NULL AND l.status = 'active' AND ${inScope('l.asin')}
  GROUP BY l.asin
),
-- the newest buy box per ASIN, read once per ASIN rather than once per offer
buybox AS (
  SELECT DISTINCT ON (h.asin) h.asin, h.price, h.currency, h.captured_at
  FROM buybox_history h JOIN settings s ON h.marketplace = s.marketplace
  WHERE ${inScope('h.asin')}
  ORDER BY h.asin, h.captured_at DESC
),
-- What depends only on the ASIN (product, VAT rate, fees, channel, buy box, returns), read once per
-- ASIN rather than once per offer: a rebuild joins 200k ASINs instead of 600k offers.
facts AS (
  SELECT a.asin, p.title, p.brand, p.category, p.status AS product_status, nullif(p.weight_kg, 0) AS weight_kg,
         coalesce(va.rate, vc.rate, s.vat_rate) AS vat_rate,
         CASE WHEN va.rate IS NOT NULL THEN 'asin' WHEN vc.rate IS NOT NULL THEN 'category'
              ELSE 'marketplace' END AS vat_source,
         f.referral, f.fulfilment, f.storage, f.other, f.currency AS fees_currency,
         coalesce(ch.fba, true) AS fba,
         bb.price AS buybox_price, bb.currency AS buybox_currency, bb.captured_at AS buybox_at,
         rp.refunds, rp.reimbursed, rp.units AS returns_units,
         greatest(p.updated_at, f.captured_at, bb.captured_at, va.updated_at, vc.updated_at) AS facts_at
  FROM (SELECT DISTINCT asin FROM offers) a
  CROSS JOIN settings s
  LEFT JOIN products p ON p.asin = a.asin
  LEFT JOIN vat_rates va ON va.marketplace = s.marketplace AND va.scope = 'asin' AND lower(va.key) = lower(a.asin)
  LEFT JOIN vat_rates vc ON vc.marketplace = s.marketplace AND vc.scope = 'category'
                        AND lower(vc.key) = lower(p.category)
  LEFT JOIN fees f ON f.marketplace = s.marketplace AND f.asin = a.asin
  LEFT JOIN channels ch ON ch.asin = a.asin
  LEFT JOIN buybox bb ON bb.asin = a.asin
  LEFT JOIN returns_parts rp ON rp.asin = a.asin
),
inputs AS (
  SELECT o.vendor_id, o.vendor_name, o.vendor_country, o.sku, o.asin, o.asin_source,
         o.barcode, coalesce(x.title, o.title) AS title, x.brand, x.category, x.product_status,
         s.marketplace, s.currency, x.vat_rate, x.vat_source, s.vat_registered,
         o.cost, o.currency AS cost_currency, o.pack_size,
         CASE WHEN o.currency = s.currency THEN 1 ELSE fx_cost.rate END AS cost_fx_rate,
         x.weight_kg,
         coalesce(ol.lane, dl.lane) AS lane,
         coalesce(ol.eur_per_kg, dl.eur_per_kg) AS eur_per_kg,
         CASE WHEN s.currency = 'EUR' THEN 1 ELSE fx_eur.rate END AS freight_fx_rate,
         x.referral, x.fulfilment, x.storage, x.other, x.fees_currency,
         CASE WHEN x.fees_currency = s.currency THEN 1 ELSE fx_fees.rate END AS fees_fx_rate,
         x.fba, x.buybox_price, x.buybox_currency, x.buybox_at,
         CASE WHEN x.buybox_currency = s.currency THEN 1 ELSE fx_bb.rate END AS buybox_fx_rate,
         x.refunds, x.reimbursed, x.returns_units,
         greatest(o.updated_at, x.facts_at, s.changed_at) AS computed_at
  FROM offers o
  JOIN facts x ON x.asin = o.asin
  CROSS JOIN settings s
  LEFT JOIN fx fx_cost ON fx_cost.currency = o.currency
  LEFT JOIN fx fx_eur ON fx_eur.currency = 'EUR'
  LEFT JOIN origin_lanes ol ON ol.origin = o.vendor_country
  LEFT JOIN default_lane dl ON true
  LEFT JOIN fx fx_fees ON fx_fees.currency = x.fees_currency
  LEFT JOIN fx fx_bb ON fx_bb.currency = x.buybox_currency
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
FROM scored`;
}
