import { describe, expect, it } from 'vitest';
import { CsvRecords } from './csv-records.ts';

async function* chunks(...parts: string[]): AsyncGenerator<Buffer> {
  for (const p of parts) yield Buffer.from(p, 'utf8');
}

async function all(recs: CsvRecords) {
  const out: { line: number; cells: string[] }[] = [];
  for (let r = await recs.next(); r; r = await recs.next()) out.push({ line: r.line, cells: r.cells });
  return out;
}

describe('CsvRecords, plain (quote-free) fast path', () => {
  it('splits lines and fields, CRLF or LF, blank lines kept as records, last line without newline', async () => {
    const recs = new CsvRecords(chunks('a;b\r\n1;2\r\n\r\n3;', '4\n5;6'), ';', 'x.csv', true);
    expect(await all(recs)).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 2, cells: ['1', '2'] },
      { line: 3, cells: [''] },
      { line: 4, cells: ['3', '4'] },
      { line: 5, cells: ['5', '6'] },
    ]);
  });

  it('hands over to the CSV parser when a quote turns up after the sample, mid-line', async () => {
    // the quoted field holds the delimiter and a line break: splitting would get both wrong
    const recs = new CsvRecords(
      chunks('sku;name\nA;plain\nB;"Kaffee; ', 'gemahlen\n500 g"\nC;end\n'),
      ';',
      'x.csv',
      true,
    );
    expect(await all(recs)).toEqual([
      { line: 1, cells: ['sku', 'name'] },
      { line: 2, cells: ['A', 'plain'] },
      { line: 3, cells: ['B', 'Kaffee; gemahlen\n500 g'] },
      { line: 5, cells: ['C', 'end'] },
    ]);
  });

  it('keeps quotes literal in tab-separated text (Amazon never quotes)', async () => {
    const recs = new CsvRecords(chunks('sku\tname\n', 'A\t"Best" 12" pan\n'), '\t', 'x.tsv', true);
    expect((await all(recs))[1]!.cells).toEqual(['A', '"Best" 12" pan']);
  });

  it('refuses a line longer than 1 MiB instead of holding it', async () => {
    const recs = new CsvRecords(chunks('a\tb\n', 'x'.repeat((1 << 20) + 10)), '\t', 'big.tsv', true);
    await expect(all(recs)).rejects.toThrow(/big\.tsv: a line is longer than/);
  });
});
