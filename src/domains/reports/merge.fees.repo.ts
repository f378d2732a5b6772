import type { Queryable } from '../../platform/db/queryable.ts';
import type { MergeContext } from './merge.context.ts';
import { list } from './merge.context.ts';

/** SQL of the fee preview merge (merge.fees.service.ts): its raw rows and what they say per ASIN. */

const WEIGHT_KG = `CASE lower(unit_of_weight)
  WHEN 'pounds' THEN item_package_weight * 0.45359237 WHEN 'pound' THEN item_package_weight * 0.45359237
  WHEN 'lb' THEN item_package_weight * 0.45359237 WHEN 'lbs' THEN item_package_weight * 0.45359237
  WHEN 'ounces' THEN item_package_weight * 0.028349523 WHEN 'ounce' THEN item_package_weight * 0.028349523
  WHEN 'oz' THEN item_package_weight * 0.028349523
  WHEN 'grams' THEN item_package_weight / 1000 WHEN 'gram' THEN item_package_weight / 1000
  WHEN 'g' THEN item_package_weight / 1000
  WHEN 'kilograms' THEN item_package_weight WHEN 'kilogram' THEN item_package_weight
  WHEN 'kg' THEN item_package_weight END`;

// Today's single fulfilment fee, else the older report's parts (the order-handling fee is per order:
// one unit per order is the conservative reading); none of them → NULL, a partial fee, never 0.
const FULFILMENT = `coalesce(expected_fulfillment_fee_per_unit,
  estimated_pick_pack_fee_per_unit + coalesce(estimated_weight_handling_fee_per_unit, 0)
  + coalesce(estimated_order_handling_fee_per_order, 0))`;

/** The snapshot's rows, kept per capture (one per SKU, the last line of it). Returns rows added. */
export async function insertRaw(q: Queryable, m: MergeContext): Promise<number> {
  const r = await q.query(
    `INSERT INTO fee_preview_raw (${list(m.columns)}, line, marketplace, captured_at, load_id)
     SELECT DISTINCT ON (sku) ${list(m.columns)}, line, $1, $2, $3 FROM ${m.stage} ORDER BY sku, line DESC
     ON CONFLICT DO NOTHING`,
    [m.marketplace, m.asOf, m.loadId],
  );
  return r.rowCount ?? 0;
}

export interface PreviewRow {
  asin: string;
  title: string | null;
  /** Amazon's measured package weight in kg (3 decimals); null when absent or in an unknown unit. */
  weight_kg: string | null;
  referral: string | null;
  fulfilment: string | null;
  other: string | null;
  currency: string | null;
  price_basis: string | null;
}

/**
 * The newest row per ASIN (the last line of it), with the fees as the fees table holds them:
 * rounded to cents as its numeric(12, 2) columns would, so comparing them with the stored row
 * finds no change where there is none.
 */
export async function latestPerAsin(q: Queryable, m: MergeContext): Promise<PreviewRow[]> {
  const { rows } = await q.query<PreviewRow>(
    `SELECT DISTINCT ON (asin) asin, product_name AS title, round(${WEIGHT_KG}, 3)::text AS weight_kg,
            round(estimated_referral_fee_per_unit, 2)::text AS referral, round(${FULFILMENT}, 2)::text AS fulfilment,
            round(estimated_variable_closing_fee, 2)::text AS other, currency,
            round(coalesce(your_price, sales_price), 2)::text AS price_basis
     FROM ${m.stage} WHERE asin ~ '^[A-Z0-9]{10}$' ORDER BY asin, line DESC`,
  );
  return rows;
}
