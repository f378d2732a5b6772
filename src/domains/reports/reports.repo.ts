import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../../platform/db/pool.ts';

export interface LoadItem {
  id: number;
  type: string;
  marketplace: string;
  file: string | null;
  origin: string | null;
  status: string;
  rows: number | null;
  inserted: number | null;
  rejected: number | null;
  actor: string | null;
  source: string | null;
  started_at: Date;
  finished_at: Date | null;
  duration_ms: number | null;
}

/** Past report loads (load_log rows of source `report:<type>:<marketplace>`), newest first. */
export async function listLoads(
  db: Db,
  f: { type?: string; status?: string; limit: number; offset: number },
): Promise<{ total: number; items: LoadItem[] }> {
  const where: RawBuilder<unknown>[] = [sql`source LIKE 'report:%'`];
  if (f.type) where.push(sql`split_part(source, ':', 2) = ${f.type}`);
  if (f.status) where.push(sql`status = ${f.status}`);
  const cond = sql.join(where, sql` AND `);
  const [items, count] = await Promise.all([
    sql<LoadItem>`
      SELECT id::int AS id, split_part(source, ':', 2) AS type, split_part(source, ':', 3) AS marketplace,
             meta->>'file' AS file, meta->>'origin' AS origin, status, (meta->>'rows')::int AS rows,
             rows_inserted AS inserted, (meta->>'rejected')::int AS rejected, meta->>'actor' AS actor,
             meta->>'source' AS source, started_at, finished_at, duration_ms
      FROM load_log WHERE ${cond}
      ORDER BY started_at DESC, id DESC LIMIT ${f.limit} OFFSET ${f.offset}`.execute(db.kysely),
    sql<{ n: number }>`SELECT count(*)::int AS n FROM load_log WHERE ${cond}`.execute(db.kysely),
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
 * (ledger shipments) and the return rate. `window` is shared by the page and the summary.
 */
function perAsin(f: ReturnsFilter): RawBuilder<unknown> {
  const asin = f.asin ? sql`AND asin = ${f.asin}` : sql``;
  return sql`
    WITH r AS (
      SELECT asin, count(*)::int AS returns, sum(quantity)::int AS units_returned,
             sum(refund_amount)::float8 AS refund_amount,
             mode() WITHIN GROUP (ORDER BY reason) AS top_reason
      FROM returns_raw
      WHERE asin IS NOT NULL AND return_date >= ${f.from}::date AND return_date < ${f.to}::date + 1 ${asin}
      GROUP BY asin),
    m AS (
      SELECT asin, sum(amount_total)::float8 AS reimbursed_amount FROM reimbursements_raw
      WHERE asin IN (SELECT asin FROM r)
        AND approval_date >= ${f.from}::date AND approval_date < ${f.to}::date + 1
      GROUP BY asin),
    s AS (
      SELECT asin, sum(units)::int AS units_sold FROM sales_daily
      WHERE asin IN (SELECT asin FROM r) AND day BETWEEN ${f.from}::date AND ${f.to}::date
      GROUP BY asin)
    SELECT r.asin, p.title, r.returns, r.units_returned, r.refund_amount, m.reimbursed_amount,
           coalesce(s.units_sold, 0) AS units_sold,
           round(r.units_returned::numeric / nullif(s.units_sold, 0), 4)::float8 AS return_rate, r.top_reason
    FROM r LEFT JOIN m USING (asin) LEFT JOIN s USING (asin) LEFT JOIN products p ON p.asin = r.asin`;
}

export async function returnsPage(
  db: Db,
  f: ReturnsFilter,
  sort: ReturnsSort,
  limit: number,
  offset: number,
): Promise<ReturnsItem[]> {
  const { rows } = await sql<ReturnsItem>`
    SELECT * FROM (${perAsin(f)}) x ORDER BY ${sql.raw(SORTS[sort])} LIMIT ${limit} OFFSET ${offset}`.execute(
    db.kysely,
  );
  return rows;
}

/** The window's totals over every ASIN: the items' figures summed, the rate over the sums. */
export type ReturnsSummary = Omit<ReturnsItem, 'asin' | 'title' | 'top_reason'> & { asins: number };

export async function returnsSummary(db: Db, f: ReturnsFilter): Promise<ReturnsSummary> {
  const { rows } = await sql<ReturnsSummary>`
    SELECT count(*)::int AS asins, coalesce(sum(returns), 0)::int AS returns,
           coalesce(sum(units_returned), 0)::int AS units_returned, sum(refund_amount)::float8 AS refund_amount,
           sum(reimbursed_amount)::float8 AS reimbursed_amount, coalesce(sum(units_sold), 0)::int AS units_sold,
           round(sum(units_returned)::numeric / nullif(sum(units_sold), 0), 4)::float8 AS return_rate
    FROM (${perAsin(f)}) x`.execute(db.kysely);
  return rows[0]!;
}

export interface ListingRef {
  sku: string;
  asin: string | null;
  status: string;
}

/** The seller's listings (listings report / SP-API) with this SKU, exactly as written. */
export async function listingsBySku(db: Db, marketplace: string, sku: string): Promise<ListingRef[]> {
  const { rows } = await sql<ListingRef>`
    SELECT sku, asin, status FROM listings WHERE marketplace = ${marketplace} AND sku = ${sku}`.execute(
    db.kysely,
  );
  return rows;
}

/** The listings of these ASINs, active ones first, then by SKU. */
export async function listingsOfAsins(db: Db, marketplace: string, asins: string[]): Promise<ListingRef[]> {
  const { rows } = await sql<ListingRef>`
    SELECT sku, asin, status FROM listings WHERE marketplace = ${marketplace} AND asin = ANY(${asins}::text[])
    ORDER BY asin, (status = 'active') DESC, sku`.execute(db.kysely);
  return rows;
}
