import { writeFileSync } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { baseEnv, type Env, killAll, parseOneJson, removeDir, runCli, tempDataDir } from '../helpers/proc.ts';

// `awa repricer rules import` as a seller runs it: all rows or none, every problem with file, line,
// column, value and reason, exit 1 on any problem.
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

function write(name: string, content: string): string {
  const f = path.join(dir, name);
  writeFileSync(f, content);
  return f;
}

const rules = async () =>
  (
    await testDb.db.pool.query(
      `SELECT sku, min_price::text, max_price::text, map_price::text, strategy, step::text, enabled, updated_by
       FROM repricer_rules ORDER BY sku`,
    )
  ).rows;

describe('awa repricer rules import', () => {
  it('refuses a file with min > max and other bad cells: exit 1, file/line/column/value/reason, nothing saved', async () => {
    const f = write(
      'bad.csv',
      'Repricer rules DE\n\nsku;min_price;max_price;strategy;enabled\nOK-1;10,00;20,00;hold;ja\nBAD-1;30,00;20,00;;\nBAD-2;;;cheapest;maybe\n',
    );
    const r = await runCli(['repricer', 'rules', 'import', f], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('bad.csv: 3 problems in 3 rows; nothing was imported');
    expect(r.stderr).toContain(
      'bad.csv: line 5, column min_price, value "30,00": min_price 30,00 > max_price 20,00',
    );
    expect(r.stderr).toContain(
      'bad.csv: line 6, column strategy, value "cheapest": must be one of match_buybox, beat_buybox, min_roi, hold',
    );
    expect(r.stderr).toContain('bad.csv: line 6, column enabled, value "maybe": must be true or false');
    expect(await rules()).toEqual([]);

    const j = await runCli(['repricer', 'rules', 'import', f, '--json'], env);
    expect(j.code).toBe(1);
    const out = parseOneJson(j.stdout) as { error: { code: string; details: { rejections: unknown[] } } };
    expect(out.error.code).toBe('invalid');
    expect(out.error.details.rejections[0]).toEqual({
      line: 5,
      column: 'min_price',
      value: '30,00',
      reason: 'min_price 30,00 > max_price 20,00',
    });
  });

  it('--dry-run counts and writes nothing; then the import saves every rule', async () => {
    const f = write(
      'rules.tsv',
      'sku\tmin_price\tmax_price\tmap_price\tstrategy\tstep\tenabled\nA-1\t10.5\t25\t\tmatch_buybox\t\ttrue\nA-2\t\t\t12\tbeat_buybox\t0.05\tfalse\n',
    );
    const dry = await runCli(['repricer', 'rules', 'import', f, '--dry-run', '--json'], env);
    expect(dry.code, dry.stderr).toBe(0);
    expect(parseOneJson(dry.stdout)).toMatchObject({
      file: 'rules.tsv',
      dry_run: true,
      rows: 2,
      inserted: 2,
    });
    expect(await rules()).toEqual([]);

    const r = await runCli(['repricer', 'rules', 'import', f], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^rules\.tsv: 2 rules, 2 new, 0 updated, 0 unchanged/);
    expect(await rules()).toEqual([
      {
        sku: 'A-1',
        min_price: '10.50',
        max_price: '25.00',
        map_price: null,
        strategy: 'match_buybox',
        step: null,
        enabled: true,
        updated_by: expect.stringMatching(/^cli:/),
      },
      {
        sku: 'A-2',
        min_price: null,
        max_price: null,
        map_price: '12.00',
        strategy: 'beat_buybox',
        step: '0.05',
        enabled: false,
        updated_by: expect.stringMatching(/^cli:/),
      },
    ]);
  });

  it('reads XLSX (numeric cells) and names the sheet row of a bad cell', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Rules');
    ws.addRow(['sku', 'min_price', 'max_price']);
    ws.addRow(['X-1', 9.99, 19.99]);
    ws.addRow(['X-2', 5, -1]);
    const f = path.join(dir, 'rules.xlsx');
    await wb.xlsx.writeFile(f);
    const bad = await runCli(['repricer', 'rules', 'import', f], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('rules.xlsx: line 3, column max_price, value "-1": must be > 0');
    ws.getRow(3).getCell(3).value = 7.5;
    await wb.xlsx.writeFile(f);
    const ok = await runCli(['repricer', 'rules', 'import', f, '--json'], env);
    expect(ok.code, ok.stderr).toBe(0);
    expect(parseOneJson(ok.stdout)).toMatchObject({ rules: 2, inserted: 2 });
    const { rows } = await testDb.db.pool.query(
      "SELECT sku, min_price::text, max_price::text FROM repricer_rules WHERE sku LIKE 'X-%' ORDER BY sku",
    );
    expect(rows).toEqual([
      { sku: 'X-1', min_price: '9.99', max_price: '19.99' },
      { sku: 'X-2', min_price: '5.00', max_price: '7.50' },
    ]);
  });
});
