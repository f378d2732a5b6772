import type { Queryable } from '../../platform/db/queryable.ts';
import { counts, list, type Merge, type MergeContext } from './merge.context.ts';
// the fee preview's merge hands its fees and products to their domains' services
import { feePreview } from './merge.fees.service.ts';
import { fbaInventory, listings } from './merge.listings.repo.ts';
import type { ReportType } from './parse/index.ts';

export type { MergeContext, MergeCounts } from './merge.context.ts';

// The set-based statements that move a staged report into its landing tables (SPEC §4), one per
// report type (those of the listings and FBA inventory reports in merge.listings.repo.ts, the fee
// preview's in merge.fees.service.ts).

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
async function ledgerRows(c: Queryable, m: MergeContext): Promise<string> {
  const { rowCount } = await c.query(`SELECT 1 FROM ${m.stage} WHERE occurrence IS NULL LIMIT 1`);
  if (!rowCount) return `SELECT * FROM ${m.stage}`;
  return `SELECT s.row_hash, o.occurrence, ${m.columns.map((x) => `s.${x}`).join(', ')}
    FROM ${m.stage} s
    JOIN (SELECT line, row_number() OVER (PARTITION BY row_hash ORDER BY line) AS occurrence
          FROM ${m.stage}) o ON o.line = s.line`;
}

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
