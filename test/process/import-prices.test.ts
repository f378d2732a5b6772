import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { baseEnv, type Env, killAll, parseOneJson, removeDir, runCli, tempDataDir } from '../helpers/proc.ts';

// `awa import-prices` as a seller runs it: exit codes, the JSON summary, the problem report.
let testDb: TestDatabase;
let dir: string;
let env: Env;

beforeAll(async () => {
  testDb = await createTestDatabase();
  dir = tempDataDir();
  env = baseEnv({ DATABASE_URL: testDb.url, AWA_DATA_DIR: dir });
});

afterAll(async () => {
  await killAll();
  await testDb?.drop();
  removeDir(dir);
});

function write(name: string, content: string | Buffer): string {
  const f = path.join(dir, name);
  writeFileSync(f, content);
  return f;
}

const LIST =
  'Preisliste ACME\n\nArt.-Nr.;EAN;Einkaufspreis;VPE\nA-1;4006381333931;3.396,63;1\nA-2;;12,50;6\n';

describe('awa import-prices', () => {
  it('prints one JSON summary with the counts, and skips the same file the second time', async () => {
    const f = write('acme.csv', LIST);
    const r = await runCli(['import-prices', f, '--vendor', 'ACME GmbH', '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    const s = parseOneJson(r.stdout);
    expect(s).toMatchObject({
      status: 'success',
      vendor: 'ACME GmbH',
      rows: 2,
      inserted: 2,
      updated: 0,
      unchanged: 0,
      duplicates: 0,
      rejected: 0,
      dry_run: false,
      price_list_id: expect.any(Number),
    });
    const again = await runCli(['import-prices', f, '--vendor', 'ACME GmbH'], env);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/already imported for ACME GmbH .*--force/);
  });

  it('rejects a file with invalid rows: exit 1, every problem listed, CSV report written', async () => {
    const f = write('bad.csv', 'sku,ean,cost\nX-1,4006381333932,1.00\nX-2,,zero\nX-3,,2.00\n');
    const rejects = path.join(dir, 'rejects.csv');
    const r = await runCli(['import-prices', f, '--vendor', 'Bad Co', '--rejects', rejects], env);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/2 of 3 rows are invalid; nothing was imported/);
    expect(r.stdout).toMatch(/line 2, column ean, value "4006381333932": .+/);
    expect(r.stdout).toMatch(/line 3, column cost, value "zero": .+/);
    const csv = readFileSync(rejects, 'utf8').trim().split('\n');
    expect(csv[0]).toBe('line,column,value,reason');
    expect(csv.slice(1).map((l) => l.split(',').slice(0, 3).join(','))).toEqual([
      '2,ean,4006381333932',
      '3,cost,zero',
    ]);
    const loaded = await testDb.db.pool.query("SELECT count(*)::int AS n FROM vendors WHERE name = 'Bad Co'");
    expect(loaded.rows[0].n).toBe(0);

    const partial = await runCli(['import-prices', f, '--vendor', 'Bad Co', '--skip-invalid', '--json'], env);
    expect(partial.code, partial.stderr).toBe(0);
    expect(parseOneJson(partial.stdout)).toMatchObject({ status: 'partial', inserted: 1, rejected: 2 });
  });

  it('--dry-run counts against the database and writes nothing', async () => {
    const f = write('dry.csv', 'sku;preis\nD-1;1,00\nD-2;2,00\n');
    const r = await runCli(['import-prices', f, '--vendor', 'Dry GmbH', '--dry-run', '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(parseOneJson(r.stdout)).toMatchObject({
      status: 'success',
      dry_run: true,
      inserted: 2,
      price_list_id: null,
    });
    const n = await testDb.db.pool.query("SELECT count(*)::int AS n FROM vendors WHERE name = 'Dry GmbH'");
    expect(n.rows[0].n).toBe(0);
  });

  it('--map wins over header detection', async () => {
    const f = write('map.csv', 'Kennung,Wert,Note\nM-1,9.90,x\n');
    const without = await runCli(['import-prices', f, '--vendor', 'Map Srl', '--json'], env);
    expect(without.code).toBe(1);
    expect(parseOneJson(without.stdout).error, without.stdout).toMatchObject({ code: 'invalid' });
    const r = await runCli(
      ['import-prices', f, '--vendor', 'Map Srl', '--map', 'Kennung=sku', 'Wert=cost', '--json'],
      env,
    );
    expect(r.code, r.stderr).toBe(0);
    expect(parseOneJson(r.stdout)).toMatchObject({ inserted: 1, columns: { sku: 'Kennung', cost: 'Wert' } });
    const bad = await runCli(['import-prices', f, '--vendor', 'Map Srl', '--map', 'Wert=colour'], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/Wert=colour/);
  });

  it('clear errors for files that cannot be imported', async () => {
    const pdf = write('list.xlsx', Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n'));
    const r1 = await runCli(['import-prices', pdf, '--vendor', 'X'], env);
    expect(r1.code).toBe(1);
    expect(r1.stderr).toMatch(/list\.xlsx.*not a spreadsheet.*PDF/i);
    const empty = write('empty.csv', '');
    const r2 = await runCli(['import-prices', empty, '--vendor', 'X'], env);
    expect(r2.code).toBe(1);
    expect(r2.stderr).toMatch(/empty\.csv.*empty/i);
    const r3 = await runCli(['import-prices', path.join(dir, 'missing.csv'), '--vendor', 'X'], env);
    expect(r3.code).toBe(1);
    expect(r3.stderr).toMatch(/missing\.csv/);
    const nocost = write('nocost.csv', 'sku,title,rrp\nA,Thing,9.99\n');
    const r4 = await runCli(['import-prices', nocost, '--vendor', 'X'], env);
    expect(r4.code).toBe(1);
    expect(r4.stderr).toMatch(/cost/);
    expect(r4.stderr).toMatch(/sku.*title.*rrp|rrp/);
    const r5 = await runCli(['import-prices', nocost], env);
    expect(r5.code).not.toBe(0);
    expect(r5.stderr).toMatch(/--vendor/);
    // a field error in the CLI's words: the flag; --json keeps the structured context
    const r6 = await runCli(['import-prices', nocost, '--vendor', 'X', '--currency', 'euro!', '--json'], env);
    expect(r6.code).toBe(1);
    expect(r6.stderr).toContain('error: --currency must be a 3-letter ISO code such as EUR (got "euro!")');
    expect(JSON.parse(r6.stdout).error.details).toEqual({
      field: 'currency',
      value: 'euro!',
      rule: 'iso_4217',
    });
  });
});
