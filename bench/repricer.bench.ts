import os from 'node:os';
import path from 'node:path';
import { type DecisionInput, decide } from '../src/domains/repricer/decide.ts';
import { repricerJob } from '../src/domains/repricer/repricer.job.ts';
import { roiSettingsFrom, updateRoi } from '../src/domains/roi/roi.service.ts';
import { systemClock } from '../src/platform/clock.ts';
import { loadConfig } from '../src/platform/config.ts';
import { connectDb, type Db } from '../src/platform/db/pool.ts';
import { runJob } from '../src/platform/jobs/index.ts';
import { silentLogger } from '../src/platform/logger.ts';
import { Metrics } from '../src/platform/metrics.ts';
import { FsObjectStore } from '../src/platform/storage/index.ts';
import { type BenchDb, freshBenchDb, round, secondsSince } from './roi-harness.ts';

/**
 * `npm run bench -- repricer` (BENCH_REPRICER_SKUS, default 100,000): decisions per second of the
 * pure decide(), then a full dry-run run over that many listings on a fresh embedded database —
 * the set-based read, every decision, and the COPY of every decision into repricer_log.
 */

function inputs(n: number): DecisionInput[] {
  return Array.from({ length: n }, (_, i) => ({
    sku: `S-${i}`,
    asin: 'B000000001',
    currency: 'EUR',
    current_price: (15 + (i % 200) / 10).toFixed(2),
    landed_cost: (5 + (i % 70) / 10).toFixed(4),
    fees: { referral: '3.00', fulfilment: '3.27', storage: '0.10', price_basis: '20.00' },
    vat_rate: '0.19',
    rule: {
      strategy: i % 10 === 0 ? 'match_buybox' : 'beat_buybox',
      max_price: i % 3 === 0 ? '40.00' : null,
    },
    settings: { min_roi: '0.15', max_step_pct: '0.1' },
    market: {
      buybox_price: (14 + (i % 230) / 10).toFixed(2),
      we_hold_buybox: i % 4 === 0,
      buybox_drops_24h: i % 5,
    },
    stock: { days_of_cover: i % 90, lead_time_days: 20, target_cover_days: 35 },
  }));
}

function benchDecide(n: number) {
  const list = inputs(n);
  decide(list[0]!); // warm-up
  const t0 = performance.now();
  let changed = 0;
  for (const x of list) if (decide(x).changed) changed++;
  const s = (performance.now() - t0) / 1000;
  return { decisions: n, seconds: round(s, 3), decisions_per_s: Math.round(n / s), changed };
}

/** n listings with everything the repricer reads: offer, fees, 3 buy box points, stock, sales, 10 % rules. */
export async function seed(b: Pick<BenchDb, 'pool'>, n: number) {
  const q = (sql: string) => b.pool.query(sql, [n]);
  await b.pool.query(
    `INSERT INTO vendors (name, country, currency, lead_time_days) VALUES ('Bench vendor', 'DE', 'EUR', 7)`,
  );
  await q(`INSERT INTO products (asin, title, weight_kg)
           SELECT 'BR' || lpad(g::text, 8, '0'), 'Bench ' || g, 0.5 FROM generate_series(1, $1::int) g`);
  await q(`INSERT INTO vendor_prices (vendor_id, sku, asin, cost, currency)
           SELECT (SELECT min(id) FROM vendors), 'V-' || g, 'BR' || lpad(g::text, 8, '0'), 5 + (g % 70) / 10.0, 'EUR'
           FROM generate_series(1, $1::int) g`);
  await q(`INSERT INTO fees (marketplace, asin, referral, fulfilment, storage, currency, price_basis, source, captured_at)
           SELECT 'DE', 'BR' || lpad(g::text, 8, '0'), 3.00, 3.27, 0.10, 'EUR', 20.00, 'manual', now()
           FROM generate_series(1, $1::int) g`);
  await q(`INSERT INTO buybox_history (marketplace, asin, captured_at, price, currency, source)
           SELECT 'DE', 'BR' || lpad(g::text, 8, '0'), now() - k * interval '8 hours', 14 + ((g + k) % 230) / 10.0, 'EUR', 'bench'
           FROM generate_series(1, $1::int) g, generate_series(0, 2) k`);
  await q(`INSERT INTO listings (marketplace, sku, asin, price, quantity, fulfillment_channel, status, updated_at)
           SELECT 'DE', 'SKU-' || g, 'BR' || lpad(g::text, 8, '0'), 15 + (g % 200) / 10.0, g % 7, 'AFN', 'active',
                  now() - interval '1 day'
           FROM generate_series(1, $1::int) g`);
  await q(`INSERT INTO inventory_snapshots (marketplace, sku, as_of, afn_fulfillable_quantity, load_id)
           SELECT 'DE', 'SKU-' || g, now() - interval '2 hours', g % 50, 0 FROM generate_series(1, $1::int) g WHERE g % 2 = 0`);
  await q(`INSERT INTO inventory_ledger_raw (row_hash, occurrence, event_date, asin, msku, event_type, quantity, country, load_id)
           SELECT decode(md5(g::text), 'hex'), 1, current_date - 3, 'BR' || lpad(g::text, 8, '0'), 'SKU-' || g,
                  'Shipments', -(1 + g % 20), 'DE', 0
           FROM generate_series(1, $1::int) g WHERE g % 3 = 0`);
  await q(`INSERT INTO repricer_rules (marketplace, sku, min_price, max_price, strategy)
           SELECT 'DE', 'SKU-' || g, 10, 60, 'match_buybox' FROM generate_series(1, $1::int) g WHERE g % 10 = 0`);
  await b.pool.query(
    `VACUUM (ANALYZE) products, vendor_prices, fees, buybox_history, listings, inventory_snapshots,
       inventory_ledger_raw, repricer_rules`,
  );
}

export async function benchRepricer(opts: { skus: number }) {
  const n = opts.skus;
  const loadBefore = os.loadavg().map((x) => round(x));
  const pure = benchDecide(n);
  console.error(`repricer: decide() ${pure.decisions_per_s.toLocaleString('en')}/s; seeding ${n} listings…`);
  let bench: BenchDb | undefined;
  let db: Db | undefined;
  try {
    bench = await freshBenchDb('repricer');
    const t0 = performance.now();
    await seed(bench, n);
    const seedS = secondsSince(t0);
    db = await connectDb(bench.url, { max: 4 });
    const config = loadConfig({ DATABASE_URL: bench.url, AWA_DATA_DIR: bench.dataDir, VAT_RATE: '0.19' });
    await updateRoi(db, { settings: roiSettingsFrom(config), reason: 'bench' });
    const deps = {
      config,
      db,
      store: new FsObjectStore(path.join(bench.dataDir, 'objects')),
      clock: systemClock,
      log: silentLogger,
    };
    const runs = [];
    for (let i = 0; i < 2; i++) {
      const t = performance.now();
      const r = await runJob(repricerJob, deps, new Metrics(), { data: { mode: 'dry_run' } });
      if (r.status === 'failed') throw new Error(`repricer run failed: ${r.error}`);
      runs.push({ wall_s: secondsSince(t), status: r.status, ...r.counts });
    }
    const logged = (await bench.pool.query('SELECT count(*)::int AS n FROM repricer_log')).rows[0].n;
    return {
      listings: n,
      decide: pure,
      seed_s: seedS,
      dry_run_runs: runs,
      repricer_log_rows: logged,
      target: 'full dry run of 100,000 listings < 10 s',
      load_before: loadBefore,
      load_after: os.loadavg().map((x) => round(x)),
    };
  } finally {
    await db?.close();
    await bench?.close();
  }
}
