import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/db.ts';
import { fixedClock } from '../../platform/clock.ts';
import { FingerprintSet } from '../../platform/fingerprint.ts';
import { silentLogger } from '../../platform/logger.ts';
import { LineRow } from '../../platform/tabular/index.ts';
import { loadPass } from './import.load.ts';
import * as repo from './import.repo.ts';
import { screenRows } from './import.screen.ts';
import { type ImportDeps, type ImportInput, importPriceList } from './import.service.ts';
import { type Field, openPriceList, ROW_RULES_VERSION } from './parse/index.ts';
import { RowFingerprinter } from './parse/row-fingerprint.ts';

// Re-imports compare the file's rows with the fingerprints the vendor's rows keep, in memory: these
// tests hold that shortcut to what a full comparison in SQL would do.

let tdb: TestDatabase;
let deps: ImportDeps;
let dir: string;

beforeAll(async () => {
  tdb = await createTestDatabase();
  dir = mkdtempSync(path.join(os.tmpdir(), 'awa-import-fp-'));
  deps = {
    db: tdb.db,
    clock: fixedClock('2026-11-28T12:00:00Z'),
    log: silentLogger,
    defaultCurrency: 'EUR',
    maxXlsxUncompressedBytes: 100 * 1024 * 1024,
  };
});

afterAll(async () => {
  await tdb.drop();
  rmSync(dir, { recursive: true, force: true });
});

beforeEach(async () => {
  await tdb.db.pool.query('TRUNCATE vendors, price_lists, load_log, product_identifiers CASCADE');
});

let seq = 0;
function file(content: string): string {
  seq += 1;
  const f = path.join(dir, `list-${seq}.csv`);
  writeFileSync(f, content);
  return f;
}

const run = (content: string, extra: Partial<ImportInput> = {}) =>
  importPriceList(deps, { file: file(content), vendor: 'ACME GmbH', force: true, ...extra });

async function q<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
  return (await tdb.db.pool.query(sql, params)).rows as T[];
}

const LIST = ['sku,asin,ean,cost', 'A,B000000001,,1.00', 'B,B000000002,,2.00', 'C,,4006381333931,3.00'].join(
  '\n',
);

describe('re-import by fingerprint', () => {
  it('keeps a fingerprint per row', async () => {
    await run(LIST);
    expect(await q('SELECT sku, row_fp IS NOT NULL AS fp FROM vendor_prices ORDER BY sku')).toEqual([
      { sku: 'A', fp: true },
      { sku: 'B', fp: true },
      { sku: 'C', fp: true },
    ]);
  });

  it('stages only the rows whose fingerprint the vendor does not keep', async () => {
    await run(LIST);
    const [vendor] = await q<{ id: number }>('SELECT id FROM vendors');
    const id = vendor!.id;
    const c = await tdb.db.pool.connect();
    try {
      await c.query('BEGIN');
      await repo.createStage(c);
      const stored = await repo.storedFingerprints(c, id);
      expect(stored.size).toBe(3);
      const next = LIST.replace('B,B000000002,,2.00', 'B,B000000002,,2.50').concat('\nD,B000000004,,4.00');
      const list = await openPriceList(file(next), { currency: 'EUR', maxUncompressedBytes: 1e6 });
      const counts = { rows: 0, rejected: 0, rejections: [], rejections_truncated: false };
      const rows = screenRows(list, { mode: 'changed', stored: stored.table() }, false);
      const r = await loadPass(c, rows, 'changed', counts, {});
      expect(r).toEqual({ loaded: 2, unchanged: 2, maybeDuplicates: false });
      expect((await c.query('SELECT sku FROM stage_prices ORDER BY sku')).rows).toEqual([
        { sku: 'B' },
        { sku: 'D' },
      ]);
    } finally {
      await c.query('ROLLBACK');
      c.release();
    }
  });

  it('counts and applies a re-import as a full comparison would', async () => {
    await run(LIST);
    const s = await run(LIST.replace('2.00', '2.50'));
    expect(s).toMatchObject({ rows: 3, inserted: 0, updated: 1, unchanged: 2, history: 1 });
    expect(await q('SELECT sku, cost FROM vendor_prices ORDER BY sku')).toEqual([
      { sku: 'A', cost: '1.0000' },
      { sku: 'B', cost: '2.5000' },
      { sku: 'C', cost: '3.0000' },
    ]);
  });

  it('compares a row in full again after another writer changed it', async () => {
    await run(LIST);
    await tdb.db.pool.query("UPDATE vendor_prices SET cost = 99 WHERE sku = 'A'");
    expect(await q("SELECT row_fp FROM vendor_prices WHERE sku = 'A'")).toEqual([{ row_fp: null }]);
    const s = await run(LIST);
    expect(s).toMatchObject({ updated: 1, unchanged: 2 });
    expect(await q("SELECT cost, row_fp IS NOT NULL AS fp FROM vendor_prices WHERE sku = 'A'")).toEqual([
      { cost: '1.0000', fp: true },
    ]);
  });

  it('lets the last row of a repeated SKU win even when it matches the stored row', async () => {
    await run(LIST);
    const s = await run(
      `${LIST}\nA,B000000001,,7.00\nA,B000000001,,1.00`.replace('A,B000000001,,1.00\n', ''),
    );
    expect(s).toMatchObject({ rows: 4, duplicates: 1, updated: 0, unchanged: 3 });
    expect(await q("SELECT cost FROM vendor_prices WHERE sku = 'A'")).toEqual([{ cost: '1.0000' }]);
  });

  it('gives rows stored without a fingerprint one, without counting them as updated', async () => {
    await run(LIST);
    await tdb.db.pool.query('UPDATE vendor_prices SET row_fp = NULL');
    const s = await run(LIST);
    expect(s).toMatchObject({ inserted: 0, updated: 0, unchanged: 3, history: 0 });
    expect(await q('SELECT count(*)::int AS n FROM vendor_prices WHERE row_fp IS NOT NULL')).toEqual([
      { n: 3 },
    ]);
  });

  it('gives a barcode-only row the ASIN of a barcode learnt after its first import', async () => {
    await run(LIST);
    await tdb.db.pool.query(
      "INSERT INTO product_identifiers (kind, value, asin) VALUES ('EAN', '4006381333931', 'B000000003')",
    );
    const s = await run(LIST);
    expect(s).toMatchObject({ updated: 1, unchanged: 2 });
    expect(await q("SELECT asin FROM vendor_prices WHERE sku = 'C'")).toEqual([{ asin: 'B000000003' }]);
    // and when the barcode moves to another ASIN, the next import follows it
    await tdb.db.pool.query("UPDATE product_identifiers SET asin = 'B00000000Z'");
    expect(await q("SELECT row_fp FROM vendor_prices WHERE sku = 'C'")).toEqual([{ row_fp: null }]);
    expect(await run(LIST)).toMatchObject({ updated: 1, unchanged: 2 });
    expect(await q("SELECT asin FROM vendor_prices WHERE sku = 'C'")).toEqual([{ asin: 'B00000000Z' }]);
    // a removed barcode forgets too (the row keeps its ASIN: a row without one keeps the stored one)
    await tdb.db.pool.query('DELETE FROM product_identifiers');
    expect(await q("SELECT row_fp FROM vendor_prices WHERE sku = 'C'")).toEqual([{ row_fp: null }]);
  });

  it('loads a new vendor straight into its table and reads a repeated SKU again through the stage', async () => {
    const s = await run('sku,asin,cost\nX,B000000009,1.00\nY,B000000008,2.00\nX,B000000009,3.00');
    expect(s).toMatchObject({ rows: 3, inserted: 2, duplicates: 1 });
    expect(await q('SELECT sku, cost FROM vendor_prices ORDER BY sku')).toEqual([
      { sku: 'X', cost: '3.0000' },
      { sku: 'Y', cost: '2.0000' },
    ]);
  });
});

describe('what counts as a change', () => {
  it('a new ASIN alone is a change; a row without one keeps the stored ASIN', async () => {
    await run(LIST);
    const s = await run(LIST.replace('A,B000000001', 'A,B00000000X').replace('B,B000000002', 'B,'));
    expect(s).toMatchObject({ updated: 1, unchanged: 2 });
    expect(await q('SELECT sku, asin FROM vendor_prices ORDER BY sku')).toEqual([
      { sku: 'A', asin: 'B00000000X' },
      { sku: 'B', asin: 'B000000002' },
      { sku: 'C', asin: null },
    ]);
  });
});

describe('raw fingerprints', () => {
  // a row's fingerprint is its mapped cells as read, seeded with what else decides its outcome
  const columns: Partial<Record<Field, number>> = { sku: 0, cost: 1, title: 2 };
  const ctx = { columns, currency: 'EUR', perCase: false };
  const fp = (cells: string[], c: Partial<typeof ctx> = {}, numeric?: boolean[]) => ({
    ...new RowFingerprinter({ ...ctx, ...c }).fingerprint({ line: 2, cells, numeric }, { hi: 0, lo: 0 }),
  });

  it('tells apart cells that only split differently, none from empty, and numeric from text', () => {
    const seen = new FingerprintSet();
    const rows: string[][] = [
      ['A', '1,00', 'ab'],
      ['Aa', '1,00', 'b'],
      ['A', '1,00', ''],
      ['A', '1,0', 'ab'],
    ];
    for (const r of rows) expect(seen.add(fp(r)), JSON.stringify(r)).toBe(false);
    // a missing cell is read as an empty one, so it is one
    expect(fp(['A', '1,00'])).toEqual(fp(['A', '1,00', '']));
    expect(seen.add(fp(['A', '1', 'ab'], {}, [false, true, false]))).toBe(false);
    expect(seen.add(fp(['A', '1', 'ab']))).toBe(false);
    // the file line and unmapped cells are not part of it: a row that moved or whose stock changed keeps it
    expect(fp(['A', '1,00', 'ab', 'stock 5'])).toEqual(fp(['A', '1,00', 'ab']));
  });

  it('is the same read from a plain line in place as from its split cells', () => {
    const lines = [
      'A;1,00;ab',
      'A;1,00',
      'A;1,00;ab;stock 5',
      ';;',
      'A',
      'Ä-ü;3.396,63;Glühbirne ökologisch',
    ];
    for (const text of lines) {
      expect(fp(text.split(';')), text).toEqual({
        ...new RowFingerprinter(ctx).fingerprint(new LineRow(2, text, ';'), { hi: 0, lo: 0 }),
      });
    }
  });

  it('follows the fields, not the columns, and changes with the currency, per-case costs and the rules', () => {
    const base = fp(['A', '1,00', 'ab']);
    expect(fp(['ab', 'A', '1,00'], { columns: { title: 0, sku: 1, cost: 2 } })).toEqual(base);
    expect(fp(['A', '1,00', 'ab'], { currency: 'USD' })).not.toEqual(base);
    expect(fp(['A', '1,00', 'ab'], { perCase: true })).not.toEqual(base);
    expect(fp(['A', '1,00', 'ab'], { columns: { sku: 0, cost: 1, title: 2, moq: 3 } })).not.toEqual(base);
    expect(ROW_RULES_VERSION).toBeGreaterThan(0);
  });
});
