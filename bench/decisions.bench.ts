import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import type pg from 'pg';
import { evaluate, RULES_FED_BY } from '../src/domains/decisions/engine.service.ts';
import { roiSettingsFrom, updateRoi } from '../src/domains/roi/roi.service.ts';
import { systemClock } from '../src/platform/clock.ts';
import { loadConfig } from '../src/platform/config.ts';
import { connectDb, type Db } from '../src/platform/db/pool.ts';
import { seedRoiCatalogue } from './roi.bench.ts';
import {
  type BenchDb,
  createToken,
  expectEqual,
  freshBenchDb,
  type RunningAwa,
  round,
  secondsSince,
  startAwa,
} from './roi-harness.ts';

/**
 * The decision inbox at the ROI bench's scale (200,000 ASINs × 3 vendors), on a fresh embedded
 * PostgreSQL: a seller who sells a fifth of the catalogue (active listings) with fee history, buy-box
 * moves, a repricer run, a restock plan, returns and shipments, price lists and agent runs; then
 * - the full evaluation of every rule (first: creating the tasks; again: nothing changed);
 * - the incremental evaluation after 1 % of one vendor's price list changed (as the import runs it:
 *   the ROI update, then the rules a price list feeds);
 * - GET /api/v1/tasks (first page, default order) with 100,000 tasks in the table, at a fixed rate.
 */

const LOAD = { rate: 200, connections: 10, seconds: 15, warmupSeconds: 3 };
const TARGETS = { full_s: 10, incremental_s: 2, page_p99_ms: 50 };

async function seedSeller(c: pg.PoolClient): Promise<Record<string, number>> {
  const n: Record<string, number> = {};
  const run = async (name: string, text: string) => {
    const r = await c.query(text);
    n[name] = r.rowCount ?? 0;
  };
  // deterministic picks without random(): a hash of the ASIN
  const pct = (salt: number, asin = 'asin') => `(abs(hashtext(${asin} || '${salt}')) % 1000) / 10.0`;
  await run(
    'listings',
    `INSERT INTO listings (marketplace, sku, asin, price, quantity, fulfillment_channel, status)
     SELECT 'DE', 'L-' || asin, asin, 20, 10, 'AFN', 'active' FROM products WHERE ${pct(1)} < 20`,
  );
  await run(
    'fees_history',
    `INSERT INTO fees_history (marketplace, asin, captured_at, referral, fulfilment, storage, currency, source)
     SELECT f.marketplace, f.asin, now() - d * interval '1 day',
            f.referral, CASE WHEN d = 20 AND ${pct(2, 'f.asin')} < 3 THEN round(f.fulfilment * 0.8, 2) ELSE f.fulfilment END,
            f.storage, f.currency, 'sp_api'
     FROM fees f JOIN listings l ON l.asin = f.asin CROSS JOIN (VALUES (3), (20)) x (d)`,
  );
  // one per cent of the listed ASINs lose 4 % of their buy box three times today
  await run(
    'buybox_drops',
    `INSERT INTO buybox_history (marketplace, asin, captured_at, price, currency, source)
     SELECT 'DE', l.asin, now() - (4 - k) * interval '10 minutes', round(b.price * (1 - 0.04 * k), 2), 'EUR', 'keepa'
     FROM listings l CROSS JOIN LATERAL (
       SELECT price FROM buybox_history b WHERE b.asin = l.asin ORDER BY captured_at DESC LIMIT 1) b
     CROSS JOIN generate_series(1, 3) k
     WHERE ${pct(3, 'l.asin')} < 1`,
  );
  await run(
    'repricer_log',
    `INSERT INTO repricer_log (run_id, marketplace, sku, asin, currency, old_price, proposed, final_price, floor,
                               buybox, strategy, guards, changed, skipped, mode, reason, created_at)
     SELECT '00000000-0000-0000-0000-000000000001', 'DE', sku, asin, 'EUR', 20,
            CASE WHEN ${pct(4)} < 10 THEN 19.49 ELSE 20 END, CASE WHEN ${pct(4)} < 10 THEN 19.49 ELSE 20 END, 12,
            19.50, 'beat_buybox', CASE WHEN ${pct(4)} < 2 THEN ARRAY['max_step'] ELSE '{}' END,
            ${pct(4)} < 10, false, 'dry_run', 'beat the buy box', now() - interval '10 minutes'
     FROM listings`,
  );
  const plan = await c.query(
    `INSERT INTO restock_plans (marketplace, week, params, counts, currency, csv_key)
     VALUES ('DE', '2030-W01', '{}', '{}', 'EUR', 'restock/DE/2030-W01.csv') RETURNING id`,
  );
  await run(
    'restock_lines',
    `INSERT INTO restock_plan_lines (plan_id, sku, asin, vendor_id, vendor_name, demand, sigma, lead_time_days,
       safety_stock, reorder_point, order_up_to, on_hand, inbound, on_order, position, qty, case_pack, moq,
       unit_cost, line_cost, days_of_cover, days_to_stockout, overstock, history_days, in_stock_days, reason)
     SELECT ${plan.rows[0].id}, l.sku, l.asin, o.vendor_id, o.vendor_name, 2, 1, 10, 5, 40, 100, 30, 0, 0, 30,
            CASE WHEN ${pct(5, 'l.asin')} < 25 THEN 72 ELSE 0 END, 12, 0, o.unit_cost,
            72 * o.unit_cost, 15, 15 + (abs(hashtext(l.asin)) % 20), false, 90, 90, 'bench'
     FROM listings l JOIN roi_offers o ON o.asin = l.asin AND o.best`,
  );
  await run(
    'shipments',
    `INSERT INTO inventory_ledger_raw (row_hash, occurrence, event_date, asin, msku, event_type, quantity, country, load_id)
     SELECT decode(md5(l.sku || d), 'hex'), 1, current_date - d, l.asin, l.sku, 'Shipments', -2, 'DE', 0
     FROM listings l CROSS JOIN generate_series(1, 119) d WHERE ${pct(6, 'l.asin')} < 5`,
  );
  await run(
    'returns',
    `INSERT INTO returns_raw (order_id, sku, license_plate_number, return_date, marketplace, asin, quantity, load_id)
     SELECT 'O-' || l.sku || '-' || k, l.sku, 'LPN' || k, now() - (k * 3 + 1) * interval '1 day', 'DE', l.asin, 1, 0
     FROM listings l
     -- a fifth of them spike: 9 returns in the last 30 days against 3 in the 90 before; the rest 1 and 3
     CROSS JOIN LATERAL (
       SELECT k FROM generate_series(1, 39) k
       WHERE CASE WHEN ${pct(7, 'l.asin')} < 20 THEN k <= 9 ELSE k = 5 END OR k IN (15, 25, 35)) k
     WHERE ${pct(6, 'l.asin')} < 5`,
  );
  // price lists: the German and Polish ones a week old, the Chinese one 50 days old (stale)
  await run(
    'price_lists',
    `INSERT INTO price_lists (vendor_id, file_name, sha256, status, created_at)
     SELECT id, 'list-' || id || '.csv', repeat('0', 64), 'success',
            now() - CASE WHEN currency = 'USD' THEN interval '50 days' ELSE interval '7 days' END
     FROM vendors`,
  );
  await run(
    'agent_runs',
    `INSERT INTO agent_runs (agent, status, error, trigger, started_at, finished_at)
     VALUES ('keepa', 'failed', 'HTTP 500 from Keepa', 'schedule', now() - interval '1 hour', now() - interval '1 hour'),
            ('fees', 'success', NULL, 'schedule', now() - interval '3 days', now() - interval '3 days')`,
  );
  return n;
}

export async function benchDecisions(opts: { asins: number }) {
  const loadBefore = os.loadavg().map((x) => round(x));
  let bench: BenchDb | undefined;
  let db: Db | undefined;
  let server: RunningAwa | undefined;
  try {
    bench = await freshBenchDb('decisions');
    const { pool } = bench;
    console.error(`decisions: seeding ${opts.asins.toLocaleString('en')} ASINs × 3 vendors…`);
    const c = await pool.connect();
    try {
      await seedRoiCatalogue(c, opts.asins);
    } finally {
      c.release();
    }
    await pool.query('VACUUM (ANALYZE) products, product_identifiers, fees, buybox_history, vendor_prices');
    db = await connectDb(bench.url, { max: 4 });
    const settings = roiSettingsFrom(loadConfig({ VAT_RATE: '0.19' }));
    await updateRoi(db, { settings, reason: 'bench:first' });
    const sc = await pool.connect();
    let seeded: Record<string, number>;
    try {
      seeded = await seedSeller(sc);
    } finally {
      sc.release();
    }
    await pool.query('VACUUM (ANALYZE)');
    const deps = { db, clock: systemClock };
    // the evaluation that follows the first refresh, and a second refresh: roi_below_target needs the
    // ROI low in two refreshes in a row
    await evaluate(deps, { types: ['roi_below_target'] });
    await updateRoi(db, { settings, reason: 'bench:second', rebuild: true });
    const schedules = [
      { agent: 'keepa', interval_s: 3600 },
      { agent: 'fees', interval_s: 86_400 },
    ];

    console.error('decisions: full evaluation (creates the tasks)…');
    let t0 = performance.now();
    const first = await evaluate(deps, { schedules });
    const firstS = secondsSince(t0);
    const { rows: byType } = await pool.query(
      `SELECT type, severity, count(*)::int AS n FROM tasks GROUP BY 1, 2 ORDER BY 1, 2`,
    );
    console.error('decisions: full evaluation, nothing changed…');
    t0 = performance.now();
    const again = await evaluate(deps, { schedules });
    const againS = secondsSince(t0);
    expectEqual(
      'nothing changed: created + updated + resolved',
      again.created + again.updated + again.resolved,
      0,
    );

    // 1 % of one vendor's list: its costs up 7 %, recorded as the import does (a new list, history)
    const { rows: pl } = await pool.query(
      `INSERT INTO price_lists (vendor_id, file_name, sha256, status, created_at)
       SELECT min(id), 'changed.csv', repeat('1', 64), 'success', now() FROM vendors RETURNING id, vendor_id`,
    );
    await pool.query(
      `WITH up AS (
         UPDATE vendor_prices SET cost = round(cost * 1.07, 4), updated_at = now(), price_list_id = $1
         WHERE vendor_id = $2 AND abs(hashtext(sku)) % 100 = 0 RETURNING vendor_id, sku, cost, currency)
       INSERT INTO vendor_price_history (vendor_id, sku, observed_at, old_cost, cost, old_currency, currency, price_list_id)
       SELECT vendor_id, sku, now(), round(cost / 1.07, 4), cost, currency, currency, $1 FROM up`,
      [pl[0].id, pl[0].vendor_id],
    );
    console.error('decisions: ROI update and the rules a price list feeds…');
    t0 = performance.now();
    const roi = await updateRoi(db, { settings, reason: 'bench:changed' });
    const roiS = secondsSince(t0);
    t0 = performance.now();
    const incremental = await evaluate(deps, { types: RULES_FED_BY.price_list });
    const incrementalS = secondsSince(t0);

    // the inbox at 100,000 tasks: the rest as closed history (what a year of triage leaves)
    const { rows: cnt } = await pool.query('SELECT count(*)::int AS n FROM tasks');
    await pool.query(
      `INSERT INTO tasks (type, dedup_key, state, severity, title, why, created_at, updated_at, state_changed_at)
       SELECT 'price_change', 'bench:' || g, (ARRAY['done', 'dismissed', 'resolved', 'expired'])[1 + g % 4],
              (ARRAY['info', 'warning', 'critical'])[1 + g % 3], 'Price BENCH-' || g, '[]',
              now() - g * interval '1 minute', now() - g * interval '1 minute', now() - g * interval '1 minute'
       FROM generate_series(1, $1::int) g`,
      [Math.max(0, 100_000 - cnt[0].n)],
    );
    await pool.query('VACUUM (ANALYZE) tasks');
    // the limit is per token and minute; the load test measures the server, not the limiter
    const env = bench.env({ RATE_LIMIT_PER_MINUTE_VIEWER: '1000000' });
    const token = await createToken(env, 'viewer');
    server = await startAwa(['--roles', 'api'], env, path.join(bench.tmp, 'awa-start.log'));
    const url = `${server.base}/api/v1/tasks`;
    const headers = { authorization: `Bearer ${token}` };
    const check = await fetch(url, { headers });
    const page = (await check.json()) as { total: number; items: unknown[] };
    expectEqual('first page: items', page.items.length, 50);
    console.error(`decisions: GET /tasks at ${LOAD.rate} req/s…`);
    await autocannon({
      url,
      headers,
      connections: LOAD.connections,
      overallRate: LOAD.rate,
      duration: LOAD.warmupSeconds,
    });
    const r = await autocannon({
      url,
      headers,
      connections: LOAD.connections,
      overallRate: LOAD.rate,
      duration: LOAD.seconds,
    });
    return {
      asins: opts.asins,
      load_average: { before: loadBefore, after: os.loadavg().map((x) => round(x)) },
      seeded,
      tasks_by_type: byType,
      full_evaluation: { seconds: firstS, ...first, target_s: TARGETS.full_s, met: firstS <= TARGETS.full_s },
      nothing_changed: { seconds: againS, ...again, met: againS <= TARGETS.full_s },
      after_1pct_price_list: {
        roi_update_s: roiS,
        roi_asins: roi.asins,
        evaluation_s: incrementalS,
        ...incremental,
        target_s: TARGETS.incremental_s,
        met: incrementalS <= TARGETS.incremental_s,
      },
      inbox_first_page: {
        tasks_in_table: 100_000,
        active: page.total,
        rate_req_s: LOAD.rate,
        requests: r.requests.total,
        achieved_req_s: round(r.requests.average, 1),
        latency_ms: { p50: r.latency.p50, p99: r.latency.p99, max: r.latency.max },
        non_2xx: r.non2xx,
        target_p99_ms: TARGETS.page_p99_ms,
        met: r.latency.p99 <= TARGETS.page_p99_ms && r.non2xx === 0,
      },
    };
  } catch (err) {
    // said before the cleanup: stopping the database makes idle connections fail noisily
    console.error('decisions bench failed:', err);
    throw err;
  } finally {
    await server?.stop().catch(() => {});
    await db?.close().catch(() => {});
    await bench?.close();
  }
}
