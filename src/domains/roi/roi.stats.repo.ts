import type { Queryable } from '../../platform/db/queryable.ts';
import type { Tables } from '../../platform/db/tables.gen.ts';

export interface KpiRow {
  products: number;
  vendors: number;
  offers: number;
  asins: number;
  asins_roi_good: number;
  flagged_offers: number;
  avg_roi: number | null;
  median_roi: number | null;
}

/** Headline counts; averages and medians are over best offers (one per ASIN) that have an ROI. */
export async function kpi(q: Queryable, goodRoi: number): Promise<KpiRow> {
  const { rows } = await q.query<KpiRow>(
    `
    SELECT (SELECT count(*) FROM products) AS products,
           (SELECT count(*) FROM vendors) AS vendors,
           count(*) AS offers,
           count(*) FILTER (WHERE best) AS asins,
           count(*) FILTER (WHERE best AND roi_pct >= $1) AS asins_roi_good,
           count(*) FILTER (WHERE cardinality(flags) > 0) AS flagged_offers,
           round(avg(roi_pct) FILTER (WHERE best), 1)::float8 AS avg_roi,
           round(
             (percentile_cont(0.5) WITHIN GROUP (ORDER BY roi_pct) FILTER (WHERE best))::numeric, 1
           )::float8 AS median_roi
    FROM roi_offers`,
    [goodRoi],
  );
  return rows[0]!;
}

/** Offers carrying each flag (an offer with two flags counts under both). */
export async function flagCounts(q: Queryable): Promise<Map<string, number>> {
  const { rows } = await q.query<{ flag: string; n: number }>(
    'SELECT flag, count(*) AS n FROM roi_offers, unnest(flags) AS flag GROUP BY flag',
  );
  return new Map(rows.map((r) => [r.flag, r.n]));
}

export interface VendorRoiRow extends Pick<Tables['roi_offers'], 'vendor_id' | 'vendor_name'> {
  offers: number;
  asins: number;
  avg_roi: number | null;
  median_roi: number | null;
  share_roi_good: number;
  flagged: number;
}

/** Every offer of a vendor counts (not only best ones): this judges the vendor's whole catalogue. */
export async function roiByVendor(q: Queryable, goodRoi: number): Promise<VendorRoiRow[]> {
  const { rows } = await q.query<VendorRoiRow>(
    `
    SELECT vendor_id, vendor_name, count(*) AS offers, count(DISTINCT asin) AS asins,
           round(avg(roi_pct), 1)::float8 AS avg_roi,
           round((percentile_cont(0.5) WITHIN GROUP (ORDER BY roi_pct))::numeric, 1)::float8 AS median_roi,
           round(count(*) FILTER (WHERE roi_pct >= $1)::numeric / count(*), 4)::float8
             AS share_roi_good,
           count(*) FILTER (WHERE cardinality(flags) > 0) AS flagged
    FROM roi_offers
    GROUP BY vendor_id, vendor_name
    ORDER BY avg_roi DESC NULLS LAST, vendor_id`,
    [goodRoi],
  );
  return rows;
}
