import { action, CANDIDATE_COLUMNS, money, num, OPEN_SKU, type Rule, SOLD, SOLD_IN, why } from './rule.ts';

/**
 * roi_below_target: the best offer of an ASIN the seller buys or sells has an ROI below the target
 * over `refreshes` consecutive ROI refreshes (one low reading is often a buy-box blip). ROI at or
 * below the critical level is critical. The streak lives in task_streaks, counted per recorded
 * refresh, and breaks as soon as the ROI is back at target.
 */
export const roiBelowTarget: Rule = {
  type: 'roi_below_target',
  async collect(c, { t }) {
    await c.query(
      `WITH ${SOLD},
       low AS (
         SELECT o.marketplace || ':' || o.asin AS key, o.* FROM roi_offers o JOIN sold USING (asin)
         WHERE o.best AND o.roi_pct < $1),
       refresh AS (SELECT coalesce(max(id), 0) AS id FROM roi_refreshes),
       gone AS (
         DELETE FROM task_streaks s WHERE s.rule = 'roi_below_target'
           AND NOT EXISTS (SELECT 1 FROM low WHERE low.key = s.key)),
       streak AS (
         INSERT INTO task_streaks AS s (rule, key, streak, last_refresh)
         SELECT 'roi_below_target', low.key, 1, refresh.id FROM low, refresh
         ON CONFLICT (rule, key) DO UPDATE
           SET streak = s.streak + (excluded.last_refresh > s.last_refresh)::int,
               last_refresh = greatest(s.last_refresh, excluded.last_refresh)
         RETURNING key, streak),
       -- the floor is per listing: one raise_floor action per active SKU of the ASIN, gathered in one
       -- join over the low ASINs rather than a subquery per task
       floors AS (
         SELECT low.key, jsonb_agg(${action(
           'raise_floor',
           `'Raise the floor of ' || l.sku || ' to the price at ' || ${num('$1')} || ' % ROI'`,
           `jsonb_build_object('marketplace', l.marketplace, 'sku', l.sku, 'roi_pct', $1::numeric)`,
         )} ORDER BY l.sku) AS actions
         FROM low JOIN listings l ON l.asin = low.asin AND l.marketplace = low.marketplace
         WHERE l.status = 'active'
         GROUP BY low.key)
       ${CANDIDATE_COLUMNS}
       SELECT 'roi_below_target', 'roi_below_target:' || low.key,
              CASE WHEN low.roi_pct <= $2 THEN 'critical' ELSE 'warning' END,
              'ROI ' || ${num('low.roi_pct')} || ' % on ' || coalesce(left(low.title, 60), low.asin),
              jsonb_build_array(${why(
                'roi_below_target',
                `'ROI ' || ${num('low.roi_pct')} || ' % < ' || ${num('$1')} || ' % target'`,
                'roi_pct',
                'low.roi_pct',
                '$1::numeric',
              )}),
              jsonb_build_object('asin', low.asin, 'vendor_id', low.vendor_id, 'sku', low.sku),
              jsonb_build_object(
                'default', ${OPEN_SKU('low.asin')},
                'alternatives', jsonb_build_array(${action(
                  'set_product_status',
                  `'Stop buying (observe)'`,
                  `jsonb_build_object('asin', low.asin, 'status', 'observe')`,
                )}) || coalesce(floors.actions, '[]'::jsonb)),
              -- not the streak's length: it grows every refresh, and would rewrite every low task each time
              jsonb_build_object('profit', round(low.profit, 2), 'price', low.price, 'currency', low.currency,
                                 'vendor_name', low.vendor_name),
              low.marketplace, low.asin, NULL, low.vendor_id, NULL, NULL
       FROM low JOIN streak USING (key) LEFT JOIN floors USING (key)
       WHERE streak.streak >= $3`,
      [t['roi_below_target.target_pct'], t['roi_below_target.critical_pct'], t['roi_below_target.refreshes']],
    );
  },
};

/**
 * fee_change: the newest change of an ASIN's Amazon fees (in a marketplace it is sold in), within the
 * window, is a rise of `min_pct` or more on the total before it, or a rise at all while the best
 * offer's ROI is below target. Fees are compared as their total (referral + fulfilment + storage +
 * other) in one currency. A reading that repeats the total (a new source, a new price basis) is no
 * change: the rise before it still stands, where comparing the newest two readings would resolve it.
 */
export const feeChange: Rule = {
  type: 'fee_change',
  async collect(c, { now, t }) {
    await c.query(
      `WITH ${SOLD_IN},
       pts AS (
         SELECT s.marketplace, s.asin, h.* FROM sold_in s
         CROSS JOIN LATERAL (
           SELECT h.captured_at, h.currency, h.total, lag(h.total) OVER w AS before,
                  lag(h.currency) OVER w AS before_currency
           FROM (SELECT captured_at, currency,
                        coalesce(referral, 0) + coalesce(fulfilment, 0) + coalesce(storage, 0)
                          + coalesce(other, 0) AS total
                 FROM fees_history WHERE marketplace = s.marketplace AND asin = s.asin AND captured_at <= $1) h
           WINDOW w AS (ORDER BY h.captured_at)) h),
       pair AS (
         SELECT DISTINCT ON (marketplace, asin) * FROM pts
         WHERE before IS NOT NULL AND (total, currency) IS DISTINCT FROM (before, before_currency)
         ORDER BY marketplace, asin, captured_at DESC),
       hit AS (
         SELECT pair.*, round(100 * (pair.total - pair.before) / pair.before, 1) AS pct, o.roi_pct
         FROM pair LEFT JOIN roi_offers o ON o.asin = pair.asin AND o.best
         WHERE pair.captured_at > $1::timestamptz - $2 * interval '1 day'
           AND pair.before_currency = pair.currency AND pair.before > 0 AND pair.total > pair.before)
       ${CANDIDATE_COLUMNS}
       SELECT 'fee_change', 'fee_change:' || hit.marketplace || ':' || hit.asin,
              CASE WHEN hit.roi_pct <= $5 THEN 'critical' ELSE 'warning' END,
              'Amazon fees up ' || ${num('hit.pct')} || ' % on ' || hit.asin,
              jsonb_build_array(${why(
                'fee_increase',
                `'fees ' || ${money('hit.before')} || ' → ' || ${money('hit.total')} || ' ' || hit.currency || ' (+' || ${num('hit.pct')} || ' %)'`,
                'fee_increase_pct',
                'hit.pct',
                '$3::numeric',
              )}) || CASE WHEN hit.roi_pct < $4 THEN jsonb_build_array(${why(
                'roi_below_target',
                `'ROI ' || ${num('hit.roi_pct')} || ' % < ' || ${num('$4')} || ' % target'`,
                'roi_pct',
                'hit.roi_pct',
                '$4::numeric',
              )}) ELSE '[]'::jsonb END,
              jsonb_build_object('asin', hit.asin),
              jsonb_build_object('default', ${OPEN_SKU('hit.asin')}, 'alternatives', '[]'::jsonb),
              jsonb_build_object('fees_before', hit.before, 'fees', hit.total, 'currency', hit.currency,
                                 'captured_at', hit.captured_at),
              hit.marketplace, hit.asin, NULL, NULL, NULL, NULL
       FROM hit WHERE hit.pct >= $3 OR hit.roi_pct < $4`,
      [
        now,
        t['fee_change.window_days'],
        t['fee_change.min_pct'],
        t['roi_below_target.target_pct'],
        t['roi_below_target.critical_pct'],
      ],
    );
  },
};
