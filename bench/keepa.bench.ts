import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { createKeepaJob } from '../src/domains/catalog/keepa.job.ts';
import { systemClock } from '../src/platform/clock.ts';
import { loadConfig } from '../src/platform/config.ts';
import { connectDb, type Db } from '../src/platform/db/pool.ts';
import { runJob } from '../src/platform/jobs/index.ts';
import type { JobDeps, RunResult } from '../src/platform/jobs/types.ts';
import { silentLogger } from '../src/platform/logger.ts';
import { Metrics } from '../src/platform/metrics.ts';
import { FsObjectStore } from '../src/platform/storage/index.ts';
import type { FakeKeepaOptions } from '../test/fakes/keepa.ts';
import { type BenchDb, freshBenchDb, ROOT, round, secondsSince } from './roi-harness.ts';

/**
 * Keepa ingest of `asins` ASINs (vendor price lists, a third also listed) against the fake Keepa on
 * loopback (in a child process, as Keepa is not in ours), 100-ASIN pages and a budget that never
 * makes the agent wait, on a fresh embedded PostgreSQL, the agent in this process:
 * - first run: every ASIN new (products, barcodes, ~42 buy box and ~91 metric points each);
 * - dry run of all ASINs: the same fetching and parsing, reads only (what the writes cost is the
 *   difference);
 * - refresh: every ASIN stale again, Keepa's history unchanged, so almost nothing new to write.
 */

/** The fake Keepa in its own process: generating its answers must not count as the agent's work. */
async function fakeKeepaProcess(
  opts: FakeKeepaOptions,
): Promise<{ url: string; key: string; child: ChildProcess }> {
  const fake = pathToFileURL(path.join(ROOT, 'test', 'fakes', 'keepa.ts')).href;
  const code = `const { startFakeKeepa } = await import(${JSON.stringify(fake)});
    const f = await startFakeKeepa(${JSON.stringify(opts)});
    console.log(JSON.stringify({ url: f.url, key: f.key }));`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  for await (const line of createInterface({ input: child.stdout! })) {
    return { ...(JSON.parse(line) as { url: string; key: string }), child };
  }
  throw new Error(`the fake Keepa exited with ${child.exitCode}`);
}

const ASIN_BASE = 36 ** 8;
const asinOf = (i: number) => `B${(ASIN_BASE + i).toString(36).toUpperCase().padStart(9, '0')}`;

async function tableRows(db: Db): Promise<Record<string, number>> {
  const { rows } = await db.pool.query(
    `SELECT (SELECT count(*) FROM products) AS products,
            (SELECT count(*) FROM product_identifiers) AS product_identifiers,
            (SELECT count(*) FROM buybox_history) AS buybox_history,
            (SELECT count(*) FROM product_metrics) AS product_metrics,
            (SELECT count(*) FROM keepa_fetches) AS keepa_fetches`,
  );
  return rows[0];
}

function figures(run: RunResult, seconds: number, cpuSeconds: number, rowsWritten: number) {
  if (run.status !== 'success') throw new Error(`keepa run ${run.status}: ${run.error ?? run.reason}`);
  const c = run.counts;
  return {
    seconds,
    agent_cpu_s: cpuSeconds,
    asins_per_s: Math.round((c.requested ?? 0) / seconds),
    requests: c.batches,
    tokens_used: c.tokens_used,
    rows_written: rowsWritten,
    rows_per_s: Math.round(rowsWritten / seconds),
    counts: c,
  };
}

export async function benchKeepa(opts: { asins: number }) {
  let bench: BenchDb | undefined;
  let db: Db | undefined;
  let fake: { url: string; key: string; child: ChildProcess } | undefined;
  let peakRss = 0;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 100);
  try {
    bench = await freshBenchDb('keepa');
    fake = await fakeKeepaProcess({ tokens: 100 * opts.asins, refillRate: 10 * opts.asins });
    const asins = Array.from({ length: opts.asins }, (_, i) => asinOf(i));
    await bench.pool.query(
      `INSERT INTO vendors (name, country, currency) VALUES ('Bench GmbH', 'DE', 'EUR')`,
    );
    await bench.pool.query(
      `INSERT INTO vendor_prices (vendor_id, sku, asin, cost, currency)
       SELECT 1, 'S-' || a, a, 10, 'EUR' FROM unnest($1::text[]) a`,
      [asins],
    );
    await bench.pool.query(
      `INSERT INTO listings (marketplace, sku, asin) SELECT 'DE', 'L-' || a, a FROM unnest($1::text[]) a`,
      [asins.filter((_, i) => i % 3 === 0)],
    );
    await bench.pool.query('VACUUM ANALYZE');
    db = await connectDb(bench.url, { max: 4 });
    const dataDir = path.join(bench.tmp, 'agent');
    mkdirSync(dataDir, { recursive: true });
    const deps: JobDeps = {
      config: loadConfig({
        DATABASE_URL: bench.url,
        AWA_DATA_DIR: dataDir,
        KEEPA_KEY: fake.key,
        KEEPA_BASE_URL: fake.url,
      }),
      db,
      store: new FsObjectStore(path.join(dataDir, 'objects')),
      clock: systemClock,
      log: silentLogger,
    };
    const job = createKeepaJob();
    const run = async (label: string, o: { dryRun?: boolean; asins?: string[] } = {}) => {
      console.error(`keepa: ${label}…`);
      const t0 = performance.now();
      const cpu0 = process.cpuUsage();
      const r = await runJob(job, deps, new Metrics(), {
        dryRun: o.dryRun,
        data: o.asins ? { asins: o.asins } : {},
      });
      const s = secondsSince(t0);
      const cpu = process.cpuUsage(cpu0);
      const c = r.counts;
      // every row inserted or changed, and the fetch time of every ASIN answered
      const written = o.dryRun
        ? 0
        : (c.products_changed ?? 0) +
          (c.identifiers_changed ?? 0) +
          (c.buybox_points ?? 0) +
          (c.metric_points ?? 0) +
          (c.requested ?? 0);
      return figures(r, s, round((cpu.user + cpu.system) / 1e6), written);
    };

    // the fake caches what it generated: a first pass makes the timed runs measure the agent
    const warmUp = await run('warming up the fake (dry run)', { dryRun: true, asins });
    await bench.pool.query('CHECKPOINT');
    const first = await run(`first run of ${opts.asins.toLocaleString('en')} ASINs`);
    const rows = await tableRows(db);
    const dry = await run('dry run of every ASIN', { dryRun: true, asins });
    await bench.pool.query(`UPDATE keepa_fetches SET fetched_at = fetched_at - interval '2 days'`);
    await bench.pool.query('VACUUM ANALYZE keepa_fetches');
    const refresh = await run('refresh, nothing new');
    return {
      machine: { cpus: os.cpus().length, load_before: os.loadavg().map((x) => round(x)) },
      asins: opts.asins,
      batch: 100,
      fake_cold_dry_run_s: warmUp.seconds,
      tables_after_first_run: rows,
      first_run: first,
      dry_run: dry,
      refresh_unchanged: refresh,
      peak_rss_mb: Math.round(peakRss / 2 ** 20),
      note: 'rows_written includes the keepa_fetches row of every ASIN; peak RSS is this process (agent)',
    };
  } finally {
    clearInterval(sampler);
    await db?.close();
    fake?.child.kill();
    await bench?.close();
  }
}
