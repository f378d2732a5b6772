import type { Db } from '../../platform/db/pool.ts';

export type LineSort = 'qty' | 'line_cost' | 'days_to_stockout' | 'sku';
export type Order = 'asc' | 'desc';

const PLAN_COLUMNS = `id, marketplace::text AS marketplace, week, run_id, params, counts, total_units,
  total_cost::text AS total_cost, currency::text AS currency, csv_key, created_at, updated_at`;

// Demand figures are rounded when stored, so float8 shows them exactly; money stays text (exact).
const LINE_COLUMNS = `sku, asin, vendor_id, vendor_name, vendor_sku, demand::float8 AS demand, sigma::float8 AS sigma,
  lead_time_days, safety_stock::float8 AS safety_stock, reorder_point::float8 AS reorder_point,
  order_up_to::float8 AS order_up_to, on_hand, inbound, on_order, position, qty, case_pack, moq,
  unit_cost::text AS unit_cost, line_cost::text AS line_cost, days_of_cover::float8 AS days_of_cover,
  days_to_stockout::float8 AS days_to_stockout, overstock, history_days, in_stock_days, reason`;

// Each order matches an index of 0012 (plan_id, <column>, sku), partial on qty > 0 for order_only;
// the sku tie-break follows the direction so one index scan serves both ways. Columns are qualified
// (l.): a bare name would sort the text-cast output column ("840.0000" after "1000.0000"). NULLs
// (no vendor, no demand) come last ascending and first descending, as the index stores them.
const ORDER_BY: Record<LineSort, Record<Order, string>> = {
  qty: { asc: 'l.qty, l.sku', desc: 'l.qty DESC, l.sku DESC' },
  line_cost: { asc: 'l.line_cost, l.sku', desc: 'l.line_cost DESC, l.sku DESC' },
  days_to_stockout: { asc: 'l.days_to_stockout, l.sku', desc: 'l.days_to_stockout DESC, l.sku DESC' },
  sku: { asc: 'l.sku', desc: 'l.sku DESC' },
};

export async function listPlans(db: Db, limit: number, offset: number) {
  const [items, total] = await Promise.all([
    db.pool.query(
      `SELECT ${PLAN_COLUMNS} FROM restock_plans ORDER BY created_at DESC, id DESC LIMIT $1 OFFSET $2`,
      [limit, offset],
    ),
    db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM restock_plans'),
  ]);
  return { total: total.rows[0]!.n, items: items.rows };
}

export async function getPlan(db: Db, id: number) {
  const { rows } = await db.pool.query(`SELECT ${PLAN_COLUMNS} FROM restock_plans WHERE id = $1`, [id]);
  return rows[0] as ({ csv_key: string } & Record<string, unknown>) | undefined;
}

export function linesQuery(orderOnly: boolean, sort: LineSort, order: Order): string {
  return `SELECT ${LINE_COLUMNS} FROM restock_plan_lines l WHERE l.plan_id = $1 ${orderOnly ? 'AND l.qty > 0' : ''}
          ORDER BY ${ORDER_BY[sort][order]} LIMIT $2 OFFSET $3`;
}

export async function planLines(
  db: Db,
  id: number,
  q: { orderOnly: boolean; sort: LineSort; order: Order; limit: number; offset: number },
) {
  const [items, total] = await Promise.all([
    db.pool.query(linesQuery(q.orderOnly, q.sort, q.order), [id, q.limit, q.offset]),
    db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM restock_plan_lines WHERE plan_id = $1 ${q.orderOnly ? 'AND qty > 0' : ''}`,
      [id],
    ),
  ]);
  return { total: total.rows[0]!.n, items: items.rows };
}
