import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createObjectStore } from '../../src/platform/storage/index.ts';
import { fixture } from '../fixtures/reports/files.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { startServer, type TestServer } from '../helpers/http.ts';
import { baseEnv, type Env, killAll, parseOneJson, removeDir, runCli, tempDataDir } from '../helpers/proc.ts';
import { startS3rver, type TestS3 } from '../helpers/s3.ts';

// `awa ingest FILE|URI` as a seller or a cron script runs it: exit codes, the JSON summary, the
// problem report, and every kind of source.
let testDb: TestDatabase;
let dir: string;
let env: Env;
let s3: TestS3;
let web: TestServer;
const BUCKET = 'seller-reports';

beforeAll(async () => {
  testDb = await createTestDatabase();
  dir = tempDataDir();
  s3 = await startS3rver(BUCKET);
  web = await startServer((req, res) => {
    if (req.url === '/dl/ads-sp.csv') return res.end(readFileSync(fixture('ads-sp.csv')));
    res.statusCode = 404;
    res.end('not here');
  });
  env = baseEnv({
    DATABASE_URL: testDb.url,
    AWA_DATA_DIR: dir,
    AWA_MARKETPLACE: 'US',
    S3_ENDPOINT: s3.endpoint,
    S3_ACCESS_KEY_ID: s3.accessKeyId,
    S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
  });
}, 120_000);

afterAll(async () => {
  await killAll();
  await web?.close();
  await s3?.stop();
  await testDb?.drop();
  removeDir(dir);
});

function write(name: string, content: string | Buffer): string {
  const f = path.join(dir, name);
  writeFileSync(f, content);
  return f;
}

async function count(sql: string): Promise<number> {
  return (await testDb.db.pool.query(sql)).rows[0].n;
}

const RETURNS = readFileSync(fixture('returns.tsv'), 'utf8');

describe('awa ingest', () => {
  it('--json prints one summary; the same file again is skipped; --force redoes it adding nothing', async () => {
    const f = write('returns.tsv', RETURNS);
    const r = await runCli(['ingest', f, '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    const s = parseOneJson(r.stdout);
    expect(s).toMatchObject({
      status: 'success',
      type: 'returns',
      file: 'returns.tsv',
      marketplace: 'US',
      rows: 2,
      inserted: 2,
      duplicates: 0,
      rejected: 0,
      dry_run: false,
      load_id: expect.any(Number),
    });
    expect(await count(`SELECT count(*)::int AS n FROM returns_raw`)).toBe(2);

    const again = await runCli(['ingest', f], env);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(
      /returns\.tsv: this returns report was ingested before \(load \d+\); use --force/,
    );
    const againJson = await runCli(['ingest', f, '--json'], env);
    expect(parseOneJson(againJson.stdout)).toMatchObject({
      status: 'skipped',
      load_id: s.load_id,
      inserted: 0,
    });

    const forced = await runCli(['ingest', f, '--force', '--json'], env);
    expect(forced.code, forced.stderr).toBe(0);
    expect(parseOneJson(forced.stdout)).toMatchObject({
      status: 'success',
      rows: 2,
      inserted: 0,
      duplicates: 2,
      load_id: s.load_id,
    });
    expect(await count(`SELECT count(*)::int AS n FROM returns_raw`)).toBe(2);
    expect(await count(`SELECT count(*)::int AS n FROM load_log`)).toBe(1);
  });

  it('rejects a file with invalid rows: exit 1, every problem listed, --rejects CSV written', async () => {
    const bad = RETURNS.replace('2026-09-02T22:01:05+00:00', '2026-02-31')
      .replace('Bamboo Cutting Board Set (3 pcs)\t1\t', 'Bamboo Cutting Board Set (3 pcs)\tone\t')
      .replaceAll('-1234567-', '-5555555-')
      .replaceAll('-7654321-', '-6666666-');
    const f = write('bad-returns.tsv', bad);
    const rejects = path.join(dir, 'rejects.csv');
    const r = await runCli(['ingest', f, '--rejects', rejects], env);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/bad-returns\.tsv: 2 of 2 rows are invalid; nothing was ingested/);
    expect(r.stdout).toMatch(/line 2, column quantity, value "one": \S.+/);
    expect(r.stdout).toMatch(/line 3, column return-date, value "2026-02-31": \S.+/);
    const csv = readFileSync(rejects, 'utf8').trim().split('\n');
    expect(csv[0]).toBe('line,column,value,reason');
    expect(csv.slice(1).map((l) => l.split(',').slice(0, 3).join(','))).toEqual([
      '2,quantity,one',
      '3,return-date,2026-02-31',
    ]);
    expect(await count(`SELECT count(*)::int AS n FROM returns_raw WHERE order_id LIKE '%-5555555-%'`)).toBe(
      0,
    );

    const json = await runCli(['ingest', f, '--json'], env);
    expect(json.code).toBe(1);
    expect(parseOneJson(json.stdout)).toMatchObject({
      status: 'rejected',
      rows: 2,
      rejected: 2,
      inserted: 0,
    });
    expect(await count(`SELECT count(*)::int AS n FROM load_log`)).toBe(1);
  });

  it('--skip-invalid loads the valid rows; --dry-run writes nothing', async () => {
    const f = write(
      'partly.tsv',
      RETURNS.replace('2026-09-02T22:01:05+00:00', 'soon').replaceAll('-1234567-', '-4444444-'),
    );
    const dry = await runCli(['ingest', f, '--skip-invalid', '--dry-run', '--json'], env);
    expect(dry.code, dry.stderr).toBe(0);
    expect(parseOneJson(dry.stdout)).toMatchObject({
      status: 'partial',
      dry_run: true,
      inserted: 1,
      rejected: 1,
      load_id: null,
    });
    expect(await count(`SELECT count(*)::int AS n FROM returns_raw WHERE order_id LIKE '%-4444444-%'`)).toBe(
      0,
    );
    const real = await runCli(['ingest', f, '--skip-invalid', '--json'], env);
    expect(real.code, real.stderr).toBe(0);
    expect(parseOneJson(real.stdout)).toMatchObject({ status: 'partial', inserted: 1, rejected: 1 });
    expect(await count(`SELECT count(*)::int AS n FROM returns_raw WHERE order_id LIKE '%-4444444-%'`)).toBe(
      1,
    );
  });

  it('an unknown report: exit 1, naming the known types and the headers seen', async () => {
    const f = write('orders.csv', 'order,total,colour\n1,2,red\n');
    const r = await runCli(['ingest', f], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/orders\.csv: unknown report/);
    for (const type of [
      'listings',
      'fba_inventory',
      'returns',
      'reimbursements',
      'inventory_ledger',
      'ads_sp',
    ])
      expect(r.stderr).toContain(type);
    expect(r.stderr).toMatch(/colour/);
    const json = await runCli(['ingest', f, '--json'], env);
    expect(json.code).toBe(1);
    expect(parseOneJson(json.stdout)).toMatchObject({ error: { code: 'invalid' } });
  });

  it('--type names a report its header alone does not identify; an unknown --type lists the types', async () => {
    // too few columns for detection, enough for a returns report
    const f = write('minimal.tsv', 'order-id\treturn-date\tquantity\n119-0000000-0000001\t2026-10-01\t3\n');
    const detected = await runCli(['ingest', f], env);
    expect(detected.code).toBe(1);
    expect(detected.stderr).toMatch(/unknown report/);
    const typed = await runCli(['ingest', f, '--type', 'returns', '--json'], env);
    expect(typed.code, typed.stderr).toBe(0);
    expect(parseOneJson(typed.stdout)).toMatchObject({ status: 'success', type: 'returns', inserted: 1 });
    const wrong = await runCli(['ingest', f, '--type', 'orders'], env);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(
      /unknown report type "orders"; known types: listings, fba_inventory, returns/,
    );
  });

  it('--marketplace decides the landing marketplace and the number format', async () => {
    const r = await runCli(
      ['ingest', fixture('reimbursements-de.csv'), '--marketplace', 'de', '--json'],
      env,
    );
    expect(r.code, r.stderr).toBe(0);
    expect(parseOneJson(r.stdout)).toMatchObject({ type: 'reimbursements', marketplace: 'DE', inserted: 2 });
    const rows = await testDb.db.pool.query(
      `SELECT marketplace, amount_total::text AS t FROM reimbursements_raw ORDER BY reimbursement_id`,
    );
    expect(rows.rows).toEqual([
      { marketplace: 'DE', t: '1235.00' },
      { marketplace: 'DE', t: '19.80' },
    ]);
    const bad = await runCli(['ingest', fixture('ads-sp.csv'), '--marketplace', 'Germany'], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/2-letter/);
  });

  it('reads file://, s3:// and http:// sources', async () => {
    const local = write('listings report.txt', readFileSync(fixture('listings.txt')));
    const viaFile = await runCli(['ingest', pathToFileURL(local).href, '--json'], env);
    expect(viaFile.code, viaFile.stderr).toBe(0);
    expect(parseOneJson(viaFile.stdout)).toMatchObject({
      type: 'listings',
      file: 'listings report.txt',
      inserted: 3,
    });

    const remote = await createObjectStore({
      STORAGE_DRIVER: 's3',
      dataDir: dir,
      S3_ENDPOINT: s3.endpoint,
      S3_REGION: 'us-east-1',
      S3_BUCKET: BUCKET,
      S3_ACCESS_KEY_ID: s3.accessKeyId,
      S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
      S3_FORCE_PATH_STYLE: true,
    });
    await remote.put('2026/11/settlement.txt', readFileSync(fixture('settlement.txt')));
    const uri = `s3://${BUCKET}/2026/11/settlement.txt`;
    const viaS3 = await runCli(['ingest', uri, '--json'], env);
    expect(viaS3.code, viaS3.stderr).toBe(0);
    expect(parseOneJson(viaS3.stdout)).toMatchObject({
      type: 'settlement',
      file: 'settlement.txt',
      inserted: 5,
    });
    const origin = await testDb.db.pool.query(
      `SELECT meta->>'origin' AS origin, meta->>'source' AS source FROM load_log WHERE source LIKE 'report:settlement:%'`,
    );
    expect(origin.rows).toEqual([{ origin: uri, source: 'cli' }]);
    const missing = await runCli(['ingest', `s3://${BUCKET}/2026/11/nope.txt`], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/s3:\/\/seller-reports\/2026\/11\/nope\.txt does not exist/);

    const viaHttp = await runCli(['ingest', `${web.url}/dl/ads-sp.csv`, '--json'], env);
    expect(viaHttp.code, viaHttp.stderr).toBe(0);
    expect(parseOneJson(viaHttp.stdout)).toMatchObject({ type: 'ads_sp', inserted: 2 });
    const gone = await runCli(['ingest', `${web.url}/dl/gone.csv`], env);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(/gone\.csv.*HTTP 404/);

    const nothing = await runCli(['ingest', path.join(dir, 'missing.tsv')], env);
    expect(nothing.code).toBe(1);
    expect(nothing.stderr).toMatch(/missing\.tsv: no such file/);
  });

  it('--help lists the options', async () => {
    const r = await runCli(['ingest', '--help'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Usage: awa ingest \[options\] <source>/);
    for (const o of [
      '--type <type>',
      '--marketplace <code>',
      '--force',
      '--dry-run',
      '--skip-invalid',
      '--rejects <file>',
      '--json',
    ])
      expect(r.stdout).toContain(o);
    expect(r.stdout).toMatch(/s3:\/\//);
  });
});
