import { describe, expect, it } from 'vitest';
import { daysIn, isoInstant } from './date-format.ts';
import { SHAPE_AMBIGUOUS, SHAPE_DAY_FIRST, SHAPE_MONTH_FIRST, SHAPE_PLAIN } from './date-shape.ts';
import { dateShape, excelSerial, parseDate, parseTimestamp } from './dates.ts';
import { ZONE_TABLE, zoneReadings } from './zones.ts';

const MF = true;
const DF = false;

describe('timestamps (stored as ISO UTC)', () => {
  it.each([
    ['2026-09-01', '2026-09-01T00:00:00Z'],
    ['2026-09-01T10:00:00+00:00', '2026-09-01T10:00:00Z'],
    ['2026-09-01T10:00:00Z', '2026-09-01T10:00:00Z'],
    ['2026-09-01T10:00:00.250+02:00', '2026-09-01T08:00:00.250Z'],
    ['2026-09-01T23:30:00-07:00', '2026-09-02T06:30:00Z'],
    ['2026-09-01T10:00:00+0530', '2026-09-01T04:30:00Z'],
    ['2026-05-13T00:00:00-0700', '2026-05-13T07:00:00Z'],
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
    ['Oct 1, 2026 12:03:11 AM PDT', '2026-10-01T07:03:11Z'],
    ['SEPTEMBER 1, 2026', '2026-09-01T00:00:00Z'],
    ['1-Sep-2026', '2026-09-01T00:00:00Z'],
  ])('%s → %s', (text, iso) => {
    expect(parseTimestamp(text, MF)).toBe(iso);
    expect(parseTimestamp(text, DF)).toBe(iso);
  });
});

describe('ISO instants without Date', () => {
  it('agree with Date for any field values and offsets, across day, month, year and leap-day edges', () => {
    let seed = 7;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const edges = [
      [2024, 2, 29, 23, 59, 600],
      [2023, 12, 31, 23, 30, -840],
      [2026, 1, 1, 0, 15, 899],
      [2026, 3, 1, 0, 0, 60],
    ];
    for (let k = 0; k < 5000; k++) {
      const e = edges[k];
      const y = e ? e[0]! : 1970 + rnd(130);
      const m = e ? e[1]! : 1 + rnd(12);
      const d = e ? e[2]! : 1 + rnd(daysIn(y, m));
      const h = e ? e[3]! : rnd(24);
      const mi = e ? e[4]! : rnd(60);
      const off = e ? e[5]! : rnd(1799) - 899;
      const [sec, ms] = [rnd(60), k % 3 === 0 ? rnd(1000) : 0];
      const ref = new Date(Date.UTC(y, m - 1, d, h, mi, sec, ms) - off * 60_000).toISOString();
      expect(isoInstant(y, m, d, h, mi, sec, ms, off)).toBe(
        ref.endsWith('.000Z') ? `${ref.slice(0, -5)}Z` : ref,
      );
    }
  });
});

describe('zone abbreviations Amazon prints, per marketplace', () => {
  it.each([
    // EU All Listings: Java's MET/MEST (= CET/CEST), German MEZ/MESZ
    ['2024-03-01 10:22:11 MET', '2024-03-01T09:22:11Z'],
    ['2024-07-01 10:22:11 MEST', '2024-07-01T08:22:11Z'],
    ['20/06/2015 10:00:00 MEST', '2015-06-20T08:00:00Z'],
    ['01.09.2026 10:00:00 MESZ', '2026-09-01T08:00:00Z'],
    ['01.12.2026 10:00:00 MEZ', '2026-12-01T09:00:00Z'],
    // UK
    ['2024-01-15 10:00:00 GMT', '2024-01-15T10:00:00Z'],
    ['2024-07-15 10:00:00 BST', '2024-07-15T09:00:00Z'],
    // NA: US, CA, MX
    ['2024-03-01 10:00:00 EST', '2024-03-01T15:00:00Z'],
    ['2024-07-01 10:00:00 EDT', '2024-07-01T14:00:00Z'],
    ['2024-03-01 10:00:00 CST', '2024-03-01T16:00:00Z'],
    ['2024-07-01 10:00:00 CDT', '2024-07-01T15:00:00Z'],
    ['2024-03-01 10:00:00 MST', '2024-03-01T17:00:00Z'],
    ['2024-07-01 10:00:00 MDT', '2024-07-01T16:00:00Z'],
    ['2024-07-01 10:00:00 AKDT', '2024-07-01T18:00:00Z'],
    ['2024-07-01 10:00:00 NDT', '2024-07-01T12:30:00Z'],
    // Middle East, Turkey, Africa
    ['2024-03-01 10:00:00 AST', '2024-03-01T07:00:00Z'],
    ['2024-03-01 10:00:00 GST', '2024-03-01T06:00:00Z'],
    ['2024-03-01 10:00:00 EET', '2024-03-01T08:00:00Z'],
    ['2024-07-01 10:00:00 EEST', '2024-07-01T07:00:00Z'],
    ['2024-07-01 10:00:00 TRT', '2024-07-01T07:00:00Z'],
    ['2024-07-01 10:00:00 SAST', '2024-07-01T08:00:00Z'],
    // Asia-Pacific, Brazil
    ['2024-03-01 10:00:00 IST', '2024-03-01T04:30:00Z'],
    ['2024-03-01 10:00:00 SGT', '2024-03-01T02:00:00Z'],
    ['2024/03/01 10:22:11 JST', '2024-03-01T01:22:11Z'],
    ['2024-07-01 10:00:00 AEST', '2024-07-01T00:00:00Z'],
    ['2024-01-15 10:00:00 AEDT', '2024-01-14T23:00:00Z'],
    ['2024-01-15 10:00:00 ACDT', '2024-01-14T23:30:00Z'],
    ['2024-01-15 10:00:00 AWST', '2024-01-15T02:00:00Z'],
    ['2024-03-01 10:00:00 BRT', '2024-03-01T13:00:00Z'],
    // lower case is the same zone
    ['2024-07-01 10:22:11 mest', '2024-07-01T08:22:11Z'],
  ])('%s → %s', (text, iso) => {
    expect(parseTimestamp(text, DF)).toBe(iso);
  });

  it('every abbreviation of the table is read, once', () => {
    const names = ZONE_TABLE.flatMap(([n]) => n.split(' '));
    expect(new Set(names).size).toBe(names.length);
    for (const [list, minutes] of ZONE_TABLE) {
      for (const z of list.split(' ')) {
        const utc = Date.parse(`${parseTimestamp(`2026-01-10 12:00:00 ${z}`, DF)}`);
        expect([z, (Date.UTC(2026, 0, 10, 12) - utc) / 60_000]).toEqual([z, minutes]);
      }
    }
  });

  it('a marketplace may read an abbreviation its own way', () => {
    const irish = zoneReadings({ IST: 60 });
    expect(parseTimestamp('2024-07-01 10:00:00 IST', DF, irish)).toBe('2024-07-01T09:00:00Z');
    expect(parseTimestamp('2024-07-01 10:00:00 MEST', DF, irish)).toBe('2024-07-01T08:00:00Z');
    expect(parseTimestamp('2024-07-01 10:00:00 IST', DF)).toBe('2024-07-01T04:30:00Z');
  });

  it('an abbreviation Amazon does not print is rejected by name, not guessed', () => {
    for (const z of ['XYZ', 'CHAST', 'MSK', 'ChST']) {
      expect(parseTimestamp(`2026-09-01 10:00:00 ${z}`, DF)).toEqual({
        reason: `unknown time zone abbreviation ${z}`,
      });
    }
    expect(parseDate('2026-09-01 10:00:00 XYZ', DF)).toEqual({
      reason: 'unknown time zone abbreviation XYZ',
    });
    expect(parseTimestamp('2026-09-01 10:00:00 Berlin', DF)).toEqual({ reason: 'not a date' });
  });
});

describe('dates (YYYY-MM-DD, as written)', () => {
  it('reads slashed dates in the order given unless a part cannot be a month', () => {
    expect(parseDate('09/01/2026', MF)).toBe('2026-09-01');
    expect(parseDate('09/01/2026', DF)).toBe('2026-01-09');
    expect(parseDate('01/09/2026', DF)).toBe('2026-09-01');
    expect(parseDate('13/01/2026', MF)).toBe('2026-01-13');
    expect(parseDate('01/13/2026', DF)).toBe('2026-01-13');
    expect(parseDate('7/29/2022', MF)).toBe('2022-07-29');
    expect(parseDate('13.1.17', MF)).toBe('2017-01-13');
  });

  it('says after each parse whether the value depended on the order', () => {
    const shape = (t: string) => {
      parseDate(t, DF);
      return dateShape();
    };
    expect(['10/01/2026', '1-2-2026'].map(shape)).toEqual([SHAPE_AMBIGUOUS, SHAPE_AMBIGUOUS]);
    expect(shape('25/10/2026')).toBe(SHAPE_DAY_FIRST);
    expect(shape('10/25/2026')).toBe(SHAPE_MONTH_FIRST);
    // the same either way, not slashed, or no real date at all: no evidence and nothing to decide
    for (const t of ['10/10/2026', '2026-10-01', '01.10.2026', 'Oct 1, 2026', '31/02/2026', '13/13/2026']) {
      expect([t, shape(t)]).toEqual([t, SHAPE_PLAIN]);
    }
    parseDate('10/01/2026', DF);
    excelSerial('46266', 'date');
    expect(dateShape()).toBe(SHAPE_PLAIN);
  });

  it('keeps the calendar day of a timestamp rather than converting it', () => {
    expect(parseDate('2026-09-01T23:30:00-07:00', MF)).toBe('2026-09-01');
    expect(parseDate('01.09.2026 10:00:00 UTC', DF)).toBe('2026-09-01');
    expect(parseDate('2026-09-01', DF)).toBe('2026-09-01');
    expect(parseDate('Sep 1, 2026', MF)).toBe('2026-09-01');
  });

  it('rejects impossible dates and what is not a date', () => {
    expect(parseDate('31.02.2026', DF)).toEqual({ reason: 'not a real calendar date' });
    expect(parseDate('2026-02-29', DF)).toEqual({ reason: 'not a real calendar date' });
    expect(parseDate('2024-02-29', DF)).toBe('2024-02-29');
    expect(parseDate('13/13/2026', MF)).toEqual({ reason: 'not a real calendar date' });
    expect(parseDate('2026-13-01', MF)).toEqual({ reason: 'not a real calendar date' });
    expect(parseTimestamp('2026-09-01 25:00:00', MF)).toEqual({ reason: 'not a valid time of day' });
    expect(parseTimestamp('2026-09-01 10:61', MF)).toEqual({ reason: 'not a valid time of day' });
    for (const t of ['yesterday', '2026', '2026-09', '1.234,56', '01/09', 'Sept', 'Mär 1, 2026']) {
      expect([t, parseDate(t, MF)]).toEqual([t, { reason: 'not a date' }]);
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
