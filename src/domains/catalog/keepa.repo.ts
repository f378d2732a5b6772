import type pg from 'pg';
import type { Db } from '../../platform/db/pool.ts';
import type { MetricPoint, ParsedProduct } from './keepa.parse.ts';

/** SQL of the Keepa agent. Rows go in as arrays through unnest(): one statement per table per batch. */

type Queryable = Pick<pg.PoolClient, 'query'>;

/**
 * ASINs the business cares about whose Keepa data is older than `staleBefore` (or was never fetched),
 * stalest first. The agent reads the vendor and listing tables directly: it needs every ASIN they
 * mention, and no other domain offers that list. Barcode-only vendor rows count through the ASINs
 * their barcodes map to (compared as 14-digit GTINs, as the ROI view does).
 */
export async function staleAsins(db: Db, marketplace: string, staleBefore: Date): Promise<string[]> {
  const { rows } = await db.pool.query<{ asin: string }>(
    `WITH wanted AS (
       SELECT asin FROM vendor_prices WHERE asin IS NOT NULL
       UNION
       SELECT asin FROM listings WHERE marketplace = $1 AND asin IS NOT NULL
       UNION
       SELECT pi.asin FROM vendor_prices vp
       JOIN product_identifiers pi ON lpad(pi.value, 14, '0') = lpad(vp.barcode, 14, '0')
       WHERE vp.asin IS NULL AND vp.barcode ~ '^[0-9]{8,14}$'
     )
     SELECT w.asin FROM wanted w
     LEFT JOIN keepa_fetches k ON k.marketplace = $1 AND k.asin = w.asin
     WHERE w.asin ~ '^[A-Z0-9]{10}$' AND (k.fetched_at IS NULL OR k.fetched_at < $2)
     ORDER BY k.fetched_at NULLS FIRST, w.asin`,
    [marketplace, staleBefore],
  );
  return rows.map((r) => r.asin);
}

/** The given ASINs, stalest first (an explicit list is fetched whatever its age). */
export async function orderByStaleness(db: Db, marketplace: string, asins: string[]): Promise<string[]> {
  const { rows } = await db.pool.query<{ asin: string }>(
    `SELECT a.asin FROM unnest($2::text[]) AS a(asin)
     LEFT JOIN keepa_fetches k ON k.marketplace = $1 AND k.asin = a.asin
     ORDER BY k.fetched_at NULLS FIRST, a.asin`,
    [marketplace, asins],
  );
  return rows.map((r) => r.asin);
}

export interface LastPoints {
  buybox?: number;
  metrics?: number;
}

/**
 * Newest stored point per ASIN (unix ms). Buy box points count only Keepa's own: another source's
 * later point must not hide Keepa history that is new to us.
 */
export async function lastPoints(
  q: Queryable,
  marketplace: string,
  asins: string[],
): Promise<Map<string, LastPoints>> {
  const { rows } = await q.query<{ asin: string; buybox: Date | null; metrics: Date | null }>(
    `SELECT a.asin,
            (SELECT max(h.captured_at) FROM buybox_history h
             WHERE h.marketplace = $1 AND h.asin = a.asin AND h.source = 'keepa') AS buybox,
            (SELECT max(m.captured_at) FROM product_metrics m
             WHERE m.marketplace = $1 AND m.asin = a.asin) AS metrics
     FROM unnest($2::text[]) AS a(asin)`,
    [marketplace, asins],
  );
  return new Map(
    rows.map((r) => [r.asin, { buybox: r.buybox?.getTime(), metrics: r.metrics?.getTime() }] as const),
  );
}

export type ProductRow = Pick<
  ParsedProduct,
  'asin' | 'title' | 'brand' | 'category' | 'weightKg' | 'lengthCm' | 'widthCm' | 'heightCm'
>;

/**
 * Inserts or refreshes products; a field Keepa leaves empty keeps what we had, and a product whose
 * fields did not change is not touched (its updated_at feeds the ROI view's computed_at).
 * Returns how many rows were inserted or changed.
 */
export async function upsertProducts(q: Queryable, marketplace: string, rows: ProductRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  const col = <K extends keyof ProductRow>(k: K) => rows.map((r) => r[k]);
  const r = await q.query(
    `INSERT INTO products AS p (asin, marketplace, title, brand, category, weight_kg, length_cm, width_cm, height_cm)
     SELECT u.asin, $1, u.title, u.brand, u.category, u.weight_kg, u.length_cm, u.width_cm, u.height_cm
     FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::numeric[], $7::numeric[], $8::numeric[],
                 $9::numeric[]) AS u(asin, title, brand, category, weight_kg, length_cm, width_cm, height_cm)
     ON CONFLICT (asin) DO UPDATE SET
       title = coalesce(EXCLUDED.title, p.title), brand = coalesce(EXCLUDED.brand, p.brand),
       category = coalesce(EXCLUDED.category, p.category), weight_kg = coalesce(EXCLUDED.weight_kg, p.weight_kg),
       length_cm = coalesce(EXCLUDED.length_cm, p.length_cm), width_cm = coalesce(EXCLUDED.width_cm, p.width_cm),
       height_cm = coalesce(EXCLUDED.height_cm, p.height_cm), updated_at = now()
     WHERE (p.title, p.brand, p.category, p.weight_kg, p.length_cm, p.width_cm, p.height_cm)
       IS DISTINCT FROM (coalesce(EXCLUDED.title, p.title), coalesce(EXCLUDED.brand, p.brand),
         coalesce(EXCLUDED.category, p.category), coalesce(EXCLUDED.weight_kg, p.weight_kg),
         coalesce(EXCLUDED.length_cm, p.length_cm), coalesce(EXCLUDED.width_cm, p.width_cm),
         coalesce(EXCLUDED.height_cm, p.height_cm))`,
    [
      marketplace,
      col('asin'),
      col('title'),
      col('brand'),
      col('category'),
      col('weightKg'),
      col('lengthCm'),
      col('widthCm'),
      col('heightCm'),
    ],
  );
  return r.rowCount ?? 0;
}

/** Barcode → ASIN; a barcode Keepa now lists on another ASIN moves there. Returns rows changed. */
export async function upsertIdentifiers(
  q: Queryable,
  rows: Array<{ kind: string; value: string; asin: string }>,
): Promise<number> {
  if (rows.length === 0) return 0;
  const r = await q.query(
    `INSERT INTO product_identifiers AS pi (kind, value, asin)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
     ON CONFLICT (kind, value) DO UPDATE SET asin = EXCLUDED.asin, updated_at = now()
     WHERE pi.asin IS DISTINCT FROM EXCLUDED.asin`,
    [rows.map((x) => x.kind), rows.map((x) => x.value), rows.map((x) => x.asin)],
  );
  return r.rowCount ?? 0;
}

/** `source` says where the points came from (`keepa`; the demo data set marks its own `demo`). */
export async function insertBuybox(
  q: Queryable,
  marketplace: string,
  currency: string,
  rows: Array<{ asin: string; at: number | Date; price: string }>,
  source = 'keepa',
): Promise<number> {
  if (rows.length === 0) return 0;
  const r = await q.query(
    `INSERT INTO buybox_history (marketplace, asin, captured_at, price, currency, source)
     SELECT $1, u.asin, u.at, u.price, $2, $6
     FROM unnest($3::text[], $4::timestamptz[], $5::numeric[]) AS u(asin, at, price)
     ON CONFLICT DO NOTHING`,
    [
      marketplace,
      currency,
      rows.map((x) => x.asin),
      rows.map((x) => new Date(x.at).toISOString()),
      rows.map((x) => x.price),
      source,
    ],
  );
  return r.rowCount ?? 0;
}

/** Keepa's points have no FBA offer count (it needs Keepa's paid offers data); the demo's do. */
export type MetricRow = Omit<MetricPoint, 'at'> & {
  asin: string;
  at: number | Date;
  offersFba?: number | null;
};

export async function insertMetrics(q: Queryable, marketplace: string, rows: MetricRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  const col = <K extends keyof MetricRow>(k: K) => rows.map((r) => r[k]);
  const r = await q.query(
    `INSERT INTO product_metrics (marketplace, asin, captured_at, sales_rank, offers_new, fba_price,
                                  amazon_on_listing, rating, reviews, offers_fba)
     SELECT $1, u.* FROM unnest($2::text[], $3::timestamptz[], $4::int[], $5::int[], $6::numeric[], $7::bool[],
                                $8::numeric[], $9::int[], $10::int[])
       AS u(asin, at, sales_rank, offers_new, fba_price, amazon_on_listing, rating, reviews, offers_fba)
     ON CONFLICT DO NOTHING`,
    [
      marketplace,
      col('asin'),
      rows.map((x) => new Date(x.at).toISOString()),
      col('salesRank'),
      col('offersNew'),
      col('fbaPrice'),
      col('amazonOnListing'),
      col('rating'),
      col('reviews'),
      rows.map((x) => x.offersFba ?? null),
    ],
  );
  return r.rowCount ?? 0;
}

export async function markFetched(
  q: Queryable,
  marketplace: string,
  at: Date,
  rows: Array<{ asin: string; status: 'ok' | 'unknown' | 'invalid'; error: string | null }>,
): Promise<void> {
  if (rows.length === 0) return;
  await q.query(
    `INSERT INTO keepa_fetches (marketplace, asin, fetched_at, status, error)
     SELECT $1, u.asin, $2, u.status, u.error FROM unnest($3::text[], $4::text[], $5::text[]) AS u(asin, status, error)
     ON CONFLICT (marketplace, asin) DO UPDATE
       SET fetched_at = EXCLUDED.fetched_at, status = EXCLUDED.status, error = EXCLUDED.error`,
    [marketplace, at, rows.map((x) => x.asin), rows.map((x) => x.status), rows.map((x) => x.error)],
  );
}
