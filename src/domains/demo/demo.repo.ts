import type { Queryable } from '../../platform/db/queryable.ts';

/**
 * The demo's reads: whose data the database holds, and what a load left there. The demo owns no
 * table: its writes go through the owning domains' services (market.load.ts, ops.ts, the importers).
 */

/** Vendors whose names are not in `names`: a real business's data the demo must not mix with. */
export async function otherVendors(q: Queryable, names: readonly string[]): Promise<string[]> {
  const { rows } = await q.query<{ name: string }>(
    `SELECT name FROM vendors WHERE lower(name) <> ALL (SELECT lower(n) FROM unnest($1::text[]) n)
     ORDER BY lower(name) LIMIT 20`,
    [names],
  );
  return rows.map((r) => r.name);
}

export interface DemoCounts {
  vendors: number;
  products: number;
  offers: number;
  listings: number;
  buybox_points: number;
  metric_points: number;
  fees: number;
  lanes: number;
  fx_rates: number;
  shipment_days: number;
  units_shipped: number;
  returns: number;
  reimbursements: number;
  settlements: number;
  settlement_lines: number;
  roi_offers: number;
  roi_with_figures: number;
  roi_with_returns_allowance: number;
  repricer_rules: number;
  open_purchase_orders: number;
}

/** What the database holds after the demo, for the summary (whole tables: the demo owns them). */
export async function counts(q: Queryable, marketplace: string): Promise<DemoCounts> {
  const { rows } = await q.query<DemoCounts>(
    `SELECT (SELECT count(*) FROM vendors)::int AS vendors,
            (SELECT count(*) FROM products)::int AS products,
            (SELECT count(*) FROM vendor_prices)::int AS offers,
            (SELECT count(*) FROM listings WHERE marketplace = $1 AND status = 'active')::int AS listings,
            (SELECT count(*) FROM buybox_history WHERE marketplace = $1)::int AS buybox_points,
            (SELECT count(*) FROM product_metrics WHERE marketplace = $1)::int AS metric_points,
            (SELECT count(*) FROM fees WHERE marketplace = $1)::int AS fees,
            (SELECT count(*) FROM logistics_rates)::int AS lanes,
            (SELECT count(*) FROM fx_rates)::int AS fx_rates,
            (SELECT count(DISTINCT day) FROM sales_daily)::int AS shipment_days,
            (SELECT coalesce(sum(units), 0) FROM sales_daily)::int AS units_shipped,
            (SELECT count(*) FROM returns_raw WHERE marketplace = $1)::int AS returns,
            (SELECT count(*) FROM reimbursements_raw WHERE marketplace = $1)::int AS reimbursements,
            (SELECT count(*) FROM settlements)::int AS settlements,
            (SELECT count(*) FROM settlement_lines_raw)::int AS settlement_lines,
            (SELECT count(*) FROM roi_offers)::int AS roi_offers,
            (SELECT count(*) FROM roi_offers WHERE roi_pct IS NOT NULL)::int AS roi_with_figures,
            (SELECT count(*) FROM roi_offers WHERE returns_allowance > 0)::int AS roi_with_returns_allowance,
            (SELECT count(*) FROM repricer_rules WHERE marketplace = $1)::int AS repricer_rules,
            (SELECT count(*) FROM purchase_orders WHERE marketplace = $1 AND status = 'open')::int
              AS open_purchase_orders`,
    [marketplace],
  );
  return rows[0]!;
}

export async function purchaseOrderExists(q: Queryable, reference: string): Promise<boolean> {
  const { rows } = await q.query('SELECT 1 FROM purchase_orders WHERE reference = $1 LIMIT 1', [reference]);
  return rows.length > 0;
}

export async function vendorId(q: Queryable, name: string): Promise<number> {
  const { rows } = await q.query<{ id: number }>(
    'SELECT id::int AS id FROM vendors WHERE lower(name) = lower($1)',
    [name],
  );
  if (!rows[0]) throw new Error(`demo vendor ${name} is missing`);
  return rows[0].id;
}

export interface RepricerLogSummary {
  /** How many decisions of the latest run each guard stepped in on. */
  guards: Record<string, number>;
  /** Decisions of that run under the `hold` strategy (kept at their price by rule). */
  held: number;
}

/** The latest repricer run's log, by guard. */
export async function repricerLogSummary(q: Queryable, marketplace: string): Promise<RepricerLogSummary> {
  const { rows } = await q.query<{ guard: string | null; n: number; held: number }>(
    `WITH run AS (
       SELECT run_id FROM repricer_log WHERE marketplace = $1 ORDER BY created_at DESC, id DESC LIMIT 1
     ), log AS (SELECT l.* FROM repricer_log l JOIN run USING (run_id))
     SELECT g AS guard, count(*)::int AS n, 0 AS held FROM log, unnest(log.guards) g GROUP BY g
     UNION ALL
     SELECT NULL, 0, count(*)::int FROM log WHERE strategy = 'hold'
     ORDER BY 1`,
    [marketplace],
  );
  const guards: Record<string, number> = {};
  let held = 0;
  for (const r of rows) {
    if (r.guard === null) held = r.held;
    else guards[r.guard] = r.n;
  }
  return { guards, held };
}

export interface OnOrderLine {
  reference: string;
  vendor: string;
  sku: string;
  ordered: number;
  /** What the latest restock plan counted as on order for the SKU, and still asked for. */
  plan_on_order: number | null;
  plan_qty: number | null;
}

/** The demo's open orders, line by line, beside the latest restock plan's line for each SKU. */
export async function onOrderLines(
  q: Queryable,
  marketplace: string,
  prefix: string,
): Promise<OnOrderLine[]> {
  const { rows } = await q.query<OnOrderLine>(
    `SELECT p.reference, v.name AS vendor, l.sku, (l.qty - l.received_qty)::int AS ordered,
            pl.on_order AS plan_on_order, pl.qty AS plan_qty
     FROM purchase_orders p JOIN vendors v ON v.id = p.vendor_id
     JOIN purchase_order_lines l ON l.po_id = p.id
     LEFT JOIN LATERAL (
       SELECT x.on_order, x.qty FROM restock_plans rp JOIN restock_plan_lines x ON x.plan_id = rp.id
       WHERE rp.marketplace = p.marketplace AND x.sku = l.sku ORDER BY rp.updated_at DESC, rp.id DESC LIMIT 1
     ) pl ON true
     WHERE p.marketplace = $1 AND p.status = 'open' AND p.reference LIKE $2 || '%'
     ORDER BY p.reference, l.sku`,
    [marketplace, prefix],
  );
  return rows;
}
