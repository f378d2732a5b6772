import { parseDecimal } from './decimal.ts';

/** Files put titles, notes and blank lines above the header; only this many rows are searched. */
export const HEADER_SEARCH_ROWS = 20;

export function isBlankRow(cells: string[]): boolean {
  for (const c of cells) if (c.length > 0 && c.trim() !== '') return false;
  return true;
}

/** The cells of a row that could be header names (short, not numbers), to show in "no header" errors. */
export function headerLooking(cells: string[], max = 12): string[] {
  return cells
    .map((c) => c.trim())
    .filter((c) => c !== '' && c.length <= 60 && parseDecimal(c) === null)
    .slice(0, max);
}

export const quoteList = (cells: readonly string[]): string => cells.map((c) => `"${c}"`).join(', ');
