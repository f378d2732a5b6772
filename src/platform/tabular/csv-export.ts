/**
 * CSV as spreadsheets read it (RFC 4180): comma-separated, CRLF line ends, fields with a comma, quote
 * or line break quoted with quotes doubled. Numbers are written unformatted with a '.' decimal point
 * (never an exponent), times as ISO 8601 UTC, lists joined by '|'. Pure functions.
 */

// A spreadsheet runs a cell that starts with one of these as a formula (CSV injection, OWASP): a
// vendor's title "=HYPERLINK(…)" must arrive as text. Tab and CR count too (OWASP's list).
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** The UTF-8 byte order mark: without it Excel reads "Küche" as "KÃ¼che". */
export const BOM = '\uFEFF';

function numberText(n: number): string {
  if (!Number.isFinite(n)) return '';
  const s = String(n);
  if (!s.includes('e')) return s;
  // String() switches to an exponent below 1e-6 and from 1e21; spell those out
  return n.toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 20 });
}

/** Text as a cell: formula starts defused with a leading apostrophe, then quoted when needed. */
export function textCell(s: string): string {
  const safe = FORMULA_START.test(s) ? `'${s}` : s;
  return NEEDS_QUOTES.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return numberText(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? '' : v.toISOString();
  if (Array.isArray(v))
    return textCell(v.map((x) => (x instanceof Date ? x.toISOString() : String(x))).join('|'));
  return textCell(String(v));
}

export function csvLine(values: readonly unknown[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}
