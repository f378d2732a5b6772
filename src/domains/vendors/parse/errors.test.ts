import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import {
  appError,
  DEFAULTS,
  encode1252,
  parseFile,
  tempDir,
} from '../../../../test/fixtures/price-lists/files.ts';
import { cliMessage } from '../../../cli/output.ts';
import { AppError } from '../../../platform/errors.ts';
import { openPriceList } from './index.ts';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const PDF = Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n', 'latin1');
const LIST = 'SKU;Title;Preis\nA1;Öl;1,50\n';

describe('file-level errors', () => {
  it('refuses an empty file', async () => {
    const e = await appError(parseFile(tmp.write('empty.csv', '')));
    expect(e).toMatchObject({ kind: 'invalid', message: 'empty.csv is empty (0 bytes)' });
  });

  it('refuses a file of blank lines (including delimiter-only rows)', async () => {
    for (const [name, body] of [
      ['blank.csv', '\n\r\n   \n'],
      ['delims.csv', ';;;\n;;;\n'],
      ['blank.csv.gz', gzipSync('\n\n')],
      ['nothing.csv.gz', gzipSync('')],
    ] as const) {
      const e = await appError(parseFile(tmp.write(name, body)));
      expect(e.message).toMatch(new RegExp(`^${name.replace(/\./g, '\\.')} is empty`));
    }
  });

  it('refuses a PDF, whatever its name', async () => {
    let e = await appError(parseFile(tmp.write('report.xlsx', PDF)));
    expect(e.message).toBe('report.xlsx is not a spreadsheet (looks like a PDF)');
    expect(e.details).toMatchObject({ file: 'report.xlsx' });
    e = await appError(parseFile(tmp.write('report.csv', PDF)));
    expect(e.message).toBe('report.csv is not a spreadsheet (looks like a PDF)');
    e = await appError(parseFile(tmp.write('report.csv.gz', gzipSync(PDF))));
    expect(e.message).toBe('report.csv.gz is not a spreadsheet (looks like a PDF)');
  });

  it('refuses other binary data and a text file named .xlsx', async () => {
    const xls = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0]);
    expect((await appError(parseFile(tmp.write('old.xls', xls)))).message).toBe(
      'old.xls is not a spreadsheet (looks like an old Excel .xls file; save it as .xlsx or CSV)',
    );
    const junk = Buffer.from('SKU,Cost\nA1,1\n\u0000\u0001\u0002binary', 'latin1');
    expect((await appError(parseFile(tmp.write('junk.csv', junk)))).message).toBe(
      'junk.csv is not a spreadsheet (binary data at byte 14)',
    );
    expect((await appError(parseFile(tmp.write('text.xlsx', LIST)))).message).toBe(
      'text.xlsx is not a spreadsheet (looks like a text file; rename it to .csv if it is one)',
    );
    const html = '<!DOCTYPE html><html><body><table><tr><td>SKU</td></tr></table></body></html>';
    expect((await appError(parseFile(tmp.write('export.xls', html)))).message).toBe(
      'export.xls is not a spreadsheet (looks like an HTML page)',
    );
  });

  it('refuses bytes that are neither UTF-8 nor Windows-1252, naming line and byte', async () => {
    const bytes = Buffer.concat([
      encode1252('SKU;Title;Preis\nA1;Öl;1,50\nA2;'),
      Buffer.from([0x81]),
      Buffer.from(';2\n'),
    ]);
    const e = await appError(parseFile(tmp.write('odd.csv', bytes)));
    expect(e.message).toBe(
      'odd.csv: unknown text encoding — line 3 has byte 0x81, which is neither UTF-8 nor Windows-1252; ' +
        'save the file as UTF-8 and try again',
    );
    expect(e.details).toEqual({ file: 'odd.csv', line: 3, byte: '0x81' });
  });

  it('refuses invalid UTF-8 after the first MiB, with its line number', async () => {
    const rows = 'A1;item;1,50\n'.repeat(90_000);
    const bytes = Buffer.concat([Buffer.from(`SKU;Title;Preis\n${rows}`), encode1252('Z9;Käse;2,00\n')]);
    expect(bytes.length).toBeGreaterThan(1 << 20);
    const e = await appError(parseFile(tmp.write('late.csv', bytes)));
    expect(e.message).toBe(
      'late.csv: line 90002 is not valid UTF-8 (byte 0xE4) although the lines before it are; ' +
        'the file mixes text encodings — save it as UTF-8 and try again',
    );
    expect(e.details).toMatchObject({ line: 90002, byte: '0xE4' });
  });

  it('refuses Windows-1252 with an undefined byte after the first MiB', async () => {
    const rows = encode1252('A1;Käse;1,50\n'.repeat(90_000));
    const bytes = Buffer.concat([
      Buffer.from('SKU;Title;Preis\n'),
      rows,
      Buffer.from([0x5a, 0x9d, 0x3b, 0x31, 0x0a]),
    ]);
    const e = await appError(parseFile(tmp.write('late1252.csv', bytes)));
    expect(e.message).toMatch(/^late1252\.csv: unknown text encoding — line 90002 has byte 0x9D/);
  });

  it('refuses a truncated or corrupt gzip', async () => {
    const gz = gzipSync(Buffer.from(LIST.repeat(2000)));
    let e = await appError(parseFile(tmp.write('cut.csv.gz', gz.subarray(0, gz.length - 20))));
    expect(e.message).toMatch(/^cut\.csv\.gz is a corrupt or truncated gzip file/);
    const bad = Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08, 0]), Buffer.alloc(40, 0x55)]);
    e = await appError(parseFile(tmp.write('bad.csv.gz', bad)));
    expect(e.message).toMatch(/^bad\.csv\.gz is a corrupt or truncated gzip file/);
  });

  it('explains a missing header row: the cells seen and the field missing', async () => {
    const body = 'Preisliste 2024\n\nArt.-Nr.;Bezeichnung;UVP\n1;Stift;2,99\n';
    const e = await appError(parseFile(tmp.write('nocost.csv', body)));
    expect(e.message).toContain('nocost.csv: no header row in the first 3 non-blank rows');
    expect(e.message).toContain(
      'line 1: "Preisliste 2024" — missing identifier (sku, asin or barcode) and cost',
    );
    expect(e.message).toContain('line 3: "Art.-Nr.", "Bezeichnung", "UVP" — missing cost');
    expect(e.message).toContain('line 4: "Stift" — missing');
    expect(e.details).toMatchObject({
      rows: expect.arrayContaining([{ line: 3, cells: expect.any(Array), missing: ['cost'] }]),
    });
  });

  it('only searches the first 20 non-blank rows for the header', async () => {
    const notes = Array.from({ length: 20 }, (_, i) => `Hinweis ${i + 1}`).join('\n');
    const e = await appError(parseFile(tmp.write('deep.csv', `${notes}\nSKU;Preis\nA;1\n`)));
    expect(e.message).toContain('no header row in the first 20 non-blank rows');
    expect(e.message).toContain('… 14 more');
  });

  it('refuses an unknown default currency and --map names missing from the header', async () => {
    const file = tmp.write('ok.csv', LIST);
    let e = await appError(openPriceList(file, { ...DEFAULTS, currency: 'euros!' }));
    expect(e.message).toBe('"euros!" is not a currency code (e.g. EUR, USD, GBP)');
    e = await appError(parseFile(file, { map: { 'Net price': 'cost' } }));
    expect(e.message).toBe(
      'map names "Net price", not in the header row of ok.csv (line 1: "SKU", "Title", "Preis")',
    );
    // the CLI names its flag, the API its field
    expect(cliMessage(new AppError('invalid', e.message, e.details))).toBe(
      '--map names "Net price", not in the header row of ok.csv (line 1: "SKU", "Title", "Preis")',
    );
    expect(e.details).toMatchObject({
      field: 'map',
      value: ['Net price'],
      rule: 'in_header',
      file: 'ok.csv',
    });
  });

  it('reports a file that cannot be opened', async () => {
    const e = await appError(parseFile(`${tmp.dir}/missing.csv`));
    expect(e.message).toBe('missing.csv: cannot be opened (ENOENT)');
  });
});
