import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { fixture, OPTS, parseReport, tempDir } from '../../../../test/fixtures/reports/files.ts';
import { openReport } from './index.ts';

const tmp = tempDir('awa-reports-');
afterAll(() => tmp.cleanup());

describe('report rows', () => {
  it('keeps the settlement summary row apart from the lines', async () => {
    const r = await parseReport(fixture('settlement.txt'));
    expect(r.rows[0]).toEqual({
      line: 2,
      summary: true,
      values: expect.objectContaining({
        settlement_id: '11782645381',
        settlement_start_date: '2026-08-18T06:46:37Z',
        settlement_end_date: '2026-09-01T06:46:37Z',
        deposit_date: '2026-09-03T06:46:37Z',
        total_amount: '1234.56',
        currency: 'USD',
        transaction_type: null,
        amount: null,
      }),
    });
    expect(
      r.rows.slice(1).map((x) => [x.line, x.summary, x.values.transaction_type, x.values.amount]),
    ).toEqual([
      [3, undefined, 'Order', '29.99'],
      [4, undefined, 'Order', '-5.4'],
      [5, undefined, 'Order', '-4.5'],
      [6, undefined, 'Refund', '-24.99'],
      [7, undefined, 'other-transaction', '-12.34'],
    ]);
    // posted-date-time wins over posted-date: it has the time of day
    expect(r.header.columns.posted_date).toBe('posted-date-time');
    expect(r.rows[1]?.values.posted_date).toBe('2026-08-20T10:00:05Z');
  });

  it('emits identical ledger rows as two rows with their own lines', async () => {
    const r = await parseReport(fixture('ledger.tsv'));
    const shipments = r.rows.filter((x) => x.values.event_type === 'Shipments');
    expect(shipments.map((x) => x.line)).toEqual([3, 4]);
    expect(shipments[0]?.values).toEqual(shipments[1]?.values);
    expect(shipments[0]?.values).toMatchObject({
      event_date: '2026-09-01',
      quantity: '-1',
      msku: 'CB-BAMBOO-3',
    });
    expect(r.header).toEqual({
      format: 'csv',
      encoding: 'utf-8',
      delimiter: '\t',
      compressed: false,
      headerLine: 1,
      columns: expect.objectContaining({
        event_date: 'Date',
        event_type: 'Event Type',
        quantity: 'Quantity',
      }),
    });
  });

  it('reads a German Excel re-save: Windows-1252, semicolons, decimal commas, day-first dates', async () => {
    const r = await parseReport(fixture('reimbursements-de.csv'), { marketplace: 'DE' });
    expect(r.header).toMatchObject({ encoding: 'windows-1252', delimiter: ';' });
    expect(r.rows.map((x) => x.values)).toEqual([
      expect.objectContaining({
        approval_date: '2026-09-01T10:15:00Z',
        product_name: 'Müslischale Steingut, rot',
        amount_per_unit: '12.35',
        amount_total: '1235',
        quantity_reimbursed_total: '100',
        currency: 'EUR',
        case_id: null,
      }),
      expect.objectContaining({
        approval_date: '2026-09-02T08:00:00Z',
        amount_per_unit: '9.9',
        amount_total: '19.8',
      }),
    ]);
  });

  it('reads a gzipped report and fills landing defaults for blank counts', async () => {
    const r = await parseReport(fixture('fba-inventory.txt.gz'));
    expect(r.header).toMatchObject({ compressed: true, delimiter: '\t' });
    expect(r.rows[1]?.values).toMatchObject({ sku: 'WB-750-BLK', afn_inbound_shipped_quantity: '0' });
  });

  it("takes fee preview's `--` as no value and the EU domestic fulfilment fee as the fulfilment fee", async () => {
    const r = await parseReport(fixture('fee-preview-eu.txt'), { marketplace: 'DE' });
    expect(r.rows[1]?.values).toMatchObject({
      expected_fulfillment_fee_per_unit: '2.73',
      estimated_order_handling_fee_per_order: null,
      sales_price: null,
      product_size_tier: 'Standard-Umschlag',
      item_package_weight: '0.45',
    });
  });

  it('reports every bad cell with line, column, value and reason, and keeps the good rows', async () => {
    const body = [
      'Date\tMSKU\tEvent Type\tQuantity\tCountry',
      '09/01/2026\tA\tShipments\t-1\tUS',
      '',
      '31/02/2026\tB\tShipments\t1.5\tUS',
      '09/02/2026\tC\t\tzwei\tUS',
      'Date\tMSKU\tEvent Type\tQuantity\tCountry',
      '09/03/2026\tD\tReceipts\t1.000\tUS',
    ].join('\n');
    const r = await parseReport(tmp.write('bad.tsv', body));
    expect(r.rows.map((x) => [x.line, x.values.msku, x.values.quantity])).toEqual([
      [2, 'A', '-1'],
      [7, 'D', '1'],
    ]);
    expect(r.rejections).toEqual([
      { line: 4, column: 'Date', value: '31/02/2026', reason: 'not a real calendar date' },
      { line: 4, column: 'Quantity', value: '1.5', reason: 'not a whole number' },
      { line: 5, column: 'Event Type', value: '', reason: 'required value is missing' },
      { line: 5, column: 'Quantity', value: 'zwei', reason: 'not a whole number' },
      { line: 6, column: '', value: '', reason: 'repeated header row' },
    ]);
    expect(r.rejectedLines).toEqual([4, 5, 6]);
  });

  it('rejects bad amounts, currencies and channels', async () => {
    const body =
      'seller-sku\titem-name\tprice\tfulfillment-channel\topen-date\nS1\tX\t12,5O\tSELLER\t2026-02-30\n';
    const r = await parseReport(tmp.write('bad-listings.txt', body));
    expect(r.rejections.map((x) => [x.column, x.value, x.reason])).toEqual([
      ['price', '12,5O', 'not a number'],
      ['open-date', '2026-02-30', 'not a real calendar date'],
      ['fulfillment-channel', 'SELLER', 'not one of AFN, MFN'],
    ]);
  });

  it('stops cleanly when the caller breaks out early', async () => {
    const { rows } = await openReport(fixture('ledger.tsv'), OPTS);
    for await (const r of rows) {
      expect(r).toMatchObject({ ok: true, line: 2 });
      break;
    }
    expect(await rows.next()).toEqual({ done: true, value: undefined });
  });
});

describe('XLSX reports', () => {
  it('finds the header under title rows and reads dates and numbers from numeric cells', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Notes').addRow(['Downloaded from Seller Central']);
    const ws = wb.addWorksheet('Reimbursements');
    ws.addRow(['Reimbursements — September 2026']);
    ws.addRow([]);
    ws.addRow([
      'approval-date',
      'reimbursement-id',
      'sku',
      'currency-unit',
      'amount-per-unit',
      'amount-total',
    ]);
    ws.addRow([new Date(Date.UTC(2026, 8, 1, 10, 30)), 3987654321, 'SCH-ROT-01', 'EUR', 12.35, 1235]);
    ws.addRow(['02.09.2026 08:00', '3987654322', 'SCH-BLAU-02', 'EUR', '9,90', '1.234,50']);
    ws.addRow(['not yet', '3987654323', 'SCH-GRUEN-03', 'EUR', 1.5, 3]);
    const file = tmp.write('reimbursements.xlsx', '');
    await wb.xlsx.writeFile(file);
    const r = await parseReport(file, { marketplace: 'DE' });
    expect(r.type).toBe('reimbursements');
    expect(r.header).toMatchObject({
      format: 'xlsx',
      sheet: 'Reimbursements',
      headerLine: 3,
      compressed: false,
    });
    expect(
      r.rows.map((x) => [x.line, x.values.approval_date, x.values.reimbursement_id, x.values.amount_total]),
    ).toEqual([
      [4, '2026-09-01T10:30:00Z', '3987654321', '1235'],
      [5, '2026-09-02T08:00:00Z', '3987654322', '1234.5'],
    ]);
    expect(r.rows[0]?.values.amount_per_unit).toBe('12.35');
    expect(r.rejections).toEqual([
      { line: 6, column: 'approval-date', value: 'not yet', reason: 'not a date' },
    ]);
  });
});
