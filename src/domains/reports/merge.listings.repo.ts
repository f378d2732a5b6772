import type { Queryable } from '../../platform/db/queryable.ts';
import { counts, list, type Merge, type MergeContext, type MergeCounts } from './merge.context.ts';

// The merges of the reports that describe the seller's offers: All Listings and FBA inventory.

const CHANNEL = `CASE WHEN fulfillment_channel IS NULL THEN NULL
  WHEN upper(fulfillment_channel) LIKE 'AMAZON%' OR upper(fulfillment_channel) = 'AFN' THEN 'AFN' ELSE 'MFN' END`;
const listingStatus = (m: MergeContext) => `CASE lower(coalesce(${col(m, 'status', 'text')}, 'active'))
  WHEN 'inactive' THEN 'inactive' WHEN 'incomplete' THEN 'incomplete' ELSE 'active' END`;

async function upsertListings(c: Queryable, m: MergeContext, select: string): Promise<MergeCounts> {
  const r = await c.query<{ inserted: boolean }>(
    `INSERT INTO listings AS l (marketplace, sku, asin, listing_id, title, price, quantity, open_date,
                                product_id_type, product_id, item_condition, fulfillment_channel, status, load_id)
     ${select}
     ON CONFLICT (marketplace, sku) DO UPDATE SET
       asin = coalesce(EXCLUDED.asin, l.asin), listing_id = coalesce(EXCLUDED.listing_id, l.listing_id),
       title = coalesce(EXCLUDED.title, l.title), price = coalesce(EXCLUDED.price, l.price),
       quantity = coalesce(EXCLUDED.quantity, l.quantity), open_date = coalesce(EXCLUDED.open_date, l.open_date),
       product_id_type = coalesce(EXCLUDED.product_id_type, l.product_id_type),
       product_id = coalesce(EXCLUDED.product_id, l.product_id),
       item_condition = coalesce(EXCLUDED.item_condition, l.item_condition),
       fulfillment_channel = coalesce(EXCLUDED.fulfillment_channel, l.fulfillment_channel),
       status = EXCLUDED.status, load_id = EXCLUDED.load_id, updated_at = now()
     WHERE (l.asin, l.listing_id, l.title, l.price, l.quantity, l.open_date, l.product_id_type, l.product_id,
            l.item_condition, l.fulfillment_channel, l.status)
       IS DISTINCT FROM (coalesce(EXCLUDED.asin, l.asin), coalesce(EXCLUDED.listing_id, l.listing_id),
            coalesce(EXCLUDED.title, l.title), coalesce(EXCLUDED.price, l.price),
            coalesce(EXCLUDED.quantity, l.quantity), coalesce(EXCLUDED.open_date, l.open_date),
            coalesce(EXCLUDED.product_id_type, l.product_id_type), coalesce(EXCLUDED.product_id, l.product_id),
            coalesce(EXCLUDED.item_condition, l.item_condition),
            coalesce(EXCLUDED.fulfillment_channel, l.fulfillment_channel), EXCLUDED.status)
     RETURNING (xmax = 0) AS inserted`,
    [m.marketplace, m.loadId],
  );
  const inserted = r.rows.filter((x) => x.inserted).length;
  return counts(inserted, r.rows.length - inserted);
}

const col = (m: MergeContext, name: string, cast: string) =>
  m.columns.includes(name) ? name : `NULL::${cast}`;

/**
 * The All Listings report lists every offer: a listing it no longer contains has been closed. A
 * file with rejected rows only upserts what it has: a rejected row's listing is missing from the
 * stage but not from Amazon, and closing it would stop the repricer and the restock plan using it.
 */
export const listings: Merge = async (c, m) => {
  const n = await upsertListings(
    c,
    m,
    `SELECT DISTINCT ON (sku) $1, sku, asin, ${col(m, 'listing_id', 'text')}, ${col(m, 'title', 'text')}, price,
       quantity, ${col(m, 'open_date', 'timestamptz')}, ${col(m, 'product_id_type', 'text')},
       ${col(m, 'product_id', 'text')}, ${col(m, 'item_condition', 'text')}, ${CHANNEL}, ${listingStatus(m)}, $2
     FROM ${m.stage} WHERE sku IS NOT NULL ORDER BY sku, line DESC`,
  );
  if (m.rejected > 0) {
    const note =
      `listings missing from this report were left open: the report is not complete ` +
      `(rejected rows: ${m.rejected}), and only a complete report closes listings`;
    return { ...n, notes: [note] };
  }
  const closed = await c.query(
    `UPDATE listings l SET status = 'inactive', updated_at = now()
     WHERE l.marketplace = $1 AND l.status <> 'inactive'
       AND NOT EXISTS (SELECT 1 FROM ${m.stage} s WHERE s.sku = l.sku)`,
    [m.marketplace],
  );
  return { ...n, closed: closed.rowCount ?? 0 };
};

/** FBA inventory: a stock snapshot per SKU, and the SKU's listing (AFN) brought up to date. */
export const fbaInventory: Merge = async (c, m) => {
  const snap = await c.query(
    `INSERT INTO inventory_snapshots (${list(m.columns)}, marketplace, as_of, load_id)
     SELECT DISTINCT ON (sku) ${list(m.columns)}, $1, $2, $3 FROM ${m.stage}
     WHERE sku IS NOT NULL ORDER BY sku, line DESC
     ON CONFLICT DO NOTHING`,
    [m.marketplace, m.asOf, m.loadId],
  );
  const l = await upsertListings(
    c,
    m,
    `SELECT DISTINCT ON (sku) $1, sku, asin, NULL, product_name, your_price, afn_fulfillable_quantity, NULL::timestamptz,
       NULL, NULL, ${col(m, 'condition', 'text')}, 'AFN', 'active', $2
     FROM ${m.stage} WHERE sku IS NOT NULL ORDER BY sku, line DESC`,
  );
  return counts(snap.rowCount ?? 0, l.updated + l.inserted);
};
