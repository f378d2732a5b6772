import { action, CANDIDATE_COLUMNS, num, type Rule, why } from './rule.ts';

/** The newest price list each vendor imported for real, within `$1 - $2 days`. */
const LATEST_LISTS = `latest AS (
  SELECT DISTINCT ON (p.vendor_id) p.id, p.vendor_id, p.file_name, p.created_at, v.name AS vendor_name
  FROM price_lists p JOIN vendors v ON v.id = p.vendor_id
  WHERE p.status IN ('success', 'partial') AND NOT p.dry_run
  ORDER BY p.vendor_id, p.created_at DESC, p.id DESC)`;

/** How many changed lines a task carries (the largest rises first); the counts cover all of them. */
const MAX_LINES = 500;

/**
 * vendor_cost_increase: one task per price-list import (a vendor's newest) whose costs rose by
 * `min_pct` or more, or rose and left the offer's ROI below target. The task carries the lines. A
 * list older than the stale threshold no longer raises one (stale_price_list takes over); its task
 * expires then.
 */
export const vendorCostIncrease: Rule = {
  type: 'vendor_cost_increase',
  async collect(c, { now, t }) {
    await c.query(
      `WITH ${LATEST_LISTS},
       lines AS (
         SELECT l.id AS price_list_id, l.vendor_id, l.vendor_name, l.file_name, l.created_at, h.sku, h.old_cost,
                h.cost, h.currency, round(100 * (h.cost - h.old_cost) / h.old_cost, 1) AS pct, o.asin, o.roi_pct
         FROM latest l
         JOIN vendor_price_history h ON h.price_list_id = l.id
         LEFT JOIN roi_offers o ON o.vendor_id = h.vendor_id AND o.sku = h.sku
         WHERE l.created_at > $1::timestamptz - $2 * interval '1 day'
           AND h.old_cost > 0 AND h.cost > h.old_cost AND h.old_currency = h.currency),
       hit AS (
         SELECT *, row_number() OVER (PARTITION BY price_list_id ORDER BY pct DESC, sku) AS n
         FROM lines WHERE pct >= $3 OR roi_pct < $4),
       per_list AS (
         SELECT price_list_id, vendor_id, vendor_name, file_name, created_at, count(*) AS n_lines,
                max(pct) AS max_pct, count(*) FILTER (WHERE roi_pct < $4) AS below,
                count(*) FILTER (WHERE roi_pct <= $5) AS critical,
                jsonb_agg(jsonb_build_object('sku', sku, 'asin', asin, 'old_cost', old_cost, 'cost', cost,
                                             'currency', currency, 'pct', pct, 'roi_pct', roi_pct)
                          ORDER BY n) FILTER (WHERE n <= ${MAX_LINES}) AS lines
         FROM hit GROUP BY price_list_id, vendor_id, vendor_name, file_name, created_at)
       ${CANDIDATE_COLUMNS}
       SELECT 'vendor_cost_increase', 'vendor_cost_increase:' || price_list_id,
              CASE WHEN critical > 0 THEN 'critical' ELSE 'warning' END,
              vendor_name || ' raised ' || n_lines || CASE WHEN n_lines = 1 THEN ' cost' ELSE ' costs' END
                || ' (' || file_name || ')',
              jsonb_build_array(${why(
                'cost_increase',
                `n_lines || CASE WHEN n_lines = 1 THEN ' line costs' ELSE ' lines cost' END || ' more, up to +' || ${num('max_pct')} || ' %'`,
                'cost_increase_pct',
                'max_pct',
                '$3::numeric',
              )}) || CASE WHEN below > 0 THEN jsonb_build_array(${why(
                'roi_below_target',
                `below || ' of them below the ' || ${num('$4')} || ' % ROI target'`,
                'lines_below_target',
                'below',
                '$4::numeric',
              )}) ELSE '[]'::jsonb END,
              jsonb_build_object('vendor_id', vendor_id, 'price_list_id', price_list_id),
              jsonb_build_object('default', ${action(
                'open',
                `'Review the price list'`,
                `jsonb_build_object('page', 'vendor', 'vendor_id', vendor_id, 'price_list_id', price_list_id)`,
              )}, 'alternatives', '[]'::jsonb),
              jsonb_build_object('lines', lines, 'line_count', n_lines),
              NULL, NULL, NULL, vendor_id, NULL, created_at + $2 * interval '1 day'
       FROM per_list`,
      [
        now,
        t['stale_price_list.days'],
        t['vendor_cost_increase.min_pct'],
        t['roi_below_target.target_pct'],
        t['roi_below_target.critical_pct'],
      ],
    );
  },
};

/**
 * stale_price_list: a vendor whose items AWA prices has sent no price list for `days` (warning at
 * twice that). Landed cost and ROI then rest on old costs.
 */
export const stalePriceList: Rule = {
  type: 'stale_price_list',
  async collect(c, { now, t }) {
    await c.query(
      `WITH ${LATEST_LISTS},
       stale AS (
         SELECT l.*, floor(extract(epoch FROM $1::timestamptz - l.created_at) / 86400)::int AS age
         FROM latest l
         WHERE l.created_at <= $1::timestamptz - $2 * interval '1 day'
           AND EXISTS (SELECT 1 FROM vendor_prices vp WHERE vp.vendor_id = l.vendor_id))
       ${CANDIDATE_COLUMNS}
       SELECT 'stale_price_list', 'stale_price_list:' || vendor_id,
              CASE WHEN age >= 2 * $2 THEN 'warning' ELSE 'info' END,
              vendor_name || '''s price list is ' || age || ' days old',
              jsonb_build_array(${why(
                'stale_price_list',
                `'last price list ' || age || ' days ago (> ' || $2 || ' days)'`,
                'age_days',
                'age',
                '$2::int',
              )}),
              jsonb_build_object('vendor_id', vendor_id, 'price_list_id', id),
              jsonb_build_object('default', ${action(
                'open',
                `'Open the vendor'`,
                `jsonb_build_object('page', 'vendor', 'vendor_id', vendor_id)`,
              )}, 'alternatives', '[]'::jsonb),
              jsonb_build_object('last_price_list_at', created_at, 'file_name', file_name),
              NULL, NULL, NULL, vendor_id, created_at + $2 * interval '1 day', NULL
       FROM stale`,
      [now, t['stale_price_list.days']],
    );
  },
};
