import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  encode1252,
  FIXTURES,
  type Parsed,
  parseFile,
  tempDir,
  utf16be,
  utf16le,
} from '../../../../test/fixtures/price-lists/files.ts';
import { sniffDelimiter } from '../../../platform/tabular/index.ts';
import { SCIENTIFIC_HINT } from './barcode.ts';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

describe('a German vendor export with title rows (de-title-rows.csv)', () => {
  let parsed: Parsed;
  beforeAll(async () => {
    parsed = await parseFile(path.join(FIXTURES, 'de-title-rows.csv'));
  });
  const bySkuLine = (line: number) => parsed.rows.find((r) => r.line === line);
  const reasons = (line: number) => parsed.rejected.find((r) => r.line === line)?.rejections;

  it('finds the header below the title, note and blank rows', () => {
    expect(parsed.header).toEqual({
      format: 'csv',
      encoding: 'utf-8',
      delimiter: ';',
      compressed: false,
      headerLine: 5,
      columns: {
        sku: 'Art.-Nr.',
        barcode: 'EAN',
        title: 'Bezeichnung',
        cost: 'Einkaufspreis',
        pack_size: 'VPE',
        moq: 'MOQ',
        lead_time_days: 'Lieferzeit',
        currency: 'Währung',
      },
      perCase: false,
    });
  });

  it('parses German numbers, restores barcode zeros and keeps quoted delimiters', () => {
    expect(bySkuLine(6)).toEqual({
      line: 6,
      sku: '10001',
      asin: null,
      barcode: '4006381333931',
      title: 'Kugelschreiber blau',
      cost: '1234.56',
      currency: 'EUR',
      pack_size: 1,
      moq: 10,
      lead_time_days: 5,
    });
    expect(bySkuLine(7)).toMatchObject({
      sku: '10002',
      barcode: '036000291452',
      title: 'Notizblock "A5"; kariert',
      cost: '3396.63',
      pack_size: 12,
      moq: 24,
      lead_time_days: null,
    });
    expect(bySkuLine(16)).toMatchObject({ sku: '10008', cost: '1234', currency: 'CHF' });
  });

  it('takes the row currency from a symbol in the cost cell', () => {
    expect(bySkuLine(13)).toMatchObject({ sku: '10006', cost: '8.1', currency: 'USD' });
  });

  it('passes duplicates through as separate rows', () => {
    expect(parsed.rows.filter((r) => r.sku === '10001').map((r) => [r.line, r.cost])).toEqual([
      [6, '1234.56'],
      [12, '1.2'],
    ]);
  });

  it('skips blank rows (even ones made of delimiters) and rejects every other bad row', () => {
    expect(parsed.rows.map((r) => r.line)).toEqual([6, 7, 12, 13, 16]);
    expect(parsed.rejected.map((r) => r.line)).toEqual([9, 10, 11, 14, 15]);
  });

  it('reports each problem with line, column and value as in the file', () => {
    expect(reasons(9)).toEqual([{ line: 9, column: 'EAN', value: '4.00638E+12', reason: SCIENTIFIC_HINT }]);
    expect(reasons(10)).toEqual([
      {
        line: 10,
        column: 'EAN',
        value: '4006381333932',
        reason: 'barcode check digit is wrong (expected 1)',
      },
      { line: 10, column: 'VPE', value: '1,5', reason: 'pack size is not a whole number' },
      { line: 10, column: 'MOQ', value: '-1', reason: 'MOQ is negative' },
      { line: 10, column: 'Lieferzeit', value: 'abc', reason: 'lead time is not a whole number' },
    ]);
    expect(reasons(11)).toEqual([{ line: 11, column: 'Einkaufspreis', value: '0', reason: 'cost is zero' }]);
    expect(reasons(14)).toEqual([
      {
        line: 14,
        column: 'Einkaufspreis',
        value: '2,00 €',
        reason: 'cost is in EUR but the currency column says USD',
      },
    ]);
    expect(reasons(15)).toEqual([{ line: 15, column: '', value: '', reason: 'repeated header row' }]);
  });
});

describe('encodings', () => {
  const text = [
    'Artikelnummer;Bezeichnung;Preis',
    'A1;Kühlschrank-Öl ä ö ü € Edition;12,50 €',
    'A2;Bürste groß;3,99',
    '',
  ].join('\r\n');
  const expectRows = (rows: { sku: string; title: string | null; cost: string; currency: string }[]) => {
    expect(rows.map((r) => [r.sku, r.title, r.cost, r.currency])).toEqual([
      ['A1', 'Kühlschrank-Öl ä ö ü € Edition', '12.5', 'EUR'],
      ['A2', 'Bürste groß', '3.99', 'USD'],
    ]);
  };

  it.each([
    ['utf-8', 'utf8.csv', Buffer.from(text, 'utf8')],
    ['utf-8', 'utf8-bom.csv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')])],
    ['utf-16le', 'utf16le.csv', utf16le(text)],
    ['utf-16be', 'utf16be.csv', utf16be(text)],
    ['windows-1252', 'cp1252.csv', encode1252(text)],
  ] as const)('reads %s (%s)', async (encoding, name, bytes) => {
    const { header, rows, rejected } = await parseFile(tmp.write(name, bytes), { currency: 'USD' });
    expect(header).toMatchObject({ encoding, delimiter: ';', headerLine: 1, compressed: false });
    // a BOM must not leak into the first header cell
    expect(header.columns.sku).toBe('Artikelnummer');
    expectRows(rows);
    expect(rejected).toEqual([]);
  });

  it('reads gzip by its magic bytes, with or without a .gz name', async () => {
    for (const name of ['list.csv.gz', 'renamed.csv']) {
      const { header, rows } = await parseFile(tmp.write(name, gzipSync(encode1252(text))), {
        currency: 'USD',
      });
      expect(header).toMatchObject({ compressed: true, encoding: 'windows-1252', format: 'csv' });
      expectRows(rows);
    }
  });

  it('judges UTF-8 correctly when the 1 MiB sample ends inside a multi-byte character', async () => {
    // ASCII up to 2^20 - 4 bytes, then "E1," so that the 3-byte "€" starts on the sample's last byte
    const head = 'SKU,Title,Cost\n';
    const fillers = Math.floor(((1 << 20) - 4 - head.length) / 10);
    const pad = (1 << 20) - 4 - head.length - fillers * 10;
    const prefix = head + 'X1,t,1.00\n'.repeat(fillers) + `Y,${'a'.repeat(pad - 5)},1\n`;
    expect(prefix.length).toBe((1 << 20) - 4);
    const { header, rows } = await parseFile(tmp.write('boundary.csv', `${prefix}E1,€€€,2\n`));
    expect(header.encoding).toBe('utf-8');
    expect(rows.at(-1)).toMatchObject({ sku: 'E1', title: '€€€', cost: '2' });
  });
});

describe('delimiters', () => {
  it.each([
    ['tab', 'list.tsv', 'SKU\tTitle\tCost\nA1\tPen, blue\t1.50\n', '\t'],
    ['pipe', 'list.txt', 'sku|title|price\nA1|Pen; blue|1.50\n', '|'],
    ['comma', 'list.csv', 'SKU,Title,Cost\nA1,"Pen; blue, fine","1,234.50"\n', ','],
    ['semicolon', 'list.txt', 'SKU;Title;Cost\nA1;Pen, blue;1.234,50\n', ';'],
  ])('sniffs %s', async (_, name, content, delimiter) => {
    const { header, rows } = await parseFile(tmp.write(name, content));
    expect(header.delimiter).toBe(delimiter);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.title).toMatch(/^Pen/);
    expect(Number(rows[0]!.cost)).toBeGreaterThan(1);
  });

  it('picks ";" for a German file whose decimal commas are as regular as its semicolons', () => {
    const de = 'Preisliste\nArt.-Nr.;Bezeichnung;Preis;UVP\n1;a;1,50;2,50\n2;b;3,20;4,10\n3;c;2,00;3,00\n';
    expect(sniffDelimiter(de)).toBe(';');
    expect(sniffDelimiter('a,b,c\n1,"x;y",2\n3,"p;q;r",4\n')).toBe(',');
    expect(sniffDelimiter('only one column\nnothing else\n')).toBe(',');
  });
});
