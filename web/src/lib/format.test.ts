import { describe, expect, it } from 'vitest';
import {
  currencySymbol,
  DASH,
  formatDateTime,
  formatInt,
  formatMoney,
  formatNumber,
  formatPct,
  formatRelative,
  formatWait,
  toNumber,
} from './format.ts';

// Intl output uses non-breaking spaces in some locales; compare with plain spaces.
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

describe('formatMoney', () => {
  it('formats in the locale with the given currency', () => {
    expect(plain(formatMoney(3.87, 'EUR', 'de-DE'))).toBe('3,87 €');
    expect(formatMoney(4, 'USD', 'en-US')).toBe('$4.00');
    expect(plain(formatMoney(1234.5, 'GBP', 'en-GB'))).toBe('£1,234.50');
    expect(plain(formatMoney('1234.5', 'EUR', 'de-DE'))).toBe('1.234,50 €');
  });

  it('shows a dash for a missing amount, never 0', () => {
    expect(formatMoney(null, 'EUR', 'de-DE')).toBe(DASH);
    expect(formatMoney(undefined, 'EUR', 'de-DE')).toBe(DASH);
    expect(formatMoney('', 'EUR', 'de-DE')).toBe(DASH);
  });

  it('without a currency shows the bare amount with two decimals', () => {
    expect(formatMoney(2.5, null, 'de-DE')).toBe('2,50');
  });
});

describe('formatPct / formatInt', () => {
  it('takes percent units', () => {
    expect(plain(formatPct(23.5, 'de-DE'))).toBe('23,5 %');
    expect(formatPct(23.5, 'en-US')).toBe('23.5%');
    expect(formatPct(-4, 'en-US')).toBe('-4.0%');
    expect(formatPct(134, 'en-US')).toBe('134.0%');
    expect(formatPct(5.2, 'en-US', 0)).toBe('5%');
    expect(formatPct(null, 'en-US')).toBe(DASH);
  });

  it('formatNumber: up to n decimals, or exactly n when fixed', () => {
    expect(formatNumber(65, 'en-US', 1)).toBe('65');
    expect(formatNumber(65, 'de-DE', 1, true)).toBe('65,0');
    expect(formatNumber(0.230101, 'en-US', 4)).toBe('0.2301');
  });

  it('groups thousands per locale', () => {
    expect(formatInt(12345, 'de-DE')).toBe('12.345');
    expect(formatInt(12345, 'en-US')).toBe('12,345');
    expect(formatInt(null, 'en-US')).toBe(DASH);
  });
});

describe('formatRelative', () => {
  const now = new Date('2030-05-10T12:00:00Z');
  it('says how long ago, in the locale', () => {
    expect(formatRelative('2030-05-10T09:00:00Z', now, 'en-US')).toBe('3 hr. ago');
    expect(formatRelative(new Date('2030-05-10T09:00:00Z'), now, 'de-DE')).toBe('vor 3 Std.');
    expect(formatRelative('2030-05-08T12:00:00Z', now, 'en-US')).toBe('2 days ago');
    expect(formatRelative('2030-05-10T11:59:50Z', now, 'en-US')).toBe('now');
    expect(formatRelative('2030-05-10T14:00:00Z', now, 'en-US')).toBe('in 2 hr.');
  });

  it('a missing or invalid date is a dash', () => {
    expect(formatRelative(null, now, 'en-US')).toBe(DASH);
    expect(formatRelative('not a date', now, 'en-US')).toBe(DASH);
  });

  it('the exact date-time for the title attribute', () => {
    expect(formatDateTime('2030-05-10T09:00:00Z', 'en-US')).toMatch(/May 10, 2030/);
    expect(formatDateTime(null, 'en-US')).toBe('');
  });
});

describe('helpers', () => {
  it('toNumber accepts numbers and numeric strings only', () => {
    expect(toNumber(3)).toBe(3);
    expect(toNumber('3.5')).toBe(3.5);
    expect(toNumber(' ')).toBeNull();
    expect(toNumber(Number.NaN)).toBeNull();
    expect(toNumber({})).toBeNull();
  });

  it('currencySymbol gives the narrow symbol for headers', () => {
    expect(currencySymbol('EUR', 'de-DE')).toBe('€');
    expect(currencySymbol('USD', 'en-US')).toBe('$');
    expect(currencySymbol(null, 'en-US')).toBe('');
  });
});

describe('formatWait', () => {
  it('says how long to wait in seconds, minutes or hours', () => {
    expect(formatWait(0)).toBe('0 s');
    expect(formatWait(44.2)).toBe('45 s');
    expect(formatWait(90)).toBe('2 min');
    expect(formatWait(900)).toBe('15 min');
    expect(formatWait(3600)).toBe('60 min');
    expect(formatWait(7200)).toBe('2 h');
    expect(formatWait(7500)).toBe('2 h 5 min');
  });
});
