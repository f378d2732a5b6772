import { formatUnits, toUnits } from '../../platform/money.ts';
import {
  type DateOrderJudge,
  dateShape,
  excelSerial,
  parseDate,
  parseDecimal,
  parsePlainDecimal,
  SHAPE_AMBIGUOUS,
} from '../../platform/tabular/index.ts';

/** A cell as read: text, and whether an XLSX cell (or JSON value) was a number. */
export interface Cell {
  text: string;
  numeric: boolean;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };
const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const bad = (reason: string): Parsed<never> => ({ ok: false, reason });

// logistics_rates' CHECK, and the shape ROI_FREIGHT_LANE accepts: lanes are written carrier:…:service
const NAME = /^[A-Za-z0-9_.-]{1,40}$/;

/** Carrier and service as written (trimmed): ROI matches them exactly against ROI_FREIGHT_LANE. */
export function parseName(text: string): Parsed<string> {
  const t = text.trim();
  return NAME.test(t) ? ok(t) : bad('must be 1–40 letters, digits, "_", "." or "-" (no spaces)');
}

/** ISO 3166 alpha-2, upper-cased; `UK` is GB, the code ROI uses for the UK marketplace. */
export function parseCountry(text: string): Parsed<string> {
  const t = text.trim().toUpperCase();
  if (!/^[A-Z]{2}$/.test(t)) return bad('not a 2-letter country code (e.g. DE, PL, GB)');
  return ok(t === 'UK' ? 'GB' : t);
}

// numeric(12, 4)
const MAX_UNITS = 10n ** 12n;

/**
 * €/kg with a decimal comma or point, an optional `€`/`EUR`, rounded half-up to 4 places (the
 * column's scale). A lone separator before three digits (`1,234`, `1.234`) is read as decimal here,
 * unlike in price lists: a freight rate of thousands of euros per kilogram is not plausible.
 */
export function parseRate(cell: Cell): Parsed<string> {
  let dec: string | null;
  if (cell.numeric) dec = parsePlainDecimal(cell.text.trim());
  else {
    const t = cell.text.trim().replace(/^(?:€|eur)\s*|\s*(?:€|eur)$/i, '');
    const lone = /^[^.,]*[.,][^.,]*$/.test(t) ? (t.includes(',') ? ',' : '.') : undefined;
    dec = parseDecimal(t, lone);
  }
  if (dec === null) return bad('not a number');
  if (dec.startsWith('-')) return bad('must be greater than 0');
  const units = toUnits(dec);
  if (units <= 0n) return bad('must be greater than 0');
  if (units >= MAX_UNITS) return bad('too large (at most 99999999.9999 €/kg)');
  return ok(formatUnits(units));
}

/**
 * How the card's `dd/dd/yyyy` dates are ordered, decided once per card (platform/tabular/date-order.ts):
 * rate cards come from carriers in any country and rarely say, and carry no country or marketplace
 * column of their writer, so only the card's own dates settle it — a first part above 12 proves
 * day-first, a second part above 12 month-first, and a card proving both is rejected as a whole.
 * There is no fallback: on a card that proves neither, every ambiguous date (both parts ≤ 12 and
 * different) is unreadable, since guessing would silently put a rate in force in the wrong month.
 */
export type DateOrder = 'day_first' | 'month_first' | 'unknown';

const AMBIGUOUS =
  'ambiguous date: day and month could be either way and no other date in this card settles it ' +
  '(write YYYY-MM-DD or DD.MM.YYYY)';

/** A validity date as `YYYY-MM-DD`: ISO, `01.09.2026` (always day-first), `09/01/2026` per the card's order, Excel serials. */
export function parseCardDate(cell: Cell, order: DateOrderJudge): Parsed<string> {
  const text = cell.text.trim();
  let r: string | { reason: string };
  if (cell.numeric) r = excelSerial(text, 'date');
  else {
    r = parseDate(text, order.monthFirst);
    if (typeof r === 'string' && dateShape() === SHAPE_AMBIGUOUS && !order.decided) return bad(AMBIGUOUS);
  }
  if (typeof r !== 'string') {
    return bad(
      r.reason === 'not a date' ? 'not a date (write YYYY-MM-DD, DD.MM.YYYY or DD/MM/YYYY)' : r.reason,
    );
  }
  const year = Number(r.slice(0, 4));
  // 1900-01-01 stands for "open start"; anything earlier is a typo, not a rate
  if (year < 1900 || year > 9999) return bad('year outside 1900–9999');
  return ok(r);
}
