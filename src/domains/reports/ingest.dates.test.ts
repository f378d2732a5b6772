import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { appError, tempDir } from '../../../test/fixtures/reports/files.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/db.ts';
import { ingestTestDeps } from '../../../test/helpers/ingest.ts';
import { type IngestDeps, ingestReport } from './ingest.service.ts';

/**
 * Day-first or month-first through the real ingest into PostgreSQL: a US ledger whose first twelve
 * days read either way (`10/01/2026` … `10/12/2026`) must land as October whatever the marketplace
 * given, and a file contradicting itself must write nothing.
 */
let tdb: TestDatabase;
let deps: IngestDeps;
const tmp = tempDir('awa-ingest-dates-');

beforeAll(async () => {
  tdb = await createTestDatabase();
  deps = ingestTestDeps(tdb, { defaultMarketplace: 'DE' });
});

afterAll(async () => {
  await tdb.drop();
  tmp.cleanup();
});

beforeEach(async () => {
  await tdb.db.pool.query(
    'TRUNCATE inventory_ledger_raw, settlements, settlement_lines_raw, load_log CASCADE',
  );
});

const HEADER = [
  'Date',
  'FNSKU',
  'ASIN',
  'MSKU',
  'Title',
  'Event Type',
  'Reference ID',
  'Quantity',
  'Fulfillment Center',
  'Disposition',
  'Reason',
  'Country',
  'Reconciled Quantity',
  'Unreconciled Quantity',
  'Date and Time',
  'Store',
];
const pad = (n: number) => String(n).padStart(2, '0');
const DAYS = Array.from({ length: 30 }, (_, k) => k + 1);
const OCTOBER = DAYS.map((d) => `2026-10-${pad(d)}`);

/** GET_LEDGER_DETAIL_VIEW_DATA for October 2026, one shipment a day; `edit` may blank or change cells. */
function usLedger(name: string, edit: (cells: string[], day: number) => void = () => {}): string {
  const lines = DAYS.map((d) => {
    const cells = [
      `10/${pad(d)}/2026`,
      'X001ABCDE1',
      'B07XYZ1234',
      `SKU-${pad(d)}`,
      'Bamboo Cutting Board Set (3 pcs)',
      'Shipments',
      '',
      '-1',
      'PHX7',
      'SELLABLE',
      '',
      'US',
      '',
      '',
      `2026-10-${pad(d)}T00:00:00-0700`,
      '',
    ];
    edit(cells, d);
    return cells.join('\t');
  });
  return tmp.write(name, `${[HEADER.join('\t'), ...lines].join('\n')}\n`);
}

const storedDates = async () =>
  (
    await tdb.db.pool.query<{ d: string }>(
      'SELECT event_date::text AS d FROM inventory_ledger_raw ORDER BY msku',
    )
  ).rows.map((r) => r.d);
const count = async (table: string) =>
  (await tdb.db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]!.n;

describe('ingest: a US ledger with --marketplace DE', () => {
  it('lands every day as October: Country and Date and Time settle the order', async () => {
    const s = await ingestReport(deps, { file: usLedger('us-ledger.tsv'), marketplace: 'DE' });
    expect(s).toMatchObject({
      status: 'success',
      type: 'inventory_ledger',
      rows: 30,
      inserted: 30,
      rejected: 0,
      date_order: { order: 'month_first', decided_by: expect.stringContaining('line 2, column "Date"') },
    });
    expect(await storedDates()).toEqual(OCTOBER);
  });

  it('lands every day as October with only the dates to go by (10/13 settles 10/01…10/12)', async () => {
    const file = usLedger('us-ledger-bare.tsv', (c) => {
      c[11] = '';
      c[14] = '';
    });
    const s = await ingestReport(deps, { file, marketplace: 'DE' });
    expect(s).toMatchObject({ status: 'success', rows: 30, inserted: 30 });
    expect(s.date_order).toEqual({
      order: 'month_first',
      decided_by: expect.stringContaining('value "10/13/2026"'),
    });
    expect(await storedDates()).toEqual(OCTOBER);
  });

  it('writes nothing when the file contradicts itself, and says where', async () => {
    // Country US, but line 26 can only be read day-first
    const file = usLedger('us-ledger-25.tsv', (c, d) => {
      if (d === 25) c[0] = '25/10/2026';
    });
    const e = await appError(ingestReport(deps, { file, marketplace: 'DE' }));
    expect(e.kind).toBe('invalid');
    expect(e.message).toContain(`${path.basename(file)}: day and month order contradicts itself`);
    expect(e.message).toContain('line 26, column "Date", value "25/10/2026"');
    expect(await count('inventory_ledger_raw')).toBe(0);
    expect(await count('load_log')).toBe(0);
    // the same file once corrected loads
    const fixed = usLedger('us-ledger-fixed.tsv');
    expect(await ingestReport(deps, { file: fixed, marketplace: 'DE' })).toMatchObject({ inserted: 30 });
  });

  it('a dry run rejects the same way', async () => {
    const file = usLedger('us-ledger-de-companion.tsv', (c) => {
      c[11] = 'DE';
    });
    const e = await appError(ingestReport(deps, { file, marketplace: 'DE', dryRun: true }));
    expect(e.message).toContain('Date and Time on the same line is 2026-10-01T00:00:00-0700');
    expect(e.message).toContain('column "Country", value "DE"');
    expect(await count('load_log')).toBe(0);
  });
});

describe('ingest: a settlement follows the same rule', () => {
  it('Amazon.com lines make its slashed dates month-first', async () => {
    const body = [
      'settlement-id\tsettlement-start-date\tsettlement-end-date\tdeposit-date\ttotal-amount\tcurrency\ttransaction-type\torder-id\tmarketplace-name\tamount-type\tamount-description\tamount\tposted-date\tsku\tquantity-purchased',
      '555\t10/01/2026\t10/12/2026\t10/14/2026\t15.00\tUSD\t\t\t\t\t\t\t\t\t',
      '555\t\t\t\t\t\tOrder\t113-1\tAmazon.com\tItemPrice\tPrincipal\t10.00\t10/02/2026\tSKU-1\t1',
      '555\t\t\t\t\t\tOrder\t113-2\tAmazon.com\tItemPrice\tPrincipal\t5.00\t10/11/2026\tSKU-2\t1',
    ].join('\n');
    const s = await ingestReport(deps, { file: tmp.write('settlement-us.txt', body), marketplace: 'DE' });
    expect(s).toMatchObject({ status: 'success', type: 'settlement' });
    const head = await tdb.db.pool.query(
      `SELECT settlement_start_date, settlement_end_date, deposit_date FROM settlements`,
    );
    expect(head.rows).toEqual([
      {
        settlement_start_date: new Date('2026-10-01T00:00:00Z'),
        settlement_end_date: new Date('2026-10-12T00:00:00Z'),
        deposit_date: new Date('2026-10-14T00:00:00Z'),
      },
    ]);
    const lines = await tdb.db.pool.query('SELECT posted_date FROM settlement_lines_raw ORDER BY line');
    expect(lines.rows.map((r) => r.posted_date)).toEqual([
      new Date('2026-10-02T00:00:00Z'),
      new Date('2026-10-11T00:00:00Z'),
    ]);
  });
});
