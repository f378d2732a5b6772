import { action, CANDIDATE_COLUMNS, money, num, OPEN_SKU, type Rule, SOLD_IN, why } from './rule.ts';

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
        -- a run for notified ASINs (offer_decisions) decides a few listings: the newest run over all
        -- of them stays the one whose proposals and floors stand
        AND NOT EXISTS (SELECT 1 FROM offer_decisions o WHERE o.run_id = r.run_id)
      ORDER BY r.created_at DESC, r.id DESC LIMIT 1) x
    WHERE m.marketplace IS NOT NULL)`;

/** Set (for the transaction) once price_war has written its candidates: they are then the truth. */
const WAR_EVALUATED = 'awa.price_war_evaluated';

/**
 * price_war: an ASIN the seller sells saw `drops` or more buy-box drops within the window that take
 * `total_drop_pct` or more off the price (warning), or the buy box was below our floor (the newest
 * repricer run's) `below_floor` times in a row (critical). The drops are taken net, from the price in
 * force when the window opened to the latest: a buy box rotating between two sellers (20 → 18 → 20
 * → 18 → 20) drops three times a day without any war, and summing its drops would cry wolf daily.
 * While open it silences price_change for the ASIN: following a war down is what the floor stops.
 */
export const priceWar: Rule = {
  type: 'price_war',
  async collect(c, { now, t }) {
    await c.query(
      `WITH ${LATEST_RUNS}, ${SOLD_IN},
       floors AS (
         SELECT DISTINCT ON (r.marketplace, r.asin) r.marketplace, r.asin, r.floor, r.currency
         FROM runs JOIN repricer_log r ON r.run_id = runs.run_id
         WHERE r.asin IS NOT NULL AND r.floor IS NOT NULL ORDER BY r.marketplace, r.asin, r.floor DESC),
       pts AS (
         SELECT b.marketplace, b.asin, b.captured_at, b.price, b.currency,
                b.captured_at > $1::timestamptz - $2 * interval '1 hour' AS in_window,
                lag(b.price) OVER (PARTITION BY b.marketplace, b.asin ORDER BY b.captured_at) AS prev
         FROM sold_in s JOIN buybox_history b ON b.marketplace = s.marketplace AND b.asin = s.asin
         WHERE b.captured_at > $1::timestamptz - 2 * $2 * interval '1 hour' AND b.captured_at <= $1),
       series AS (
         SELECT marketplace, asin, max(currency) AS currency,
                count(*) FILTER (WHERE in_window AND prev > 0 AND price < prev) AS n,
                -- the price in force when the window opened: the last point before it, else its first
                coalesce((array_agg(price ORDER BY captured_at DESC) FILTER (WHERE NOT in_window))[1],
                         (array_agg(price ORDER BY captured_at) FILTER (WHERE in_window))[1]) AS start_price,
                (array_agg(price ORDER BY captured_at DESC))[1] AS last_price
         FROM pts GROUP BY marketplace, asin HAVING count(DISTINCT currency) = 1),
       drops AS (
         SELECT *, 100 * (start_price - last_price) / start_price AS total_pct FROM series
         WHERE n >= $3 AND start_price > 0 AND 100 * (start_price - last_price) / start_price >= $4),
       below AS (
         SELECT f.marketplace, f.asin, f.floor, f.currency, l.prices[1] AS last_price
         FROM floors f CROSS JOIN LATERAL (
           SELECT array_agg(b.price ORDER BY b.captured_at DESC) AS prices, bool_and(b.price < f.floor) AS all_below,
                  count(*) AS n, min(b.captured_at) AS since
           FROM (SELECT price, captured_at, currency FROM buybox_history b
                 WHERE b.marketplace = f.marketplace AND b.asin = f.asin AND b.captured_at <= $1
                 ORDER BY b.captured_at DESC LIMIT $5) b
           WHERE b.currency = f.currency) l
         WHERE l.n >= $5 AND l.all_below
           -- it fell below the floor within the window: a buy box that has sat below our floor for longer is
           -- no war but an offer we cannot sell at our minimum ROI (roi_below_target says so)
           AND EXISTS (
             SELECT 1 FROM buybox_history b
             WHERE b.marketplace = f.marketplace AND b.asin = f.asin AND b.currency = f.currency
               AND b.captured_at < l.since AND b.captured_at >= l.since - $2 * interval '1 hour'
               AND b.price >= f.floor)),
       war AS (
         SELECT coalesce(d.marketplace, b.marketplace) AS marketplace, coalesce(d.asin, b.asin) AS asin,
                d.n, d.total_pct, coalesce(b.last_price, d.last_price) AS last_price,
                coalesce(b.currency, d.currency) AS currency, b.floor, b.asin IS NOT NULL AS below_floor
         FROM drops d FULL JOIN below b ON b.marketplace = d.marketplace AND b.asin = d.asin)
       ${CANDIDATE_COLUMNS}
       SELECT 'price_war', 'price_war:' || marketplace || ':' || asin,
              CASE WHEN below_floor THEN 'critical' ELSE 'warning' END,
              'Price war on ' || asin || ': buy box ' || ${money('last_price')} || ' ' || currency,
              (CASE WHEN n IS NOT NULL THEN jsonb_build_array(${why(
                'buybox_drops',
                `n || ' buy-box drops in ' || $2 || ' h taking ' || ${num('total_pct')} || ' % off'`,
                'buybox_drop_pct',
                'round(total_pct, 1)',
                '$4::numeric',
              )}) ELSE '[]'::jsonb END)
              || (CASE WHEN below_floor THEN jsonb_build_array(${why(
                'below_floor',
                `'buy box ' || ${money('last_price')} || ' below our floor ' || ${money('floor')} || ' ' || $5 || ' times in a row'`,
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
    await c.query(`SELECT set_config('${WAR_EVALUATED}', 'on', true)`);
  },
};

/** Guards after which a person should look even when the repricer wrote the price. */
const REVIEW_GUARDS = ['map', 'max_step', 'stock_low'];

/** The price a task's apply action sets, its label and its parameters. */
const applyPrice = (price: string, label: string) =>
  action(
    'apply_price',
    label,
    `jsonb_build_object('marketplace', marketplace, 'sku', sku, 'price', ${price})`,
  );

/**
 * price_change: the newest repricer run proposed a price nobody applied (a dry-run repricer waits for
 * a person), or one of REVIEW_GUARDS held its price back (then the action offers the price the guard
 * held back: the one in force is already set). Nothing for an ASIN in a price war, and nothing once
 * a price was set for the SKU after the run (a rejected or failed submission set none). It expires
 * after `expire_hours`, when the repricer has proposed afresh; an expired proposal is not raised
 * again, or each evaluation would raise the run's proposal anew and the next expire it.
 */
export const priceChange: Rule = {
  type: 'price_change',
  async collect(c, { now, t }) {
    await c.query(
      `WITH ${LATEST_RUNS},
       decisions AS (
         SELECT r.*, (r.mode = 'dry_run' AND r.changed) AS proposal,
                array(SELECT unnest(r.guards) INTERSECT SELECT unnest($1::text[])) AS review
         FROM runs JOIN repricer_log r ON r.run_id = runs.run_id
         WHERE NOT r.error AND NOT r.skipped AND r.final_price IS NOT NULL
           AND ((r.mode = 'dry_run' AND r.changed) OR r.guards && $1::text[])
           AND r.created_at + $2 * interval '1 hour' > $3
           AND NOT EXISTS (
             SELECT 1 FROM price_updates_log u
             WHERE u.marketplace = r.marketplace AND u.sku = r.sku AND u.created_at >= r.created_at
               AND u.submission_status IN ('not_submitted', 'pending', 'accepted'))
           AND NOT EXISTS (
             SELECT 1 FROM task_candidates w WHERE w.type = 'price_war' AND w.asin = r.asin
               AND w.marketplace = r.marketplace)
           -- price_war's open tasks, unless it was evaluated just now: its candidates are then the
           -- truth, and a war that just ended (its task resolved below) no longer holds this back
           AND (current_setting('${WAR_EVALUATED}', true) = 'on' OR NOT EXISTS (
             SELECT 1 FROM tasks w WHERE w.type = 'price_war' AND w.state IN ('open', 'snoozed')
               AND w.asin = r.asin AND w.marketplace = r.marketplace)))
       ${CANDIDATE_COLUMNS}
       SELECT 'price_change', 'price_change:' || marketplace || ':' || sku,
              CASE WHEN cardinality(review) > 0 THEN 'warning' ELSE 'info' END,
              CASE WHEN proposal
                THEN 'Price ' || sku || ': ' || coalesce(${money('old_price')}, '—') || ' → ' || ${money('final_price')} || ' ' || currency
                ELSE 'Price ' || sku || ' held by ' || array_to_string(review, ', ') END,
              (CASE WHEN proposal THEN jsonb_build_array(${why(
                'proposed_price',
                `'proposed ' || ${money('final_price')} || ' ' || currency || ' (' || reason || ')'`,
                'price',
                'final_price',
                'old_price',
              )}) ELSE '[]'::jsonb END)
              || (SELECT coalesce(jsonb_agg(jsonb_build_object('code', 'guard_' || g, 'message', 'guard ' || g || ': ' || reason,
                                                     'metric', 'guard', 'value', g, 'threshold', NULL)), '[]'::jsonb)
                  FROM unnest(review) g),
              jsonb_build_object('sku', sku, 'asin', asin, 'run_id', run_id),
              jsonb_build_object(
                'default', CASE WHEN NOT proposal AND proposed IS NOT NULL AND proposed <> final_price
                  THEN ${applyPrice('proposed', `'Apply ' || ${money('proposed')} || ' ' || currency || ' anyway'`)}
                  ELSE ${applyPrice('final_price', `'Apply ' || ${money('final_price')} || ' ' || currency`)} END,
                'alternatives', CASE WHEN asin IS NULL THEN '[]'::jsonb ELSE jsonb_build_array(${OPEN_SKU('asin')}) END),
              jsonb_build_object('old_price', old_price, 'price', final_price, 'proposed', proposed,
                                 'currency', currency, 'buybox', buybox, 'floor', floor, 'guards', guards, 'mode', mode),
              marketplace, asin, sku, NULL,
              created_at + $2 * interval '1 hour', created_at + $2 * interval '1 hour'
       FROM decisions`,
      [REVIEW_GUARDS, t['price_change.expire_hours'], now],
    );
  },
};
