import { createReadStream, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import * as repo from '../src/domains/reports/ingest.repo.ts';
import type { IngestSummary } from '../src/domains/reports/ingest.service.ts';
import { MERGES } from '../src/domains/reports/merge.repo.ts';
import { CATALOG, openReport, type ReportType } from '../src/domains/reports/parse/index.ts';
import { saveLoad } from '../src/platform/db/load-log.ts';
import { type GeneratedReport, generateLedger, generateReturns } from './ingest-gen.ts';
import { type BenchDb, expectEqual, freshBenchDb, round, runAwa, secondsSince } from './roi-harness.ts';

/**
 * Amazon report ingest on this machine, per report (a multi-million-row inventory ledger, a
 * ~120 MB returns report), in one run on a fresh embedded PostgreSQL:
 * - end to end: `awa ingest FILE --json` as a child process (wall time, rows/s, peak RSS), counts
 *   checked against the generator;
 * - the database floor: the same rows already normalised, COPY'd into the same staging table and
 *   merged by the same one set-based statement on the natural key (plus the bare COPY);
 * - the parser alone, in this process (rows/s), to show where the difference goes.
 */

const mb = (file: string) => round(statSync(file).size / 1e6, 1);
const LANDING: Record<string, string> = { inventory_ledger: 'inventory_ledger_raw', returns: 'returns_raw' };

async function copyInto(c: pg.PoolClient, table: string, columns: string[], file: string): Promise<void> {
  await pipeline(
    createReadStream(file),
    c.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`)),
  );
}

async function reset(db: BenchDb, type: ReportType): Promise<void> {
  await db.pool.query(`TRUNCATE ${LANDING[type]}, load_log`);
  await db.pool.query(`VACUUM ANALYZE ${LANDING[type]}`);
  await db.pool.query('CHECKPOINT');
}

/** Staging + the ingest's own merge statement, fed the normalised rows: what the database needs. */
async function floor(db: BenchDb, type: ReportType, g: GeneratedReport) {
  const columns = CATALOG[type].columns;
  const c = await db.pool.connect();
  try {
    const t0 = performance.now();
    await c.query('BEGIN');
    const loadId = await saveLoad(c, { source: 'bench', key: type, status: 'pending', meta: {} });
    await repo.createStage(c, type, columns);
    await copyInto(c, repo.STAGE, repo.stageColumns(type, columns), g.copy);
    const copyS = secondsSince(t0);
    await repo.analyzeStage(c);
    const n = await MERGES[type](c, {
      stage: repo.STAGE,
      columns: columns.map((x) => x.name),
      loadId,
      marketplace: 'DE',
      asOf: new Date(),
      rejected: 0,
    });
    await c.query('COMMIT');
    expectEqual(`${type} floor inserted`, n.inserted, g.distinct);
    return { total_s: secondsSince(t0), copy_s: copyS, merge_s: round(secondsSince(t0) - copyS, 3) };
  } finally {
    c.release(true);
  }
}

/** COPY alone into an unindexed table of the same shape. */
async function bareCopy(db: BenchDb, type: ReportType, g: GeneratedReport): Promise<number> {
  const c = await db.pool.connect();
  try {
    await c.query('BEGIN');
    await repo.createStage(c, type, CATALOG[type].columns);
    const t0 = performance.now();
    await copyInto(c, repo.STAGE, repo.stageColumns(type, CATALOG[type].columns), g.copy);
    const s = secondsSince(t0);
    await c.query('ROLLBACK');
    return s;
  } finally {
    c.release(true);
  }
}

async function parseOnly(file: string): Promise<{ s: number; rows: number }> {
  const t0 = performance.now();
  const report = await openReport(file, { marketplace: 'DE', maxUncompressedBytes: 1 << 30 });
  let rows = 0;
  for await (const r of report.rows) if (r.ok) rows += 1;
  return { s: secondsSince(t0), rows };
}

async function benchOne(db: BenchDb, type: ReportType, g: GeneratedReport) {
  console.error(`ingest: ${type} end to end (${g.rows.toLocaleString('en')} rows, ${mb(g.file)} MB)…`);
  const r = await runAwa(['ingest', g.file, '--marketplace', 'DE', '--json'], db.env(), { peakRss: true });
  if (r.code !== 0) throw new Error(`awa ingest exited with ${r.code}\n${r.out}\n${r.err.slice(-3000)}`);
  const s = JSON.parse(r.out) as IngestSummary;
  expectEqual(`${type} type`, s.type, type);
  expectEqual(`${type} rows`, s.rows, g.rows);
  expectEqual(`${type} inserted`, s.inserted, g.distinct);
  console.error(`ingest: ${type} floor…`);
  await reset(db, type);
  const fl = await floor(db, type, g);
  const bare = await bareCopy(db, type, g);
  console.error(`ingest: ${type} parser alone…`);
  const parse = await parseOnly(g.file);
  const ingestS = s.duration_ms / 1000;
  return {
    file_mb: mb(g.file),
    rows: g.rows,
    end_to_end: {
      wall_s: r.wall_s,
      rows_per_s: Math.round(g.rows / r.wall_s),
      ingest_s: round(ingestS, 3),
      after_ingest_and_process_s: round(r.wall_s - ingestS, 3),
      peak_rss_mb: r.peak_rss_mb,
    },
    floor: fl,
    bare_copy_s: bare,
    parser_alone: { s: parse.s, rows_per_s: Math.round(parse.rows / parse.s) },
    ratio_wall_to_floor: round(r.wall_s / fl.total_s),
    ratio_ingest_to_floor: round(ingestS / fl.total_s),
  };
}

export async function benchIngest(opts: { ledgerRows: number; returnsMb: number }) {
  const loadBefore = os.loadavg().map((x) => round(x));
  const db = await freshBenchDb('ingest');
  try {
    console.error('ingest: generating reports…');
    const dir = db.tmp;
    const ledger = await generateLedger(
      path.join(dir, 'ledger.tsv'),
      path.join(dir, 'ledger.copy'),
      opts.ledgerRows,
    );
    // ~190 bytes per returns row
    const returns = await generateReturns(
      path.join(dir, 'returns.tsv'),
      path.join(dir, 'returns.copy'),
      Math.round((opts.returnsMb * 1e6) / 190),
    );
    const version = await runAwa(['--version'], db.env()); // builds dist/cli/ when stale: not timed
    if (version.code !== 0) throw new Error(`awa --version failed\n${version.err}`);
    const out = {
      inventory_ledger: await benchOne(db, 'inventory_ledger', ledger),
      returns: await benchOne(db, 'returns', returns),
    };
    return { ...out, load_average: { before: loadBefore, after: os.loadavg().map((x) => round(x)) } };
  } finally {
    await db.close();
  }
}
