import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fixture, tempDir } from '../../../test/fixtures/reports/files.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/db.ts';
import { ingestTestDeps } from '../../../test/helpers/ingest.ts';
import { type IngestDeps, type IngestInput, ingestReport } from './ingest.service.ts';

let tdb: TestDatabase;
let deps: IngestDeps;
let tmp: ReturnType<typeof tempDir>;
let dir: string;
const refreshed: string[] = [];

beforeAll(async () => {
  tdb = await createTestDatabase();
  tmp = tempDir('awa-ingest-');
  dir = tmp.dir;
  deps = ingestTestDeps(tdb, {
    afterIngest: async (type) => {
      refreshed.push(type);
    },
  });
});

afterAll(async () => {
  await tdb.drop();
  tmp.cleanup();
});

const TABLES = [
  'returns_raw',
  'reimbursements_raw',
  'fee_preview_raw',
  'inventory_ledger_raw',
  'settlements',
  'settlement_lines_raw',
  'listings',
  'inventory_snapshots',
  'ads_sp_daily_raw',
  'fees',
  'fees_history',
  'products',
  'load_log',
];

beforeEach(async () => {
  await tdb.db.pool.query(`TRUNCATE ${TABLES.join(', ')} CASCADE`);
  refreshed.length = 0;
});

const run = (file: string, extra: Partial<IngestInput> = {}) => ingestReport(deps, { file, ...extra });

async function q<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
  return (await tdb.db.pool.query(sql, params)).rows as T[];
}
const count = async (table: string) =>
  (await q<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0]!.n;

let seq = 0;
/** A variant of a fixture: its header plus the chosen data lines (1-based, as in the file). */
function variant(name: string, lines: number[], edit: (line: string) => string = (l) => l): string {
  const all = readFileSync(fixture(name), 'utf8').split('\n');
  seq += 1;
  const f = path.join(dir, `${seq}-${name}`);
  writeFileSync(f, `${[all[0], ...lines.map((n) => edit(all[n]!))].join('\n')}\n`);
  return f;
}

describe('each report type lands on its natural key', () => {
  it('returns: detected, landed in UTC, re-ingest skipped, --force adds nothing', async () => {
    const s = await run(fixture('returns.tsv'));
    expect(s).toMatchObject({
      status: 'success',
      type: 'returns',
      rows: 2,
      inserted: 2,
      duplicates: 0,
      rejected: 0,
    });
    expect(s.load_id).toBeGreaterThan(0);
    const rows =
      await q(`SELECT order_id, sku, license_plate_number, return_date, quantity, marketplace, load_id
                          FROM returns_raw ORDER BY return_date`);
    expect(rows[0]).toMatchObject({
      order_id: '113-1234567-1234567',
      sku: 'CB-BAMBOO-3',
      license_plate_number: 'LPNRR123456789',
      return_date: new Date('2026-09-01T10:15:32Z'),
      quantity: 1,
      marketplace: 'US',
      load_id: s.load_id,
    });
    expect(await run(fixture('returns.tsv'))).toMatchObject({
      status: 'skipped',
      load_id: s.load_id,
      inserted: 0,
    });
    const forced = await run(fixture('returns.tsv'), { force: true });
    expect(forced).toMatchObject({ status: 'success', inserted: 0, duplicates: 2, load_id: s.load_id });
    expect(await count('returns_raw')).toBe(2);
    expect(refreshed).toEqual(['returns', 'returns']);
  });

  it('returns: an overlapping report adds only its new rows', async () => {
    await run(variant('returns.tsv', [1]));
    const s = await run(variant('returns.tsv', [1, 2]));
    expect(s).toMatchObject({ inserted: 1, duplicates: 1 });
    expect(await count('returns_raw')).toBe(2);
  });

  it('reimbursements: a German re-save (cp1252, ;, decimal commas, day-first dates)', async () => {
    const s = await run(fixture('reimbursements-de.csv'), { marketplace: 'DE' });
    expect(s).toMatchObject({ type: 'reimbursements', rows: 2, inserted: 2, marketplace: 'DE' });
    const rows = await q(`SELECT reimbursement_id, approval_date, amount_total::text, product_name
                          FROM reimbursements_raw ORDER BY reimbursement_id`);
    expect(rows[0]).toMatchObject({
      reimbursement_id: '3987654321',
      approval_date: new Date('2026-09-01T10:15:00Z'),
      amount_total: '1235.00',
      product_name: 'Müslischale Steingut, rot',
    });
  });

  it('inventory ledger: identical rows are two rows; an overlapping report adds only new ones', async () => {
    const s = await run(fixture('ledger.tsv'));
    expect(s).toMatchObject({ type: 'inventory_ledger', rows: 5, inserted: 5 });
    // lines 2 and 3 are the same shipment twice: occurrences 1 and 2 of one hash
    const twins = await q<{ n: number }>(
      `SELECT count(DISTINCT row_hash)::int AS n FROM inventory_ledger_raw WHERE event_type = 'Shipments'`,
    );
    expect(twins[0]!.n).toBe(1);
    expect(await q(`SELECT sku, day, units FROM sales_daily`)).toEqual([
      { sku: 'CB-BAMBOO-3', day: new Date('2026-09-01T00:00:00Z'), units: 2 },
    ]);
    // a later report repeating lines 2–5 (both twins) and one new line adds one row
    const next = variant('ledger.tsv', [2, 3, 4, 5, 5], (l) => l);
    const lines = readFileSync(next, 'utf8').trimEnd().split('\n');
    lines[5] = lines[5]!.replace('09/14/2026', '09/15/2026').replace('2026-09-14T', '2026-09-15T');
    writeFileSync(next, `${lines.join('\n')}\n`);
    expect(await run(next)).toMatchObject({ rows: 5, inserted: 1, duplicates: 4 });
    expect(await count('inventory_ledger_raw')).toBe(6);
  });

  it('settlement: the summary row is the header; a re-ingest replaces the lines', async () => {
    const s = await run(fixture('settlement.txt'));
    expect(s).toMatchObject({ type: 'settlement', rows: 6, inserted: 5, replaced: 0, duplicates: 0 });
    expect(
      await q(`SELECT settlement_id, total_amount::text, currency, deposit_date FROM settlements`),
    ).toEqual([
      {
        settlement_id: '11782645381',
        total_amount: '1234.56',
        currency: 'USD',
        deposit_date: new Date('2026-09-03T06:46:37Z'),
      },
    ]);
    // the same settlement downloaded again with one line fewer (e.g. a corrected report)
    const again = await run(variant('settlement.txt', [1, 2, 3, 4, 5]));
    expect(again).toMatchObject({ inserted: 0, replaced: 5 });
    expect(await count('settlement_lines_raw')).toBe(4);
    expect(await q(`SELECT line, transaction_type FROM settlement_lines_raw ORDER BY line`)).toHaveLength(4);
  });

  it('listings: upserts the offers; listings a full report no longer has become inactive', async () => {
    const s = await run(fixture('listings.txt'));
    expect(s).toMatchObject({ type: 'listings', rows: 3, inserted: 3, updated: 0 });
    expect(
      await q(
        `SELECT sku, asin, price::text, quantity, fulfillment_channel, status FROM listings ORDER BY sku`,
      ),
    ).toEqual([
      {
        sku: 'BM-SIL-01',
        asin: 'B08MAT0001',
        price: '12.50',
        quantity: 0,
        fulfillment_channel: 'MFN',
        status: 'inactive',
      },
      {
        sku: 'CB-BAMBOO-3',
        asin: 'B07XYZ1234',
        price: '1299.00',
        quantity: null,
        fulfillment_channel: 'AFN',
        status: 'active',
      },
      {
        sku: 'WB-750-BLK',
        asin: 'B01ABCDEF2',
        price: '24.99',
        quantity: 37,
        fulfillment_channel: 'MFN',
        status: 'active',
      },
    ]);
    const later = await run(variant('listings.txt', [1], (l) => l.replace('\t24.99\t37\t', '\t23.49\t30\t')));
    expect(later).toMatchObject({ inserted: 0, updated: 1, closed: 1 }); // WB changed, CB closed
    expect(await q(`SELECT sku, price::text, status FROM listings WHERE status = 'active'`)).toEqual([
      { sku: 'WB-750-BLK', price: '23.49', status: 'active' },
    ]);
  });

  it('FBA inventory (.gz): a stock snapshot per SKU and the AFN listing', async () => {
    const s = await run(fixture('fba-inventory.txt.gz'));
    expect(s).toMatchObject({ type: 'fba_inventory', rows: 2, inserted: 2 });
    const snap =
      await q(`SELECT sku, as_of, afn_fulfillable_quantity, afn_reserved_quantity FROM inventory_snapshots
                          ORDER BY sku`);
    expect(snap[0]).toMatchObject({
      sku: 'CB-BAMBOO-3',
      as_of: new Date('2026-11-28T12:00:00Z'),
      afn_fulfillable_quantity: 140,
      afn_reserved_quantity: 10,
    });
    expect(await q(`SELECT sku, quantity, fulfillment_channel FROM listings ORDER BY sku`)).toEqual([
      { sku: 'CB-BAMBOO-3', quantity: 140, fulfillment_channel: 'AFN' },
      { sku: 'WB-750-BLK', quantity: 0, fulfillment_channel: 'AFN' },
    ]);
    // forced re-ingest keeps the first snapshot time: nothing new
    expect(await run(fixture('fba-inventory.txt.gz'), { force: true })).toMatchObject({ inserted: 0 });
    expect(await count('inventory_snapshots')).toBe(2);
  });

  it('fee preview: raw rows, current fees with history, and unknown weights filled', async () => {
    await q(`INSERT INTO products (asin, title, weight_kg) VALUES ('B09SCHALE2', 'Schale blau', 0.500)`);
    const s = await run(fixture('fee-preview-eu.txt'), { marketplace: 'DE' });
    expect(s).toMatchObject({ type: 'fee_preview', rows: 2, inserted: 2, updated: 2 });
    expect(
      await q(`SELECT asin, referral::text, fulfilment::text, other::text, currency, source, price_basis::text
               FROM fees ORDER BY asin`),
    ).toEqual([
      {
        asin: 'B09SCHALE1',
        referral: '4.50',
        fulfilment: '3.92',
        other: '0.00',
        currency: 'EUR',
        source: 'fee_preview_report',
        price_basis: '29.99',
      },
      {
        asin: 'B09SCHALE2',
        referral: '3.00',
        fulfilment: '2.73',
        other: null,
        currency: 'EUR',
        source: 'fee_preview_report',
        price_basis: '19.99',
      },
    ]);
    expect(await count('fees_history')).toBe(2);
    // a product without weight gets Amazon's; a known weight is kept
    expect(await q(`SELECT asin, weight_kg::text FROM products ORDER BY asin`)).toEqual([
      { asin: 'B09SCHALE1', weight_kg: '1.200' },
      { asin: 'B09SCHALE2', weight_kg: '0.500' },
    ]);
    expect(await run(fixture('fee-preview-eu.txt'), { marketplace: 'DE', force: true })).toMatchObject({
      inserted: 0,
      updated: 0,
    });
    expect(await count('fees_history')).toBe(2);
  });

  it('Sponsored Products: a restated day updates its figures instead of adding a row', async () => {
    const s = await run(fixture('ads-sp.csv'));
    expect(s).toMatchObject({ type: 'ads_sp', rows: 2, inserted: 2 });
    const restated = variant('ads-sp.csv', [1], (l) => l.replace(',1523,17,', ',1600,18,'));
    expect(await run(restated)).toMatchObject({ inserted: 0, updated: 1 });
    expect(await q(`SELECT sku, impressions, clicks FROM ads_sp_daily_raw ORDER BY sku`)).toEqual([
      { sku: 'CB-BAMBOO-3', impressions: 1600, clicks: 18 },
      { sku: 'WB-750-BLK', impressions: 880, clicks: 0 },
    ]);
  });
});

describe('dry run and bad input', () => {
  it('--dry-run reports the counts and writes nothing, not even a load record', async () => {
    const s = await run(fixture('returns.tsv'), { dryRun: true });
    expect(s).toMatchObject({ status: 'success', dry_run: true, inserted: 2, load_id: null });
    expect(await count('returns_raw')).toBe(0);
    expect(await count('load_log')).toBe(0);
    expect(refreshed).toEqual([]);
    expect(await run(fixture('returns.tsv'))).toMatchObject({ status: 'success', inserted: 2 });
  });

  it('an invalid row rejects the file, listing line, column, value and reason; --skip-invalid loads the rest', async () => {
    const bad = variant('returns.tsv', [1, 2], (l) =>
      l.startsWith('2026-09-02') ? l.replace('2026-09-02T22:01:05+00:00', '2026-02-31') : l,
    );
    const s = await run(bad);
    expect(s).toMatchObject({ status: 'rejected', rows: 2, rejected: 1, inserted: 0 });
    expect(s.rejections).toEqual([
      expect.objectContaining({ line: 3, column: 'return-date', value: '2026-02-31' }),
    ]);
    expect(await count('returns_raw')).toBe(0);
    expect(await count('load_log')).toBe(0);
    const partial = await run(bad, { skipInvalid: true });
    expect(partial).toMatchObject({ status: 'partial', inserted: 1, rejected: 1 });
    expect(await count('returns_raw')).toBe(1);
  });

  it('an unknown report names the known types and the headers it saw', async () => {
    const f = path.join(dir, 'unknown.tsv');
    writeFileSync(f, 'foo\tbar\n1\t2\n');
    await expect(run(f)).rejects.toThrow(/listings.*fba_inventory|known/s);
    await expect(run(f)).rejects.toThrow(/foo/);
    expect(await count('load_log')).toBe(0);
  });

  it('a header without data rows is an error and writes nothing', async () => {
    await expect(run(variant('returns.tsv', []))).rejects.toThrow(/no data rows/);
    expect(await count('load_log')).toBe(0);
  });

  it('refuses a marketplace that is not a 2-letter code', async () => {
    await expect(run(fixture('returns.tsv'), { marketplace: 'Germany' })).rejects.toThrow(/2-letter/);
  });
});
