import {
  normaliseCurrency,
  numberBounds,
  parseDecimal,
  parsePlainDecimal,
} from '../../../platform/tabular/index.ts';

export { normaliseCurrency };

/** A cell verdict: the parsed value, or the reason the cell is rejected. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const bad = <T>(reason: string): Parsed<T> => ({ ok: false, reason });

export interface Cost {
  /** Plain decimal string, exact as written (not yet rounded). */
  decimal: string;
  /** Currency named inside the cell (`12,50 €`), if any. */
  currency: string | null;
}

/**
 * Cost cell: strips spaces and a currency symbol or code before or after the number; rejects
 * blank, non-numeric, zero and negative values. `numeric` is set for numeric XLSX cells, whose text
 * is always `.`-decimal.
 */
export function parseCost(raw: string, numeric = false): Parsed<Cost> {
  const text = raw.trim();
  if (text === '') return bad('cost is missing');
  const { start, end } = numberBounds(text);
  let currency: string | null = null;
  if (start > 0 || end < text.length) {
    const prefix = text.slice(0, start).trim();
    const suffix = text.slice(end).trim();
    const codes = [prefix, suffix].filter((s) => s !== '').map((s) => normaliseCurrency(s));
    if (codes.some((c) => c === null)) return bad('cost is not a number');
    if (codes.length === 2 && codes[0] !== codes[1]) return bad('cost names two different currencies');
    currency = codes[0] ?? null;
  }
  const body = text.slice(start, end);
  const decimal = numeric ? parsePlainDecimal(body) : parseDecimal(body);
  if (decimal === null) {
    return bad(/\d[eE][+-]?\d/.test(text) ? 'cost is in scientific notation' : 'cost is not a number');
  }
  if (decimal.startsWith('-')) return bad('cost is negative');
  if (decimal === '0') return bad('cost is zero');
  return ok({ decimal, currency });
}

const DAY_SUFFIX = /\s*(days?|d|tage?|giorni|gg|jours?|j|d[ií]as)\.?$/i;

export interface CountRule {
  label: string;
  /** Value for a blank cell. */
  blank: number | null;
  min: number;
  /** Lead times are often written `14 days` / `14 Tage`. */
  allowDays?: boolean;
}

const MAX_INT = 2_147_483_647;

/** Non-negative integers: `12`, `12,0`, `12.0`, `1.000` ok; `1.5`, `-1`, `abc` rejected. */
export function parseCount(raw: string, rule: CountRule, numeric = false): Parsed<number | null> {
  let text = raw.trim();
  if (text === '') return ok(rule.blank);
  if (rule.allowDays) text = text.replace(DAY_SUFFIX, '');
  let n: number;
  if (text.length <= 9 && /^\d+$/.test(text)) {
    n = Number(text);
  } else {
    const d = numeric ? parsePlainDecimal(text) : parseDecimal(text);
    if (d === null) return bad(`${rule.label} is not a whole number`);
    if (d.startsWith('-')) return bad(`${rule.label} is negative`);
    if (d.includes('.')) return bad(`${rule.label} is not a whole number`);
    if (d.length > 10 || Number(d) > MAX_INT) return bad(`${rule.label} is too large`);
    n = Number(d);
  }
  if (n < rule.min) return bad(`${rule.label} must be at least ${rule.min}`);
  return ok(n);
}

export const MOQ: CountRule = { label: 'MOQ', blank: 0, min: 0 };
export const PACK_SIZE: CountRule = { label: 'pack size', blank: 1, min: 1 };
export const LEAD_TIME: CountRule = { label: 'lead time', blank: null, min: 0, allowDays: true };

/** ASIN: 10 characters `[A-Z0-9]`, upper-cased; blank → null. */
export function normaliseAsin(raw: string): Parsed<string | null> {
  const s = raw.trim().toUpperCase();
  if (s === '') return ok(null);
  return /^[A-Z0-9]{10}$/.test(s) ? ok(s) : bad('ASIN must be 10 letters or digits');
}

export const MAX_SKU = 64;
export const MAX_TITLE = 500;

export function normaliseSku(raw: string): Parsed<string | null> {
  const s = raw.trim();
  if (s === '') return ok(null);
  return s.length > MAX_SKU ? bad(`SKU is longer than ${MAX_SKU} characters`) : ok(s);
}

/** Titles are informative only, so an over-long one is cut rather than costing the row. */
export function normaliseTitle(raw: string): string | null {
  const s = raw.trim();
  if (s === '') return null;
  if (s.length <= MAX_TITLE) return s;
  // don't leave half a surrogate pair at the cut
  const cut = s.charCodeAt(MAX_TITLE - 1) >= 0xd800 && s.charCodeAt(MAX_TITLE - 1) <= 0xdbff;
  return s.slice(0, cut ? MAX_TITLE - 1 : MAX_TITLE).trimEnd();
}
