import { param, type Queryable } from '../../platform/db/queryable.ts';
import type { Tables } from '../../platform/db/tables.gen.ts';

export interface LoadItem
  extends Pick<Tables['load_log'], 'status' | 'started_at' | 'finished_at' | 'duration_ms'> {
  id: number;
  type: string;
  marketplace: string;
  file: string | null;
  origin: string | null;
  rows: number | null;
  inserted: number | null;
  rejected: number | null;
  actor: string | null;
  source: string | null;
}

/** Past report loads (load_log rows of source `report:<type>:<marketplace>`), newest first. */
export async function listLoads(
  q: Queryable,
  f: { type?: string; status?: string; limit: number; offset: number },
): Promise<{ total: number; items: LoadItem[] }> {
  const params: unknown[] = [];
  const where = ["source LIKE 'report:%'"];
  if (f.type) where.push(`split_part(source, ':', 2) = ${param(params, f.type)}`);
  if (f.status) where.push(`status = ${param(params, f.status)}`);
  const cond = where.join(' AND ');
  const n = params.length;
  const [items, count] = await Promise.all([
    q.query<LoadItem>(
      `SELECT id::int AS id, split_part(source, ':', 2) AS type, split_part(source, ':', 3) AS marketplace,
             meta->>'file' AS file, meta->>'origin' AS origin, status, (meta->>'rows')::int AS rows,
             rows_inserted AS inserted, (meta->>'rejected')::int AS rejected, meta->>'actor' AS actor,
             meta->>'source' AS source, started_at, finished_at, duration_ms
      FROM load_log WHERE ${cond}
      ORDER BY started_at DESC, id DESC LIMIT $${n + 1} OFFSET $${n + 2}`,
      [...params, f.limit, f.offset],
    ),
    q.query<{ n: number }>(`SELECT count(*)::int AS n FROM load_log WHERE ${cond}`, params),
  ]);
  return { total: count.rows[0]?.n ?? 0, items: items.rows };
}

export type ReturnsSort = 'units' | 'refunds' | 'return_rate' | 'asin';

export interface ReturnsFilter {
  from: string;
  to: string;
  asin?: string;
}

export interface ReturnsItem {
  asin: string;
  title: string | null;
  returns: number;
  units_returned: number;
  refund_amount: number | null;
  reimbursed_amount: number | null;
  units_sold: number;
  return_rate: number | null;
  top_reason: string | null;
}

const SORTS: Record<ReturnsSort, string> = {
  units: 'units_returned DESC, asin',
  refunds: 'refund_amount DESC NULLS LAST, asin',
  return_rate: 'return_rate DESC NULLS LAST, asin',
  asin: 'asin',
};

/**
 * Per ASIN over [from, to] (UTC days): returns and returned units, refunds, reimbursements, units sold
 * (ledger shipments) and the return rate. Shared by the page and the summary; its parameters go to
 * `params`.
 */
function perAsin(params: unknown[], f: ReturnsFilter): string {
  const from = param(params, f.from);
  const to = param(params, f.to);
  const asin = f.asin ? `AND asin = ${param(params, f.asin)}` : '';
  return `
    WITH r AS (
      SELECT asin, count(*)::int AS returns, sum(quantity)::int AS units_returned,
             sum(refund_amount)::float8 AS refund_amount,
             mode() WITHIN GROUP (ORDER BY reason) AS top_reason
      FROM returns_raw
      WHERE asin IS NOT NULL AND return_date >= ${from}::date AND return_date < ${to}::date + 1 ${asin}
      GROUP BY asin),
    m AS (
      SELECT asin, sum(amount_total)::float8 AS reimbursed_amount FROM reimbursements_raw
      WHERE asin IN (SELECT asin FROM r)
        AND approval_date >= ${from}::date AND approval_date < ${to}::date + 1
      GROUP BY asin),
    s AS (
      SELECT asin, sum(units)::int AS units_sold FROM sales_daily
      WHERE asin IN (SELECT asin FROM r) AND day BETWEEN ${from}::date AND ${to}::date
      GROUP BY asin)
    SELECT r.asin, p.title, r.returns, r.units_returned, r.refund_amount, m.reimbursed_amount,
           coalesce(s.units_sold, 0) AS units_sold,
           round(r.units_returned::numeric / nullif(s.units_sold, 0), 4)::float8 AS return_rate, r.top_reason
    FROM r LEFT JOIN m USING (asin) LEFT JOIN s USING (asin) LEFT JOIN products p ON p.asin = r.asin`;
}

export async function returnsPage(
  q: Queryable,
  f: ReturnsFilter,
  sort: ReturnsSort,
  limit: number,
  offset: number,
): Promise<ReturnsItem[]> {
  const params: unknown[] = [];
  const text = `SELECT * FROM (${perAsin(params, f)}) x ORDER BY ${SORTS[sort]}
    LIMIT ${param(params, limit)} OFFSET ${param(params, offset)}`;
  const { rows } = await q.query<ReturnsItem>(text, params);
  return rows;
}

/** The window's totals over every ASIN: the items' figures summed, the rate over the sums. */
export type ReturnsSummary = Omit<ReturnsItem, 'asin' | 'title' | 'top_reason'> & { asins: number };

export async function returnsSummary(q: Queryable, f: ReturnsFilter): Promise<ReturnsSummary> {
  const params: unknown[] = [];
  const { rows } = await q.query<ReturnsSummary>(
    `SELECT count(*)::int AS asins, coalesce(sum(returns), 0)::int AS returns,
           coalesce(sum(units_returned), 0)::int AS units_returned, sum(refund_amount)::float8 AS refund_amount,
           sum(reimbursed_amount)::float8 AS reimbursed_amount, coalesce(sum(units_sold), 0)::int AS units_sold,
           round(sum(units_returned)::numeric / nullif(sum(units_sold), 0), 4)::float8 AS return_rate
    FROM (${perAsin(params, f)}) x`,
    params,
  );
  return rows[0]!;
}

export type ListingRef = Pick<Tables['listings'], 'sku' | 'asin' | 'status'>;

/** The seller's listings (listings report / SP-API) with this SKU, exactly as written. */
export async function listingsBySku(q: Queryable, marketplace: string, sku: string): Promise<ListingRef[]> {
  const { rows } = await q.query<ListingRef>(
    'SELECT sku, asin, status FROM listings WHERE marketplace = $1 AND sku = $2',
    [marketplace, sku],
  );
  return rows;
}

/** The listings of these ASINs, active ones first, then by SKU. */
export async function listingsOfAsins(
  q: Queryable,
  marketplace: string,
  asins: string[],
): Promise<ListingRef[]> {
  const { rows } = await q.query<ListingRef>(
    `SELECT sku, asin, status FROM listings WHERE marketplace = $1 AND asin = ANY($2::text[])
    ORDER BY asin, (status = 'active') DESC, sku`,
    [marketplace, asins],
  );
  return rows;
}
