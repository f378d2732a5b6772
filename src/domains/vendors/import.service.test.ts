import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/db.ts';
import { fixedClock } from '../../platform/clock.ts';
import { silentLogger } from '../../platform/logger.ts';
import { type ImportDeps, type ImportInput, importPriceList } from './import.service.ts';

let tdb: TestDatabase;
let deps: ImportDeps;
let dir: string;
let refreshes = 0;

beforeAll(async () => {
  tdb = await createTestDatabase();
  dir = mkdtempSync(path.join(os.tmpdir(), 'awa-import-'));
  deps = {
    db: tdb.db,
    clock: fixedClock('2026-11-28T12:00:00Z'),
    log: silentLogger,
    defaultCurrency: 'EUR',
    maxXlsxUncompressedBytes: 100 * 1024 * 1024,
    afterImport: async () => {
      refreshes += 1;
    },
  };
});

afterAll(async () => {
  await tdb.drop();
  rmSync(dir, { recursive: true, force: true });
});

beforeEach(async () => {
  await tdb.db.pool.query('TRUNCATE vendors, price_lists, load_log, product_identifiers CASCADE');
  refreshes = 0;
});

let seq = 0;
function file(content: string, ext = 'csv'): string {
  seq += 1;
  const f = path.join(dir, `list-${seq}.${ext}`);
  writeFileSync(f, content);
  return f;
}

const run = (f: string, extra: Partial<ImportInput> = {}) =>
  importPriceList(deps, { file: f, vendor: 'ACME GmbH', ...extra });

async function q<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
  return (await tdb.db.pool.query(sql, params)).rows as T[];
}

// A German vendor file: title rows, semicolons, decimal commas, thousands dots.
const GERMAN = [
  'ACME GmbH – Preisliste November 2026',
  'Alle Preise netto in EUR',
  '',
  'Artikelnummer;EAN;Bezeichnung;Einkaufspreis;VPE;Mindestmenge',
  'A-100;4006381333931;Kaffeemaschine Deluxe;3.396,63;1;2',
  'A-101;;Milchaufschäumer;12,50;6;0',
  'A-102;4006381333931;Filter 100 Stück;1.234;1;',
].join('\n');

describe('importPriceList', () => {
  it('imports a German price list exactly, row by row', async () => {
    const s = await run(file(GERMAN));
    expect(s).toMatchObject({
      status: 'success',
      vendor: 'ACME GmbH',
      rows: 3,
      inserted: 3,
      updated: 0,
      unchanged: 0,
      duplicates: 0,
      rejected: 0,
      dry_run: false,
    });
    expect(s.price_list_id).toEqual(expect.any(Number));
    const rows = await q(
      'SELECT sku, barcode, title, cost, currency, pack_size, moq FROM vendor_prices ORDER BY sku',
    );
    expect(rows).toEqual([
      {
        sku: 'A-100',
        barcode: '4006381333931',
        title: 'Kaffeemaschine Deluxe',
        cost: '3396.6300',
        currency: 'EUR',
        pack_size: 1,
        moq: 2,
      },
      {
        sku: 'A-101',
        barcode: null,
        title: 'Milchaufschäumer',
        cost: '12.5000',
        currency: 'EUR',
        pack_size: 6,
        moq: 0,
      },
      {
        sku: 'A-102',
        barcode: '4006381333931',
        title: 'Filter 100 Stück',
        cost: '1234.0000',
        currency: 'EUR',
        pack_size: 1,
        moq: 0,
      },
    ]);
    const [pl] = await q('SELECT rows, inserted, status, sha256, created_at FROM price_lists');
    expect(pl).toMatchObject({ rows: 3, inserted: 3, status: 'success', sha256: s.sha256 });
    // dated by the import's clock, like its rows: not the database's time of the insert
    expect(pl!.created_at).toEqual(new Date('2026-11-28T12:00:00Z'));
    expect(refreshes).toBe(1);
  });

  it('skips the same file for the same vendor unless forced', async () => {
    const f = file(GERMAN);
    const first = await run(f);
    const again = await run(f);
    expect(again).toMatchObject({
      status: 'skipped',
      rows: 0,
      inserted: 0,
      price_list_id: first.price_list_id,
    });
    const forced = await run(f, { force: true });
    expect(forced).toMatchObject({ status: 'success', rows: 3, inserted: 0, updated: 0, unchanged: 3 });
    expect(await q('SELECT count(*)::int AS n FROM price_lists')).toEqual([{ n: 2 }]);
    // the same file for another vendor is a different load
    const other = await run(f, { vendor: 'Other Ltd' });
    expect(other).toMatchObject({ status: 'success', inserted: 3 });
  });

  it('updates only changed rows and appends old → new costs to the history', async () => {
    await run(file(GERMAN));
    const changed = GERMAN.replace('12,50;6;0', '13,10;6;0').replace(
      'A-102;4006381333931;Filter 100 Stück;1.234;1;',
      'A-103;;Neu;5,00;1;',
    );
    const s = await run(file(changed));
    expect(s).toMatchObject({ rows: 3, inserted: 1, updated: 1, unchanged: 1, history: 1 });
    const hist = await q('SELECT sku, old_cost, cost, observed_at FROM vendor_price_history');
    expect(hist).toEqual([
      { sku: 'A-101', old_cost: '12.5000', cost: '13.1000', observed_at: new Date('2026-11-28T12:00:00Z') },
    ]);
    // a row missing from the new file stays (price lists are often partial)
    expect(await q("SELECT cost FROM vendor_prices WHERE sku = 'A-102'")).toEqual([{ cost: '1234.0000' }]);
  });

  it('dry run reports the same counts and writes nothing at all', async () => {
    const f = file(GERMAN);
    const dry = await run(f, { dryRun: true });
    expect(dry).toMatchObject({
      status: 'success',
      dry_run: true,
      rows: 3,
      inserted: 3,
      price_list_id: null,
    });
    for (const t of ['vendors', 'price_lists', 'load_log', 'vendor_prices']) {
      expect(await q(`SELECT count(*)::int AS n FROM ${t}`), t).toEqual([{ n: 0 }]);
    }
    expect(refreshes).toBe(0);
    const real = await run(f); // not blocked by the dry run
    expect(real).toMatchObject({ status: 'success', inserted: 3 });
    const changed = GERMAN.replace('12,50;6;0', '13,10;6;0');
    const dry2 = await run(file(changed), { dryRun: true });
    const real2 = await run(file(changed));
    for (const k of ['rows', 'inserted', 'updated', 'unchanged', 'duplicates', 'history'] as const) {
      expect(dry2[k], k).toBe(real2[k]);
    }
  });

  it('rejects the whole file when any row is invalid, listing every problem, and writes nothing', async () => {
    const bad = [
      'sku;ean;price',
      'A-1;4006381333931;10,00',
      'A-2;4006381333932;12,00', // wrong check digit
      'A-3;;-5,00',
      'A-4;4.00638E+12;abc',
    ].join('\n');
    const s = await run(file(bad));
    expect(s.status).toBe('rejected');
    expect(s).toMatchObject({ rows: 4, rejected: 3, inserted: 0 });
    const where = s.rejections.map((r) => `${r.line}:${r.column}:${r.value}`);
    expect(where).toEqual(
      expect.arrayContaining(['3:ean:4006381333932', '4:price:-5,00', '5:ean:4.00638E+12', '5:price:abc']),
    );
    for (const r of s.rejections) expect(r.reason.length).toBeGreaterThan(5);
    for (const t of ['vendors', 'price_lists', 'load_log', 'vendor_prices']) {
      expect(await q(`SELECT count(*)::int AS n FROM ${t}`), t).toEqual([{ n: 0 }]);
    }
  });

  it('with skipInvalid loads the valid rows and reports the rest', async () => {
    const s = await run(file('sku,cost\nA,1.00\nB,zero\nC,0\nD,2.50'), { skipInvalid: true });
    expect(s).toMatchObject({ status: 'partial', rows: 4, inserted: 2, rejected: 2 });
    expect(s.rejections.map((r) => r.line)).toEqual([3, 4]);
    expect(await q('SELECT sku FROM vendor_prices ORDER BY sku')).toEqual([{ sku: 'A' }, { sku: 'D' }]);
    expect(await q('SELECT status, rejected FROM price_lists')).toEqual([{ status: 'partial', rejected: 2 }]);
  });

  it('a partial import keeps the stored price of a rejected row and of items it does not list', async () => {
    await run(file('sku,cost\nA,1.00\nB,2.00\nC,3.00'));
    const s = await run(file('sku,cost\nA,1.10\nB,zero'), { skipInvalid: true });
    expect(s).toMatchObject({ status: 'partial', updated: 1, rejected: 1 });
    expect(await q('SELECT sku, cost FROM vendor_prices ORDER BY sku')).toEqual([
      { sku: 'A', cost: '1.1000' },
      { sku: 'B', cost: '2.0000' },
      { sku: 'C', cost: '3.0000' },
    ]);
  });

  it('keeps the last of duplicate skus and counts the others', async () => {
    const s = await run(file('sku,cost\nA,1.00\nB,2.00\nA,1.50\nA,1.75'));
    expect(s).toMatchObject({ rows: 4, inserted: 2, duplicates: 2 });
    expect(await q("SELECT cost FROM vendor_prices WHERE sku = 'A'")).toEqual([{ cost: '1.7500' }]);
  });

  it('uses the barcode as sku for barcode-only lists and finds the ASIN of known barcodes', async () => {
    await tdb.db.pool.query(
      "INSERT INTO product_identifiers (kind, value, asin) VALUES ('EAN', '4006381333931', 'B01ABCDEF2')",
    );
    await run(file('EAN,Net price\n4006381333931,9.99\n5000112548167,1.00'));
    expect(await q('SELECT sku, barcode, asin FROM vendor_prices ORDER BY sku')).toEqual([
      { sku: '4006381333931', barcode: '4006381333931', asin: 'B01ABCDEF2' },
      { sku: '5000112548167', barcode: '5000112548167', asin: null },
    ]);
  });

  it('normalises vendor names and refuses invisible characters', async () => {
    await run(file('sku,cost\nA,1'), { vendor: '  Café   Müller ' });
    const nfd = 'Cafe\u0301 Müller'; // the same name typed with a combining accent
    const s = await run(file('sku,cost\nB,1'), { vendor: nfd });
    expect(s.vendor).toBe('Café Müller');
    expect(await q('SELECT name FROM vendors')).toEqual([{ name: 'Café Müller' }]);
    await expect(run(file('sku,cost\nC,1'), { vendor: 'ACME\u200B' })).rejects.toMatchObject({
      kind: 'invalid',
    });
    await expect(run(file('sku,cost\nC,1'), { vendor: '\u202EEMCA' })).rejects.toThrow(/U\+202E/);
    await expect(run(file('sku,cost\nC,1'), { vendor: '   ' })).rejects.toThrow(/empty/);
  });

  it('leaves the database as it was when the file breaks mid-way', async () => {
    const good = Array.from({ length: 500 }, (_, i) => `S${i},${i + 1}.00`).join('\n');
    const broken = Buffer.concat([Buffer.from(`sku,cost\n${good}\n`), Buffer.from([0x81, 0x8d, 0x0a])]);
    const f = path.join(dir, 'broken.csv');
    writeFileSync(f, broken);
    await expect(run(f)).rejects.toMatchObject({ kind: 'invalid' });
    for (const t of ['vendors', 'price_lists', 'load_log', 'vendor_prices']) {
      expect(await q(`SELECT count(*)::int AS n FROM ${t}`), t).toEqual([{ n: 0 }]);
    }
  });

  it.each([
    ['a new vendor', false],
    ['a known vendor', true],
  ])('two imports of the same file at once record one import (%s)', async (_, known) => {
    if (known) await run(file('sku,cost\nOLD,1.00'));
    // big enough that both imports are under way at the same time
    const f = file(`sku,cost\n${Array.from({ length: 3000 }, (_, i) => `S${i},${i + 1}.00`).join('\n')}`);
    const results = await Promise.all([run(f), run(f)]);
    expect(results.map((r) => r.status).sort()).toEqual(['skipped', 'success']);
    const [done, skipped] = results[0]!.status === 'success' ? results : [results[1]!, results[0]!];
    expect(skipped).toMatchObject({ price_list_id: done!.price_list_id, inserted: 0 });
    expect(await q('SELECT count(*)::int AS n FROM price_lists WHERE sha256 = $1', [done!.sha256])).toEqual([
      { n: 1 },
    ]);
    expect(await q('SELECT status FROM load_log WHERE idempotency_key = $1', [done!.sha256])).toEqual([
      { status: 'success' },
    ]);
    expect(await q('SELECT count(*)::int AS n FROM vendor_prices')).toEqual([{ n: known ? 3001 : 3000 }]);
  });

  it('takes the currency from --currency, then the vendor, then the default', async () => {
    await run(file('sku,cost\nA,1'), { currency: 'usd' });
    expect(await q('SELECT currency FROM vendor_prices')).toEqual([{ currency: 'USD' }]);
    await run(file('sku,cost\nB,1')); // vendor created with USD
    expect(await q("SELECT currency FROM vendor_prices WHERE sku = 'B'")).toEqual([{ currency: 'USD' }]);
    await run(file('sku,cost\nC,£2.00'));
    expect(await q("SELECT currency FROM vendor_prices WHERE sku = 'C'")).toEqual([{ currency: 'GBP' }]);
    await expect(run(file('sku,cost\nD,1'), { currency: 'euro!' })).rejects.toMatchObject({
      kind: 'invalid',
      message: expect.stringMatching(/^currency must be a 3-letter ISO code/),
      details: { field: 'currency', value: 'euro!', rule: 'iso_4217' },
    });
  });
});
