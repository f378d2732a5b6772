/**
 * CSV for downloads the user opens in a spreadsheet. RFC 4180 quoting; a cell that a spreadsheet
 * would run as a formula (=, +, -, @ first, unless it is a plain number) is prefixed with ' so a
 * vendor's file cannot smuggle a formula into the user's Excel through a rejection report.
 */

type Cell = string | number | boolean | null | undefined;

const FORMULA = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?\d+([.,]\d+)?([eE][+-]?\d+)?$/;

export function csvCell(value: Cell): string {
  if (value === null || value === undefined) return '';
  let s = String(value);
  if (typeof value === 'string' && FORMULA.test(s) && !PLAIN_NUMBER.test(s)) s = `'${s}`;
  return /[",\r\n;]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Lines joined with CRLF (what Excel expects), a header first. */
export function toCsv(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  return [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/** A Blob for a download link; the BOM makes Excel read UTF-8 (umlauts in vendor data). */
export function csvBlob(csv: string): Blob {
  return new Blob(['\uFEFF', csv], { type: 'text/csv;charset=utf-8' });
}

/** `problems-<file>.csv` with the file's name made safe for a download name. */
export function csvFileName(prefix: string, source?: string): string {
  const base = (source ?? '')
    .replace(/\.[^.]+$/, '')
    .replace(/[^\p{L}\p{N}._-]+/gu, '_')
    .slice(0, 80);
  return base ? `${prefix}-${base}.csv` : `${prefix}.csv`;
}

/** Starts a download of `csv` in the browser (the only DOM-touching function here). */
export function downloadCsv(csv: string, fileName: string): void {
  const url = URL.createObjectURL(csvBlob(csv));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
