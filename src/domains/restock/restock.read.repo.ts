import type { Queryable } from '../../platform/db/queryable.ts';
import type { Tables } from '../../platform/db/tables.gen.ts';

export const LINE_SORTS = [
  'days_to_stockout',
  'qty',
  'line_cost',
  'sku',
  'vendor',
  'demand',
  'days_of_cover',
] as const;
export type LineSort = (typeof LINE_SORTS)[number];
/**
 * A line's state at a glance: `stockout` = the stock position lasts fewer days than the lead time
 * (it runs out before an order placed today could arrive); `below_rop` = at or under the reorder
 * point; `ok`; `no_demand` = no sales to plan on.
 */
export const LINE_FLAGS = ['stockout', 'below_rop', 'ok', 'no_demand'] as const;
export type LineFlag = (typeof LINE_FLAGS)[number];
const FLAG_SQL = `CASE WHEN l.demand = 0 THEN 'no_demand'
  WHEN l.days_to_stockout < l.lead_time_days THEN 'stockout'
  WHEN l.position <= l.reorder_point THEN 'below_rop' ELSE 'ok' END`;
export type Order = 'asc' | 'desc';

type PlanCount = 'skus' | 'order_lines' | 'units' | 'no_sales' | 'new_skus' | 'overstock' | 'no_vendor';

/**
 * The table's row, with its jsonb columns as restock.service.ts writes them. Plans saved by earlier
 * versions named some settings differently, so every setting is optional.
 */
export type PlanRow = Omit<Tables['restock_plans'], 'params' | 'counts'> & {
  params: {
    transit_days?: number;
    cover_days?: number;
    service_level?: number;
    z?: number;
    review_days?: number;
    window?: { from: string; to: string };
    [key: string]: unknown;
  };
  counts: Record<PlanCount, number>;
};
const PLAN_COLUMNS = `id, marketplace::text AS marketplace, week, run_id, params, counts, total_units,
  total_cost::text AS total_cost, currency::text AS currency, csv_key, created_at, updated_at`;

// Demand figures are rounded when stored, so float8 shows them exactly; money stays text (exact).
const LINE_COLUMNS = `sku, asin, vendor_id, vendor_name, vendor_sku, demand::float8 AS demand, sigma::float8 AS sigma,
  lead_time_days, safety_stock::float8 AS safety_stock, reorder_point::float8 AS reorder_point,
  order_up_to::float8 AS order_up_to, on_hand, inbound, on_order, position, qty, case_pack, moq,
  unit_cost::text AS unit_cost, line_cost::text AS line_cost, days_of_cover::float8 AS days_of_cover,
  days_to_stockout::float8 AS days_to_stockout, overstock, history_days, in_stock_days, reason,
  ${FLAG_SQL} AS flag`;

// Each order matches an index of 0012 (plan_id, <column>, sku), partial on qty > 0 for order_only;
// the sku tie-break follows the direction so one index scan serves both ways. Columns are qualified
// (l.): a bare name would sort the text-cast output column ("840.0000" after "1000.0000"). NULLs
// (no vendor, no demand) come last ascending and first descending, as the index stores them.
const ORDER_BY: Record<LineSort, Record<Order, string>> = {
  qty: { asc: 'l.qty, l.sku', desc: 'l.qty DESC, l.sku DESC' },
  line_cost: { asc: 'l.line_cost, l.sku', desc: 'l.line_cost DESC, l.sku DESC' },
  days_to_stockout: { asc: 'l.days_to_stockout, l.sku', desc: 'l.days_to_stockout DESC, l.sku DESC' },
  sku: { asc: 'l.sku', desc: 'l.sku DESC' },
  // these three are served by the indexes of 0018
  vendor: { asc: 'l.vendor_name, l.sku', desc: 'l.vendor_name DESC, l.sku DESC' },
  demand: { asc: 'l.demand, l.sku', desc: 'l.demand DESC, l.sku DESC' },
  days_of_cover: { asc: 'l.days_of_cover, l.sku', desc: 'l.days_of_cover DESC, l.sku DESC' },
};

export interface LineFilter {
  orderOnly: boolean;
  flag?: LineFlag;
  vendorId?: number;
}

/** The WHERE of a plan's lines ($1 = plan id); filters are bound from $4 on, after limit and offset. */
function lineWhere(f: LineFilter, first: number): { sql: string; args: unknown[] } {
  const where = ['l.plan_id = $1'];
  const args: unknown[] = [];
  if (f.orderOnly) where.push('l.qty > 0');
  if (f.flag) {
    args.push(f.flag);
    where.push(`(${FLAG_SQL}) = $${first + args.length - 1}`);
  }
  if (f.vendorId !== undefined) {
    args.push(f.vendorId);
    where.push(`l.vendor_id = $${first + args.length - 1}`);
  }
  return { sql: where.join(' AND '), args };
}

export async function listPlans(q: Queryable, limit: number, offset: number) {
  const [items, total] = await Promise.all([
    q.query<PlanRow>(
      `SELECT ${PLAN_COLUMNS} FROM restock_plans ORDER BY created_at DESC, id DESC LIMIT $1 OFFSET $2`,
      [limit, offset],
    ),
    q.query<{ n: number }>('SELECT count(*)::int AS n FROM restock_plans'),
  ]);
  return { total: total.rows[0]!.n, items: items.rows };
}

export async function getPlan(q: Queryable, id: number) {
  const { rows } = await q.query<PlanRow>(`SELECT ${PLAN_COLUMNS} FROM restock_plans WHERE id = $1`, [id]);
  return rows[0];
}

export function linesQuery(f: LineFilter | boolean, sort: LineSort, order: Order): string {
  const filter = typeof f === 'boolean' ? { orderOnly: f } : f;
  return `SELECT ${LINE_COLUMNS} FROM restock_plan_lines l WHERE ${lineWhere(filter, 4).sql}
          ORDER BY ${ORDER_BY[sort][order]} LIMIT $2 OFFSET $3`;
}

export async function planLines(
  db: Queryable,
  id: number,
  q: LineFilter & { sort: LineSort; order: Order; limit: number; offset: number },
) {
  const page = lineWhere(q, 4);
  const count = lineWhere(q, 2);
  const [items, total] = await Promise.all([
    db.query(linesQuery(q, q.sort, q.order), [id, q.limit, q.offset, ...page.args]),
    db.query<{ n: number }>(`SELECT count(*)::int AS n FROM restock_plan_lines l WHERE ${count.sql}`, [
      id,
      ...count.args,
    ]),
  ]);
  return { total: total.rows[0]!.n, items: items.rows };
}

/**
 * What is outstanding on open purchase orders now, per SKU of the page: the plan's own on_order is
 * as of its computation, so an order placed from the plan shows here at once.
 */
export async function onOrderNow(q: Queryable, marketplace: string, skus: readonly string[]) {
  if (skus.length === 0) return new Map<string, { units: number; po_ids: number[] }>();
  const { rows } = await q.query<{ sku: string; units: number; po_ids: number[] }>(
    `SELECT l.sku, sum(l.qty - l.received_qty)::int AS units, array_agg(DISTINCT p.id ORDER BY p.id) AS po_ids
     FROM purchase_order_lines l JOIN purchase_orders p ON p.id = l.po_id
     WHERE p.status = 'open' AND p.marketplace = $1 AND l.sku = ANY($2::text[])
     GROUP BY l.sku`,
    [marketplace, skus],
  );
  return new Map(rows.map((r) => [r.sku, { units: r.units, po_ids: r.po_ids.map(Number) }]));
}

/** The plan's lines for the given SKUs (placing orders from a plan), with their vendor and pack. */
export async function linesBySku(q: Queryable, id: number, skus: readonly string[]) {
  const { rows } = await q.query(
    `SELECT ${LINE_COLUMNS} FROM restock_plan_lines l WHERE l.plan_id = $1 AND l.sku = ANY($2::text[])`,
    [id, skus],
  );
  return rows as PlanLineRow[];
}

/** Every line that orders something (placing orders for all of them). */
export async function orderLines(q: Queryable, id: number) {
  const { rows } = await q.query(
    `SELECT ${LINE_COLUMNS} FROM restock_plan_lines l WHERE l.plan_id = $1 AND l.qty > 0 ORDER BY l.sku`,
    [id],
  );
  return rows as PlanLineRow[];
}

export interface PlanLineRow {
  sku: string;
  asin: string | null;
  vendor_id: number | null;
  vendor_name: string | null;
  vendor_sku: string | null;
  qty: number;
  case_pack: number;
  moq: number;
  unit_cost: string | null;
}
