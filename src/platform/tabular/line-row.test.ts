import { describe, expect, it } from 'vitest';
import { CsvRecords } from './csv-records.ts';
import { isBlankRow } from './header-row.ts';
import { LineRow } from './line-row.ts';

// A plain line is split only when its cells are read; read in place, it must say what the split says.
const LINES = ['a;b;c', '', ';', ' ;\t; ', 'x', ';;y', 'A-1; 4006381333931 ;3,50;', '\u00a0;\u3000', 'a|b;c'];

describe('LineRow', () => {
  it('reads cells, counts and blankness as the split cells give them', () => {
    for (const delimiter of [';', '|', '\t', ',']) {
      for (const text of LINES) {
        const row = new LineRow(1, text, delimiter);
        const cells = text.split(delimiter);
        expect(row.count(), text).toBe(cells.length);
        for (let i = 0; i <= cells.length + 1; i++)
          expect(row.cell(i), `${text} [${i}]`).toBe(cells[i] ?? '');
        const starts = new Int32Array(8);
        const n = row.bounds(starts, 5);
        for (let i = 0; i < Math.min(n, 6); i++) {
          expect(text.slice(starts[i]!, starts[i + 1]! - 1), `${text} bounds [${i}]`).toBe(cells[i]);
        }
        expect(row.isBlank(), JSON.stringify(text)).toBe(isBlankRow(cells));
        expect(row.cells).toEqual(cells);
      }
    }
  });

  it('keeps file line numbers when plain lines hold a lone CR', async () => {
    async function* bytes() {
      yield Buffer.from('a;b\r\nc\rd;e\nf;g\n');
    }
    const recs = new CsvRecords(bytes(), ';', 'x.csv', true);
    const rows = [];
    for (let r = await recs.next(); r; r = await recs.next()) rows.push([r.line, r.cells]);
    expect(rows).toEqual([
      [1, ['a', 'b']],
      [2, ['c\rd', 'e']],
      [4, ['f', 'g']],
    ]);
  });
});
