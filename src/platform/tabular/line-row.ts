import type { RawRow } from './types.ts';

const BLANK = new Map<string, RegExp>();

/**
 * A row of quote-free delimited text kept as its line: the cells are split only when read. A reader
 * that needs a few cells of most rows (the price-list import skips rows whose cells it has seen
 * before) reads them by position instead: splitting every line of a million-row file, and collecting
 * the strings, took about a third of the import's parse.
 */
export class LineRow implements RawRow {
  private split: string[] | undefined;

  constructor(
    readonly line: number,
    /** The line without its line break. */
    readonly text: string,
    readonly delimiter: string,
  ) {}

  get cells(): string[] {
    this.split ??= this.text.split(this.delimiter);
    return this.split;
  }

  /** How many cells the line has (what `cells.length` would be). */
  count(): number {
    const { text, delimiter } = this;
    let n = 1;
    for (let i = text.indexOf(delimiter); i !== -1; i = text.indexOf(delimiter, i + 1)) n++;
    return n;
  }

  /**
   * Where cells 0…`upTo` start in `text`, into `starts` (at least upTo + 2 long): cell i is
   * text[starts[i], starts[i + 1] - 1). Returns how many of those cells the line has.
   */
  bounds(starts: Int32Array, upTo: number): number {
    const { text, delimiter } = this;
    let n = 0;
    starts[0] = 0;
    for (let i = text.indexOf(delimiter); i !== -1 && n <= upTo; i = text.indexOf(delimiter, i + 1)) {
      starts[++n] = i + 1;
    }
    starts[n + 1] = text.length + 1;
    return n + 1;
  }

  /** Cell i as `cells[i] ?? ''` gives it. */
  cell(i: number): string {
    const { text, delimiter } = this;
    let start = 0;
    for (let k = 0; k < i; k++) {
      const d = text.indexOf(delimiter, start);
      if (d === -1) return '';
      start = d + 1;
    }
    const end = text.indexOf(delimiter, start);
    return text.slice(start, end === -1 ? text.length : end);
  }

  /** What isBlankRow(cells) says: nothing but whitespace (as trim() sees it) and delimiters. */
  isBlank(): boolean {
    let re = BLANK.get(this.delimiter);
    if (!re) {
      re = new RegExp(`^[\\s${this.delimiter.replace(/[\\\]^-]/g, '\\$&')}]*$`);
      BLANK.set(this.delimiter, re);
    }
    return re.test(this.text);
  }
}
