import type { Queryable } from '../../platform/db/queryable.ts';
import type { Tables } from '../../platform/db/tables.gen.ts';
import { roiRows } from './roi.compute.repo.ts';
import type { RoiSettings } from './roi.repo.ts';

// A rebuild sorts every offer (best per ASIN) and hashes them against the stored ones; with the
// default 4 MB those spill to disk, which more than doubles its time at 100k offers.
const UPDATE_WORK_MEM = '64MB';
// one update at a time: a second waits for the first and then finds its changes taken
const UPDATE_LOCK = 'awa:roi_offers';

export interface UpdateRecord {
  mode: 'rebuild' | 'changes';
  started_at: Date;
  finished_at: Date;
  duration_ms: number;
  /** Offers in roi_offers afterwards; null when there was nothing to do (not counted). */
  rows: number | null;
  /** Distinct change keys taken (a rebuild takes them all too). */
  keys: number;
  /** ASINs recomputed (every one on a rebuild). */
  asins: number;
  /** Rows removed and written because a figure, or the offer, changed. */
  deleted: number;
  inserted: number;
}

/**
 * Starts the update in the caller's transaction: one at a time, with its "today" and memory set
 * (each setting local to the transaction, so every later step of the update must run in it too).
 */
export async function begin(q: Queryable, today: string): Promise<void> {
  await q.query('SELECT pg_advisory_xact_lock(hashtext($1))', [UPDATE_LOCK]);
  await q.query(`SELECT set_config('work_mem', $1, true)`, [UPDATE_WORK_MEM]);
  // Compiling this long query to machine code costs more (tens of seconds) than it saves; and an
  // incremental update reads a few thousand ASINs by index, which the default page costs (a spinning
  // disk's) price above reading whole tables.
  await q.query(`SELECT set_config('jit', 'off', true)`);
  await q.query(`SELECT set_config('random_page_cost', '1.1', true)`);
  // the rows' "today" (awa_today(), migration 0014): the caller's clock, the same day the run records
  await q.query(`SELECT set_config('awa.today', $1, true)`, [today]);
}

/**
 * Stores the config-dependent inputs. The row changes only when a value changes: its trigger then
 * notes a change of every offer, and changed_at, which feeds every row's computed_at, moves.
 */
export async function writeSettings(q: Queryable, s: RoiSettings): Promise<void> {
  await q.query(
    `UPDATE roi_settings SET marketplace = $1, currency = $2,
      vat_rate = $3, vat_registered = $4, dest_country = $5,
      lane_carrier = $6, lane_origin = $7, lane_dest = $8,
      lane_service = $9, changed_at = now()
    WHERE id AND (marketplace, currency, vat_rate, vat_registered, dest_country, lane_carrier, lane_origin,
                  lane_dest, lane_service)
      IS DISTINCT FROM ($10::char(2), $11::char(3), $12::numeric(6, 4),
                        $13::boolean,
                        $14::char(2), $15::text, $16::char(2),
                        $17::char(2), $18::text)`,
    // the values set, then the same values again, compared as the columns' types
    [...settingValues(s), ...settingValues(s)],
  );
}

const settingValues = (s: RoiSettings) => [
  s.marketplace,
  s.currency,
  s.vatRate,
  s.vatRegistered,
  s.destCountry,
  s.lane.carrier,
  s.lane.origin,
  s.lane.dest,
  s.lane.service,
];

/**
 * Takes the noted changes into roi_keys (distinct), deleting them: a writer that commits later keeps
 * its note for the next update. Returns how many keys, and whether one reaches every offer.
 */
export async function takeChanges(q: Queryable): Promise<{ keys: number; all: boolean }> {
  await q.query(`
    CREATE TEMP TABLE roi_keys ON COMMIT DROP AS
    WITH taken AS (DELETE FROM roi_changes RETURNING kind, key)
    SELECT DISTINCT kind, key FROM taken`);
  await q.query('ANALYZE roi_keys');
  const { rows } = await q.query<{ keys: number; all: boolean }>(`
    SELECT count(*)::int AS keys, coalesce(bool_or(kind = 'all'), false) AS "all" FROM roi_keys`);
  return rows[0] ?? { keys: 0, all: false };
}

/** The day the last rebuild computed with (null before the first). */
export async function lastRebuildDay(q: Queryable): Promise<string | null> {
  const { rows } = await q.query<{ day: string | null }>(`
    SELECT to_char(day, 'YYYY-MM-DD') AS day FROM roi_refreshes WHERE mode = 'rebuild'
    ORDER BY id DESC LIMIT 1`);
  return rows[0]?.day ?? null;
}

// every barcode of the ASINs in roi_scope
const BARCODES_OF_SCOPE = `SELECT lpad(value, 14, '0') FROM product_identifiers WHERE asin IN (SELECT asin FROM roi_scope)`;

/**
 * The ASINs the taken keys reach, into roi_scope: an ASIN's own key; a vendor's, currency's, freight
 * lane's or VAT category's offers as stored now; a seller SKU's listed ASINs; and for every barcode
 * involved (a key's, or one of those ASINs') each ASIN it can name and each offer it named, because a
 * product or identifier that appears can move a barcode-only offer from one ASIN to another.
 */
export async function scopeFromChanges(q: Queryable): Promise<number> {
  await q.query(`
    CREATE TEMP TABLE roi_scope ON COMMIT DROP AS
    SELECT key AS asin FROM roi_keys WHERE kind = 'asin'
    UNION
    SELECT o.asin FROM roi_offers o
    WHERE o.vendor_id IN (SELECT key::bigint FROM roi_keys WHERE kind = 'vendor')
    UNION
    -- a vendor key also stands for its price rows as they are now (a bulk write notes only vendors)
    SELECT vp.asin FROM vendor_prices vp
    WHERE vp.vendor_id IN (SELECT key::bigint FROM roi_keys WHERE kind = 'vendor') AND vp.asin IS NOT NULL
    UNION
    -- each part below reads every stored offer: the EXISTS, evaluated once, skips it without a key
    SELECT o.asin FROM roi_offers o
    WHERE EXISTS (SELECT FROM roi_keys WHERE kind = 'currency')
      AND (o.cost_currency IN (SELECT key FROM roi_keys WHERE kind = 'currency')
           OR o.fees_currency IN (SELECT key FROM roi_keys WHERE kind = 'currency')
           OR o.buybox_currency IN (SELECT key FROM roi_keys WHERE kind = 'currency')
           OR (o.currency <> 'EUR' AND EXISTS (SELECT FROM roi_keys WHERE kind = 'currency' AND key = 'EUR')))
    UNION
    SELECT o.asin FROM roi_offers o
    WHERE EXISTS (SELECT FROM roi_keys WHERE kind = 'lane')
      AND (o.lane IS NULL OR o.lane IN (SELECT key FROM roi_keys WHERE kind = 'lane')
           OR o.vendor_country IN (SELECT split_part(key, ':', 2) FROM roi_keys WHERE kind = 'lane'))
    UNION
    SELECT o.asin FROM roi_offers o
    WHERE EXISTS (SELECT FROM roi_keys WHERE kind = 'category')
      AND lower(o.category) IN (SELECT key FROM roi_keys WHERE kind = 'category')
    UNION
    SELECT l.asin FROM listings l
    WHERE l.sku IN (SELECT key FROM roi_keys WHERE kind = 'sku') AND l.asin IS NOT NULL`);
  // Barcodes: the keys', and every barcode of those ASINs; then each ASIN such a barcode can name and
  // each offer it named. Kept in a table of its own, as the planner reads the barcode index by it.
  await q.query(`
    CREATE TEMP TABLE roi_scope_gtins ON COMMIT DROP AS
    SELECT key AS gtin FROM roi_keys WHERE kind = 'gtin'
    UNION
    SELECT lpad(barcode, 14, '0') FROM vendor_prices
    WHERE vendor_id IN (SELECT key::bigint FROM roi_keys WHERE kind = 'vendor') AND asin IS NULL
      AND barcode ~ '^[0-9]{8,14}$'
    UNION ${BARCODES_OF_SCOPE}`);
  await q.query('ANALYZE roi_scope, roi_scope_gtins');
  await q.query(`
    INSERT INTO roi_scope
    SELECT pi.asin FROM roi_scope_gtins g JOIN product_identifiers pi ON lpad(pi.value, 14, '0') = g.gtin
    UNION
    -- per barcode by its index (OFFSET 0 keeps the planner from turning this into a hash join over
    -- every barcode offer, 65k to find a few hundred)
    SELECT o.asin FROM roi_scope_gtins g, LATERAL (
      SELECT asin FROM roi_offers WHERE lpad(barcode, 14, '0') = g.gtin AND asin_source = 'barcode' OFFSET 0) o
    EXCEPT
    SELECT asin FROM roi_scope`);
  // the computation reads the barcodes of every ASIN in scope, those it gained included
  await q.query(`INSERT INTO roi_scope_gtins ${BARCODES_OF_SCOPE} EXCEPT SELECT gtin FROM roi_scope_gtins`);
  // fresh temp tables have no statistics: the planner would guess their sizes instead of reading them
  await q.query('ANALYZE roi_scope, roi_scope_gtins');
  const { rows } = await q.query<{ n: number }>('SELECT count(*)::int AS n FROM roi_scope');
  return rows[0]?.n ?? 0;
}

/**
 * Computes the offers (those of roi_scope, or all) and writes the differences: a stored row that is
 * not computed identically is deleted, a computed row not stored is inserted. Rows whose figures did
 * not change are not touched, nor are their index entries. In the update's transaction (begin): its
 * settings and temp tables are the transaction's.
 */
export async function writeDifferences(
  q: Queryable,
  scoped: boolean,
): Promise<{ deleted: number; inserted: number; asins: number; offers: number }> {
  return scoped ? writeScoped(q) : writeAll(q);
}

/**
 * The scope's offers into roi_next, compared row by row with the stored ones of the scope and any
 * offer that moved to an ASIN outside it (replaced, not duplicated), each part by its index.
 */
async function writeScoped(q: Queryable) {
  await q.query(`CREATE TEMP TABLE roi_next ON COMMIT DROP AS ${roiRows(true)}`);
  const deleted = await q.query(`
    DELETE FROM roi_offers o
    USING (SELECT vendor_id, sku FROM roi_offers WHERE asin IN (SELECT asin FROM roi_scope)
           UNION SELECT vendor_id, sku FROM roi_next) k
    WHERE o.vendor_id = k.vendor_id AND o.sku = k.sku AND NOT EXISTS (
      SELECT 1 FROM roi_next n WHERE n.vendor_id = o.vendor_id AND n.sku = o.sku AND (n.*) IS NOT DISTINCT FROM (o.*))`);
  const inserted = await q.query(`
    INSERT INTO roi_offers SELECT n.* FROM roi_next n
    WHERE NOT EXISTS (SELECT 1 FROM roi_offers o WHERE o.vendor_id = n.vendor_id AND o.sku = n.sku)`);
  // one best row per ASIN: counted without sorting the ASINs
  const { rows } = await q.query<{ asins: number; offers: number }>(`
    SELECT count(*) FILTER (WHERE best)::int AS asins, count(*)::int AS offers FROM roi_next`);
  return {
    deleted: deleted.rowCount ?? 0,
    inserted: inserted.rowCount ?? 0,
    asins: rows[0]?.asins ?? 0,
    offers: rows[0]?.offers ?? 0,
  };
}

/**
 * Every offer. Each computed row meets the stored row of its key by fingerprint, a 64-bit hash of all
 * its columns (hash_record_extended: it hashes as each column's equality compares, so 1.5 and 1.50
 * are the same numeric, as a column-by-column comparison has them): the join then holds 600k keys
 * and fingerprints instead of 600k wide rows. Only what differs is kept, in roi_next: `next` the
 * computed row to insert, `gone_*` the key of the stored row to delete (both for a changed offer).
 * Two different rows sharing a fingerprint (about 1 in 2^64) would leave the stored one in place.
 * Writing all 600k computed rows to a temporary table and comparing them with the stored ones as
 * whole rows, as before, took 9 of a rebuild's 19 s of CPU; fingerprinting both sides costs most of
 * that again (a rebuild now takes about 2 s of CPU less, bench/RESULTS.md).
 */
async function writeAll(q: Queryable) {
  // the planner cannot estimate the rows of the query's CTEs and UNION (it guesses 200) and then
  // reads 600k offers in nested loops and sorts; hash joins take 15 s instead of 25
  await q.query(
    `SELECT set_config('enable_nestloop', 'off', true), set_config('enable_mergejoin', 'off', true)`,
  );
  // both sides fingerprint a roi_offers row: the computed one as it would be stored; OFFSET 0 keeps
  // the planner from building that row twice (once for the hash, once for the output)
  await q.query(`
    CREATE TEMP TABLE roi_next ON COMMIT DROP AS
    SELECT n.next, o.vendor_id AS gone_vendor_id, o.sku AS gone_sku
    FROM (SELECT c.next, hash_record_extended(c.next, 0) AS fingerprint
          FROM (SELECT r::roi_offers AS next FROM (${roiRows(false)}) r OFFSET 0) c) n
    FULL JOIN (SELECT s.vendor_id, s.sku, hash_record_extended(s, 0) AS fingerprint FROM roi_offers s) o
      ON o.vendor_id = (n.next).vendor_id AND o.sku = (n.next).sku
    WHERE n.fingerprint IS DISTINCT FROM o.fingerprint`);
  const deleted = await q.query(`
    DELETE FROM roi_offers o USING roi_next d WHERE o.vendor_id = d.gone_vendor_id AND o.sku = d.gone_sku`);
  // (a composite IS NOT NULL only when every field is: the key says whether there is a row)
  const inserted = await q.query(
    'INSERT INTO roi_offers SELECT (d.next).* FROM roi_next d WHERE (d.next).vendor_id IS NOT NULL',
  );
  // the table now holds exactly the computed rows: one best row per ASIN
  const { rows } = await q.query<{ asins: number; offers: number }>(`
    SELECT count(*) FILTER (WHERE best)::int AS asins, count(*)::int AS offers FROM roi_offers`);
  return {
    deleted: deleted.rowCount ?? 0,
    inserted: inserted.rowCount ?? 0,
    asins: rows[0]?.asins ?? 0,
    offers: rows[0]?.offers ?? 0,
  };
}

/** Records a run (the dashboard's "ROI updated", the ROI totals' cache generation); keeps a quarter. */
export async function record(q: Queryable, r: UpdateRecord, reason: string, day: string): Promise<void> {
  await q.query(
    `INSERT INTO roi_refreshes (started_at, finished_at, duration_ms, rows, reason, mode, day, keys, changed)
    VALUES ($1, $2, $3, $4, $5, $6, $7::date, $8, $9)`,
    [
      r.started_at,
      r.finished_at,
      r.duration_ms,
      r.rows ?? 0,
      reason,
      r.mode,
      day,
      r.keys,
      r.deleted + r.inserted,
    ],
  );
  // a row per run with changes is a few thousand a month: keep a quarter for trend analysis
  await q.query(`DELETE FROM roi_refreshes WHERE finished_at < now() - interval '90 days'`);
}

/**
 * About how many offers are stored, without a scan (this only decides the method): the planner's
 * statistics, or the count the last run recorded (`recorded`) when those lag behind (a table
 * analyzed empty).
 */
export async function estimateOffers(q: Queryable, recorded: number): Promise<number> {
  const { rows } = await q.query<{ n: number }>(
    `SELECT greatest((SELECT reltuples FROM pg_class WHERE oid = 'roi_offers'::regclass), $1, 0)::int AS n`,
    [recorded],
  );
  return rows[0]?.n ?? 0;
}

/** The offers stored after the last recorded run (a run of changes counts from it instead of scanning). */
export async function lastRows(q: Queryable): Promise<number> {
  const { rows } = await q.query<Pick<Tables['roi_refreshes'], 'rows'>>(
    'SELECT rows FROM roi_refreshes ORDER BY id DESC LIMIT 1',
  );
  return rows[0]?.rows ?? 0;
}

export type LastRefresh = Pick<
  Tables['roi_refreshes'],
  'started_at' | 'finished_at' | 'duration_ms' | 'rows'
>;

export async function lastRefresh(q: Queryable): Promise<LastRefresh | null> {
  const { rows } = await q.query<LastRefresh>(`
    SELECT started_at, finished_at, duration_ms, rows FROM roi_refreshes
    ORDER BY finished_at DESC LIMIT 1`);
  return rows[0] ?? null;
}
