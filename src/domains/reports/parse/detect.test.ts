import { afterAll, describe, expect, it } from 'vitest';
import { appError, fixture, parseReport, tempDir } from '../../../../test/fixtures/reports/files.ts';
import { parseReportType, REPORT_TYPES } from './index.ts';

const tmp = tempDir('awa-reports-');
afterAll(() => tmp.cleanup());

const tsv = (rows: string[][]) => rows.map((r) => r.join('\t')).join('\n');

describe('report type detection', () => {
  it.each([
    ['listings.txt', 'listings', 'US'],
    ['fba-inventory.txt.gz', 'fba_inventory', 'US'],
    ['returns.tsv', 'returns', 'US'],
    ['reimbursements-de.csv', 'reimbursements', 'DE'],
    ['fee-preview-eu.txt', 'fee_preview', 'DE'],
    ['ledger.tsv', 'inventory_ledger', 'US'],
    ['settlement.txt', 'settlement', 'US'],
    ['ads-sp.csv', 'ads_sp', 'US'],
    ['listings-de.txt', 'listings', 'DE'],
    ['fee-preview-na.txt', 'fee_preview', 'US'],
    ['fee-preview-na-old.txt', 'fee_preview', 'US'],
  ])('recognises %s as %s', async (name, type, marketplace) => {
    const r = await parseReport(fixture(name), { marketplace });
    expect(r.type).toBe(type);
    expect(r.rejections).toEqual([]);
    expect(r.rows.length).toBeGreaterThan(0);
  });

  it('recognises the simple variants: upstream returns, hyphenated ledger, ads with spend/orders, DE listings', async () => {
    const cases: [string, string, string][] = [
      [
        'simple-returns.csv',
        'ASIN,Order ID,Return Reason,Return Date,Qty,Refund Amount,Currency\nB07XYZ1234,113-1,DEFECTIVE,2026-09-01,1,29.99,USD\n',
        'returns',
      ],
      [
        'ledger-lower.tsv',
        `${tsv([
          [
            'date',
            'fnsku',
            'asin',
            'msku',
            'title',
            'event-type',
            'reference-id',
            'quantity',
            'fulfillment-center',
          ],
          ['09/01/2026', 'X1', 'B07XYZ1234', 'SKU-1', 'Board', 'Shipments', '', '-1', 'PHX7'],
        ])}\n`,
        'inventory_ledger',
      ],
      [
        'ads-console.csv',
        'Date,Campaign Id,Ad Group Id,Advertised SKU,Impressions,Clicks,Spend,7 Day Total Orders (#),7 Day Total Sales ,Currency\n' +
          '2026-09-01,1443,2810,SKU-1,100,3,"1,50",1,29.99,EUR\n',
        'ads_sp',
      ],
      [
        'alle-angebote.txt',
        `${tsv([
          [
            'Artikelbezeichnung',
            'Angebotsnummer',
            'Händler-SKU',
            'Preis',
            'Menge',
            'Erstellungsdatum',
            'ASIN 1',
          ],
          ['Müslischale', '0101', 'SCH-1', '12,99', '5', '01.09.2026 10:00:00 MESZ', 'B09SCHALE1'],
        ])}\n`,
        'listings',
      ],
    ];
    for (const [name, body, type] of cases) {
      const r = await parseReport(tmp.write(name, body), { marketplace: 'DE' });
      expect([name, r.type, r.rejections]).toEqual([name, type, []]);
    }
    const de = await parseReport(tmp.dir + '/alle-angebote.txt', { marketplace: 'DE' });
    expect(de.rows[0]?.values).toMatchObject({
      sku: 'SCH-1',
      price: '12.99',
      open_date: '2026-09-01T08:00:00Z',
    });
    const ads = await parseReport(tmp.dir + '/ads-console.csv', { marketplace: 'DE' });
    expect(ads.rows[0]?.values).toMatchObject({
      cost: '1.5',
      purchases: '1',
      sales: '29.99',
      keyword_id: '',
    });
  });

  it('takes the header below title rows', async () => {
    const body = `Inventory Ledger report\tSeptember 2026\n\n${tsv([
      ['Date', 'MSKU', 'Event Type', 'Quantity', 'Country'],
      ['01/09/2026', 'SKU-1', 'Shipments', '-1', 'DE'],
    ])}\n`;
    const r = await parseReport(tmp.write('titled.tsv', body), { marketplace: 'DE' });
    expect(r).toMatchObject({ type: 'inventory_ledger', header: { headerLine: 3 } });
    expect(r.rows).toEqual([{ line: 4, values: expect.objectContaining({ event_date: '2026-09-01' }) }]);
  });

  it('lets --type override detection', async () => {
    // nothing here is specific to one report: detection alone cannot tell
    const body = 'sku\tasin\tproduct-name\tyour-price\nSKU-1\tB07XYZ1234\tBoard\t29.99\n';
    const file = tmp.write('plain.txt', body);
    const e = await appError(parseReport(file));
    expect(e.message).toContain('unknown report');
    const r = await parseReport(file, { type: 'fba_inventory' });
    expect(r.type).toBe('fba_inventory');
    expect(r.rows[0]?.values).toMatchObject({
      sku: 'SKU-1',
      your_price: '29.99',
      afn_fulfillable_quantity: '0',
    });
    expect((await parseReport(file, { type: 'fee_preview' })).type).toBe('fee_preview');
  });

  it('explains an unknown report: the known types and the headers it saw', async () => {
    const e = await appError(
      parseReport(tmp.write('orders.txt', 'order-id\tpurchase-date\tbuyer-email\n1\t2\t3\n')),
    );
    expect(e.kind).toBe('invalid');
    expect(e.message).toBe(
      'orders.txt: unknown report — no row among the first 2 non-blank rows has the columns of a known report ' +
        `type (${REPORT_TYPES.join(', ')}). Headers seen (line 1): "order-id", "purchase-date", "buyer-email". ` +
        'If it is one of those types, name it with --type.',
    );
    expect(e.details).toMatchObject({
      knownTypes: REPORT_TYPES,
      headers: ['order-id', 'purchase-date', 'buyer-email'],
    });
  });

  it('names a missing required column, the type and the headers found', async () => {
    const body = tsv([
      ['Date', 'FNSKU', 'MSKU', 'Event Type', 'Fulfillment Center', 'Country'],
      ['09/01/2026', 'X1', 'SKU-1', 'Shipments', 'PHX7', 'US'],
    ]);
    const e = await appError(parseReport(tmp.write('ledger-noqty.tsv', body)));
    expect(e.message).toBe(
      'ledger-noqty.tsv: this inventory_ledger report (Inventory Ledger report, detailed view ' +
        '(GET_LEDGER_DETAIL_VIEW_DATA)) lacks the required column "Quantity"; headers found (line 1): ' +
        '"Date", "FNSKU", "MSKU", "Event Type", "Fulfillment Center", "Country"',
    );
    expect(e.details).toMatchObject({ type: 'inventory_ledger', missing: ['Quantity'], headerLine: 1 });
  });

  it('refuses a forced type the file does not match', async () => {
    let e = await appError(parseReport(fixture('returns.tsv'), { type: 'settlement' }));
    expect(e.message).toMatch(
      /^returns\.tsv: this settlement report .* lacks the required columns "settlement-id", /,
    );
    e = await appError(parseReport(fixture('ads-sp.csv'), { type: 'returns' }));
    expect(e.message).toMatch(
      /^ads-sp\.csv: no header row of a returns report .* expected columns such as "order-id"/,
    );
  });

  it('parses --type values', () => {
    expect(parseReportType('inventory_ledger')).toBe('inventory_ledger');
    expect(parseReportType(' FBA-Inventory ')).toBe('fba_inventory');
    expect(parseReportType('ledger')).toBe('inventory_ledger');
    expect(() => parseReportType('orders')).toThrow(
      `unknown report type "orders"; known types: ${REPORT_TYPES.join(', ')}`,
    );
  });
});
