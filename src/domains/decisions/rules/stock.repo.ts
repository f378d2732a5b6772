import { action, CANDIDATE_COLUMNS, num, OPEN_SKU, type Rule, why } from './rule.ts';

/**
 * reorder: one task per vendor and marketplace with the lines the newest restock plan orders from it
 * (qty > 0), less SKUs a purchase order placed since the plan already covers. Critical once a line
 * would run out before a reorder could arrive: its last day to order in time (stock-out less lead
 * time) has come. On the plan's day that is days to stock-out ≤ lead time; counted from the plan's
 * figures and the clock, a weekly plan's task also turns critical on the day it gets late, not only
 * at next week's plan. Due on that last day for the first line. Its default action places the order.
 */
export const reorder: Rule = {
  type: 'reorder',
  async collect(c, { now }) {
    await c.query(
      `WITH latest AS (
         SELECT DISTINCT ON (marketplace) id, marketplace, currency, updated_at FROM restock_plans
         ORDER BY marketplace, updated_at DESC, id DESC),
       lines AS (
         SELECT p.marketplace, p.currency, p.updated_at AS plan_at, l.*,
                p.updated_at + l.days_to_stockout * interval '1 day' AS stockout_at,
                p.updated_at + (l.days_to_stockout - l.lead_time_days) * interval '1 day' AS order_by
         FROM latest p JOIN restock_plan_lines l ON l.plan_id = p.id
         WHERE l.qty > 0 AND l.vendor_id IS NOT NULL
           AND NOT EXISTS (
             SELECT 1 FROM purchase_orders po JOIN purchase_order_lines pl ON pl.po_id = po.id
             WHERE po.status = 'open' AND po.marketplace = p.marketplace AND po.created_at > p.updated_at
               AND pl.sku = l.sku)),
       per_vendor AS (
         SELECT marketplace, vendor_id, max(vendor_name) AS plan_vendor_name, plan_id, currency, max(plan_at) AS plan_at,
                count(*) AS n, sum(qty) AS units, sum(line_cost) AS cost, min(stockout_at) AS first_stockout,
                count(*) FILTER (WHERE order_by <= $1) AS late, min(order_by) AS order_by,
                jsonb_agg(jsonb_build_object(
                  'sku', sku, 'asin', asin, 'vendor_sku', vendor_sku, 'qty', qty, 'unit_cost', unit_cost,
                  'line_cost', line_cost, 'days_to_stockout', days_to_stockout, 'stockout_at', stockout_at,
                  'lead_time_days', lead_time_days, 'reason', reason) ORDER BY days_to_stockout NULLS LAST, sku) AS lines,
                jsonb_agg(jsonb_build_object('sku', sku, 'asin', asin, 'qty', qty, 'unit_cost', unit_cost)
                          ORDER BY sku) AS po_lines
         FROM lines GROUP BY marketplace, vendor_id, plan_id, currency),
       -- the vendor's name as it is now (the plan keeps the one of its day)
       named AS (SELECT p.*, v.name AS vendor_name FROM per_vendor p LEFT JOIN vendors v ON v.id = p.vendor_id)
       ${CANDIDATE_COLUMNS}
       SELECT 'reorder', 'reorder:' || marketplace || ':' || vendor_id,
              CASE WHEN late > 0 THEN 'critical' ELSE 'warning' END,
              'Reorder ' || n || CASE WHEN n = 1 THEN ' SKU' ELSE ' SKUs' END || ' from '
                || coalesce(vendor_name, plan_vendor_name, 'vendor ' || vendor_id) || ' (' || units || ' units)',
              jsonb_build_array(${why(
                'reorder_point',
                `n || ' at or below their reorder point' || coalesce(', first stock-out ' || to_char(first_stockout, 'YYYY-MM-DD'), '')`,
                'skus',
                'n',
                'NULL',
              )}) || CASE WHEN late > 0 THEN jsonb_build_array(${why(
                'stockout_before_arrival',
                `late || ' run out before a reorder could arrive'`,
                'skus_late',
                'late',
                '0',
              )}) ELSE '[]'::jsonb END,
              jsonb_build_object('vendor_id', vendor_id, 'plan_id', plan_id),
              jsonb_build_object('default', ${action(
                'create_po',
                `'Place the purchase order'`,
                `jsonb_build_object('vendor_id', vendor_id, 'marketplace', marketplace, 'plan_id', plan_id, 'lines', po_lines)`,
              )}, 'alternatives', jsonb_build_array(${action(
                'open',
                `'Open the restock plan'`,
                `jsonb_build_object('page', 'restock', 'plan_id', plan_id)`,
              )})),
              jsonb_build_object('lines', lines, 'units', units, 'cost', cost, 'currency', currency),
              marketplace, NULL, NULL, vendor_id, coalesce(order_by, plan_at + interval '7 days'), NULL
       FROM named`,
      [now],
    );
  },
};

/**
 * returns_spike: a SKU's returns per unit shipped over the last 30 days is above max(rate_pct,
 * trailing_factor × its rate over the 90 days before), with at least `min_returns` returned and
 * `min_shipped` shipped (customer shipments from the inventory ledger). Critical at twice that limit.
 */
export const returnsSpike: Rule = {
  type: 'returns_spike',
  async collect(c, { now, t }) {
    await c.query(
      `WITH r AS (
         SELECT marketplace, sku, max(asin) AS asin,
                coalesce(sum(quantity) FILTER (WHERE return_date > $1::timestamptz - interval '30 days'), 0) AS r30,
                coalesce(sum(quantity) FILTER (WHERE return_date <= $1::timestamptz - interval '30 days'), 0) AS r90
         FROM returns_raw
         WHERE return_date > $1::timestamptz - interval '120 days' AND return_date <= $1 AND sku <> ''
         GROUP BY marketplace, sku
         HAVING coalesce(sum(quantity) FILTER (WHERE return_date > $1::timestamptz - interval '30 days'), 0) >= $2),
       s AS (
         SELECT msku AS sku,
                coalesce(sum(-quantity) FILTER (WHERE event_date > ($1::timestamptz - interval '30 days')::date), 0) AS s30,
                coalesce(sum(-quantity) FILTER (WHERE event_date <= ($1::timestamptz - interval '30 days')::date), 0) AS s90
         FROM inventory_ledger_raw
         WHERE event_type = 'Shipments' AND event_date > ($1::timestamptz - interval '120 days')::date
           AND event_date <= $1::date AND msku IN (SELECT sku FROM r)
         GROUP BY msku),
       rates AS (
         SELECT r.*, s.s30, s.s90, 100.0 * r.r30 / s.s30 AS rate30,
                CASE WHEN s.s90 > 0 THEN 100.0 * r.r90 / s.s90 END AS rate90,
                greatest($4::numeric, $5 * coalesce(100.0 * r.r90 / nullif(s.s90, 0), 0)) AS lim
         FROM r JOIN s USING (sku) WHERE s.s30 >= $3)
       ${CANDIDATE_COLUMNS}
       SELECT 'returns_spike', 'returns_spike:' || marketplace || ':' || sku,
              CASE WHEN rate30 >= 2 * lim THEN 'critical' ELSE 'warning' END,
              'Returns spike on ' || sku || ': ' || ${num('rate30')} || ' %',
              jsonb_build_array(${why(
                'returns_rate',
                `r30 || ' returned of ' || s30 || ' shipped in 30 days: ' || ${num('rate30')} || ' % > ' || ${num('lim')} || ' %'`,
                'returns_rate_pct',
                'round(rate30, 1)',
                'round(lim, 1)',
              )}),
              jsonb_build_object('sku', sku, 'asin', asin),
              jsonb_build_object('default', CASE WHEN asin IS NULL THEN ${action(
                'open',
                `'Open the returns report'`,
                `jsonb_build_object('page', 'reports', 'sku', sku)`,
              )} ELSE ${OPEN_SKU('asin')} END, 'alternatives', '[]'::jsonb),
              jsonb_build_object('returned_30d', r30, 'shipped_30d', s30, 'returned_90d', r90, 'shipped_90d', s90,
                                 'rate_90d', round(rate90, 1)),
              marketplace, asin, sku, NULL, NULL, NULL
       FROM rates WHERE rate30 > lim`,
      [
        now,
        t['returns_spike.min_returns'],
        t['returns_spike.min_shipped'],
        t['returns_spike.rate_pct'],
        t['returns_spike.trailing_factor'],
      ],
    );
  },
};
