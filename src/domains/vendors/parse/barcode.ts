import type { Parsed } from './values.ts';

export const SCIENTIFIC_HINT =
  'barcode is in scientific notation (Excel shortened it); format the column as text and export again';

/** GS1 check digit of the digits before the last one (weights 3,1,3,… from the right). */
export function gs1CheckDigit(body: string): number {
  let sum = 0;
  for (let i = body.length - 1, w = 3; i >= 0; i--, w = 4 - w) sum += (body.charCodeAt(i) - 48) * w;
  return (10 - (sum % 10)) % 10;
}

function allDigits(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return s.length > 0;
}

/**
 * EAN-8 / UPC-A / EAN-13 / GTIN-14, digits only, check digit verified. Spreadsheets store barcodes
 * as numbers and drop leading zeros, so 9–11 digits are padded back to a 12-digit UPC-A (padding
 * never changes a GS1 check digit). Blank → null.
 */
export function normaliseBarcode(raw: string): Parsed<string | null> {
  let s = raw.trim();
  if (s === '') return { ok: true, value: null };
  // Excel's "force text" apostrophe and visual spacing are not part of the code
  if (s.startsWith("'")) s = s.slice(1);
  if (s.includes(' ') || s.includes('-')) s = s.replace(/[ -]/g, '');
  if (!allDigits(s)) {
    if (/^\d+([.,]\d+)?[eE]\+?\d+$/.test(s)) return { ok: false, reason: SCIENTIFIC_HINT };
    // a numeric cell exported as 4006381333931.0 is still an integer
    const m = /^(\d+)[.,]0+$/.exec(s);
    if (!m) return { ok: false, reason: 'barcode must contain digits only' };
    s = m[1]!;
  }
  let digits = s;
  if (digits.length > 14 && digits.startsWith('0')) digits = digits.replace(/^0+(?=\d{14}$)/, '');
  const n = digits.length;
  if (n < 8 || n > 14) return { ok: false, reason: `barcode has ${n} digits (expected 8, 12, 13 or 14)` };
  if (n > 8 && n < 12) digits = digits.padStart(12, '0');
  const expected = gs1CheckDigit(digits.slice(0, -1));
  if (expected !== digits.charCodeAt(digits.length - 1) - 48) {
    return { ok: false, reason: `barcode check digit is wrong (expected ${expected})` };
  }
  return { ok: true, value: digits };
}
