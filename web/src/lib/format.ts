/**
 * Numbers, money and dates in the user's locale. Pure functions (locale passed in) so they can be
 * tested in Node; components get the locale from useLocale().
 */

const cache = new Map<string, Intl.NumberFormat>();

function numberFormat(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale, options);
    cache.set(key, f);
  }
  return f;
}

/** Numbers arrive as JSON numbers or numeric strings (Postgres numeric); anything else is missing. */
export function toNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

export const DASH = '—';

/** `3,87 €` (de-DE, EUR), `$4.00` (en-US, USD). Without a currency the bare number, 2 decimals. */
export function formatMoney(value: unknown, currency: string | null | undefined, locale: string): string {
  const n = toNumber(value);
  if (n === null) return DASH;
  if (!currency)
    return numberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(n);
  return numberFormat(locale, { style: 'currency', currency }).format(n);
}

/** A percentage given in percent units (ROI 23.5 → `23.5 %` / `23,5 %`), with fixed decimals so columns line up. */
export function formatPct(value: unknown, locale: string, digits = 1): string {
  const n = toNumber(value);
  if (n === null) return DASH;
  return numberFormat(locale, {
    style: 'percent',
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(n / 100);
}

export function formatInt(value: unknown, locale: string): string {
  const n = toNumber(value);
  if (n === null) return DASH;
  return numberFormat(locale, { maximumFractionDigits: 0 }).format(n);
}

/** Up to `digits` decimals; `fixed` always shows them (a column of scores lines up). */
export function formatNumber(value: unknown, locale: string, digits = 2, fixed = false): string {
  const n = toNumber(value);
  if (n === null) return DASH;
  return numberFormat(locale, {
    minimumFractionDigits: fixed ? digits : 0,
    maximumFractionDigits: digits,
  }).format(n);
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1],
];

function toDate(value: Date | string | number | null | undefined): Date | null {
  if (value === null || value === undefined || value === '') return null;
  const d = value instanceof Date ? value : new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** "3 h ago" / "vor 3 Std." (short style); `now` is passed in so the result is testable. */
export function formatRelative(
  value: Date | string | number | null | undefined,
  now: Date,
  locale: string,
): string {
  const d = toDate(value);
  if (!d) return DASH;
  const seconds = Math.round((d.getTime() - now.getTime()) / 1000);
  const abs = Math.abs(seconds);
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'auto', style: 'short' });
  if (abs < 45) return rtf.format(0, 'second');
  for (const [unit, size] of UNITS) {
    if (abs >= size) return rtf.format(Math.trunc(seconds / size), unit);
  }
  return rtf.format(seconds, 'second');
}

/** The exact date and time, for the title attribute beside a relative date. */
export function formatDateTime(value: Date | string | number | null | undefined, locale: string): string {
  const d = toDate(value);
  if (!d) return '';
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(d);
}

export function formatDate(value: Date | string | number | null | undefined, locale: string): string {
  const d = toDate(value);
  if (!d) return DASH;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium' }).format(d);
}

/** The symbol of a currency in a locale (for headers like `Price €`). */
export function currencySymbol(currency: string | null | undefined, locale: string): string {
  if (!currency) return '';
  const part = numberFormat(locale, { style: 'currency', currency, currencyDisplay: 'narrowSymbol' })
    .formatToParts(0)
    .find((p) => p.type === 'currency');
  return part?.value ?? currency;
}

/** A wait in seconds (Retry-After) as words: `45 s`, `15 min`, `2 h 5 min`. */
export function formatWait(seconds: number): string {
  const s = Math.max(0, Math.ceil(seconds));
  if (s < 90) return `${s} s`;
  const min = Math.ceil(s / 60);
  if (min < 120) return `${min} min`;
  const h = Math.floor(min / 60);
  const rest = min % 60;
  return rest ? `${h} h ${rest} min` : `${h} h`;
}
