import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { appError, tempDir } from '../../../test/fixtures/price-lists/files.ts';
import { AppError } from '../errors.ts';
import { type HeaderSearch, openTable, type RawRow, tableRows } from './index.ts';

const tmp = tempDir('awa-tabular-');
afterAll(() => tmp.cleanup());

/** A header is the first row that names `id`; the match is that cell's index. */
class FindId implements HeaderSearch<number> {
  seen = 0;
  get exhausted() {
    return this.seen >= 3;
  }
  offer(row: RawRow): number | null {
    this.seen++;
    const i = row.cells.findIndex((c) => c.trim().toLowerCase() === 'id');
    return i === -1 ? null : i;
  }
  error(where?: string) {
    return new AppError('invalid', `no id column${where ? ` in ${where}` : ''}`);
  }
}

const opts = { header: () => new FindId(), maxUncompressedBytes: 10 << 20 };

describe('openTable', () => {
  it('finds the header with the caller’s search and streams the rows below it with file line numbers', async () => {
    const file = tmp.write('t.csv', 'Title;;\n\nname;ID;qty\n"a\nb";1;2\n\n c ;2;3\n');
    const table = await openTable(file, opts);
    expect(table).toMatchObject({ format: 'csv', delimiter: ';', match: 1, headerRow: { line: 3 } });
    const rows = [];
    for await (const r of tableRows(table)) rows.push([r.line, r.cells]);
    expect(rows).toEqual([
      [4, ['a\nb', '1', '2']],
      [7, [' c ', '2', '3']],
    ]);
  });

  it('gives up after the search is exhausted, with the search’s error', async () => {
    const e = await appError(openTable(tmp.write('n.tsv', 'a\tb\nc\td\ne\tf\nid\tx\n'), opts));
    expect(e.message).toBe('no id column');
  });

  it('reads the first sheet that has a header, or the one named', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Cover').addRow(['nothing here']);
    wb.addWorksheet('Data').addRows([
      ['id', 'n'],
      [7, 1.5],
    ]);
    wb.addWorksheet('More').addRows([
      ['x', 'ID'],
      ['y', 8],
    ]);
    const file = tmp.write('t.xlsx', '');
    await wb.xlsx.writeFile(file);
    let table = await openTable(file, opts);
    expect(table).toMatchObject({ format: 'xlsx', sheet: 'Data', match: 0 });
    const rows = [];
    for await (const b of table.batches) rows.push(...b);
    expect(rows).toEqual([{ line: 2, cells: ['7', '1.5'], numeric: [true, true] }]);
    table = await openTable(file, { ...opts, sheet: 'more' });
    expect(table).toMatchObject({ sheet: 'More', match: 1 });
    await table.close();
  });
});
