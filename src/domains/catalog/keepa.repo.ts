import type { Queryable } from '../../platform/db/queryable.ts';

/**
 * SQL of the Keepa agent: what to fetch and what was fetched. What it learns goes through the
 * catalogue's writers (products.repo.ts), which other sources share.
 */

/**
 * ASINs the business cares about whose Keepa data is older than `staleBefore` (or was never fetched),
 * stalest first. The agent reads the vendor and listing tables directly: it needs every ASIN they
 * mention, and no other domain offers that list. Barcode-only vendor rows count through the ASINs
 * their barcodes map to (compared as 14-digit GTINs, as the ROI view does).
 */
export async function staleAsins(q: Queryable, marketplace: string, staleBefore: Date): Promise<string[]> {
  const { rows } = await q.query<{ asin: string }>(
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
export async function orderByStaleness(
  q: Queryable,
  marketplace: string,
  asins: string[],
): Promise<string[]> {
  const { rows } = await q.query<{ asin: string }>(
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
 * Newest stored point per ASIN (unix ms). Only Keepa's own points count: another source's later point
 * (an offer notification's) must not hide Keepa history that is new to us.
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
             WHERE m.marketplace = $1 AND m.asin = a.asin AND m.source = 'keepa') AS metrics
     FROM unnest($2::text[]) AS a(asin)`,
    [marketplace, asins],
  );
  return new Map(
    rows.map((r) => [r.asin, { buybox: r.buybox?.getTime(), metrics: r.metrics?.getTime() }] as const),
  );
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
