import type pg from 'pg';
import { copyOutBytea } from '../../platform/db/copy.ts';
import type { Queryable } from '../../platform/db/queryable.ts';
import type { Tables } from '../../platform/db/tables.gen.ts';
import { FingerprintSet } from '../../platform/fingerprint.ts';

/**
 * SQL of the price-list import. Every function runs on the import's own transaction client; the
 * fingerprint read (COPY) takes that client itself, the rest any Queryable.
 */

export type VendorRow = Pick<Tables['vendors'], 'id' | 'name' | 'currency' | 'lead_time_days'>;

/** The columns a price-list row fills, in the order of its COPY fields. */
export const ROW_COLUMNS = [
  'sku',
  'asin',
  'barcode',
  'title',
  'cost',
  'currency',
  'pack_size',
  'moq',
  'lead_time_days',
] as const;

/** Staged rows: the file line, the row, and its fingerprint. */
export const STAGE_COLUMNS = ['line', ...ROW_COLUMNS, 'row_fp'] as const;

/** A vendor's first price list goes straight into vendor_prices (see `hasPrices`). */
export const DIRECT_COLUMNS = ['vendor_id', ...ROW_COLUMNS, 'price_list_id', 'updated_at', 'row_fp'] as const;

export async function findVendor(q: Queryable, name: string): Promise<VendorRow | undefined> {
  const { rows } = await q.query<VendorRow>(
    'SELECT id, name, currency, lead_time_days FROM vendors WHERE lower(name) = lower($1)',
    [name],
  );
  return rows[0];
}

export async function insertVendor(q: Queryable, name: string, currency: string): Promise<VendorRow> {
  // ON CONFLICT: a concurrent import may create the same vendor first; we then use theirs
  const { rows } = await q.query<VendorRow>(
    `INSERT INTO vendors (name, currency) VALUES ($1, $2)
     ON CONFLICT (lower(name)) DO UPDATE SET updated_at = vendors.updated_at
     RETURNING id, name, currency, lead_time_days`,
    [name, currency],
  );
  return rows[0]!;
}

/**
 * Fresh statistics on the staged rows let the planner pick a hash join for big files, and index
 * lookups for small ones: with the vendor's rows in cache (random_page_cost 1.1, as the ROI update
 * uses), 10,000 changed rows are found by key instead of by reading the vendor's million (0.5 s).
 */
export async function analyzeStage(q: Queryable, stage: string): Promise<void> {
  await q.query(`ANALYZE ${stage}`);
  await q.query('SET LOCAL random_page_cost = 1.1');
}

/** Temp tables live in the transaction only: a failed or dry-run import leaves nothing behind. */
export async function createStage(q: Queryable): Promise<void> {
  await q.query(`CREATE TEMP TABLE stage_prices (
    line int, sku text, asin text, barcode text, title text, cost numeric(14, 4), currency text,
    pack_size int, moq int, lead_time_days int, row_fp bigint) ON COMMIT DROP`);
}

/**
 * Duplicate skus in one file: the last row wins. Only needed when the parser saw a duplicate, so the
 * common case skips this sort of the whole file.
 */
export async function dedupeStage(q: Queryable): Promise<number> {
  const r = await q.query(`CREATE TEMP TABLE stage_dedup ON COMMIT DROP AS
    SELECT DISTINCT ON (sku) * FROM stage_prices ORDER BY sku, line DESC`);
  return r.rowCount ?? 0;
}

/**
 * Whether the vendor has any prices yet. A vendor without any gets the file's rows by COPY straight
 * into vendor_prices: there is nothing to compare with or conflict on, so no staging table either.
 */
export async function hasPrices(q: Queryable, vendorId: number): Promise<boolean> {
  const { rows } = await q.query<{ any: boolean }>(
    'SELECT EXISTS (SELECT 1 FROM vendor_prices WHERE vendor_id = $1) AS any',
    [vendorId],
  );
  return rows[0]!.any;
}

/**
 * The fingerprints of the vendor's rows as their last price list wrote them (8 bytes a row in
 * memory). The server packs them into one bytea, read by binary COPY as raw bytes: a row a message
 * (as before, COPY text) kept the client busy parsing a million messages, 0.6–1.2 s for a million
 * rows against ~0.45 s now, most of it the server's scan.
 */
export async function storedFingerprints(c: pg.PoolClient, vendorId: number): Promise<FingerprintSet> {
  const fps = await copyOutBytea(
    c,
    `SELECT string_agg(int8send(row_fp), ''::bytea) FROM vendor_prices
     WHERE vendor_id = ${Number(vendorId)} AND row_fp IS NOT NULL`,
  );
  const set = new FingerprintSet((fps?.length ?? 0) / 8);
  if (!fps) return set;
  const f = { hi: 0, lo: 0 };
  for (let i = 0; i + 8 <= fps.length; i += 8) {
    f.hi = fps.readUInt32BE(i);
    f.lo = fps.readUInt32BE(i + 4);
    set.add(f);
  }
  return set;
}

/**
 * The ASIN a barcode names (SPEC §3: a barcode-only vendor row gets its ASIN this way); `onlyIf`
 * keeps the lookup from running at all for rows that do not need it.
 */
function asinOfBarcode(barcode: string, onlyIf = 'true'): string {
  return `SELECT p.asin FROM product_identifiers p WHERE ${onlyIf} AND p.value = ${barcode} ORDER BY p.kind LIMIT 1`;
}

/** Rows loaded straight into vendor_prices that name only a barcode get their ASIN from it. */
export async function fillAsinsByBarcode(q: Queryable, vendorId: number): Promise<void> {
  await q.query(
    `UPDATE vendor_prices v SET asin = (${asinOfBarcode('v.barcode')})
     WHERE v.vendor_id = $1 AND v.asin IS NULL AND v.barcode IS NOT NULL
       AND EXISTS (SELECT 1 FROM product_identifiers p WHERE p.value = v.barcode)`,
    [vendorId],
  );
}

/**
 * Holds writers of barcode → ASIN mappings off until the import commits (a mapping changed meanwhile
 * would clear fingerprints this import already read, or miss those of the rows it writes; see
 * migration 0021), and says whether any mapping exists (if not, the per-row lookup is skipped).
 */
export async function lockIdentifiers(q: Queryable): Promise<boolean> {
  await q.query('LOCK TABLE product_identifiers IN SHARE MODE');
  const { rows } = await q.query<{ any: boolean }>(
    'SELECT EXISTS (SELECT 1 FROM product_identifiers) AS any',
  );
  return rows[0]!.any;
}

/** The rows to merge, with ASINs filled in from known barcodes. */
function source(stage: string, lookup: boolean): string {
  if (!lookup) return stage;
  return `(SELECT s.sku, COALESCE(s.asin, pi.asin) AS asin, s.barcode, s.title, s.cost, s.currency,
      s.pack_size, s.moq, s.lead_time_days, s.row_fp
    FROM ${stage} s
    LEFT JOIN LATERAL (${asinOfBarcode('s.barcode', 's.asin IS NULL AND s.barcode IS NOT NULL')}) pi ON true)`;
}

/**
 * "This row changed", for the anti-join that feeds the upsert and for the upsert itself. A row
 * without an ASIN keeps the stored one (COALESCE); a new ASIN, from the file or a barcode, is a change.
 */
function changed(n: string, v: string): string {
  return `(${v}.cost, ${v}.currency, ${v}.asin, ${v}.barcode, ${v}.title, ${v}.pack_size,
      ${v}.moq, ${v}.lead_time_days)
    IS DISTINCT FROM (${n}.cost, ${n}.currency, COALESCE(${n}.asin, ${v}.asin), ${n}.barcode, ${n}.title,
      ${n}.pack_size, ${n}.moq, ${n}.lead_time_days)`;
}

export interface MergeCounts {
  inserted: number;
  updated: number;
  history: number;
}

/**
 * One set-based statement: upsert only new and changed rows, and append old → new cost for the
 * updated ones. Unchanged rows are filtered out before the INSERT (an anti-join on the primary key):
 * ON CONFLICT … WHERE false would still lock, and so write, every unchanged row — that made a 1 %
 * re-import cost as much as the first import. Every part of a data-modifying WITH sees the snapshot
 * from before the statement, so `todo` carries the old cost along for `hist` (joined in memory; a
 * second lookup of each updated row by key cost ~0.1 s per 10,000 rows). A row `todo` did not see
 * (inserted meanwhile by another import, then updated here) gets no history, as before.
 */
export async function merge(
  q: Queryable,
  stage: string,
  vendorId: number,
  priceListId: number,
  observedAt: Date,
  opts: { lookup: boolean; empty: boolean },
): Promise<MergeCounts> {
  if (opts.empty) {
    // a vendor without rows yet: a plain INSERT, no conflict or change checks
    const r = await q.query(
      `INSERT INTO vendor_prices (vendor_id, sku, asin, barcode, title, cost, currency, pack_size, moq, lead_time_days,
         price_list_id, updated_at, row_fp)
       SELECT $1, n.sku, n.asin, n.barcode, n.title, n.cost, n.currency, n.pack_size, n.moq, n.lead_time_days, $2, $3,
         n.row_fp
       FROM ${source(stage, opts.lookup)} n`,
      [vendorId, priceListId, observedAt],
    );
    return { inserted: r.rowCount ?? 0, updated: 0, history: 0 };
  }
  const { rows } = await q.query(
    `WITH todo AS (
       SELECT n.*, v.sku IS NOT NULL AS known, v.cost AS old_cost, v.currency AS old_currency
       FROM ${source(stage, opts.lookup)} n LEFT JOIN vendor_prices v ON v.vendor_id = $1 AND v.sku = n.sku
       WHERE v.sku IS NULL OR ${changed('n', 'v')}),
     up AS (
       INSERT INTO vendor_prices AS v (vendor_id, sku, asin, barcode, title, cost, currency, pack_size, moq,
         lead_time_days, price_list_id, updated_at, row_fp)
       SELECT $1, n.sku, n.asin, n.barcode, n.title, n.cost, n.currency, n.pack_size, n.moq, n.lead_time_days, $2, $3,
         n.row_fp
       FROM todo n
       ON CONFLICT (vendor_id, sku) DO UPDATE SET asin = COALESCE(EXCLUDED.asin, v.asin), barcode = EXCLUDED.barcode,
         title = EXCLUDED.title, cost = EXCLUDED.cost, currency = EXCLUDED.currency, pack_size = EXCLUDED.pack_size,
         moq = EXCLUDED.moq, lead_time_days = EXCLUDED.lead_time_days, price_list_id = EXCLUDED.price_list_id,
         updated_at = EXCLUDED.updated_at, row_fp = EXCLUDED.row_fp
       WHERE ${changed('EXCLUDED', 'v')}
       RETURNING v.sku, v.cost, v.currency, (xmax = 0) AS inserted),
     hist AS (
       INSERT INTO vendor_price_history (vendor_id, sku, observed_at, old_cost, cost, old_currency, currency,
         price_list_id)
       SELECT $1, up.sku, $3, old.old_cost, up.cost, old.old_currency, up.currency, $2
       FROM up JOIN todo old ON old.sku = up.sku
       WHERE NOT up.inserted AND old.known AND (old.old_cost, old.old_currency) IS DISTINCT FROM (up.cost, up.currency)
       RETURNING 1)
     SELECT (SELECT count(*) FROM up WHERE inserted)::int AS inserted,
            (SELECT count(*) FROM up WHERE NOT inserted)::int AS updated,
            (SELECT count(*) FROM hist)::int AS history`,
    [vendorId, priceListId, observedAt],
  );
  // Unchanged rows staged only because their stored fingerprint was missing (rows from before
  // fingerprints, or after another writer) get it now, so the next re-import skips them in memory.
  await q.query(
    `UPDATE vendor_prices v SET row_fp = s.row_fp FROM ${stage} s
     WHERE v.vendor_id = $1 AND v.sku = s.sku AND s.row_fp IS NOT NULL AND v.row_fp IS DISTINCT FROM s.row_fp`,
    [vendorId],
  );
  return rows[0];
}

export interface PriceListRecord {
  vendorId: number;
  fileName: string;
  sha256: string;
  status: string;
  source: string;
  objectKey: string | null;
  currency: string;
  createdBy: string | null;
  /** When the list was imported: the import's clock, the same instant its rows and history carry. */
  createdAt: Date;
}

export async function insertPriceList(q: Queryable, p: PriceListRecord): Promise<number> {
  const { rows } = await q.query(
    `INSERT INTO price_lists (vendor_id, file_name, sha256, status, source, object_key, currency, created_by,
       created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
    [p.vendorId, p.fileName, p.sha256, p.status, p.source, p.objectKey, p.currency, p.createdBy, p.createdAt],
  );
  return rows[0].id;
}

export async function finishPriceList(
  q: Queryable,
  id: number,
  n: {
    status: string;
    rows: number;
    inserted: number;
    updated: number;
    unchanged: number;
    duplicates: number;
    rejected: number;
  },
  durationMs: number,
): Promise<void> {
  await q.query(
    `UPDATE price_lists SET rows = $2, inserted = $3, updated = $4, unchanged = $5, duplicates = $6, rejected = $7,
       duration_ms = $8, status = $9 WHERE id = $1`,
    [
      id,
      n.rows,
      n.inserted,
      n.updated,
      n.unchanged,
      n.duplicates,
      n.rejected,
      Math.round(durationMs),
      n.status,
    ],
  );
}
