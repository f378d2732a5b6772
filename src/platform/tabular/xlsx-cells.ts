import type { CellValue } from 'exceljs';
import type { RawRow } from './types.ts';

/**
 * Numbers as plain decimal text, never exponent notation (4006381333931, 0.0000123): barcodes and
 * costs are parsed from this text, and 15 significant digits drop binary noise like 0.30000000000000004.
 */
export function numberText(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return n.toFixed(0);
  const s = Number(n.toPrecision(15)).toString();
  if (!s.includes('e')) return s;
  return n.toFixed(12).replace(/\.?0+$/, '');
}

/** A cell as text, and whether it held a number (numeric text always uses `.` as the decimal point). */
export function cellText(v: CellValue | unknown): { text: string; numeric: boolean } {
  if (v === null || v === undefined) return { text: '', numeric: false };
  if (typeof v === 'string') return { text: v, numeric: false };
  if (typeof v === 'number') return { text: numberText(v), numeric: true };
  if (typeof v === 'boolean') return { text: v ? 'TRUE' : 'FALSE', numeric: false };
  if (v instanceof Date) return { text: v.toISOString().slice(0, 10), numeric: false };
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (Array.isArray(o.richText)) {
      return { text: (o.richText as { text?: string }[]).map((r) => r.text ?? '').join(''), numeric: false };
    }
    if ('formula' in o || 'sharedFormula' in o) return cellText(o.result);
    if ('text' in o) return cellText(o.text);
    if ('error' in o) return { text: String(o.error), numeric: false };
    if ('sharedString' in o) return { text: '', numeric: false };
  }
  return { text: String(v), numeric: false };
}

/** exceljs row values are 1-based and sparse; columns keep their positions (A = index 0). */
export function rawRow(rowNumber: number, values: unknown): RawRow {
  const arr = Array.isArray(values) ? values : [];
  const cells: string[] = [];
  const numeric: boolean[] = [];
  for (let i = 1; i < arr.length; i++) {
    const c = cellText(arr[i]);
    cells.push(c.text);
    numeric.push(c.numeric);
  }
  return { line: rowNumber, cells, numeric };
}
