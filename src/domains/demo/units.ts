/** Money as integer cents and calendar days in UTC: the demo never adds floats for money. */

export const DAY_MS = 86_400_000;

/** `1234` → `12.34` (or `12,34` with a decimal comma). */
export function cents(c: number, decimal: '.' | ',' = '.'): string {
  if (!Number.isSafeInteger(c)) throw new Error(`not a whole number of cents: ${c}`);
  const sign = c < 0 ? '-' : '';
  const a = Math.abs(c);
  return `${sign}${Math.trunc(a / 100)}${decimal}${String(a % 100).padStart(2, '0')}`;
}

/** Cents to the nearest whole cent of `value` (a computed amount, rounded once, half up). */
export function toCents(value: number): number {
  return Math.round(value * 100);
}

/** A shop price: rounded to the nearest euro, minus one cent (12.99, 24.99). */
export function shelfPrice(centsValue: number): number {
  return Math.max(99, Math.round(centsValue / 100) * 100 - 1);
}

/** Midnight UTC of the day `now` falls on. */
export function dayStart(now: Date): Date {
  return new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS);
}

export function addDays(d: Date, n: number): Date {
  return new Date(d.getTime() + n * DAY_MS);
}

/** `YYYY-MM-DD` of a UTC date. */
export function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** GS1 check digit of the first 12 (EAN-13) digits. */
export function ean13(first12: string): string {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(first12[i]) * (i % 2 === 0 ? 1 : 3);
  return `${first12}${(10 - (sum % 10)) % 10}`;
}
