import { parseDecimal } from './decimal.ts';
import { LineRow } from './line-row.ts';
import type { RawRow } from './types.ts';

/** Files put titles, notes and blank lines above the header; only this many rows are searched. */
export const HEADER_SEARCH_ROWS = 20;

export function isBlankRow(cells: string[]): boolean {
  for (const c of cells) if (c.length > 0 && c.trim() !== '') return false;
  return true;
}

/** isBlankRow for a row read from a file, without splitting a line that is kept whole (LineRow). */
export function isBlankRaw(row: RawRow): boolean {
  return row instanceof LineRow ? row.isBlank() : isBlankRow(row.cells);
}

/** The cells of a row that could be header names (short, not numbers), to show in "no header" errors. */
export function headerLooking(cells: string[], max = 12): string[] {
  return cells
    .map((c) => c.trim())
    .filter((c) => c !== '' && c.length <= 60 && parseDecimal(c) === null)
    .slice(0, max);
}

export const quoteList = (cells: readonly string[]): string => cells.map((c) => `"${c}"`).join(', ');
