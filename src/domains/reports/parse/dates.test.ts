import { describe, expect, it } from 'vitest';
import { excelSerial, parseDate, parseTimestamp } from './dates.ts';
import { conventionsFor } from './locale.ts';

const US = conventionsFor('US').monthFirst;
const DE = conventionsFor('DE').monthFirst;

describe('timestamps (stored as ISO UTC)', () => {
  it.each([
    ['2026-09-01', '2026-09-01T00:00:00Z'],
    ['2026-09-01T10:00:00+00:00', '2026-09-01T10:00:00Z'],
    ['2026-09-01T10:00:00Z', '2026-09-01T10:00:00Z'],
    ['2026-09-01T10:00:00.250+02:00', '2026-09-01T08:00:00.250Z'],
    ['2026-09-01T23:30:00-07:00', '2026-09-02T06:30:00Z'],
    ['2026-09-01T10:00:00+0530', '2026-09-01T04:30:00Z'],
    ['2026-09-01 10:00:00 UTC', '2026-09-01T10:00:00Z'],
    ['2026-09-01 10:00:00 GMT', '2026-09-01T10:00:00Z'],
    ['2026-09-01 10:00:00 UTC+01:00', '2026-09-01T09:00:00Z'],
    ['2022-07-11 01:34:18 PDT', '2022-07-11T08:34:18Z'],
    ['2023-01-15 09:02:44 PST', '2023-01-15T17:02:44Z'],
    ['2026-09-01 10:00:00 CET', '2026-09-01T09:00:00Z'],
    ['2026-09-01 10:00:00 CEST', '2026-09-01T08:00:00Z'],
    ['2026-09-01 10:00:00 BST', '2026-09-01T09:00:00Z'],
    ['01.09.2026', '2026-09-01T00:00:00Z'],
    ['01.09.2026 10:00:00 UTC', '2026-09-01T10:00:00Z'],
    ['1.9.2026 10:00', '2026-09-01T10:00:00Z'],
    ['Jul 29, 2022 1:23:45 AM PDT', '2022-07-29T08:23:45Z'],
    ['Jul 29, 2022 12:05:00 PM', '2022-07-29T12:05:00Z'],
    ['1-Sep-2026', '2026-09-01T00:00:00Z'],
  ])('%s → %s', (text, iso) => {
    expect(parseTimestamp(text, US)).toBe(iso);
    expect(parseTimestamp(text, DE)).toBe(iso);
  });
});

describe('dates (YYYY-MM-DD, as written)', () => {
  it('reads slashed dates in the marketplace order unless the day is above 12', () => {
    expect(parseDate('09/01/2026', US)).toBe('2026-09-01');
    expect(parseDate('09/01/2026', DE)).toBe('2026-01-09');
    expect(parseDate('01/09/2026', DE)).toBe('2026-09-01');
    expect(parseDate('13/01/2026', US)).toBe('2026-01-13');
    expect(parseDate('01/13/2026', DE)).toBe('2026-01-13');
    expect(parseDate('7/29/2022', US)).toBe('2022-07-29');
    expect(parseDate('13.1.17', US)).toBe('2017-01-13');
    for (const m of ['US', 'CA', 'MX']) expect(conventionsFor(m).monthFirst).toBe(true);
    for (const m of ['DE', 'IT', 'FR', 'ES', 'UK', 'NL', 'PL', 'SE'])
      expect(conventionsFor(m).monthFirst).toBe(false);
  });

  it('keeps the calendar day of a timestamp rather than converting it', () => {
    expect(parseDate('2026-09-01T23:30:00-07:00', US)).toBe('2026-09-01');
    expect(parseDate('01.09.2026 10:00:00 UTC', DE)).toBe('2026-09-01');
    expect(parseDate('2026-09-01', DE)).toBe('2026-09-01');
    expect(parseDate('Sep 1, 2026', US)).toBe('2026-09-01');
  });

  it('rejects impossible dates and what is not a date', () => {
    expect(parseDate('31.02.2026', DE)).toEqual({ reason: 'not a real calendar date' });
    expect(parseDate('2026-02-29', DE)).toEqual({ reason: 'not a real calendar date' });
    expect(parseDate('2024-02-29', DE)).toBe('2024-02-29');
    expect(parseDate('13/13/2026', US)).toEqual({ reason: 'not a real calendar date' });
    expect(parseDate('2026-13-01', US)).toEqual({ reason: 'not a real calendar date' });
    expect(parseTimestamp('2026-09-01 25:00:00', US)).toEqual({ reason: 'not a valid time of day' });
    expect(parseTimestamp('2026-09-01 10:61', US)).toEqual({ reason: 'not a valid time of day' });
    for (const t of [
      'yesterday',
      '2026',
      '2026-09',
      '1.234,56',
      '2026-09-01 10:00:00 XYZ',
      '01/09',
      'Sept',
    ]) {
      expect([t, parseDate(t, US)]).toEqual([t, { reason: 'not a date' }]);
    }
  });

  it('reads Excel serials from numeric XLSX cells', () => {
    expect(excelSerial('46266', 'date')).toBe('2026-09-01');
    expect(excelSerial('46266.4375', 'date')).toBe('2026-09-01');
    expect(excelSerial('46266.4375', 'timestamp')).toBe('2026-09-01T10:30:00Z');
    expect(excelSerial('-3', 'date')).toEqual({ reason: 'not a date' });
    expect(excelSerial('20260901', 'date')).toEqual({ reason: 'not a date' });
  });
});
