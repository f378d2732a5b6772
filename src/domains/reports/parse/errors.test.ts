import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { makeZip, WORKBOOK_XML } from '../../../../test/fixtures/price-lists/zip.ts';
import { appError, fixture, OPTS, parseReport, tempDir } from '../../../../test/fixtures/reports/files.ts';
import { openReport } from './index.ts';

const tmp = tempDir('awa-reports-');
afterAll(() => tmp.cleanup());

const PDF = Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n', 'latin1');
const LEDGER = readFileSync(fixture('ledger.tsv'));

describe('file-level problems', () => {
  it('refuses an empty file and one of blank lines', async () => {
    expect((await appError(parseReport(tmp.write('empty.txt', '')))).message).toBe(
      'empty.txt is empty (0 bytes)',
    );
    expect((await appError(parseReport(tmp.write('blank.tsv', '\n\t\t\n  \n')))).message).toBe(
      'blank.tsv is empty (only blank rows)',
    );
    expect((await appError(parseReport(tmp.write('nothing.txt.gz', gzipSync(''))))).message).toBe(
      'nothing.txt.gz is empty',
    );
  });

  it('refuses a PDF renamed to .txt or .xlsx, and text named .xlsx', async () => {
    for (const name of ['settlement.txt', 'settlement.xlsx']) {
      const e = await appError(parseReport(tmp.write(name, PDF)));
      expect(e).toMatchObject({
        kind: 'invalid',
        message: `${name} is not a spreadsheet (looks like a PDF)`,
      });
    }
    expect((await appError(parseReport(tmp.write('ledger.xlsx', LEDGER)))).message).toBe(
      'ledger.xlsx is not a spreadsheet (looks like a text file; rename it to .csv if it is one)',
    );
  });

  it('refuses a truncated gzip, up front or while streaming', async () => {
    const small = gzipSync(LEDGER);
    let e = await appError(parseReport(tmp.write('cut.tsv.gz', small.subarray(0, small.length - 12))));
    expect(e.message).toMatch(/^cut\.tsv\.gz is a corrupt or truncated gzip file/);
    // past the 1 MiB sample the damage only shows while rows are read (the first date settles the
    // day/month order, so nothing is read ahead)
    const rows = Array.from(
      { length: 40_000 },
      (_, i) => `09/13/2026\tX1\tB07XYZ1234\tSKU-${i}\tT\tShipments\t\t-1\n`,
    );
    const big = gzipSync(
      Buffer.from(`Date\tFNSKU\tASIN\tMSKU\tTitle\tEvent Type\tReference ID\tQuantity\n${rows.join('')}`),
    );
    const file = tmp.write('late.tsv.gz', big.subarray(0, big.length - 100));
    const { rows: stream } = await openReport(file, OPTS);
    e = await appError(
      (async () => {
        for await (const _ of stream) void _;
      })(),
    );
    expect(e.message).toMatch(/^late\.tsv\.gz is a corrupt or truncated gzip file/);
  });

  it('refuses a zip bomb before unpacking it', async () => {
    const bomb = makeZip([
      { name: 'xl/workbook.xml', data: WORKBOOK_XML },
      { name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(20 << 20, 0x20) },
    ]);
    const e = await appError(parseReport(tmp.write('bomb.xlsx', bomb), { maxUncompressedBytes: 10 << 20 }));
    expect(e.message).toMatch(/^bomb\.xlsx: refusing to open — its 2 entries unpack to 20971\d{3} bytes/);
  });

  it('names the file as the caller calls it (an upload stored under a temp name)', async () => {
    const file = tmp.write('upload-7f3a', PDF);
    const e = await appError(parseReport(file, { fileName: 'Settlement Sept.txt' }));
    expect(e.message).toBe('Settlement Sept.txt is not a spreadsheet (looks like a PDF)');
    const r = await parseReport(tmp.write('upload-7f3b', LEDGER), { fileName: 'ledger.tsv' });
    expect(r.type).toBe('inventory_ledger');
  });

  it('refuses a bad marketplace or report type', async () => {
    let e = await appError(parseReport(fixture('ledger.tsv'), { marketplace: 'Germany' }));
    expect(e.message).toBe('"Germany" is not a marketplace code (e.g. DE, US, UK)');
    e = await appError(parseReport(fixture('ledger.tsv'), { type: 'orders' as never }));
    expect(e.message).toMatch(/^unknown report type "orders"; known types: listings, fba_inventory, /);
  });

  it('explains an XLSX whose sheets hold no report', async () => {
    const ExcelJS = (await import('exceljs')).default;
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('A').addRow(['Name', 'Notes']);
    wb.addWorksheet('B');
    const file = tmp.write('notes.xlsx', '');
    await wb.xlsx.writeFile(file);
    const e = await appError(parseReport(file));
    expect(e.message).toContain('notes.xlsx: no sheet has a header row.');
    expect(e.message).toContain('sheet "A": unknown report');
    expect(e.message).toContain('Headers seen (line 1): "Name", "Notes"');
  });
});
