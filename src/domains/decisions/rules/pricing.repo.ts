import { action, CANDIDATE_COLUMNS, num, OPEN_SKU, type Rule, SOLD, why } from './rule.ts';

/** Each marketplace's newest repricer run, found by walking the log's index (not reading the log). */
const LATEST_RUNS = `RECURSIVE m AS (
    (SELECT marketplace FROM repricer_log ORDER BY marketplace LIMIT 1)
    UNION ALL
    SELECT (SELECT r.marketplace FROM repricer_log r WHERE r.marketplace > m.marketplace
            ORDER BY r.marketplace LIMIT 1)
    FROM m WHERE m.marketplace IS NOT NULL),
  runs AS (
    SELECT x.* FROM m CROSS JOIN LATERAL (
      SELECT r.marketplace, r.run_id, r.created_at FROM repricer_log r WHERE r.marketplace = m.marketplace
      ORDER BY r.created_at DESC, r.id DESC LIMIT 1) x
    WHERE m.marketplace IS NOT NULL)`;

/**
 * price_war: an ASIN the seller sells saw `drops` or more buy-box drops within the window that take
 * `total_drop_pct` or more off the price together (warning), or the buy box was below our floor (the
 * newest repricer run's) `below_floor` times in a row (critical). While open it silences price_change
 * for the ASIN: following a war down is what the floor is there to stop.
 */
export const priceWar: Rule = {
  type: 'price_war',
  async collect(c, { now, t }) {
    await c.query(
      `WITH ${LATEST_RUNS}, ${SOLD.replace('sold AS', 'sold_asins AS')},
       floors AS (
         SELECT DISTINCT ON (r.marketplace, r.asin) r.marketplace, r.asin, r.floor, r.currency
         FROM runs JOIN repricer_log r ON r.run_id = runs.run_id
         WHERE r.asin IS NOT NULL AND r.floor IS NOT NULL ORDER BY r.marketplace, r.asin, r.floor DESC),
       pts AS (
         SELECT b.marketplace, b.asin, b.captured_at, b.price, b.currency,
                lag(b.price) OVER (PARTITION BY b.marketplace, b.asin ORDER BY b.captured_at) AS prev
         FROM buybox_history b JOIN sold_asins s ON s.asin = b.asin
         WHERE b.captured_at > $1::timestamptz - 2 * $2 * interval '1 hour' AND b.captured_at <= $1),
       drops AS (
         SELECT marketplace, asin, count(*) AS n, 100 * sum((prev - price) / prev) AS total_pct,
                (array_agg(price ORDER BY captured_at DESC))[1] AS last_price, max(currency) AS currency
         FROM pts WHERE captured_at > $1::timestamptz - $2 * interval '1 hour' AND prev > 0 AND price < prev
         GROUP BY marketplace, asin HAVING count(*) >= $3 AND 100 * sum((prev - price) / prev) >= $4),
       below AS (
         SELECT f.marketplace, f.asin, f.floor, f.currency, l.prices[1] AS last_price
         FROM floors f CROSS JOIN LATERAL (
           SELECT array_agg(b.price ORDER BY b.captured_at DESC) AS prices, bool_and(b.price < f.floor) AS all_below,
                  count(*) AS n
           FROM (SELECT price, captured_at, currency FROM buybox_history b
                 WHERE b.marketplace = f.marketplace AND b.asin = f.asin AND b.captured_at <= $1
                 ORDER BY b.captured_at DESC LIMIT $5) b
           WHERE b.currency = f.currency) l
         WHERE l.n >= $5 AND l.all_below),
       war AS (
         SELECT coalesce(d.marketplace, b.marketplace) AS marketplace, coalesce(d.asin, b.asin) AS asin,
                d.n, d.total_pct, coalesce(b.last_price, d.last_price) AS last_price,
                coalesce(b.currency, d.currency) AS currency, b.floor, b.asin IS NOT NULL AS below_floor
         FROM drops d FULL JOIN below b ON b.marketplace = d.marketplace AND b.asin = d.asin)
       ${CANDIDATE_COLUMNS}
       SELECT 'price_war', 'price_war:' || marketplace || ':' || asin,
              CASE WHEN below_floor THEN 'critical' ELSE 'warning' END,
              'Price war on ' || asin || ': buy box ' || ${num('last_price', 2)} || ' ' || currency,
              (CASE WHEN n IS NOT NULL THEN jsonb_build_array(${why(
                'buybox_drops',
                `n || ' buy-box drops in ' || $2 || ' h totalling ' || ${num('total_pct')} || ' %'`,
                'buybox_drop_pct',
                'round(total_pct, 1)',
                '$4::numeric',
              )}) ELSE '[]'::jsonb END)
              || (CASE WHEN below_floor THEN jsonb_build_array(${why(
                'below_floor',
                `'buy box ' || ${num('last_price', 2)} || ' below our floor ' || ${num('floor', 2)} || ' ' || $5 || ' times in a row'`,
                'buybox',
                'last_price',
                'floor',
              )}) ELSE '[]'::jsonb END),
              jsonb_build_object('asin', asin),
              jsonb_build_object('default', ${OPEN_SKU('asin')}, 'alternatives', '[]'::jsonb),
              jsonb_build_object('buybox', last_price, 'floor', floor, 'currency', currency, 'drops', n),
              marketplace, asin, NULL, NULL, NULL, NULL
       FROM war`,
      [
        now,
        t['price_war.window_hours'],
        t['price_war.drops'],
        t['price_war.total_drop_pct'],
        t['price_war.below_floor'],
      ],
    );
  },
};

/** Guards after which a person should look even when the repricer wrote the price. */
const REVIEW_GUARDS = ['map', 'max_step', 'stock_low'];

/**
 * price_change: the newest repricer run proposed a price nobody applied (a dry-run repricer waits for
 * a person), or one of REVIEW_GUARDS held its price back. Nothing for an ASIN in a price war, and
 * nothing once a price was set for the SKU after the run. It expires after `expire_hours`: by then
 * the repricer has proposed afresh.
 */
export const priceChange: Rule = {
  type: 'price_change',
  async collect(c, { t }) {
    await c.query(
      `WITH ${LATEST_RUNS},
       rows AS (
         SELECT r.*, (r.mode = 'dry_run' AND r.changed) AS proposal,
                array(SELECT unnest(r.guards) INTERSECT SELECT unnest($1::text[])) AS review
         FROM runs JOIN repricer_log r ON r.run_id = runs.run_id
         WHERE NOT r.error AND NOT r.skipped AND r.final_price IS NOT NULL
           AND ((r.mode = 'dry_run' AND r.changed) OR r.guards && $1::text[])
           AND NOT EXISTS (
             SELECT 1 FROM price_updates_log u
             WHERE u.marketplace = r.marketplace AND u.sku = r.sku AND u.created_at >= r.created_at)
           AND NOT EXISTS (
             SELECT 1 FROM task_candidates w WHERE w.type = 'price_war' AND w.asin = r.asin
               AND w.marketplace = r.marketplace)
           AND NOT EXISTS (
             SELECT 1 FROM tasks w WHERE w.type = 'price_war' AND w.state IN ('open', 'snoozed')
               AND w.asin = r.asin AND w.marketplace = r.marketplace))
       ${CANDIDATE_COLUMNS}
       SELECT 'price_change', 'price_change:' || marketplace || ':' || sku,
              CASE WHEN cardinality(review) > 0 THEN 'warning' ELSE 'info' END,
              CASE WHEN proposal
                THEN 'Price ' || sku || ': ' || coalesce(${num('old_price', 2)}, '—') || ' → ' || ${num('final_price', 2)} || ' ' || currency
                ELSE 'Price ' || sku || ' held by ' || array_to_string(review, ', ') END,
              (CASE WHEN proposal THEN jsonb_build_array(${why(
                'proposed_price',
                `'proposed ' || ${num('final_price', 2)} || ' ' || currency || ' (' || reason || ')'`,
                'price',
                'final_price',
                'old_price',
              )}) ELSE '[]'::jsonb END)
              || (SELECT coalesce(jsonb_agg(jsonb_build_object('code', 'guard_' || g, 'message', 'guard ' || g || ': ' || reason,
                                                     'metric', 'guard', 'value', g, 'threshold', NULL)), '[]'::jsonb)
                  FROM unnest(review) g),
              jsonb_build_object('sku', sku, 'asin', asin, 'run_id', run_id),
              jsonb_build_object(
                'default', ${action(
                  'apply_price',
                  `'Apply ' || ${num('final_price', 2)} || ' ' || currency`,
                  `jsonb_build_object('marketplace', marketplace, 'sku', sku, 'price', final_price)`,
                )},
                'alternatives', CASE WHEN asin IS NULL THEN '[]'::jsonb ELSE jsonb_build_array(${OPEN_SKU('asin')}) END),
              jsonb_build_object('old_price', old_price, 'price', final_price, 'currency', currency,
                                 'buybox', buybox, 'floor', floor, 'guards', guards, 'mode', mode),
              marketplace, asin, sku, NULL,
              created_at + $2 * interval '1 hour', created_at + $2 * interval '1 hour'
       FROM rows`,
      [REVIEW_GUARDS, t['price_change.expire_hours']],
    );
  },
};
