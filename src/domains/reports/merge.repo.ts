import type pg from 'pg';
import { counts, list, type Merge, type MergeContext } from './merge.context.ts';
import { fbaInventory, listings } from './merge.listings.repo.ts';
import type { ReportType } from './parse/index.ts';

export type { MergeContext, MergeCounts } from './merge.context.ts';

// The set-based statements that move a staged report into its landing tables (SPEC §4), one per
// report type (those of the listings and FBA inventory reports in merge.listings.repo.ts).

// Key columns a report may leave empty are '' in the landing tables, so they can be part of a key.
const EMPTY_KEYS = new Set(['sku', 'license_plate_number', 'keyword_id']);
const sel = (cols: readonly string[], alias = '') =>
  cols.map((c) => (EMPTY_KEYS.has(c) ? `coalesce(${alias}${c}, '') AS ${c}` : `${alias}${c}`)).join(', ');

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
 * The ledger has no id: a row is identified by the hash of its normalised cells and by how many
 * identical rows precede it in the report (both staged by the ingest), so an overlapping report adds
 * only its new rows. Rows dated after the newest stored day cannot meet a stored row, so they go in
 * with a plain INSERT; only the overlap pays for ON CONFLICT (twice the cost per row). The lock keeps
 * two ledger merges from both taking the same days as new.
 */
const ledger: Merge = async (c, m) => {
  await c.query(`SET LOCAL work_mem = '256MB'`);
  await c.query(`SELECT pg_advisory_xact_lock(hashtext('inventory_ledger_raw'))`);
  const rows = await ledgerRows(c, m);
  const { rows: newest } = await c.query<{ last: string | null }>(
    'SELECT max(event_date)::text AS last FROM inventory_ledger_raw',
  );
  const last = newest[0]?.last ?? null;
  const insert = (where: string, conflict: string) =>
    c.query(
      `INSERT INTO inventory_ledger_raw (row_hash, occurrence, ${list(m.columns)}, load_id)
       SELECT row_hash, occurrence, ${list(m.columns)}, $1 FROM (${rows}) r WHERE ${where} ${conflict}`,
      last === null ? [m.loadId] : [m.loadId, last],
    );
  if (last === null) return counts((await insert('true', '')).rowCount ?? 0);
  const overlap = await insert('event_date <= $2::date', 'ON CONFLICT DO NOTHING');
  const after = await insert('event_date > $2::date', '');
  return counts((overlap.rowCount ?? 0) + (after.rowCount ?? 0));
};

/**
 * The staged rows with their occurrence. The ingest numbers identical rows itself when the file is
 * in date order (ingest.repo.ts); for a file that is not, it leaves them NULL and they are numbered
 * here, over (hash, line) alone and joined back: sorting the whole wide rows for the window took
 * longer than the insert itself.
 */
async function ledgerRows(c: pg.PoolClient, m: MergeContext): Promise<string> {
  const { rowCount } = await c.query(`SELECT 1 FROM ${m.stage} WHERE occurrence IS NULL LIMIT 1`);
  if (!rowCount) return `SELECT * FROM ${m.stage}`;
  return `SELECT s.row_hash, o.occurrence, ${m.columns.map((x) => `s.${x}`).join(', ')}
    FROM ${m.stage} s
    JOIN (SELECT line, row_number() OVER (PARTITION BY row_hash ORDER BY line) AS occurrence
          FROM ${m.stage}) o ON o.line = s.line`;
}

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
       SELECT $1, asin, estimated_referral_fee_per_unit, ${FULFILMENT},
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

/**
 * A settlement is loaded as a whole: its lines replace those of an earlier load of it. A file with
 * rejected rows is not a whole settlement (the rejected lines would be deleted with the rest), so it
 * only adds settlements not stored yet; a stored one is kept as it is until a complete file of it
 * comes. Which settlement a rejected row belonged to is unknown (its settlement-id may be the bad
 * cell), so the rule covers every settlement of the file.
 */
const settlement: Merge = async (c, m) => {
  let kept = 0;
  const notes: string[] = [];
  if (m.rejected > 0) {
    // taken out of the stage, so the statements below never see the kept settlements
    const k = await c.query<{ settlement_id: string; lines: number }>(
      `WITH gone AS (
         DELETE FROM ${m.stage} s
         WHERE EXISTS (SELECT 1 FROM settlements x WHERE x.settlement_id = s.settlement_id)
         RETURNING s.settlement_id, s.summary)
       SELECT settlement_id, count(*) FILTER (WHERE NOT summary)::int AS lines
       FROM gone GROUP BY settlement_id ORDER BY settlement_id`,
    );
    kept = k.rows.reduce((n, r) => n + r.lines, 0);
    if (k.rows.length > 0) {
      const ids = k.rows.map((r) => r.settlement_id);
      const shown =
        ids.length > 5 ? `${ids.slice(0, 5).join(', ')} and ${ids.length - 5} more` : ids.join(', ');
      notes.push(
        `settlement ${shown} already stored: kept as it was (lines of this file not loaded: ${kept}), ` +
          `because the file is not complete (rejected rows: ${m.rejected}) and only a complete file replaces a settlement`,
      );
    }
  }
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
  return { ...counts(Math.max(0, inserted - replaced), 0, replaced), kept, notes };
};
export const SETTLEMENT_HEADER = [
  'settlement_id',
  'settlement_start_date',
  'settlement_end_date',
  'deposit_date',
  'total_amount',
  'currency',
];

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
