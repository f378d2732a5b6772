import {
  normaliseCurrency,
  numberBounds,
  parseDecimal,
  parsePlainDecimal,
} from '../../../platform/tabular/index.ts';

/**
 * Number cells of Amazon reports, as COPY-ready text. Each parser takes a trimmed, non-empty cell
 * and returns the value, or `{ reason }` (rare, so the object is only built for a bad cell).
 */
export type CellResult = string | { reason: string };

const MAX_INT = 2_147_483_647;
const NOT_WHOLE = { reason: 'not a whole number' };
const TOO_LARGE_INT = { reason: 'too large for a whole number' };
const NOT_AMOUNT = { reason: 'not a number' };
const SCIENTIFIC = { reason: 'in scientific notation (format the column as a number and export again)' };

const isDigit = (c: number) => c >= 48 && c <= 57;

/** Whole numbers, negative ones included (ledger quantities leave the warehouse as `-3`). */
export function parseInteger(text: string, decimalMark: '.' | ',', numeric: boolean): CellResult {
  // fast path: `12`, `-3` as Amazon writes them
  const neg = text.charCodeAt(0) === 45 ? 1 : 0;
  if (text.length - neg <= 9 && text.length > neg) {
    let plain = text.charCodeAt(neg) !== 48 || text.length - neg === 1;
    for (let k = neg; plain && k < text.length; k++) plain = isDigit(text.charCodeAt(k));
    if (plain) return text === '-0' ? '0' : text;
  }
  // `1.000` (DE) or `1,000` (US) thousands, `12,0`; `1.5` is not whole
  const d = numeric ? parsePlainDecimal(text) : parseDecimal(text, decimalMark);
  if (d === null) return /\d[eE][+-]?\d/.test(text) ? SCIENTIFIC : NOT_WHOLE;
  if (d.includes('.')) return NOT_WHOLE;
  // integer columns are int4
  if (d.length > 11 || Number(d) > MAX_INT || Number(d) < -MAX_INT - 1) return TOO_LARGE_INT;
  return d;
}

/** `€12,50`, `-$3.00`, `$-3.00`, `12.50 EUR`: the number, once a currency symbol or code is stripped. */
function stripCurrency(text: string): string | null {
  let body = text;
  let sign = '';
  if (body.charCodeAt(0) === 45 && !isDigit(body.charCodeAt(1))) {
    sign = '-';
    body = body.slice(1);
  }
  const { start, end } = numberBounds(body);
  const prefix = body.slice(0, start).trim();
  const suffix = body.slice(end).trim();
  if ((prefix && !normaliseCurrency(prefix)) || (suffix && !normaliseCurrency(suffix))) return null;
  return sign + body.slice(start, end).trim();
}

/**
 * Amounts in the marketplace's convention where the text alone is ambiguous (`1.234` is 1234 in DE,
 * 1.234 in US), every unambiguous form of either accepted (`3.396,63`, `1,234.56`, `12,5`).
 * `maxIntDigits` mirrors the landing column's numeric(p, s): a larger value would fail the COPY.
 */
export function parseAmount(
  text: string,
  decimalMark: '.' | ',',
  numeric: boolean,
  maxIntDigits: number,
): CellResult {
  let d = numeric ? parsePlainDecimal(text) : parseDecimal(text, decimalMark);
  if (d === null && !numeric) {
    const body = stripCurrency(text);
    if (body) d = parseDecimal(body, decimalMark);
  }
  if (d === null) return /\d[eE][+-]?\d/.test(text) ? SCIENTIFIC : NOT_AMOUNT;
  const dot = d.indexOf('.');
  const intDigits = (dot === -1 ? d.length : dot) - (d.charCodeAt(0) === 45 ? 1 : 0);
  if (intDigits > maxIntDigits)
    return { reason: `too large (more than ${maxIntDigits} digits before the decimal point)` };
  return d;
}

/** Amazon writes `--` (fee preview) or `N/A` where a figure does not apply: that is a missing value. */
export function isPlaceholder(text: string): boolean {
  const c = text.charCodeAt(0);
  if (c === 45) {
    for (let k = 1; k < text.length; k++) if (text.charCodeAt(k) !== 45) return false;
    return true;
  }
  return (c === 78 || c === 110) && (text === 'N/A' || text === 'n/a' || text === 'NA');
}

const NOT_CURRENCY = { reason: 'not a currency code (e.g. EUR, USD, GBP)' };

export function parseCurrency(text: string): CellResult {
  return normaliseCurrency(text) ?? NOT_CURRENCY;
}
