import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type RateCardServer, startRateCardServer } from '../../../test/fakes/ratecards.ts';
import { tempDir } from '../../../test/fixtures/price-lists/files.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/db.ts';
import { startS3rver, type TestS3 } from '../../../test/helpers/s3.ts';
import { loadConfig } from '../../platform/config.ts';
import { isAppError } from '../../platform/errors.ts';
import { createHttpClient, type HttpClientOptions } from '../../platform/http/client.ts';
import { silentLogger } from '../../platform/logger.ts';
import {
  createObjectStore,
  FsObjectStore,
  type ObjectStore,
  type StorageConfig,
} from '../../platform/storage/index.ts';
import { roiSettingsFrom } from '../roi/roi.service.ts';
import { type LogisticsDeps, loadRateCards } from './logistics.service.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../../../test/fixtures/ratecards');
const fixture = (name: string) => readFileSync(path.join(FIXTURES, name));
const HEADER = 'carrier,origin,dest,service,eur_per_kg,effective_from,effective_to';
const csv = (...rows: string[]) => [HEADER, ...rows].join('\n');

let tdb: TestDatabase;
let web: RateCardServer;
let s3: TestS3;
let bucket: ObjectStore;
const tmp = tempDir('awa-logistics-test-');

// fast retries, short timeouts: a stalled or failing source must not slow the suite down
const client = (o: Partial<HttpClientOptions> = {}) =>
  createHttpClient({
    api: 'logistics',
    timeoutMs: 3_000,
    idleTimeoutMs: 400,
    retries: 2,
    baseDelayMs: 5,
    maxDelayMs: 20,
    ...o,
  });
let deps: LogisticsDeps;

beforeAll(async () => {
  [tdb, web, s3] = await Promise.all([
    createTestDatabase(),
    startRateCardServer(),
    startS3rver('carrier-cards'),
  ]);
  const storage: StorageConfig = {
    STORAGE_DRIVER: 'local',
    dataDir: tmp.dir,
    S3_ENDPOINT: s3.endpoint,
    S3_REGION: 'us-east-1',
    S3_ACCESS_KEY_ID: s3.accessKeyId,
    S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
    S3_FORCE_PATH_STYLE: true,
  };
  bucket = await createObjectStore({ ...storage, STORAGE_DRIVER: 's3', S3_BUCKET: s3.bucket });
  deps = {
    db: tdb.db,
    store: new FsObjectStore(path.join(tmp.dir, 'objects')),
    storage,
    http: client(),
    log: silentLogger,
    maxUncompressedBytes: 50 << 20,
    roiSettings: roiSettingsFrom(loadConfig({})),
  };
});

afterAll(async () => {
  await Promise.all([tdb?.drop(), web?.close(), s3?.stop()]);
  tmp.cleanup();
});

beforeEach(async () => {
  // load_log too: each card's load is recorded there as well, and would make the next test's card "unchanged"
  await tdb.db.pool.query('TRUNCATE logistics_rates, logistics_loadlog, load_log');
});

const run = (sources: string[], dryRun = false, d: Partial<LogisticsDeps> = {}) =>
  loadRateCards({ ...deps, ...d }, { sources, dryRun });
const rates = async () =>
  (
    await tdb.db.pool.query(
      `SELECT carrier || ':' || origin || ':' || dest || ':' || service AS lane, effective_from::text AS "from",
              effective_to::text AS "to", eur_per_kg::text AS rate, source
       FROM logistics_rates ORDER BY 1, 2`,
    )
  ).rows;
const loadlog = async () =>
  (await tdb.db.pool.query('SELECT source, sha256, rows FROM logistics_loadlog ORDER BY loaded_at')).rows;

describe('loading from http(s)', () => {
  it('loads a CSV card: rates upserted under the lane key, the snapshot recorded', async () => {
    web.serve('/dhl/eu.csv', { body: fixture('dhl-eu.csv') });
    const s = await run([web.at('/dhl/eu.csv')]);
    expect(s.counts).toEqual({
      sources: 1,
      rows: 4,
      upserted: 4,
      unchanged: 0,
      skipped: 0,
      failed_sources: 0,
    });
    expect(s.sources[0]).toMatchObject({
      status: 'loaded',
      format: 'csv',
      version: expect.stringMatching(/^ETag "/),
    });
    expect(s.roi_refreshed).toBe(true);
    const src = web.at('/dhl/eu.csv');
    expect(await rates()).toEqual([
      { lane: 'DHL:DE:DE:standard', from: '2026-01-01', to: null, rate: '0.8500', source: src },
      { lane: 'DHL:FR:DE:express', from: '2026-01-01', to: null, rate: '2.4000', source: src },
      { lane: 'DHL:PL:DE:standard', from: '2026-01-01', to: '2026-12-31', rate: '1.1000', source: src },
      { lane: 'UPS:IT:DE:standard', from: '1900-01-01', to: null, rate: '1.2340', source: src },
    ]);
    expect(await loadlog()).toEqual([{ source: src, sha256: s.sources[0]!.sha256, rows: 4 }]);
  });

  it('skips a snapshot whose ETag was loaded last, without downloading it', async () => {
    const p = '/etag/rates.csv';
    web.serve(p, { body: csv('DHL,DE,AT,standard,1.00,,'), etag: '"v1"' });
    await run([web.at(p)]);
    const gets = web.hits(p, 'GET');
    // same ETag, other bytes: the version says "same snapshot", so nothing is fetched or changed
    web.serve(p, { body: csv('DHL,DE,AT,standard,9.00,,'), etag: '"v1"' });
    const again = await run([web.at(p)]);
    expect(again.sources[0]).toMatchObject({ status: 'unchanged', matched: 'version', version: 'ETag "v1"' });
    expect(again.counts).toMatchObject({ rows: 0, upserted: 0, failed_sources: 0 });
    expect(again.roi_refreshed).toBe(false);
    expect(web.hits(p, 'GET')).toBe(gets);
    expect((await rates())[0].rate).toBe('1.0000');
    web.serve(p, { body: csv('DHL,DE,AT,standard,9.00,,'), etag: '"v2"' });
    expect((await run([web.at(p)])).sources[0]).toMatchObject({ status: 'loaded', upserted: 1 });
    expect((await rates())[0].rate).toBe('9.0000');
  });

  it('skips the same bytes by sha256 when the server has no ETag and a new Last-Modified', async () => {
    const p = '/sha/rates.csv';
    const body = csv('GLS,DE,AT,standard,1.00,,');
    web.serve(p, { body, etag: null, lastModified: 'Tue, 01 Sep 2026 08:00:00 GMT' });
    expect((await run([web.at(p)])).sources[0]).toMatchObject({
      status: 'loaded',
      version: 'Last-Modified Tue, 01 Sep 2026 08:00:00 GMT',
    });
    web.serve(p, { body, etag: null, lastModified: 'Wed, 02 Sep 2026 08:00:00 GMT' });
    expect((await run([web.at(p)])).sources[0]).toMatchObject({ status: 'unchanged', matched: 'sha256' });
    expect(web.hits(p, 'GET')).toBe(2);
    expect(await loadlog()).toHaveLength(1);
  });

  it('a changed card upserts only the lanes that changed; lanes it no longer lists stay', async () => {
    const p = '/changes.csv';
    web.serve(p, {
      body: csv('DPD,CZ,DE,std,1.00,,', 'DPD,PL,DE,std,2.00,2026-01-01,', 'DPD,AT,DE,std,3.00,,'),
    });
    await run([web.at(p)]);
    web.serve(p, {
      body: csv('DPD,CZ,DE,std,1.0000,,', 'DPD,PL,DE,std,2.50,2026-01-01,', 'DPD,HU,DE,std,4.00,,'),
    });
    const s = await run([web.at(p)]);
    expect(s.counts).toMatchObject({ rows: 3, upserted: 2, unchanged: 1, skipped: 0 });
    expect((await rates()).map((r) => [r.lane, r.rate])).toEqual([
      ['DPD:AT:DE:std', '3.0000'],
      ['DPD:CZ:DE:std', '1.0000'],
      ['DPD:HU:DE:std', '4.0000'],
      ['DPD:PL:DE:std', '2.5000'],
    ]);
  });

  it('a card reverted to an earlier version is loaded again (only the last snapshot counts as loaded)', async () => {
    const p = '/revert.csv';
    const a = csv('DHL,DE,FR,standard,1.00,,');
    web.serve(p, { body: a });
    await run([web.at(p)]);
    web.serve(p, { body: csv('DHL,DE,FR,standard,2.00,,') });
    await run([web.at(p)]);
    web.serve(p, { body: a });
    expect((await run([web.at(p)])).sources[0]).toMatchObject({ status: 'loaded', upserted: 1 });
    expect((await rates())[0].rate).toBe('1.0000');
    expect(await loadlog()).toHaveLength(2);
  });

  it('answers slower than usual are still loaded', async () => {
    web.serve('/slow.csv', { body: csv('DHL,DE,NL,standard,1.00,,') });
    web.trouble('/slow.csv', { kind: 'slow', delayMs: 150 });
    expect((await run([web.at('/slow.csv')])).counts.upserted).toBe(1);
  });
});

describe('s3 and file sources', () => {
  it('s3://: loads, skips the unchanged object, and a missing key fails only itself', async () => {
    await bucket.put('cards/ups.json', fixture('rates.json'));
    const uri = `s3://${s3.bucket}/cards/ups.json`;
    const missing = `s3://${s3.bucket}/cards/missing.csv`;
    const s = await run([uri, missing]);
    expect(s.sources.map((x) => [x.status, x.format, x.rows, x.upserted, x.skipped])).toEqual([
      ['loaded', 'json', 4, 2, 2],
      ['failed', undefined, 0, 0, 0],
    ]);
    expect(s.sources[1]!.error).toBe(`${missing} does not exist`);
    expect(s.counts).toMatchObject({ sources: 2, failed_sources: 1, upserted: 2 });
    expect((await run([uri])).sources[0]).toMatchObject({ status: 'unchanged', matched: 'version' });
  });

  it('file://: XLSX and paths; the same content is skipped by sha256', async () => {
    const ExcelJS = (await import('exceljs')).default;
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Rates');
    ws.addRow(['Carrier', 'From', 'To', 'Mode', 'Price per kg', 'Valid from']);
    ws.addRow(['Hermes', 'DE', 'DE', 'parcel', 0.42, new Date(Date.UTC(2026, 0, 1))]);
    const file = path.join(tmp.dir, 'hermes.xlsx');
    await wb.xlsx.writeFile(file);
    const uri = pathToFileURL(file).href;
    const s = await run([uri, path.join(FIXTURES, 'dhl-eu.csv')]);
    expect(s.sources.map((x) => [x.status, x.format, x.upserted])).toEqual([
      ['loaded', 'xlsx', 1],
      ['loaded', 'csv', 4],
    ]);
    expect((await rates()).find((r) => r.lane === 'Hermes:DE:DE:parcel')).toMatchObject({
      rate: '0.4200',
      from: '2026-01-01',
    });
    expect((await run([uri])).sources[0]).toMatchObject({ status: 'unchanged', matched: 'sha256' });
  });
});

describe('bad rows and failing sources', () => {
  it('invalid rows are skipped and reported per source; the valid ones load', async () => {
    const s = await run([path.join(FIXTURES, 'problems.csv')]);
    expect(s.counts).toMatchObject({ rows: 12, upserted: 2, skipped: 10 });
    expect(s.sources[0]!.rejections).toHaveLength(10);
    expect(s.sources[0]!.rejections[0]).toEqual({
      line: 3,
      column: 'valid_from',
      value: '2026-06-01…open',
      reason: 'validity overlaps line 2 (2026-01-01…2026-06-30) of the same lane GLS:DE:AT:standard',
    });
  });

  it('reports the first 100 rejections of a card and how many more there were', async () => {
    const bad = Array.from({ length: 150 }, (_, i) => `DHL,DE,FR,s${i},-1,,`);
    const file = tmp.write('many-bad.csv', csv('DHL,DE,FR,standard,1.00,,', ...bad));
    const s = await run([file]);
    expect(s.sources[0]).toMatchObject({ rows: 151, upserted: 1, skipped: 150, rejections_omitted: 50 });
    expect(s.sources[0]!.rejections).toHaveLength(100);
  });

  it('404, 500 after retries, stalled and broken downloads, malformed bodies, missing columns: each fails alone', async () => {
    web.serve('/good.csv', { body: csv('DHL,DE,BE,standard,1.10,,') });
    web.trouble('/down.csv', { kind: 'status', status: 500 });
    web.serve('/stall.csv', { body: csv('DHL,DE,CH,standard,1.10,,'.repeat(1)) });
    web.trouble('/stall.csv', { kind: 'stall_body' });
    web.serve('/cut.csv', {
      body: csv(...Array.from({ length: 50 }, (_, i) => `DHL,DE,C${i % 10},standard,1.10,,`)),
    });
    web.trouble('/cut.csv', { kind: 'break_off' });
    web.serve('/broken.json', { body: '{"rates": [{"carrier": "DHL",', contentType: 'application/json' });
    web.serve('/login.csv', { body: '<html><body>Please log in</body></html>', contentType: 'text/html' });
    web.serve('/columns.csv', { body: fixture('missing-columns.csv') });
    const uris = [
      '/good.csv',
      '/nothing.csv',
      '/down.csv',
      '/stall.csv',
      '/cut.csv',
      '/broken.json',
      '/login.csv',
      '/columns.csv',
    ].map((p) => web.at(p));
    const s = await run(['ftp://carrier.example/ftp.csv', ...uris]);
    const by = Object.fromEntries(s.sources.map((x) => [new URL(x.source).pathname, x]));
    expect(by['/good.csv']).toMatchObject({ status: 'loaded', upserted: 1 });
    expect(s.counts).toMatchObject({ sources: 9, failed_sources: 8, upserted: 1 });
    expect(s.sources[0]!.error).toContain('unsupported scheme ftp://');
    expect(by['/nothing.csv']).toMatchObject({ status: 'failed', error_kind: 'not_found' });
    expect(by['/nothing.csv']!.error).toContain('404');
    expect(by['/down.csv']!.error).toMatch(/after 3 attempts: .*500/);
    expect(web.hits('/down.csv', 'GET')).toBe(3);
    expect(by['/stall.csv']).toMatchObject({ status: 'failed', error_kind: 'upstream' });
    expect(by['/cut.csv']).toMatchObject({ status: 'failed' });
    expect(by['/broken.json']!.error).toMatch(/^broken\.json: not valid JSON/);
    expect(by['/login.csv']!.error).toBe('login.csv is not a spreadsheet (looks like an HTML page)');
    expect(by['/columns.csv']!.error).toContain('headers found: "Lane", "From", "To", "Price"');
    expect((await rates()).map((r) => r.lane)).toEqual(['DHL:DE:BE:standard']);
    expect((await loadlog()).map((r) => new URL(r.source).pathname)).toEqual(['/good.csv']);
  });

  it('a server that never answers times out and fails that source', async () => {
    web.trouble('/hang.csv', { kind: 'stall_headers' });
    const s = await run([web.at('/hang.csv'), path.join(FIXTURES, 'dhl-eu.csv')], false, {
      http: client({ timeoutMs: 300, retries: 0 }),
    });
    expect(s.sources[0]).toMatchObject({ status: 'failed', error_kind: 'upstream' });
    expect(s.sources[0]!.error).toMatch(/timed out|timeout/i);
    expect(s.sources[1]).toMatchObject({ status: 'loaded' });
  });

  it('the run fails only when every source failed, with the per-source report', async () => {
    const err = await run([web.at('/none-1.csv'), path.join(tmp.dir, 'absent.csv')]).catch((e: unknown) => e);
    if (!isAppError(err)) throw new Error('expected an AppError');
    expect(err.kind).toBe('invalid');
    expect(err.message).toMatch(/^every rate card source failed/);
    expect(err.details).toMatchObject({ counts: { sources: 2, failed_sources: 2 } });
  });
});

describe('dry run', () => {
  it('reports per source what it would upsert and skip, and writes nothing (not even the loadlog)', async () => {
    await run([path.join(FIXTURES, 'dhl-eu.csv')]);
    const before = { rates: await rates(), loadlog: await loadlog() };
    web.serve('/dry.csv', {
      body: csv(
        'DHL,DE,DE,standard,0.85,2026-01-01,',
        'DHL,PL,DE,standard,1.30,2026-01-01,2026-12-31',
        'X,DE,FR,road,0,,',
      ),
    });
    const s = await run([web.at('/dry.csv'), path.join(FIXTURES, 'problems.csv')], true);
    expect(s.dry_run).toBe(true);
    expect(s.roi_refreshed).toBe(false);
    expect(s.sources.map((x) => [x.status, x.rows, x.upserted, x.unchanged, x.skipped])).toEqual([
      ['would_load', 3, 1, 1, 1],
      ['would_load', 12, 2, 0, 10],
    ]);
    expect(s.sources[0]!.rejections).toEqual([
      { line: 4, column: 'eur_per_kg', value: '0', reason: 'must be greater than 0' },
    ]);
    expect(s.counts).toEqual({
      sources: 2,
      rows: 15,
      upserted: 3,
      unchanged: 1,
      skipped: 11,
      failed_sources: 0,
    });
    expect({ rates: await rates(), loadlog: await loadlog() }).toEqual(before);
    // nothing recorded: the real run loads the same snapshot
    expect((await run([web.at('/dry.csv')])).sources[0]).toMatchObject({ status: 'loaded', upserted: 1 });
  });
});
