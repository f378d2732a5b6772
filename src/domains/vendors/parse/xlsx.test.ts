import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appError, DEFAULTS, parseFile, tempDir } from '../../../../test/fixtures/price-lists/files.ts';
import { makeZip, WORKBOOK_XML } from '../../../../test/fixtures/price-lists/zip.ts';
import { sheetNames } from '../../../platform/tabular/index.ts';
import { readZipDirectory, readZipEntry } from '../../../platform/tabular/zip-guard.ts';
import { openPriceList } from './index.ts';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

/**
 * Sheet 1 "Preisliste": a title row and a blank row above the header, numeric barcodes (one lost
 * its leading zero), numeric and text prices, rich text and a formula. Sheet 2 "Sonderposten":
 * its own header on row 1 with per-case prices.
 */
async function buildWorkbook(file: string, opts: { cover?: boolean } = {}): Promise<string> {
  const wb = new ExcelJS.Workbook();
  if (opts.cover) {
    const cover = wb.addWorksheet('Deckblatt');
    cover.addRow(['Muster GmbH']);
    cover.addRow(['Preise gültig ab 01.03.2024']);
  }
  const ws = wb.addWorksheet('Preisliste');
  ws.addRow(['Preisliste 2024 — alle Preise netto']);
  ws.addRow([]);
  ws.addRow(['Artikelnummer', 'EAN', 'Bezeichnung', 'Preis', 'VPE', 'UVP']);
  ws.addRow(['A-1', 4006381333931, 'Kugelschreiber', 1.234, 10, 2.99]);
  ws.addRow([
    'A-2',
    36000291452,
    { richText: [{ text: 'Block ' }, { text: 'kariert', font: { bold: true } }] },
    '3.396,63',
    5,
  ]);
  ws.addRow([]);
  ws.addRow(['A-3', '4.00638E+12', 'Radierer', { formula: '0.5*3', result: 1.5 }, 1]);
  ws.addRow([1004, 4006381333931, 'Lineal', 0.30000000000000004, 2.5]);
  const second = wb.addWorksheet('Sonderposten');
  second.addRow(['SKU', 'Case pack', 'Case price', 'Currency']);
  second.addRow(['S-1', 6, 10, 'usd']);
  await wb.xlsx.writeFile(file);
  return file;
}

let book: string;
beforeAll(async () => {
  book = await buildWorkbook(tmp.write('prices.xlsx', ''));
});

describe('XLSX', () => {
  it('streams the first sheet with a header, below its title row', async () => {
    const { header, rows, rejected } = await parseFile(book);
    expect(header).toEqual({
      format: 'xlsx',
      compressed: false,
      sheet: 'Preisliste',
      headerLine: 3,
      columns: {
        sku: 'Artikelnummer',
        barcode: 'EAN',
        title: 'Bezeichnung',
        cost: 'Preis',
        pack_size: 'VPE',
      },
      perCase: false,
    });
    expect(rows.map((r) => [r.line, r.sku, r.barcode, r.title, r.cost, r.pack_size])).toEqual([
      // a numeric cell is a machine number: 1.234 stays 1.234, not "1.234" read as thousands
      [4, 'A-1', '4006381333931', 'Kugelschreiber', '1.234', 10],
      [5, 'A-2', '036000291452', 'Block kariert', '3396.63', 5],
    ]);
    expect(rejected.map((r) => r.rejections.map((x) => [x.line, x.column, x.value, x.reason]))).toEqual([
      [[7, 'EAN', '4.00638E+12', expect.stringContaining('scientific notation')]],
      [[8, 'VPE', '2.5', 'pack size is not a whole number']],
    ]);
  });

  it('stops cleanly when the caller breaks out early', async () => {
    const { rows } = await openPriceList(book, DEFAULTS);
    for await (const r of rows) {
      expect(r).toMatchObject({ ok: true, row: { line: 4 } });
      break;
    }
    expect(await rows[Symbol.asyncIterator]().next()).toEqual({ done: true, value: undefined });
    // and the file can be read again from the start
    expect((await parseFile(book)).rows).toHaveLength(2);
  });

  it('reads a workbook that stores xl/workbook.xml after its sheets and shared strings', async () => {
    // exceljs writes that order now and then; its stream reader then named no sheet and failed
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Deckblatt').addRow(['Muster GmbH']);
    const ws = wb.addWorksheet('Preise');
    ws.addRow(['Item no', 'Unit cost', 'MOQ']);
    ws.addRow(['A-1', 1.5, 12]);
    const src = tmp.write('late-workbook-src.xlsx', '');
    await wb.xlsx.writeFile(src);
    const parts = new Map<string, Buffer>();
    for (const e of await readZipDirectory(src, 'src.xlsx')) {
      if (!e.name.endsWith('/')) parts.set(e.name, await readZipEntry(src, e, 'src.xlsx'));
    }
    const rank = (n: string) =>
      n === 'xl/workbook.xml' ? 3 : n.startsWith('xl/worksheets/') ? 2 : n.startsWith('xl/') ? 1 : 0;
    const names = [...parts.keys()].sort((a, b) => rank(a) - rank(b));
    expect(names.at(-1)).toBe('xl/workbook.xml');
    const file = tmp.write(
      'late-workbook.xlsx',
      makeZip(names.map((name) => ({ name, data: parts.get(name)! }))),
    );
    const { rows } = await parseFile(file, { sheet: 'Preise' });
    expect(rows.map((r) => [r.sku, r.cost, r.moq])).toEqual([['A-1', '1.5', 12]]);
  });

  it('reads formula results and numeric SKUs', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('S');
    ws.addRow(['Item no', 'Unit cost', 'MOQ']);
    ws.addRow([1004, { formula: '0.5*3', result: 1.5 }, 12]);
    ws.addRow(['X', 0.30000000000000004, 1]);
    const file = tmp.write('formula.xlsx', '');
    await wb.xlsx.writeFile(file);
    const { rows } = await parseFile(file);
    expect(rows.map((r) => [r.sku, r.cost, r.moq])).toEqual([
      ['1004', '1.5', 12],
      ['X', '0.3', 1],
    ]);
  });

  it('takes the sheet named by the option', async () => {
    const { header, rows } = await parseFile(book, { sheet: 'Sonderposten' });
    expect(header).toMatchObject({ sheet: 'Sonderposten', headerLine: 1, perCase: true });
    expect(rows).toEqual([
      {
        line: 2,
        sku: 'S-1',
        asin: null,
        barcode: null,
        title: null,
        cost: '1.6667',
        currency: 'USD',
        pack_size: 6,
        moq: 0,
        lead_time_days: null,
      },
    ]);
  });

  it('skips a first sheet without a header', async () => {
    const file = await buildWorkbook(tmp.write('cover.xlsx', ''), { cover: true });
    const { header } = await parseFile(file);
    expect(header).toMatchObject({ sheet: 'Preisliste', headerLine: 3 });
  });

  it('refuses a sheet that does not exist, listing the sheets', async () => {
    const e = await appError(parseFile(book, { sheet: 'Tabelle1' }));
    expect(e.kind).toBe('invalid');
    expect(e.message).toBe(
      'prices.xlsx has no sheet "Tabelle1"; its sheets are "Preisliste", "Sonderposten"',
    );
    expect(e.details).toMatchObject({ sheets: ['Preisliste', 'Sonderposten'] });
  });

  it('explains when no sheet has a header row', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('A').addRow(['Name', 'Retail price']);
    wb.addWorksheet('B').addRow(['Notes']);
    const file = tmp.write('noheader.xlsx', '');
    await wb.xlsx.writeFile(file);
    const e = await appError(parseFile(file));
    expect(e.message).toContain('noheader.xlsx: no sheet has a header row');
    expect(e.message).toContain('sheet "A"');
    expect(e.message).toContain(
      '"Name", "Retail price" — missing identifier (sku, asin or barcode) and cost',
    );
  });
});

describe('zip guard', () => {
  it('refuses a real highly-compressible entry over the limit before unpacking', async () => {
    const bomb = makeZip([
      { name: 'xl/workbook.xml', data: WORKBOOK_XML },
      { name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(20 << 20, 0x20) },
    ]);
    expect(bomb.length).toBeLessThan(100_000);
    const e = await appError(parseFile(tmp.write('bomb.xlsx', bomb), { maxUncompressedBytes: 10 << 20 }));
    expect(e.message).toMatch(/^bomb\.xlsx: refusing to open — its 2 entries unpack to 20971\d{3} bytes/);
    expect(e.message).toContain('over the limit of 10485760 bytes');
    expect(e.details).toMatchObject({ limitBytes: 10 << 20, fileBytes: bomb.length });
  });

  it('refuses sizes declared in the central directory, including ZIP64', async () => {
    const lying = makeZip([
      { name: 'xl/workbook.xml', data: WORKBOOK_XML },
      { name: 'xl/worksheets/sheet1.xml', data: Buffer.from('<x/>'), declaredSize: 0xfffffff0 },
    ]);
    let e = await appError(parseFile(tmp.write('lying.xlsx', lying)));
    expect(e.message).toContain(`unpack to ${0xfffffff0 + WORKBOOK_XML.length} bytes`);

    const zip64 = makeZip([
      { name: 'xl/workbook.xml', data: WORKBOOK_XML },
      {
        name: 'xl/worksheets/sheet1.xml',
        data: Buffer.from('<x/>'),
        declaredSize: 10 * 2 ** 30,
        zip64: true,
      },
    ]);
    e = await appError(parseFile(tmp.write('zip64.xlsx', zip64)));
    expect(e.message).toContain(`unpack to ${10 * 2 ** 30 + WORKBOOK_XML.length} bytes (10240.0 MiB)`);
  });

  it('tells a zip that is not a workbook from a damaged one', async () => {
    const plain = makeZip([{ name: 'readme.txt', data: Buffer.from('hello') }]);
    let e = await appError(parseFile(tmp.write('archive.xlsx', plain)));
    expect(e.message).toBe(
      'archive.xlsx is not a spreadsheet (looks like a zip archive, not an Excel workbook)',
    );
    e = await appError(parseFile(tmp.write('cut.xlsx', plain.subarray(0, plain.length - 30))));
    expect(e.message).toMatch(/^cut\.xlsx is not a spreadsheet \(looks like a damaged zip archive/);
  });

  it('reads sheet names with XML entities', () => {
    expect(sheetNames(WORKBOOK_XML.toString())).toEqual(['Prices & more']);
  });
});
