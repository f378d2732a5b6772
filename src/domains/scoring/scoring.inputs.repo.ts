import type pg from 'pg';
import { readInBatches } from '../../platform/db/cursor.ts';
import type { ScoreInputs } from './score.ts';

/**
 * Everything the score needs, one row per ASIN that has data in the marketplace ($1): a vendor offer
 * (ROI view), metrics or buy box history. $2 is the run's "now", $3 an optional list of ASINs.
 * Windows: own sales (ledger customer shipments) over the 30 (velocity) and 90 (returns) UTC days ending today; buy box over the
 * 30 × 24 h before now, the price in force at the window's start counting from the start (a price
 * that held unchanged has no point of its own inside the window). Time-weighted moments are numeric
 * (exact sums), so the CV computed from them does not suffer float cancellation.
 * Every per-ASIN read is an index range over that ASIN's window, so a run costs in proportion to
 * ASINs × window, not to the years of history the tables keep.
 */
export function inputsSql(partial: boolean): string {
  // The ASINs with metrics or buy box history, found by skipping through the primary keys one ASIN at
  // a time (a loose index scan): DISTINCT over the tables would read every point of every year kept.
  const candidates = partial
    ? `candidates AS MATERIALIZED (
  SELECT a.asin FROM p, unnest(p.only) a(asin)
  WHERE EXISTS (SELECT 1 FROM best b WHERE b.asin = a.asin)
     OR EXISTS (SELECT 1 FROM product_metrics x WHERE x.marketplace = p.m AND x.asin = a.asin)
     OR EXISTS (SELECT 1 FROM buybox_history h WHERE h.marketplace = p.m AND h.asin = a.asin)
)`
    : `bb_asins AS (
  (SELECT h.asin FROM buybox_history h WHERE h.marketplace = $1::char(2) ORDER BY h.asin LIMIT 1)
  UNION ALL
  SELECT (SELECT h.asin FROM buybox_history h WHERE h.marketplace = $1::char(2) AND h.asin > b.asin
          ORDER BY h.asin LIMIT 1)
  FROM bb_asins b WHERE b.asin IS NOT NULL
),
pm_asins AS (
  (SELECT x.asin FROM product_metrics x WHERE x.marketplace = $1::char(2) ORDER BY x.asin LIMIT 1)
  UNION ALL
  SELECT (SELECT x.asin FROM product_metrics x WHERE x.marketplace = $1::char(2) AND x.asin > b.asin
          ORDER BY x.asin LIMIT 1)
  FROM pm_asins b WHERE b.asin IS NOT NULL
),
-- MATERIALIZED: the ASIN pattern below must filter ASINs, not be pushed down onto every history row
candidates AS MATERIALIZED (
  SELECT asin FROM best
  UNION SELECT asin FROM bb_asins WHERE asin IS NOT NULL
  UNION SELECT asin FROM pm_asins WHERE asin IS NOT NULL
)`;
  return `
WITH RECURSIVE p AS MATERIALIZED (
  SELECT $1::char(2) AS m, $2::timestamptz AS now, $2::timestamptz - interval '30 days' AS since,
         ($2::timestamptz AT TIME ZONE 'UTC')::date AS today, $3::text[] AS only
),
best AS (
  SELECT r.asin, r.roi_pct::float8 AS roi_pct, r.flags, r.vendor_name
  FROM roi_offers r, p
  WHERE r.best AND r.marketplace = p.m AND (p.only IS NULL OR r.asin = ANY(p.only))
),
${candidates},
sold AS (
  -- customer shipments straight from the ledger (its shipments index), not through the sales_daily
  -- view, whose per-SKU-and-day grouping would be sorted and grouped again here.
  -- The ledger says GB where AWA's marketplace code is UK (as in the ROI view's returns allowance).
  SELECT i.asin, coalesce(sum(-i.quantity) FILTER (WHERE i.event_date > p.today - 30), 0) AS units30,
         sum(-i.quantity) AS units90
  FROM inventory_ledger_raw i, p
  WHERE i.event_type = 'Shipments' AND i.event_date > p.today - 90 AND i.event_date <= p.today
    AND i.asin IS NOT NULL
    AND (i.country IS NULL OR i.country = p.m OR (p.m = 'UK' AND i.country = 'GB'))
    AND (p.only IS NULL OR i.asin = ANY(p.only))
  GROUP BY i.asin
),
returned AS (
  SELECT r.asin, sum(r.quantity) AS units
  FROM returns_raw r, p
  WHERE r.marketplace = p.m AND r.asin IS NOT NULL
    AND r.return_date >= (p.today - 89)::timestamp AT TIME ZONE 'UTC'
    AND r.return_date < (p.today + 1)::timestamp AT TIME ZONE 'UTC'
    AND (p.only IS NULL OR r.asin = ANY(p.only))
  GROUP BY r.asin
)
SELECT c.asin, b.asin IS NOT NULL AS has_offer, b.roi_pct, b.flags, b.vendor_name,
       coalesce(s.units30, 0)::int AS units30, coalesce(s.units90, 0)::int AS sold90,
       coalesce(rt.units, 0)::int AS returned90,
       rk.sales_rank, oc.offers_fba, oc.offers_new, oc.amazon_on_listing,
       coalesce(bb.points, 0)::int AS bb_points, bb.mean::float8 AS bb_mean, bb.mean_sq::float8 AS bb_mean_sq
FROM candidates c
CROSS JOIN p
LEFT JOIN best b ON b.asin = c.asin
LEFT JOIN sold s ON s.asin = c.asin
LEFT JOIN returned rt ON rt.asin = c.asin
-- the latest metrics row with a rank, and the latest with offer information (Keepa's points are
-- sparse: one series may change without the others); both are usually the newest row
LEFT JOIN LATERAL (
  SELECT x.sales_rank FROM product_metrics x
  WHERE x.marketplace = p.m AND x.asin = c.asin AND x.captured_at <= p.now AND x.sales_rank IS NOT NULL
  ORDER BY x.captured_at DESC LIMIT 1
) rk ON true
LEFT JOIN LATERAL (
  SELECT x.offers_fba, x.offers_new, x.amazon_on_listing FROM product_metrics x
  WHERE x.marketplace = p.m AND x.asin = c.asin AND x.captured_at <= p.now
    AND (x.offers_fba IS NOT NULL OR x.offers_new IS NOT NULL OR x.amazon_on_listing IS NOT NULL)
  ORDER BY x.captured_at DESC LIMIT 1
) oc ON true
LEFT JOIN LATERAL (
  SELECT count(*) AS points, sum(w * price) / nullif(sum(w), 0) AS mean,
         sum(w * price * price) / nullif(sum(w), 0) AS mean_sq
  FROM (
    SELECT pt.price, extract(epoch FROM coalesce(lead(pt.at) OVER (ORDER BY pt.at), p.now) - pt.at) AS w
    FROM (
      (SELECT p.since AS at, h.price FROM buybox_history h
       WHERE h.marketplace = p.m AND h.asin = c.asin AND h.captured_at <= p.since
       ORDER BY h.captured_at DESC LIMIT 1)
      UNION ALL
      SELECT h.captured_at, h.price FROM buybox_history h
      WHERE h.marketplace = p.m AND h.asin = c.asin AND h.captured_at > p.since AND h.captured_at <= p.now
    ) pt
  ) y
) bb ON true
WHERE c.asin ~ '^[A-Z0-9]{10}$'`;
}

interface InputRow {
  asin: string;
  has_offer: boolean;
  roi_pct: number | null;
  flags: string[] | null;
  vendor_name: string | null;
  units30: number;
  sold90: number;
  returned90: number;
  sales_rank: number | null;
  offers_fba: number | null;
  offers_new: number | null;
  amazon_on_listing: boolean | null;
  bb_points: number;
  bb_mean: number | null;
  bb_mean_sq: number | null;
}

function toInputs(r: InputRow): ScoreInputs {
  return {
    asin: r.asin,
    offer: r.has_offer ? { roiPct: r.roi_pct, flags: r.flags ?? [], vendor: r.vendor_name ?? '' } : null,
    units30: r.units30,
    rank: r.sales_rank,
    offersFba: r.offers_fba,
    offersNew: r.offers_new,
    amazonOnListing: r.amazon_on_listing,
    bbPoints: r.bb_points,
    bbMean: r.bb_mean,
    bbMeanSq: r.bb_mean_sq,
    sold90: r.sold90,
    returned90: r.returned90,
  };
}

/**
 * Streams the inputs in batches through a server-side cursor on a connection of its own, so memory
 * stays flat however many ASINs there are and a writer can COPY on another connection meanwhile.
 */
export async function* readInputs(
  pool: pg.Pool,
  q: { marketplace: string; now: Date; asins?: string[] },
  batchSize = 5000,
): AsyncGenerator<ScoreInputs[]> {
  const rows = readInBatches<InputRow>(
    pool,
    inputsSql(q.asins !== undefined),
    [q.marketplace, q.now.toISOString(), q.asins ?? null],
    { batch: batchSize, readAll: true },
  );
  for await (const batch of rows) yield batch.map(toInputs);
}
