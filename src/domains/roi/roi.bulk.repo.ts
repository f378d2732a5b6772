import { sql } from 'kysely';
import type { Db } from '../../platform/db/pool.ts';
import { type RoiFilter, whereOf } from './roi.repo.ts';

/** SQL of the decisions taken on everything a /roi filter matches ("select all N matching"). */

// The products a filter matches: ASINs of matching offers that have a product record (only those
// carry a decision), each once however many of its offers match. "Has a record" is read from the
// view (product_status is NULL without one), which spares a join over every matching ASIN
// (counting 200k matches: 50 ms instead of 250 ms); a product recorded since the last refresh
// counts from the next one, for the count and the approval alike.
const matchingAsins = (f: RoiFilter) =>
  sql`SELECT r.asin FROM roi_offers r WHERE ${whereOf(f)} AND r.product_status IS NOT NULL`;

export async function countProducts(db: Db, f: RoiFilter): Promise<number> {
  // best offers are one per ASIN: no DISTINCT needed
  const what = f.bestOnly ? sql`count(*)` : sql`count(DISTINCT r.asin)`;
  const { rows } = await sql<{ n: number }>`
    SELECT ${what} AS n FROM roi_offers r WHERE ${whereOf(f)} AND r.product_status IS NOT NULL`.execute(
    db.kysely,
  );
  return rows[0]?.n ?? 0;
}

/**
 * Sets the decision on every product the filter matches, but only if they are `expected` many (the
 * number the user confirmed); a dry run only counts them. One statement: the count and the update
 * see the same snapshot, so exactly the counted products change, or none. Rows are locked in ASIN
 * order, so two bulk decisions at once queue instead of deadlocking.
 */
export async function setStatusWhere(
  db: Db,
  f: RoiFilter,
  d: { status: string; by: string; at: Date; dryRun: boolean },
  expected: number,
): Promise<{ matched: number; updated: number }> {
  if (d.dryRun) {
    // counting needs no row locks (each is a write to the row)
    const { rows } = await sql<{ n: number }>`
      SELECT count(*) AS n FROM products p WHERE p.asin IN (${matchingAsins(f)})`.execute(db.kysely);
    return { matched: rows[0]?.n ?? 0, updated: 0 };
  }
  const { rows } = await sql<{ matched: number; updated: number }>`
    WITH m AS (SELECT p.asin FROM products p WHERE p.asin IN (${matchingAsins(f)}) ORDER BY p.asin FOR UPDATE),
    c AS (SELECT count(*) AS n FROM m),
    u AS (
      UPDATE products p SET status = ${d.status}, approved_by = ${d.by}, approved_at = ${d.at}, updated_at = ${d.at}
      FROM c WHERE p.asin IN (SELECT asin FROM m) AND c.n = ${expected}
      RETURNING 1
    )
    SELECT (SELECT n FROM c) AS matched, (SELECT count(*) FROM u) AS updated`.execute(db.kysely);
  return rows[0] ?? { matched: 0, updated: 0 };
}
