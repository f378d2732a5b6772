import { createHash } from 'node:crypto';
import {
  closeSync,
  createReadStream,
  mkdirSync,
  mkdtempSync,
  openSync,
  readSync,
  rmSync,
  statSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { loadPass } from '../src/domains/vendors/import.load.ts';
import * as repo from '../src/domains/vendors/import.repo.ts';
import { screenRows } from '../src/domains/vendors/import.screen.ts';
import type { ImportSummary } from '../src/domains/vendors/import.service.ts';
import { openPriceList, type PriceRow } from '../src/domains/vendors/parse/index.ts';
import { ensureEmbeddedServer } from '../src/platform/db/embedded.ts';
import { migrate } from '../src/platform/db/migrate.ts';
import { freePort } from '../test/helpers/net.ts';
import { type GeneratedFiles, generateFiles, sizeMb } from './import-gen.ts';
import { round, runAwa, secondsSince } from './roi-harness.ts';

/**
 * Price-list import figures on this machine, in one run on a fresh embedded PostgreSQL:
 * - the database floor: bare COPY of already-normalised rows, and "staging table + one set-based
 *   upsert" into vendor_prices (first import and a re-import with 1 % changed costs), with the
 *   session settings and statement shapes tried to push that floor down;
 * - the importer's own phases in-process (sha256, parse, parse + COPY, its merge statement);
 * - end to end (run first): `awa import-prices FILE --json` as a child process (wall time, rows/s,
 *   peak RSS, and its parse + COPY / merge split from the server's slow-statement log), with its JSON
 *   counts checked.
 * Between a first import and its re-import the table is VACUUM ANALYZEd (untimed), as autovacuum
 * would have done in the days between two price lists; a CHECKPOINT precedes every timed step.
 */

const DATABASE = 'bench';

const FLOOR_COLUMNS = 'sku, asin, barcode, title, cost, currency, pack_size, moq, lead_time_days';
const STAGE_DDL = `(sku text, asin text, barcode text, title text, cost numeric(14, 4), currency text,
  pack_size int, moq int, lead_time_days int)`;

async function timed<T>(fn: () => Promise<T>): Promise<{ s: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { s: secondsSince(t0), value };
}

/** A fresh session per measured step: no session state (temp_buffers, cached plans) carries over. */
async function session<T>(pool: pg.Pool, fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
  const c = await pool.connect();
  try {
    return await fn(c);
  } finally {
    c.release(true); // close it
  }
}

async function copyFile(c: pg.PoolClient, table: string, file: string, opts = ''): Promise<number> {
  const stream = c.query(copyFrom(`COPY ${table} (${FLOOR_COLUMNS}) FROM STDIN ${opts}`));
  await pipeline(createReadStream(file), stream);
  return stream.rowCount;
}

// ---------------------------------------------------------------------------------------------------
// The floor

type Statement = 'upsert' | 'filtered_upsert' | 'merge';

interface FloorVariant {
  name: string;
  /** SET before BEGIN (session level, e.g. temp_buffers, which only counts before the first temp use). */
  session?: string[];
  /** SET LOCAL inside the transaction. */
  local?: string[];
  /** Staging table: transaction-scoped temp table (as the importer does) or a permanent unlogged one. */
  stage?: 'temp' | 'unlogged';
  freeze?: boolean;
  analyze?: boolean;
  statement?: Statement;
  /** Usable by the importer as is (concurrency-safe, no shared scratch tables, nothing unsafe). */
  realistic: boolean;
  note: string;
}

const VARIANTS: FloorVariant[] = [
  {
    name: 'baseline',
    realistic: true,
    note: 'as the importer: TEMP ... ON COMMIT DROP, COPY, INSERT ... ON CONFLICT DO UPDATE WHERE distinct',
  },
  {
    name: 'synchronous_commit_off',
    local: ['SET LOCAL synchronous_commit = off'],
    realistic: true,
    note: 'only the final commit stops waiting for the WAL flush',
  },
  {
    name: 'work_mem_256mb',
    local: ["SET LOCAL work_mem = '256MB'", "SET LOCAL maintenance_work_mem = '1GB'"],
    realistic: true,
    note: 'the plan has no sort or hash to speed up',
  },
  {
    name: 'temp_buffers_512mb',
    session: ["SET temp_buffers = '512MB'"],
    realistic: true,
    note: 'the staging table stays in local buffers instead of spilling to its temp file (default 8MB)',
  },
  {
    name: 'copy_freeze',
    freeze: true,
    realistic: true,
    note: 'COPY ... (FREEZE) into the staging table created in the same transaction',
  },
  {
    name: 'unlogged_stage',
    stage: 'unlogged',
    realistic: false,
    note: 'permanent UNLOGGED staging table, TRUNCATEd per import: shared scratch, needs a lock',
  },
  {
    name: 'filtered_upsert',
    analyze: true,
    statement: 'filtered_upsert',
    realistic: true,
    note:
      'ANALYZE stage, then feed the upsert only rows that are new or differ (anti-join on the primary ' +
      'key): ON CONFLICT ... WHERE false still locks (and so writes) every unchanged row',
  },
  {
    name: 'merge_statement',
    analyze: true,
    statement: 'merge',
    realistic: false,
    note:
      'MERGE ... WHEN MATCHED AND distinct THEN UPDATE WHEN NOT MATCHED THEN INSERT: no RETURNING in ' +
      'PG16 and a concurrent insert of the same key fails instead of updating',
  },
  {
    name: 'filtered_upsert_temp_buffers_sync_off',
    session: ["SET temp_buffers = '512MB'"],
    local: ['SET LOCAL synchronous_commit = off'],
    analyze: true,
    statement: 'filtered_upsert',
    realistic: true,
    note: 'the realistic helpers combined',
  },
];

const DISTINCT = `(v.asin, v.barcode, v.title, v.cost, v.currency, v.pack_size, v.moq, v.lead_time_days)
  IS DISTINCT FROM (s.asin, s.barcode, s.title, s.cost, s.currency, s.pack_size, s.moq, s.lead_time_days)`;

function floorSql(statement: Statement, stage: string): string {
  const set = `asin = EXCLUDED.asin, barcode = EXCLUDED.barcode, title = EXCLUDED.title, cost = EXCLUDED.cost,
      currency = EXCLUDED.currency, pack_size = EXCLUDED.pack_size, moq = EXCLUDED.moq,
      lead_time_days = EXCLUDED.lead_time_days, updated_at = EXCLUDED.updated_at`;
  const insert = `INSERT INTO vendor_prices AS v (vendor_id, ${FLOOR_COLUMNS}, updated_at)`;
  const conflict = `ON CONFLICT (vendor_id, sku) DO UPDATE SET ${set}
    WHERE ${DISTINCT.replaceAll('s.', 'EXCLUDED.')}`;
  if (statement === 'upsert') {
    return `${insert} SELECT $1, ${FLOOR_COLUMNS}, now() FROM ${stage} ${conflict}`;
  }
  if (statement === 'filtered_upsert') {
    const cols = FLOOR_COLUMNS.split(', ')
      .map((c) => `s.${c}`)
      .join(', ');
    return `${insert} SELECT $1, ${cols}, now() FROM ${stage} s
      LEFT JOIN vendor_prices v ON v.vendor_id = $1 AND v.sku = s.sku
      WHERE v.sku IS NULL OR ${DISTINCT} ${conflict}`;
  }
  return `MERGE INTO vendor_prices v USING ${stage} s ON v.vendor_id = $1 AND v.sku = s.sku
    WHEN MATCHED AND ${DISTINCT} THEN UPDATE SET asin = s.asin, barcode = s.barcode, title = s.title,
      cost = s.cost, currency = s.currency, pack_size = s.pack_size, moq = s.moq,
      lead_time_days = s.lead_time_days, updated_at = now()
    WHEN NOT MATCHED THEN INSERT (vendor_id, ${FLOOR_COLUMNS}, updated_at)
      VALUES ($1, s.sku, s.asin, s.barcode, s.title, s.cost, s.currency, s.pack_size, s.moq,
        s.lead_time_days, now())`;
}

/** One floor import: stage (COPY) + one set-based statement, in one transaction (all of it timed). */
async function floorImport(pool: pg.Pool, v: FloorVariant, file: string, vendorId: number) {
  return session(pool, async (c) => {
    for (const s of v.session ?? []) await c.query(s);
    const unlogged = v.stage === 'unlogged';
    if (unlogged) await c.query(`CREATE UNLOGGED TABLE IF NOT EXISTS floor_stage_unlogged ${STAGE_DDL}`);
    const t = await timed(async () => {
      await c.query('BEGIN');
      for (const l of v.local ?? []) await c.query(l);
      const stage = unlogged ? 'floor_stage_unlogged' : 'floor_stage';
      if (unlogged) await c.query(`TRUNCATE ${stage}`);
      else await c.query(`CREATE TEMP TABLE ${stage} ${STAGE_DDL} ON COMMIT DROP`);
      await copyFile(c, stage, file, v.freeze ? 'WITH (FREEZE)' : '');
      if (v.analyze) await c.query(`ANALYZE ${stage}`);
      const st = await timed(() => c.query(floorSql(v.statement ?? 'upsert', stage), [vendorId]));
      await c.query('COMMIT');
      return { rows: st.value.rowCount ?? 0, statementS: st.s };
    });
    if (unlogged) await c.query('DROP TABLE floor_stage_unlogged');
    return { s: t.s, rows: t.value.rows, statementS: t.value.statementS };
  });
}

async function resetVendors(pool: pg.Pool, name: string): Promise<number> {
  await pool.query('TRUNCATE vendors CASCADE');
  const { rows } = await pool.query("INSERT INTO vendors (name, currency) VALUES ($1, 'EUR') RETURNING id", [
    name,
  ]);
  return Number(rows[0].id);
}

async function settle(pool: pg.Pool, vacuum = false): Promise<void> {
  if (vacuum) await pool.query('VACUUM (ANALYZE) vendor_prices');
  await pool.query('CHECKPOINT');
}

function expect(what: string, got: unknown, want: unknown): void {
  if (got !== want) throw new Error(`import bench: ${what} is ${String(got)}, expected ${String(want)}`);
}

/** `repeat` rounds of first import + re-import; the fastest of each counts (noise only adds time). */
async function floorVariant(pool: pg.Pool, v: FloorVariant, f: GeneratedFiles, repeat: number) {
  const firsts: { s: number; statementS: number }[] = [];
  const agains: { s: number; statementS: number }[] = [];
  for (let i = 0; i < repeat; i++) {
    const vendorId = await resetVendors(pool, 'Floor GmbH');
    await settle(pool);
    const first = await floorImport(pool, v, f.copy, vendorId);
    expect(`${v.name}: rows written by the first import`, first.rows, f.rows);
    firsts.push(first);
    await settle(pool, true);
    const again = await floorImport(pool, v, f.copyChanged, vendorId);
    expect(`${v.name}: rows written by the re-import`, again.rows, f.changed);
    agains.push(again);
  }
  const fastest = (runs: { s: number; statementS: number }[]) => runs.reduce((a, b) => (b.s < a.s ? b : a));
  return {
    name: v.name,
    first_s: fastest(firsts).s,
    reimport_s: fastest(agains).s,
    statement_first_s: fastest(firsts).statementS,
    statement_reimport_s: fastest(agains).statementS,
    runs_first_s: firsts.map((r) => r.s),
    runs_reimport_s: agains.map((r) => r.s),
    realistic: v.realistic,
    note: v.note,
  };
}

async function bareCopy(pool: pg.Pool, file: string, rows: number) {
  const unlogged = await session(pool, async (c) => {
    await c.query(`CREATE UNLOGGED TABLE floor_bare ${STAGE_DDL}`);
    const t = await timed(() => copyFile(c, 'floor_bare', file));
    await c.query('DROP TABLE floor_bare');
    return t;
  });
  const temp = await session(pool, async (c) => {
    await c.query(`CREATE TEMP TABLE floor_bare ${STAGE_DDL}`);
    return timed(() => copyFile(c, 'floor_bare', file));
  });
  const tempBuffers = await session(pool, async (c) => {
    await c.query("SET temp_buffers = '512MB'");
    await c.query(`CREATE TEMP TABLE floor_bare ${STAGE_DDL}`);
    return timed(() => copyFile(c, 'floor_bare', file));
  });
  const onCommitDrop = await session(pool, async (c) => {
    await c.query('BEGIN');
    await c.query(`CREATE TEMP TABLE floor_bare ${STAGE_DDL} ON COMMIT DROP`);
    const t = await timed(() => copyFile(c, 'floor_bare', file, 'WITH (FREEZE)'));
    await c.query('COMMIT');
    return t;
  });
  for (const t of [unlogged, temp, tempBuffers, onCommitDrop]) expect('rows copied', t.value, rows);
  return {
    unlogged_s: unlogged.s,
    temp_s: temp.s,
    temp_buffers_512mb_s: tempBuffers.s,
    temp_on_commit_drop_freeze_s: onCommitDrop.s,
  };
}

// ---------------------------------------------------------------------------------------------------
// The importer's phases, in-process (same code as the CLI runs, without process start and migrate)

async function sha256Of(file: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(file)) h.update(chunk as Buffer);
  return h.digest('hex');
}

const OPEN = { currency: 'EUR', maxUncompressedBytes: 2 ** 30 };

async function* validRows(file: string): AsyncGenerator<PriceRow[]> {
  const { rows } = await openPriceList(file, OPEN);
  let batch: PriceRow[] = [];
  for await (const r of rows) {
    if (!r.ok) throw new Error(`import bench: line ${r.line} rejected: ${JSON.stringify(r.rejections)}`);
    batch.push(r.row);
    if (batch.length === 1000) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

async function importerPhases(pool: pg.Pool, f: GeneratedFiles) {
  const sha = await timed(() => sha256Of(f.csv));
  const parse = await timed(async () => {
    let n = 0;
    for await (const b of validRows(f.csv)) n += b.length;
    return n;
  });
  expect('rows parsed', parse.value, f.rows);
  const parseCopy = await session(pool, async (c) => {
    await c.query('BEGIN');
    const t = await timed(async () => {
      await repo.createStage(c);
      const list = await openPriceList(f.csv, OPEN);
      const counts = { rows: 0, rejected: 0, rejections: [], rejections_truncated: false };
      const r = await loadPass(c, screenRows(list, { mode: 'staged' }, false), 'staged', counts, {});
      return r.loaded;
    });
    await c.query('ROLLBACK');
    return t;
  });
  expect('rows parsed and copied', parseCopy.value, f.rows);

  // the importer's merge statement (ASIN lookup by barcode, history CTE) on a stage loaded by COPY
  const vendorId = await resetVendors(pool, 'Phase GmbH');
  const merge = async (file: string) =>
    session(pool, async (c) => {
      await c.query('BEGIN');
      await repo.createStage(c);
      await copyFile(c, 'stage_prices', file);
      const priceListId = await repo.insertPriceList(c, {
        vendorId,
        fileName: path.basename(file),
        sha256: '0'.repeat(64),
        status: 'success',
        source: 'cli',
        objectKey: null,
        currency: 'EUR',
        createdBy: null,
        createdAt: new Date(),
      });
      const t = await timed(() =>
        repo.merge(c, 'stage_prices', vendorId, priceListId, new Date(), { lookup: true, empty: false }),
      );
      await c.query('COMMIT');
      return t;
    });
  await settle(pool);
  const first = await merge(f.copy);
  expect('importer merge: inserted', first.value.inserted, f.rows);
  await settle(pool, true);
  const again = await merge(f.copyChanged);
  expect('importer merge: updated', again.value.updated, f.changed);
  return {
    sha256_s: sha.s,
    parse_only_s: parse.s,
    parse_and_copy_s: parseCopy.s,
    parse_rows_per_s: Math.round(f.rows / parse.s),
    merge_statement_first_s: first.s,
    merge_statement_reimport_s: again.s,
  };
}

// ---------------------------------------------------------------------------------------------------
// End to end: the CLI as a child process

interface CliRun {
  wall_s: number;
  import_duration_s: number;
  rows_per_s: number;
  peak_rss_mb: number;
  /** From the server's slow-statement log: where the CLI's time went. */
  phases: ServerPhases;
  summary: ImportSummary;
}

interface ServerPhases {
  /** COPY into vendor_prices (first list) or the stage: open from the first row to the last, so parse + COPY. */
  parse_and_copy_s: number;
  /** Reading the vendor's stored row fingerprints (re-import). */
  fingerprints_s: number;
  /** The merge statements (upsert + history, fingerprint refresh, barcode → ASIN fill). */
  merge_s: number;
  /** The rest of the import (sha256, small queries, commit). */
  rest_of_import_s: number;
  /** Outside the import: node start, loading the bundle, connect, migrate check, exit. */
  process_s: number;
}

/** The server logs every statement that takes ≥ 100 ms (set up in benchImport); read what one run added. */
function logSince(logFile: string, offset: number): string {
  const size = statSync(logFile).size;
  const buf = Buffer.alloc(size - offset);
  const fd = openSync(logFile, 'r');
  try {
    readSync(fd, buf, 0, buf.length, offset);
  } finally {
    closeSync(fd);
  }
  return buf.toString('utf8');
}

function statementSeconds(log: string, startsWith: string): number {
  let ms = 0;
  for (const m of log.matchAll(/duration: ([\d.]+) ms\s+(?:statement|execute [^:]*): (.*)/g)) {
    if (m[2]!.trimStart().startsWith(startsWith)) ms += Number(m[1]);
  }
  return round(ms / 1000, 3);
}

/** `awa ARGS` with the peak-RSS reporter preloaded (bench/import-peak-rss.mjs). */
const runCli = (args: string[], env: NodeJS.ProcessEnv) => runAwa(args, env, { peakRss: true });

async function cliImport(
  file: string,
  rows: number,
  env: NodeJS.ProcessEnv,
  logFile: string,
): Promise<CliRun> {
  const logOffset = statSync(logFile).size;
  const t0 = performance.now();
  const r = await runCli(['import-prices', file, '--vendor', 'Bench GmbH', '--json'], env);
  const wall = secondsSince(t0);
  if (r.code !== 0) {
    throw new Error(`import bench: awa import-prices exited with ${r.code}\n${r.out}\n${r.err.slice(-4000)}`);
  }
  const summary = JSON.parse(r.out) as ImportSummary;
  const rss = /PEAK_RSS_KB (\d+)/.exec(r.err);
  if (!rss) throw new Error(`import bench: no PEAK_RSS_KB line from the child\n${r.err.slice(-2000)}`);
  const log = logSince(logFile, logOffset);
  const copy = statementSeconds(log, 'COPY stage_prices') + statementSeconds(log, 'COPY vendor_prices');
  // the fingerprint read: one aggregated bytea now, a row each before
  const fingerprints =
    statementSeconds(log, 'COPY (SELECT string_agg(int8send(row_fp)') +
    statementSeconds(log, 'COPY (SELECT row_fp');
  const merge = ['WITH todo AS', 'INSERT INTO vendor_prices', 'UPDATE vendor_prices'].reduce(
    (sum, start) => sum + statementSeconds(log, start),
    0,
  );
  const importS = summary.duration_ms / 1000;
  return {
    wall_s: wall,
    import_duration_s: round(importS, 3),
    rows_per_s: Math.round(rows / wall),
    peak_rss_mb: Math.round(Number(rss[1]) / 1024),
    phases: {
      parse_and_copy_s: round(copy, 3),
      fingerprints_s: fingerprints,
      merge_s: round(merge, 3),
      rest_of_import_s: round(importS - copy - fingerprints - merge, 3),
      process_s: round(wall - importS, 3),
    },
    summary,
  };
}

function checkSummary(s: ImportSummary, want: Partial<ImportSummary>, what: string): void {
  for (const [k, v] of Object.entries(want)) expect(`${what}: summary.${k}`, s[k as keyof ImportSummary], v);
}

/** One round of the CLI: first import of the file, then the 1 %-changed file (for the same vendor). */
async function endToEnd(pool: pg.Pool, env: NodeJS.ProcessEnv, f: GeneratedFiles, logFile: string) {
  console.error('import: end to end (awa import-prices)…');
  const rows = f.rows;
  await pool.query('TRUNCATE vendors, load_log CASCADE');
  await settle(pool);
  const first = await cliImport(f.csv, rows, env, logFile);
  checkSummary(
    first.summary,
    { status: 'success', rows, inserted: rows, updated: 0, unchanged: 0, duplicates: 0, rejected: 0 },
    'first import',
  );
  await settle(pool, true);
  const again = await cliImport(f.csvChanged, rows, env, logFile);
  checkSummary(
    again.summary,
    {
      status: 'success',
      rows,
      inserted: 0,
      updated: f.changed,
      unchanged: rows - f.changed,
      history: f.changed,
      rejected: 0,
    },
    're-import',
  );
  return { first, again };
}

async function freshDatabase(adminUrl: string, url: string): Promise<pg.Pool> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${DATABASE}`);
  } finally {
    await admin.end();
  }
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  await migrate(pool);
  return pool;
}

// ---------------------------------------------------------------------------------------------------

/**
 * `repeat` (default 2): every timed step runs that many times and the fastest counts — on a shared
 * machine noise only ever adds time; all runs are in the figures.
 */
export async function benchImport(opts: { rows: number; repeat?: number; detail?: boolean }) {
  const rows = opts.rows;
  const repeat = Math.max(1, opts.repeat ?? 2);
  // the machine may be shared: the load around the run says how much to trust single-run figures
  const loadBefore = os.loadavg().map((x) => round(x));
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'awa-bench-import-'));
  const filesDir = path.join(tmp, 'files');
  const dataDir = path.join(tmp, 'awa');
  mkdirSync(filesDir);
  mkdirSync(dataDir);
  let server: Awaited<ReturnType<typeof ensureEmbeddedServer>> | undefined;
  let pool: pg.Pool | undefined;
  try {
    console.error(`import: generating ${rows.toLocaleString('en')} rows…`);
    const gen = await timed(() =>
      generateFiles({
        rows,
        csv: path.join(filesDir, 'preisliste.csv'),
        copy: path.join(filesDir, 'preisliste.copy'),
        csvChanged: path.join(filesDir, 'preisliste-neu.csv'),
        copyChanged: path.join(filesDir, 'preisliste-neu.copy'),
      }),
    );
    const f = gen.value;

    const pgDir = path.join(tmp, 'pg');
    server = await ensureEmbeddedServer({
      dir: pgDir,
      port: await freePort(),
      database: DATABASE,
    });
    pool = new pg.Pool({ connectionString: server.url, max: 4 });
    await migrate(pool);
    // slow statements go to the server log (the embedded server writes it next to its data dir)
    await pool.query("ALTER SYSTEM SET log_min_duration_statement = '100ms'");
    await pool.query('SELECT pg_reload_conf()');
    const { rows: pgInfo } = await pool.query(
      `SELECT current_setting('server_version') AS version,
        current_setting('shared_buffers') AS shared_buffers,
        current_setting('max_wal_size') AS max_wal_size, current_setting('wal_level') AS wal_level,
        current_setting('temp_buffers') AS temp_buffers, current_setting('work_mem') AS work_mem`,
    );

    // end to end first, right after migrate. Others may be editing a migration meanwhile: the CLI then
    // refuses the database (checksum changed); start over on a fresh database rather than fail.
    const env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      AWA_DATA_DIR: dataDir,
      DATABASE_URL: server.url,
      LOG_PRETTY: 'false',
    };
    const version = await runCli(['--version'], env); // builds dist/cli/ if stale: not timed
    if (version.code !== 0) throw new Error(`import bench: awa --version failed\n${version.err}`);
    // the fixed cost of any `awa` command: node start + the command definitions (each command
    // loads its own modules when it runs, so that part counts in the import's process_s)
    const startup = await timed(() => runCli(['--version'], env));
    const cliRounds: Awaited<ReturnType<typeof endToEnd>>[] = [];
    for (let attempt = 1; cliRounds.length < repeat; attempt++) {
      try {
        cliRounds.push(await endToEnd(pool, env, f, `${pgDir}.log`));
      } catch (err) {
        if (attempt >= repeat + 2 || !/changed after it was applied/.test(String(err))) throw err;
        console.error('import: a migration changed during the run; fresh database, trying again…');
        await pool.end();
        pool = await freshDatabase(server.adminUrl, server.url);
      }
    }
    const fastestRun = (runs: CliRun[]) => runs.reduce((a, b) => (b.wall_s < a.wall_s ? b : a));
    const first = fastestRun(cliRounds.map((r) => r.first));
    const again = fastestRun(cliRounds.map((r) => r.again));

    console.error('import: floor (bare COPY)…');
    const bareRuns: Awaited<ReturnType<typeof bareCopy>>[] = [];
    for (let i = 0; i < repeat; i++) bareRuns.push(await bareCopy(pool, f.copy, rows));
    const bare = Object.fromEntries(
      Object.keys(bareRuns[0]!).map((k) => [k, Math.min(...bareRuns.map((r) => r[k as keyof typeof r]))]),
    );
    // the floor variants and the importer's phases in-process explain the figures; they take most of
    // the run's time, so only BENCH_IMPORT_DETAIL=1 measures them
    const variants = [];
    for (const v of opts.detail ? VARIANTS : []) {
      console.error(`import: floor variant ${v.name}…`);
      variants.push(await floorVariant(pool, v, f, repeat));
    }
    const realistic = variants.filter((v) => v.realistic);
    const best = realistic.length
      ? realistic.reduce((a, b) => (b.first_s + b.reimport_s < a.first_s + a.reimport_s ? b : a))
      : undefined;
    const baseline = variants[0];
    if (opts.detail) console.error('import: importer phases in-process…');
    const phases = opts.detail ? await importerPhases(pool, f) : undefined;
    const bareCopyS = Math.min(...Object.values(bare));

    const e2e = (r: CliRun) => {
      const { summary: _s, ...figures } = r;
      return figures;
    };

    return {
      rows,
      changed_rows: f.changed,
      repeat,
      load_average: { before: loadBefore, after: os.loadavg().map((x) => round(x)) },
      generate_s: gen.s,
      files_mb: {
        csv: sizeMb(f.csv),
        copy: sizeMb(f.copy),
        csv_changed: sizeMb(f.csvChanged),
        copy_changed: sizeMb(f.copyChanged),
      },
      postgres: pgInfo[0],
      floor_bare_copy_s: bareCopyS,
      bare_copy_variants: bare,
      floor: best && {
        variant: best.name,
        first_s: best.first_s,
        reimport_s: best.reimport_s,
        statement_first_s: best.statement_first_s,
        statement_reimport_s: best.statement_reimport_s,
        first_rows_per_s: Math.round(rows / best.first_s),
        reimport_rows_per_s: Math.round(rows / best.reimport_s),
      },
      floor_baseline: baseline && {
        first_s: baseline.first_s,
        reimport_s: baseline.reimport_s,
        statement_first_s: baseline.statement_first_s,
        statement_reimport_s: baseline.statement_reimport_s,
      },
      floor_variants: variants,
      importer_phases: phases,
      end_to_end: {
        cli_startup_s: startup.s,
        cli_startup_peak_rss_mb: Math.round(Number(/PEAK_RSS_KB (\d+)/.exec(startup.value.err)?.[1]) / 1024),
        first: { ...e2e(first), runs_wall_s: cliRounds.map((r) => r.first.wall_s) },
        reimport: { ...e2e(again), runs_wall_s: cliRounds.map((r) => r.again.wall_s) },
      },
      // the yardstick: the whole command against a bare COPY of the same rows, same run
      ratio_end_to_end_vs_bare_copy: {
        first: round(first.wall_s / bareCopyS),
        reimport: round(again.wall_s / bareCopyS),
      },
      ratio_end_to_end_vs_floor: best && {
        first: round(first.wall_s / best.first_s),
        reimport: round(again.wall_s / best.reimport_s),
      },
      ratio_end_to_end_vs_baseline_floor: baseline && {
        first: round(first.wall_s / baseline.first_s),
        reimport: round(again.wall_s / baseline.reimport_s),
      },
      settings_tried: VARIANTS.map((v) => ({
        name: v.name,
        session: v.session ?? [],
        local: v.local ?? [],
        stage: v.stage ?? 'temp',
        freeze: v.freeze ?? false,
        analyze: v.analyze ?? false,
        statement: v.statement ?? 'upsert',
      })),
    };
  } finally {
    await pool?.end().catch(() => {});
    await server?.stop().catch(() => {});
    rmSync(tmp, { recursive: true, force: true });
  }
}
