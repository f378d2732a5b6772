import path from 'node:path';
import { runRestock } from '../src/domains/restock/restock.service.ts';
import { roiSettingsFrom, updateRoi } from '../src/domains/roi/roi.service.ts';
import { fixedClock } from '../src/platform/clock.ts';
import { loadConfig } from '../src/platform/config.ts';
import { copyFields, copyRows } from '../src/platform/db/copy.ts';
import { connectDb, type Db } from '../src/platform/db/pool.ts';
import { silentLogger } from '../src/platform/logger.ts';
import { FsObjectStore } from '../src/platform/storage/index.ts';
import { freshBenchDb, round, secondsSince } from './roi-harness.ts';

/**
 * The weekly restock run over a large catalogue, on a fresh embedded PostgreSQL:
 * `skus` active listings, each with 90 days of inventory-ledger customer shipments (COPY straight
 * into inventory_ledger_raw, one row per SKU and day with sales), a snapshot before the window and
 * one today (every 10th SKU also out of stock for ten days mid-window), one vendor offer per ASIN
 * (10 vendors, case packs 1–12, MOQs) and 1,000 open purchase orders of 5 lines. Measured: the first
 * run (plan + lines + CSV), a re-run of the same week (replaces the plan) and a dry run.
 */

const NOW = new Date('2026-11-28T10:00:00Z');
const DAY_MS = 86_400_000;
const WINDOW_START = Date.UTC(2026, 7, 30); // 90 days before NOW's date

export async function benchRestock(opts: { skus: number }) {
  const n = opts.skus;
  const bdb = await freshBenchDb('restock');
  const db = await connectDb(bdb.url, { max: 4 });
  try {
    const seeded = await seedRestock(db, bdb.url, bdb.dataDir, n);
    const { config, ledgerRows, seedLedgerS, seedRestS } = seeded;
    const deps = {
      db,
      config,
      store: new FsObjectStore(path.join(bdb.dataDir, 'objects')),
      clock: fixedClock(NOW),
      log: silentLogger,
    };
    const timed = async (dryRun: boolean) => {
      const t = performance.now();
      const r = await runRestock(deps, { dryRun, runId: crypto.randomUUID() });
      return { seconds: secondsSince(t), r };
    };
    const first = await timed(false);
    const again = await timed(false);
    const dry = await timed(true);
    const csv = await deps.store.stat(first.r.csvKey!);
    return {
      skus: n,
      ledger_rows: ledgerRows,
      seed_ledger_s: seedLedgerS,
      seed_rest_s: seedRestS,
      first_run_s: first.seconds,
      rerun_same_week_s: again.seconds,
      dry_run_s: dry.seconds,
      skus_per_s: round(n / first.seconds, 0),
      counts: first.r.counts,
      total_cost: first.r.totalCost,
      csv_mb: round((csv?.size ?? 0) / 2 ** 20, 1),
      target_s: 15,
    };
  } finally {
    await db.close();
    await bdb.close();
  }
}

/** Seeds the catalogue described above (exported so a profiling script can reuse it). */
export async function seedRestock(db: Db, url: string, dataDir: string, n: number) {
  const t0 = performance.now();
  const client = await db.pool.connect();
  let ledgerRows = 0;
  try {
    const days = Array.from({ length: 90 }, (_, d) =>
      new Date(WINDOW_START + d * DAY_MS).toISOString().slice(0, 10),
    );
    // one batch per 500 SKUs; a day with 0 units has no ledger row (as in Amazon's report)
    ledgerRows = await copyRows(
      client,
      'inventory_ledger_raw',
      [
        'row_hash',
        'occurrence',
        'event_date',
        'asin',
        'msku',
        'event_type',
        'quantity',
        'country',
        'load_id',
      ],
      (async function* () {
        for (let s = 0; s < n; s += 500) {
          const batch: string[][] = [];
          for (let i = s; i < Math.min(n, s + 500); i++) {
            const stockOut = i % 10 === 0;
            for (let d = 0; d < 90; d++) {
              const units = (i * 7 + d * 13) % 5;
              if (units === 0 || (stockOut && d >= 40 && d < 50)) continue;
              const sku = `SKU${String(i).padStart(7, '0')}`;
              batch.push([
                `\\x${(i * 128 + d).toString(16).padStart(16, '0')}`,
                '1',
                days[d]!,
                asinOf(i),
                sku,
                String(-units),
              ]);
            }
          }
          yield batch;
        }
      })(),
      (r) => copyFields([r[0], r[1], r[2], r[3], r[4], 'Shipments', r[5], 'DE', 0]),
    );
  } finally {
    client.release();
  }
  const seedLedgerS = secondsSince(t0);

  const t1 = performance.now();
  await db.pool.query(
    `INSERT INTO listings (marketplace, sku, asin, status)
       SELECT 'DE', 'SKU' || lpad(g::text, 7, '0'), 'B' || lpad(g::text, 9, '0'), 'active' FROM generate_series(0, $1 - 1) g`,
    [n],
  );
  await db.pool.query(
    `INSERT INTO inventory_snapshots (marketplace, sku, as_of, afn_fulfillable_quantity, afn_inbound_shipped_quantity, load_id)
       SELECT 'DE', 'SKU' || lpad(g::text, 7, '0'), t.as_of, t.q + (g % 300), CASE WHEN t.latest THEN g % 40 ELSE 0 END, 0
       FROM generate_series(0, $1 - 1) g
       CROSS JOIN (VALUES ('2026-08-25T06:00:00Z'::timestamptz, 100, false), ('2026-11-28T06:00:00Z', 0, true)) t(as_of, q, latest)
       UNION ALL
       SELECT 'DE', 'SKU' || lpad(g::text, 7, '0'), t.as_of, t.q, 0, 0
       FROM generate_series(0, $1 - 1, 10) g
       CROSS JOIN (VALUES ('2026-10-09T06:00:00Z'::timestamptz, 0), ('2026-10-19T06:00:00Z', 80)) t(as_of, q)`,
    [n],
  );
  const vendors = await db.pool.query(
    `INSERT INTO vendors (name, country, currency, lead_time_days)
       SELECT 'Bench vendor ' || g, 'DE', 'EUR', 5 + g FROM generate_series(1, 10) g RETURNING id`,
  );
  const vendorIds: number[] = vendors.rows.map((r) => Number(r.id));
  await db.pool.query(
    `INSERT INTO vendor_prices (vendor_id, sku, asin, cost, currency, pack_size, moq, lead_time_days)
       SELECT ($2::bigint[])[1 + g % 10], 'V' || g, 'B' || lpad(g::text, 9, '0'), 1 + (g % 50) / 4.0, 'EUR',
              1 + g % 12, (g % 4) * 10, CASE WHEN g % 3 = 0 THEN NULL ELSE 3 + g % 20 END
       FROM generate_series(0, $1 - 1) g`,
    [n, vendorIds],
  );
  await db.pool.query(
    `WITH po AS (
         INSERT INTO purchase_orders (vendor_id, marketplace, created_by)
         SELECT ($1::bigint[])[1 + g % 10], 'DE', 'bench' FROM generate_series(1, 1000) g RETURNING id)
       INSERT INTO purchase_order_lines (po_id, sku, qty)
       SELECT po.id, 'SKU' || lpad(((po.id * 37 + k * 7919) % $2)::text, 7, '0'), 12 * k
       FROM po CROSS JOIN generate_series(1, 5) k ON CONFLICT DO NOTHING`,
    [vendorIds, n],
  );
  await db.pool.query('ANALYZE');
  const config = loadConfig({ DATABASE_URL: url, AWA_DATA_DIR: dataDir });
  await updateRoi(db, { settings: roiSettingsFrom(config) });
  const seedRestS = secondsSince(t1);

  return { config, ledgerRows, seedLedgerS, seedRestS };
}

function asinOf(i: number): string {
  return `B${String(i).padStart(9, '0')}`;
}
