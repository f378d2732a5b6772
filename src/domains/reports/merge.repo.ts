import type pg from 'pg';
import type { ReportType } from './parse/index.ts';

/**
 * The set-based statements that move a staged report into its landing tables (SPEC §4), one per
 * report type. Each runs on the ingest's transaction client; the stage holds the parser's columns
 * (named as in the landing tables) plus `line` (and `summary` for settlements).
 */
export interface MergeContext {
  stage: string;
  /** The parser's columns, in stage order. */
  columns: readonly string[];
  loadId: number;
  marketplace: string;
  /** When the report was first ingested: a forced re-ingest reuses it, so snapshots do not repeat. */
  asOf: Date;
}

export interface MergeCounts {
  inserted: number;
  updated: number;
  /** Settlement lines deleted before their settlement was loaded again. */
  replaced: number;
}

type Merge = (c: pg.PoolClient, m: MergeContext) => Promise<MergeCounts>;

// Key columns a report may leave empty are '' in the landing tables, so they can be part of a key.
const EMPTY_KEYS = new Set(['sku', 'license_plate_number', 'keyword_id']);
const sel = (cols: readonly string[], alias = '') =>
  cols.map((c) => (EMPTY_KEYS.has(c) ? `coalesce(${alias}${c}, '') AS ${c}` : `${alias}${c}`)).join(', ');
const list = (cols: readonly string[]) => cols.join(', ');
const counts = (inserted: number, updated = 0, replaced = 0): MergeCounts => ({
  inserted,
  updated,
  replaced,
});

/** Append-only landing tables: rows whose key exists already add nothing. */
function insertNew(table: string): Merge {
  return async (c, m) => {
    const r = await c.query(
      `INSERT INTO ${table} (${list(m.columns)}, marketplace, load_id)
       SELECT ${sel(m.columns)}, $1, $2 FROM ${m.stage} ORDER BY line
       ON CONFLICT DO NOTHING`,
      [m.marketplace, m.loadId],
    );
    return counts(r.rowCount ?? 0);
  };
}

/**
 * The ledger has no id: a row is identified by the hash of its normalised cells (staged by the
 * ingest) and by how many identical rows precede it in the report, so an overlapping report adds
 * only its new rows. The occurrence is numbered over (hash, line) alone and joined back: sorting the
 * whole wide rows for the window took longer than the insert itself.
 */
const ledger: Merge = async (c, m) => {
  await c.query(`SET LOCAL work_mem = '256MB'`);
  const r = await c.query(
    `INSERT INTO inventory_ledger_raw (row_hash, occurrence, ${list(m.columns)}, load_id)
     SELECT s.row_hash, o.occurrence, ${m.columns.map((x) => `s.${x}`).join(', ')}, $1
     FROM ${m.stage} s
     JOIN (SELECT line, row_number() OVER (PARTITION BY row_hash ORDER BY line) AS occurrence
           FROM ${m.stage}) o ON o.line = s.line
     ON CONFLICT DO NOTHING`,
    [m.loadId],
  );
  return counts(r.rowCount ?? 0);
};

const WEIGHT_KG = `CASE lower(unit_of_weight)
  WHEN 'pounds' THEN item_package_weight * 0.45359237 WHEN 'pound' THEN item_package_weight * 0.45359237
  WHEN 'lb' THEN item_package_weight * 0.45359237 WHEN 'lbs' THEN item_package_weight * 0.45359237
  WHEN 'ounces' THEN item_package_weight * 0.028349523 WHEN 'ounce' THEN item_package_weight * 0.028349523
  WHEN 'oz' THEN item_package_weight * 0.028349523
  WHEN 'grams' THEN item_package_weight / 1000 WHEN 'gram' THEN item_package_weight / 1000
  WHEN 'g' THEN item_package_weight / 1000
  WHEN 'kilograms' THEN item_package_weight WHEN 'kilogram' THEN item_package_weight
  WHEN 'kg' THEN item_package_weight END`;

/**
 * The fee preview is a snapshot: its rows are kept per capture, the newest row per ASIN becomes the
 * current fee (unless a newer estimate exists) with a history point, and a product whose weight is
 * unknown gets the package weight Amazon measured.
 */
const feePreview: Merge = async (c, m) => {
  const ins = await c.query(
    `INSERT INTO fee_preview_raw (${list(m.columns)}, line, marketplace, captured_at, load_id)
     SELECT DISTINCT ON (sku) ${list(m.columns)}, line, $1, $2, $3 FROM ${m.stage} ORDER BY sku, line DESC
     ON CONFLICT DO NOTHING`,
    [m.marketplace, m.asOf, m.loadId],
  );
  const latest = `SELECT DISTINCT ON (asin) * FROM ${m.stage}
    WHERE asin ~ '^[A-Z0-9]{10}$' ORDER BY asin, line DESC`;
  const fees = await c.query(
    `WITH latest AS (${latest}),
     up AS (
       INSERT INTO fees AS f (marketplace, asin, referral, fulfilment, other, currency, price_basis, source,
                              captured_at)
       SELECT $1, asin, estimated_referral_fee_per_unit, estimated_pick_pack_fee_per_unit,
              estimated_variable_closing_fee, currency, coalesce(your_price, sales_price), 'fee_preview_report', $2
       FROM latest WHERE currency IS NOT NULL
       ON CONFLICT (marketplace, asin) DO UPDATE SET referral = EXCLUDED.referral,
         fulfilment = EXCLUDED.fulfilment, other = EXCLUDED.other, currency = EXCLUDED.currency,
         price_basis = EXCLUDED.price_basis, source = EXCLUDED.source, captured_at = EXCLUDED.captured_at
       WHERE f.captured_at <= EXCLUDED.captured_at
         AND (f.referral, f.fulfilment, f.other, f.currency, f.price_basis, f.source)
             IS DISTINCT FROM (EXCLUDED.referral, EXCLUDED.fulfilment, EXCLUDED.other, EXCLUDED.currency,
                               EXCLUDED.price_basis, EXCLUDED.source)
       RETURNING f.*)
     INSERT INTO fees_history (marketplace, asin, captured_at, referral, fulfilment, storage, other, currency,
                               price_basis, source)
     SELECT marketplace, asin, captured_at, referral, fulfilment, storage, other, currency, price_basis, source
     FROM up ON CONFLICT DO NOTHING`,
    [m.marketplace, m.asOf],
  );
  await c.query(
    `INSERT INTO products AS p (asin, marketplace, title, weight_kg)
     SELECT asin, $1, product_name, round(${WEIGHT_KG}, 3) FROM (${latest}) l
     ON CONFLICT (asin) DO UPDATE SET weight_kg = EXCLUDED.weight_kg, updated_at = now()
     WHERE p.weight_kg IS NULL AND EXCLUDED.weight_kg IS NOT NULL`,
    [m.marketplace],
  );
  return counts(ins.rowCount ?? 0, fees.rowCount ?? 0);
};

/** A settlement is loaded as a whole: its lines replace those of an earlier load of it. */
const settlement: Merge = async (c, m) => {
  const lineCols = m.columns.filter((col) => !SETTLEMENT_HEADER.includes(col));
  await c.query(
    `INSERT INTO settlements (settlement_id, ${list(SETTLEMENT_HEADER.slice(1))}, load_id)
     SELECT DISTINCT ON (settlement_id) settlement_id, ${list(SETTLEMENT_HEADER.slice(1))}, $1
     FROM ${m.stage} WHERE settlement_id IS NOT NULL ORDER BY settlement_id, summary DESC, line
     ON CONFLICT (settlement_id) DO UPDATE SET settlement_start_date = EXCLUDED.settlement_start_date,
       settlement_end_date = EXCLUDED.settlement_end_date, deposit_date = EXCLUDED.deposit_date,
       total_amount = EXCLUDED.total_amount, currency = EXCLUDED.currency, load_id = EXCLUDED.load_id,
       updated_at = now()`,
    [m.loadId],
  );
  const del = await c.query(
    `DELETE FROM settlement_lines_raw l
     WHERE l.settlement_id IN (SELECT DISTINCT settlement_id FROM ${m.stage})`,
  );
  const ins = await c.query(
    `INSERT INTO settlement_lines_raw (settlement_id, line, ${list(lineCols.filter((x) => x !== 'settlement_id'))},
                                       load_id)
     SELECT settlement_id, row_number() OVER (PARTITION BY settlement_id ORDER BY line),
            ${list(lineCols.filter((x) => x !== 'settlement_id'))}, $1
     FROM ${m.stage} WHERE NOT summary AND settlement_id IS NOT NULL`,
    [m.loadId],
  );
  const replaced = del.rowCount ?? 0;
  const inserted = ins.rowCount ?? 0;
  return counts(Math.max(0, inserted - replaced), 0, replaced);
};
export const SETTLEMENT_HEADER = [
  'settlement_id',
  'settlement_start_date',
  'settlement_end_date',
  'deposit_date',
  'total_amount',
  'currency',
];

const CHANNEL = `CASE WHEN fulfillment_channel IS NULL THEN NULL
  WHEN upper(fulfillment_channel) LIKE 'AMAZON%' OR upper(fulfillment_channel) = 'AFN' THEN 'AFN' ELSE 'MFN' END`;
const listingStatus = (m: MergeContext) => `CASE lower(coalesce(${col(m, 'status', 'text')}, 'active'))
  WHEN 'inactive' THEN 'inactive' WHEN 'incomplete' THEN 'incomplete' ELSE 'active' END`;

async function upsertListings(c: pg.PoolClient, m: MergeContext, select: string): Promise<MergeCounts> {
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

/** The All Listings report is complete: a listing it no longer contains has been closed. */
const listings: Merge = async (c, m) => {
  const n = await upsertListings(
    c,
    m,
    `SELECT DISTINCT ON (sku) $1, sku, asin, ${col(m, 'listing_id', 'text')}, ${col(m, 'title', 'text')}, price,
       quantity, ${col(m, 'open_date', 'timestamptz')}, ${col(m, 'product_id_type', 'text')},
       ${col(m, 'product_id', 'text')}, ${col(m, 'item_condition', 'text')}, ${CHANNEL}, ${listingStatus(m)}, $2
     FROM ${m.stage} WHERE sku IS NOT NULL ORDER BY sku, line DESC`,
  );
  const closed = await c.query(
    `UPDATE listings l SET status = 'inactive', updated_at = now()
     WHERE l.marketplace = $1 AND l.status <> 'inactive'
       AND NOT EXISTS (SELECT 1 FROM ${m.stage} s WHERE s.sku = l.sku)`,
    [m.marketplace],
  );
  return counts(n.inserted, n.updated + (closed.rowCount ?? 0));
};

/** FBA inventory: a stock snapshot per SKU, and the SKU's listing (AFN) brought up to date. */
const fbaInventory: Merge = async (c, m) => {
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

/** Ads figures for a day are restated for a while after it (late attributions): newer values win. */
const adsSp: Merge = async (c, m) => {
  const values = m.columns.filter(
    (x) => !['date', 'campaign_id', 'ad_group_id', 'keyword_id', 'sku'].includes(x),
  );
  const r = await c.query<{ inserted: boolean }>(
    `INSERT INTO ads_sp_daily_raw AS a (${list(m.columns)}, marketplace, load_id)
     SELECT DISTINCT ON (date, campaign_id, ad_group_id, coalesce(keyword_id, ''), coalesce(sku, ''))
            ${sel(m.columns)}, $1, $2
     FROM ${m.stage} ORDER BY date, campaign_id, ad_group_id, coalesce(keyword_id, ''), coalesce(sku, ''), line DESC
     ON CONFLICT (date, campaign_id, ad_group_id, keyword_id, sku) DO UPDATE SET
       ${values.map((v) => `${v} = EXCLUDED.${v}`).join(', ')}, load_id = EXCLUDED.load_id
     WHERE (${values.map((v) => `a.${v}`).join(', ')}) IS DISTINCT FROM (${values.map((v) => `EXCLUDED.${v}`).join(', ')})
     RETURNING (xmax = 0) AS inserted`,
    [m.marketplace, m.loadId],
  );
  const inserted = r.rows.filter((x) => x.inserted).length;
  return counts(inserted, r.rows.length - inserted);
};

export const MERGES: Record<ReportType, Merge> = {
  returns: insertNew('returns_raw'),
  reimbursements: insertNew('reimbursements_raw'),
  fee_preview: feePreview,
  inventory_ledger: ledger,
  settlement,
  fba_inventory: fbaInventory,
  listings,
  ads_sp: adsSp,
};
