import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/db.ts';
import { fixedClock } from '../../platform/clock.ts';
import { silentLogger } from '../../platform/logger.ts';
import * as repo from './import.repo.ts';
import { screenRows } from './import.screen.ts';
import { type ImportDeps, type ImportInput, importPriceList } from './import.service.ts';
import { openPriceList } from './parse/index.ts';
import { RowFingerprinter } from './parse/row-fingerprint.ts';

// A re-import does not check a row whose raw cells the vendor keeps (same cells, same rules and
// options: same outcome). These tests hold that shortcut to what checking every row would give.

let tdb: TestDatabase;
let deps: ImportDeps;
let dir: string;

beforeAll(async () => {
  tdb = await createTestDatabase();
  dir = mkdtempSync(path.join(os.tmpdir(), 'awa-import-skip-'));
  deps = {
    db: tdb.db,
    clock: fixedClock('2026-12-07T12:00:00Z'),
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

const LIST = ['Art-Nr;EAN;Preis;VPE', 'A;;1,00;1', 'B;;2,00;4', 'C;4006381333931;3,00;1'].join('\n');

describe('rows whose raw cells are unchanged', () => {
  it('are counted unchanged without being checked; the others are checked', async () => {
    await run(LIST);
    const [vendor] = await q<{ id: number }>('SELECT id FROM vendors');
    const c = await tdb.db.pool.connect();
    try {
      await c.query('BEGIN');
      const stored = await repo.storedFingerprints(c, vendor!.id);
      const list = await openPriceList(file(`${LIST.replace('2,00', '2,50')}\nD;;4,00;1`), {
        currency: 'EUR',
        maxUncompressedBytes: 1e6,
      });
      const checked: number[] = [];
      const validate = list.check.validate;
      list.check.validate = (row) => {
        checked.push(row.line);
        return validate(row);
      };
      let unchanged = 0;
      for await (const chunk of screenRows(list, { mode: 'changed', stored: stored.table() }, false)) {
        unchanged += chunk.unchanged;
      }
      expect({ checked, unchanged }).toEqual({ checked: [3, 5], unchanged: 2 });
    } finally {
      await c.query('ROLLBACK');
      c.release();
    }
  });

  it('still count as a repeated SKU, whether the other row is unchanged or changed', async () => {
    await run(LIST);
    // the same unchanged row twice: both skip the check, the second is still a duplicate
    let s = await run(`${LIST}\nA;;1,00;1`);
    expect(s).toMatchObject({ rows: 4, duplicates: 1, inserted: 0, updated: 0, unchanged: 3 });
    // an unchanged row after a changed one of the same SKU: the last row wins
    s = await run(`${LIST.replace('A;;1,00;1', 'A;;9,00;1')}\nA;;1,00;1`);
    expect(s).toMatchObject({ rows: 4, duplicates: 1, updated: 0, unchanged: 3 });
    expect(await q("SELECT cost FROM vendor_prices WHERE sku = 'A'")).toEqual([{ cost: '1.0000' }]);
  });

  it('do not hide an invalid row elsewhere in the file', async () => {
    await run(LIST);
    const s = await run(`${LIST}\nE;;-1,00;1`);
    expect(s).toMatchObject({ status: 'rejected', rows: 4, rejected: 1 });
    expect(s.rejections).toEqual([{ line: 5, column: 'Preis', value: '-1,00', reason: 'cost is negative' }]);
  });
});

describe('what else decides a row, and so renews every raw fingerprint', () => {
  it('the currency of prices without one', async () => {
    await run(LIST);
    const s = await run(LIST, { currency: 'USD' });
    expect(s).toMatchObject({ rows: 3, updated: 3, unchanged: 0 });
    expect(await q('SELECT DISTINCT currency FROM vendor_prices')).toEqual([{ currency: 'USD' }]);
    expect(await run(LIST, { currency: 'USD' })).toMatchObject({ updated: 0, unchanged: 3 });
  });

  it('a cost column that holds case prices', async () => {
    await run(LIST);
    const s = await run(LIST.replace('Preis;VPE', 'Preis/Karton;VPE'));
    expect(s).toMatchObject({ rows: 3, updated: 1, unchanged: 2 });
    expect(await q("SELECT cost FROM vendor_prices WHERE sku = 'B'")).toEqual([{ cost: '0.5000' }]);
  });

  it('the mapping of columns to fields', async () => {
    await run(LIST);
    // VPE read as the MOQ instead: the same cells, other values
    const s = await run(LIST.replace('VPE', 'Mindestmenge'));
    expect(s).toMatchObject({ rows: 3, updated: 3, unchanged: 0 });
    expect(await q("SELECT pack_size, moq FROM vendor_prices WHERE sku = 'B'")).toEqual([
      { pack_size: 1, moq: 4 },
    ]);
  });

  it('the version of the row rules', () => {
    const ctx = { columns: { sku: 0, cost: 1 }, currency: 'EUR', perCase: false };
    const row = { line: 2, cells: ['A', '1,00'] };
    const at = (rules: number) => ({
      ...new RowFingerprinter(ctx, rules).fingerprint(row, { hi: 0, lo: 0 }),
    });
    expect(at(2)).not.toEqual(at(1));
    expect(new RowFingerprinter(ctx).fingerprint(row, { hi: 0, lo: 0 })).toEqual(at(1));
  });
});
