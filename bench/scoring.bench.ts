import { sql } from 'kysely';
import { pageQuery } from '../src/domains/roi/roi.repo.ts';
import { roiSettingsFrom, updateRoi } from '../src/domains/roi/roi.service.ts';
import { loadConfig } from '../src/platform/config.ts';
import { connectDb, type Db } from '../src/platform/db/pool.ts';
import { type BenchDb, freshBenchDb, round, runAwa, secondsSince } from './roi-harness.ts';

/**
 * The nightly scoring run on this machine, on a fresh embedded PostgreSQL: N ASINs, each with a vendor
 * offer (ROI view), fees, 30 daily buy box points (prices that move a little), three metrics points;
 * a fifth with own sales over 90 days and returns. Runs `awa agent run scoring` as a child process:
 * a dry run, the first run and a second run (which also retires the first run's latest scores), and
 * times GET /roi's page query, which now looks up the page's scores.
 */

export async function seed(pool: BenchDb['pool'], n: number) {
  const q = (text: string) => pool.query(text, text.includes('$1') ? [n] : []);
  await q(`INSERT INTO vendors (name, country, currency) VALUES ('Bench vendor', 'DE', 'EUR')`);
  await q(`INSERT INTO logistics_rates (carrier, origin, dest, service, eur_per_kg, source)
           VALUES ('DHL', 'DE', 'DE', 'standard', 2.00, 'bench')`);
  await q(`INSERT INTO products (asin, title, brand, category, weight_kg)
           SELECT 'SC' || lpad(g::text, 8, '0'), 'Product ' || g, 'Brand ' || (g % 50), 'Cat ' || (g % 12), 0.5
           FROM generate_series(1, $1::int) g`);
  await q(`INSERT INTO vendor_prices (vendor_id, sku, asin, cost, currency)
           SELECT (SELECT id FROM vendors), 'SKU-' || g, 'SC' || lpad(g::text, 8, '0'), 6 + (g % 15), 'EUR'
           FROM generate_series(1, $1::int) g`);
  await q(`INSERT INTO fees (marketplace, asin, referral, fulfilment, storage, currency, source, captured_at)
           SELECT 'DE', 'SC' || lpad(g::text, 8, '0'), 3.00, 3.50, 0.20, 'EUR', 'manual', now()
           FROM generate_series(1, $1::int) g`);
  // 30 days of buy box, one point a day, ±10 % around a per-ASIN price
  await q(`INSERT INTO buybox_history (marketplace, asin, captured_at, price, currency, source)
           SELECT 'DE', 'SC' || lpad(g::text, 8, '0'), now() - d * interval '1 day' - interval '1 hour',
                  round((20 + g % 20) * (0.9 + ((g * 7 + d * 13) % 21) / 100.0), 2), 'EUR', 'bench'
           FROM generate_series(1, $1::int) g CROSS JOIN generate_series(0, 29) d`);
  await q(`INSERT INTO product_metrics (marketplace, asin, captured_at, sales_rank, offers_new, offers_fba,
             amazon_on_listing)
           SELECT 'DE', 'SC' || lpad(g::text, 8, '0'), now() - d * interval '10 days' - interval '2 hours',
                  1 + (g * 37) % 2000000, (g + d) % 25, CASE WHEN d = 0 THEN NULL ELSE g % 12 END, g % 9 = 0
           FROM generate_series(1, $1::int) g CROSS JOIN generate_series(0, 2) d`);
  // a fifth of the ASINs sell: 15 days of shipments over 90 days, and some returns
  await q(`INSERT INTO inventory_ledger_raw (row_hash, occurrence, event_date, asin, msku, event_type, quantity,
             country, load_id)
           SELECT decode(md5(g || ':' || d), 'hex'), 1, current_date - d * 6, 'SC' || lpad(g::text, 8, '0'),
                  'SKU-' || g, 'Shipments', -(1 + (g + d) % 7), 'DE', 0
           FROM generate_series(1, $1::int) g CROSS JOIN generate_series(0, 14) d WHERE g % 5 = 0`);
  await q(`INSERT INTO returns_raw (order_id, sku, license_plate_number, return_date, marketplace, asin, quantity,
             load_id)
           SELECT 'R-' || g || '-' || d, 'SKU-' || g, 'LPN' || d, now() - d * interval '9 days', 'DE',
                  'SC' || lpad(g::text, 8, '0'), 1, 0
           FROM generate_series(1, $1::int) g CROSS JOIN generate_series(0, 2) d WHERE g % 10 = 0`);
  await pool.query('ANALYZE');
}

interface RunJson {
  status: string;
  duration_ms: number;
  candidates: number;
  scored: number;
  skipped: number;
  written: number;
  avg_score: number;
  avg_confidence: number;
}

async function timedRun(bench: BenchDb, dry: boolean, n: number) {
  const r = await runAwa(['agent', 'run', 'scoring', ...(dry ? ['--dry-run'] : []), '--json'], bench.env());
  if (r.code !== 0) throw new Error(`scoring run failed\n${r.out}\n${r.err}`);
  const j = JSON.parse(r.out) as RunJson;
  return {
    status: j.status,
    run_s: round(j.duration_ms / 1000, 2),
    cli_wall_s: r.wall_s,
    asins_per_s: Math.round(n / (j.duration_ms / 1000)),
    candidates: j.candidates,
    scored: j.scored,
    skipped: j.skipped,
    written: j.written,
    avg_score: j.avg_score,
    avg_confidence: j.avg_confidence,
  };
}

/** Mean execution time of one /roi page (50 rows) with its scores, from EXPLAIN ANALYZE. */
async function roiPageMs(db: Db, offset: number, reps = 20) {
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const q = pageQuery({ bestOnly: true }, 'roi', 'desc', 50, offset);
    const { rows } = await sql<{ 'QUERY PLAN': string }>`EXPLAIN (ANALYZE, FORMAT TEXT) ${q}`.execute(
      db.kysely,
    );
    const last = rows.map((r) => r['QUERY PLAN']).find((l) => l.startsWith('Execution Time'));
    times.push(Number(/([\d.]+) ms/.exec(last ?? '')?.[1] ?? Number.NaN));
  }
  times.sort((a, b) => a - b);
  return { p50_ms: round(times[Math.floor(reps / 2)]!, 2), max_ms: round(times.at(-1)!, 2) };
}

export async function benchScoring(opts: { asins: number }) {
  const n = opts.asins;
  const bench = await freshBenchDb('scoring');
  let db: Db | undefined;
  try {
    const t0 = performance.now();
    await seed(bench.pool, n);
    db = await connectDb(bench.url, { max: 2 });
    await updateRoi(db, {
      settings: roiSettingsFrom(loadConfig({ DATABASE_URL: bench.url })),
      reason: 'bench',
    });
    const seed_s = secondsSince(t0);
    const dry = await timedRun(bench, true, n);
    console.error('dry run', JSON.stringify(dry));
    const first = await timedRun(bench, false, n);
    console.error('first run', JSON.stringify(first));
    const second = await timedRun(bench, false, n);
    console.error('second run', JSON.stringify(second));
    const { rows } = await bench.pool.query(
      `SELECT (SELECT count(*)::int FROM scores) AS history_rows,
              (SELECT count(*)::int FROM scores_latest) AS latest_rows,
              pg_size_pretty(pg_total_relation_size('scores')) AS history_size,
              pg_size_pretty(pg_total_relation_size('scores_latest')) AS latest_size`,
    );
    await bench.pool.query('ANALYZE scores, scores_latest');
    return {
      asins: n,
      seed_s,
      dry_run: dry,
      first_run: first,
      second_run: second,
      scores_table: rows[0],
      roi_page_with_scores: { first: await roiPageMs(db, 0), deep_offset_5000: await roiPageMs(db, 5000) },
    };
  } finally {
    await db?.close().catch(() => {});
    await bench.close();
  }
}
