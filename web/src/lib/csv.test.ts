import { describe, expect, it } from 'vitest';
import { csvCell, csvFileName, toCsv } from './csv.ts';

describe('csv', () => {
  it('quotes separators, quotes and line breaks and leaves plain cells alone', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('1,5')).toBe('"1,5"');
    expect(csvCell('Notizblock "A5"')).toBe('"Notizblock ""A5"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell(' padded')).toBe('" padded"');
    expect(csvCell(null)).toBe('');
    expect(csvCell(12)).toBe('12');
  });

  it('defuses formulas but keeps negative numbers as numbers', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('-1')).toBe('-1');
    expect(csvCell('-2,5')).toBe('"-2,5"');
    expect(csvCell('+cmd')).toBe("'+cmd");
  });

  it('writes a header and CRLF lines', () => {
    expect(
      toCsv(
        ['line', 'reason'],
        [
          [9, 'scientific notation'],
          [15, 'repeated header row'],
        ],
      ),
    ).toBe('line,reason\r\n9,scientific notation\r\n15,repeated header row\r\n');
  });

  it('names downloads after the source file', () => {
    expect(csvFileName('problems', 'Preisliste Frühjahr.csv')).toBe('problems-Preisliste_Frühjahr.csv');
    expect(csvFileName('problems')).toBe('problems.csv');
  });
});
