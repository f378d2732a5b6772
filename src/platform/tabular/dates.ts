import { daysIn, isoDate, isoInstant } from './date-format.ts';
import {
  type DateShape,
  SHAPE_AMBIGUOUS,
  SHAPE_DAY_FIRST,
  SHAPE_MONTH_FIRST,
  SHAPE_PLAIN,
} from './date-shape.ts';
import { letterKey, ZONES } from './zones.ts';

/**
 * Dates and timestamps as Amazon, carriers and spreadsheets write them: ISO 8601, `2026-09-01 10:00:00
 * UTC`, `01.09.2026`, listings' `2024-03-01 10:22:11 MET` (abbreviations: zones.ts), the ledger's
 * `9/1/2026`, `Oct 1, 2026 12:03:11 AM PDT`, Excel serials. A hand-written scanner: it runs per date
 * cell of multi-million-row files, so no regex and no allocation besides the result string.
 * `09/01/2026` is read in the order the caller passes, decided once per file (date-order.ts); after
 * every parse `dateShape()` says whether the value depended on it.
 */

export type DateResult = string | { reason: string };

const NOT_A_DATE = { reason: 'not a date' };
const IMPOSSIBLE = { reason: 'not a real calendar date' };
const BAD_TIME = { reason: 'not a valid time of day' };

const MONTHS = new Map<number, number>();
'january february march april may june july august september october november december'
  .split(' ')
  .forEach((name, k) => {
    MONTHS.set(letterKey(name, 0, name.length, 9), k + 1);
    MONTHS.set(letterKey(name, 0, 3), k + 1);
  });
MONTHS.set(letterKey('sept', 0, 4), 9);

// The scanner's state; one parse at a time (the parsers are synchronous), so module scope is safe.
let s = '';
let i = 0;
let year = 0;
let month = 0;
let day = 0;
let hour = 0;
let minute = 0;
let second = 0;
let millis = 0;
let offset = 0;
let shape: DateShape = SHAPE_PLAIN;
/** Set when a zone word is not in the table: where it is, for the reason. */
let unknownZoneAt = -1;
/** The caller's readings of abbreviations that differ by marketplace (zoneReadings), looked up first. */
let readings: ReadonlyMap<number, number> | undefined;

const isDigit = (c: number) => c >= 48 && c <= 57;
const isLetter = (c: number) => (c | 32) >= 97 && (c | 32) <= 122;

/** Whether the last parsed value depended on the day/month order (one of the SHAPE_ constants). */
export function dateShape(): DateShape {
  return shape;
}

/** Reads up to `max` digits; -1 when there is none. `digitsRead` says how many. */
let digitsRead = 0;
function num(max: number): number {
  let n = 0;
  let k = 0;
  while (k < max && i < s.length && isDigit(s.charCodeAt(i))) {
    n = n * 10 + s.charCodeAt(i) - 48;
    i++;
    k++;
  }
  digitsRead = k;
  return k === 0 ? -1 : n;
}

/** Skips a word; returns where it started. */
function word(): number {
  const start = i;
  while (i < s.length && isLetter(s.charCodeAt(i))) i++;
  return start;
}
const monthName = () => MONTHS.get(letterKey(s, word(), i, 9)) ?? 0;

function spaces(): number {
  const start = i;
  while (i < s.length && s.charCodeAt(i) === 32) i++;
  return i - start;
}

function expect(ch: number): boolean {
  if (s.charCodeAt(i) !== ch) return false;
  i++;
  return true;
}
const fullYear = (y: number) => (digitsRead === 2 ? 2000 + y : digitsRead === 4 ? y : -1);

/** The date part; false when it has none of the known shapes. */
function datePart(monthFirst: boolean): boolean {
  const c = s.charCodeAt(0);
  if (isLetter(c)) {
    // `Sep 1, 2026`
    month = monthName();
    if (month === 0 || spaces() === 0) return false;
    day = num(2);
    expect(44);
    spaces();
    year = fullYear(num(4));
    return day > 0 && year > 0;
  }
  const a = num(4);
  const aLen = digitsRead;
  const sep = s.charCodeAt(i);
  if (aLen === 4 && (sep === 45 || sep === 47 || sep === 46)) {
    // 2026-09-01, 2026/09/01 (JP), 2026.09.01
    i++;
    year = a;
    month = num(2);
    if (!expect(sep)) return false;
    day = num(2);
    return month > 0 && day > 0;
  }
  if (aLen === 0 || aLen > 2) return false;
  if (sep === 46) {
    // 01.09.2026: always day first
    i++;
    day = a;
    month = num(2);
    if (!expect(46)) return false;
    year = fullYear(num(4));
    return month > 0 && year > 0;
  }
  if ((sep === 45 || sep === 32) && isLetter(s.charCodeAt(i + 1))) {
    // 1-Sep-2026, 1 Sep 2026
    i++;
    day = a;
    month = monthName();
    if (month === 0 || !(expect(sep) || spaces() > 0)) return false;
    year = fullYear(num(4));
    return year > 0;
  }
  if (sep !== 47 && sep !== 45) return false;
  // 09/01/2026: the caller's order, unless one part cannot be a month
  i++;
  const b = num(2);
  if (b < 0 || !expect(sep)) return false;
  year = fullYear(num(4));
  if (year < 0) return false;
  const dayFirst = a > 12 ? true : b > 12 ? false : !monthFirst;
  day = dayFirst ? a : b;
  month = dayFirst ? b : a;
  shape = a > 12 ? SHAPE_DAY_FIRST : b > 12 ? SHAPE_MONTH_FIRST : a === b ? SHAPE_PLAIN : SHAPE_AMBIGUOUS;
  return true;
}

/** `HH:MM[:SS[.fff]] [AM|PM]`; false when malformed. */
function timePart(): boolean {
  hour = num(2);
  if (hour < 0 || !expect(58)) return false;
  minute = num(2);
  if (digitsRead !== 2) return false;
  if (expect(58)) {
    second = num(2);
    if (digitsRead !== 2) return false;
    if (expect(46) || expect(44)) {
      const start = i;
      const f = num(9);
      if (f < 0) return false;
      millis = Math.floor(f / 10 ** (i - start - 3));
    }
  }
  const save = i;
  spaces();
  const c = s.charCodeAt(i) | 32;
  if ((c === 97 || c === 112) && (s.charCodeAt(i + 1) | 32) === 109 && !isLetter(s.charCodeAt(i + 2))) {
    if (hour < 1 || hour > 12) return false;
    hour = (hour % 12) + (c === 112 ? 12 : 0);
    i += 2;
  } else i = save;
  return true;
}

const UTC_KEY = letterKey('UTC', 0, 3);
const GMT_KEY = letterKey('GMT', 0, 3);

/** `Z`, `+01:00`, `+0100`, `-07`, `UTC`, `UTC+01:00`, `MEST`…; false when malformed or unknown. */
function zonePart(): boolean {
  const c = s.charCodeAt(i);
  if (c !== 43 && c !== 45) {
    const start = word();
    const key = letterKey(s, start, i);
    const z = readings?.get(key) ?? ZONES.get(key);
    if (z === undefined) {
      if (key !== 0 && i === s.length) unknownZoneAt = start;
      return false;
    }
    offset = z;
    if (i === s.length || (key !== UTC_KEY && key !== GMT_KEY)) return true;
  }
  const sign = s.charCodeAt(i) === 45 ? -1 : 1;
  if (!expect(43) && !expect(45)) return false;
  const h = num(2);
  if (h < 0 || h > 14) return false;
  expect(58);
  const m = i < s.length ? num(2) : 0;
  if (m < 0 || m > 59) return false;
  offset += sign * (h * 60 + m);
  return true;
}

/** Scans `text` (trimmed, non-empty) into the module state; a reason when it is not a date. */
function scanText(text: string, monthFirst: boolean): { reason: string } | null {
  s = text;
  i = 0;
  hour = minute = second = millis = offset = 0;
  if (!datePart(monthFirst)) return NOT_A_DATE;
  if (i < s.length) {
    const sep = s.charCodeAt(i);
    if (sep === 84 || sep === 116) i++;
    else if (spaces() === 0 && sep !== 43 && sep !== 45 && sep !== 90) return NOT_A_DATE;
    if (isDigit(s.charCodeAt(i)) && !timePart()) return BAD_TIME;
    if (i < s.length) {
      spaces();
      if (!zonePart() || i !== s.length) {
        // rare: the reason is only built for a bad cell
        if (unknownZoneAt >= 0) return { reason: `unknown time zone abbreviation ${s.slice(unknownZoneAt)}` };
        return NOT_A_DATE;
      }
    }
  }
  if (month < 1 || month > 12 || day < 1 || year < 1) return IMPOSSIBLE;
  if (day > daysIn(year, month)) return IMPOSSIBLE;
  if (hour > 23 || minute > 59 || second > 59) return BAD_TIME;
  return null;
}

function scan(
  text: string,
  monthFirst: boolean,
  zones: ReadonlyMap<number, number> | undefined,
): { reason: string } | null {
  shape = SHAPE_PLAIN;
  unknownZoneAt = -1;
  readings = zones;
  const bad = scanText(text, monthFirst);
  // a value that is no date at all says nothing about the order (`31/02/2026` either way)
  if (bad) shape = SHAPE_PLAIN;
  return bad;
}

/** Plain `YYYY-MM-DD` is by far the most common value: checked and returned as is. */
function isIsoDate(t: string): boolean {
  if (t.length !== 10 || t.charCodeAt(4) !== 45 || t.charCodeAt(7) !== 45) return false;
  for (let k = 0; k < 10; k++) if (k !== 4 && k !== 7 && !isDigit(t.charCodeAt(k))) return false;
  return true;
}

/** A calendar date as written (a time or zone after it is ignored): 'YYYY-MM-DD'. */
export function parseDate(
  text: string,
  monthFirst: boolean,
  zones?: ReadonlyMap<number, number>,
): DateResult {
  const bad = scan(text, monthFirst, zones);
  if (bad) return bad;
  return isIsoDate(text) ? text : isoDate(year, month, day);
}

/**
 * An instant as an ISO UTC string; a value without a zone is taken as UTC, a bare date as midnight.
 * `zones` (zoneReadings) overrides the table for abbreviations a marketplace means differently.
 */
export function parseTimestamp(
  text: string,
  monthFirst: boolean,
  zones?: ReadonlyMap<number, number>,
): DateResult {
  const bad = scan(text, monthFirst, zones);
  if (bad) return bad;
  return isoInstant(year, month, day, hour, minute, second, millis, offset);
}

// Excel counts days from 1899-12-30 (which absorbs its 1900 leap-year bug for all dates after Feb 1900)
const EXCEL_EPOCH = Date.UTC(1899, 11, 30);
const MAX_SERIAL = 2_958_466; // 10000-01-01

/** A numeric XLSX cell holding a date: Excel stores days since 1899-12-30, the time as a fraction. */
export function excelSerial(text: string, kind: 'date' | 'timestamp'): DateResult {
  shape = SHAPE_PLAIN;
  const n = Number(text);
  if (!Number.isFinite(n) || n < 1 || n >= MAX_SERIAL) return NOT_A_DATE;
  const ms = EXCEL_EPOCH + Math.round(n * 86_400_000);
  const iso = new Date(kind === 'date' ? EXCEL_EPOCH + Math.floor(n) * 86_400_000 : ms).toISOString();
  if (kind === 'date') return iso.slice(0, 10);
  return iso.endsWith('.000Z') ? `${iso.slice(0, -5)}Z` : iso;
}
