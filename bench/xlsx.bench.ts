import { statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ImportSummary } from '../src/domains/vendors/import.service.ts';
import { type BenchDb, expectEqual, freshBenchDb, round, runAwa, secondsSince } from './roi-harness.ts';
import { generateXlsx } from './xlsx-gen.ts';

/**
 * XLSX price-list import on this machine: a generated XLSX (streamed by exceljs) imported by
 * `awa import-prices FILE --vendor V --json` as a child process against a fresh embedded PostgreSQL
 * (wall time, rows/s, the child's peak RSS), its JSON counts checked.
 */

const TARGET_PEAK_RSS_MB = 300;

export async function benchXlsx(opts: { rows: number }) {
  const loadBefore = os.loadavg().map((x) => round(x));
  let bench: BenchDb | undefined;
  try {
    bench = await freshBenchDb('xlsx');
    const file = path.join(bench.tmp, 'preisliste.xlsx');
    console.error(`xlsx: generating ${opts.rows.toLocaleString('en')} rows…`);
    const t0 = performance.now();
    await generateXlsx(file, opts.rows);
    const generateS = secondsSince(t0);

    const env = bench.env();
    const version = await runAwa(['--version'], env, { peakRss: true }); // builds dist/cli/ if stale
    if (version.code !== 0) throw new Error(`xlsx bench: awa --version failed\n${version.err}`);
    const startup = await runAwa(['--version'], env, { peakRss: true });

    await bench.pool.query('CHECKPOINT');
    console.error('xlsx: awa import-prices…');
    const r = await runAwa(['import-prices', file, '--vendor', 'XLSX Bench GmbH', '--json'], env, {
      peakRss: true,
    });
    if (r.code !== 0) {
      throw new Error(`xlsx bench: awa import-prices exited with ${r.code}\n${r.out}\n${r.err.slice(-4000)}`);
    }
    const s = JSON.parse(r.out) as ImportSummary;
    expectEqual('status', s.status, 'success');
    expectEqual('rows', s.rows, opts.rows);
    expectEqual('inserted', s.inserted, opts.rows);
    expectEqual('rejected', s.rejected, 0);
    // numbers as Excel stores them came through: EANs with all 13 digits, prices as costs
    const { rows: stored } = await bench.pool.query(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE barcode ~ '^400[0-9]{10}$')::int AS ean,
              count(*) FILTER (WHERE title LIKE '% cm' AND cost > 0)::int AS complete
       FROM vendor_prices`,
    );
    expectEqual('rows in vendor_prices', stored[0].n, opts.rows);
    expectEqual('rows with a 13-digit EAN', stored[0].ean, opts.rows);
    expectEqual('rows with title and cost', stored[0].complete, opts.rows);

    return {
      rows: opts.rows,
      load_average: { before: loadBefore, after: os.loadavg().map((x) => round(x)) },
      file_mb: round(statSync(file).size / 2 ** 20, 1),
      generate_s: generateS,
      generate_rows_per_s: Math.round(opts.rows / generateS),
      cli_startup: { wall_s: startup.wall_s, peak_rss_mb: startup.peak_rss_mb },
      import: {
        wall_s: r.wall_s,
        import_duration_s: round(s.duration_ms / 1000, 3),
        rows_per_s: Math.round(opts.rows / r.wall_s),
        peak_rss_mb: r.peak_rss_mb,
      },
      summary: {
        status: s.status,
        rows: s.rows,
        inserted: s.inserted,
        updated: s.updated,
        unchanged: s.unchanged,
        duplicates: s.duplicates,
        rejected: s.rejected,
      },
      target_peak_rss_mb: TARGET_PEAK_RSS_MB,
      meets_target: (r.peak_rss_mb ?? Number.POSITIVE_INFINITY) < TARGET_PEAK_RSS_MB,
    };
  } finally {
    await bench?.close();
  }
}
