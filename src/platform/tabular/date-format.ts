/**
 * ISO text for the date scanner's fields, without `Date`: `new Date(ms).toISOString()` costs ~0.8 µs
 * on Node 20, more than scanning the cell, and the ingest formats one per timestamp cell.
 */

const pad2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);
const pad3 = (n: number) => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : `${n}`);
const year4 = (y: number) => (y < 1000 ? String(y).padStart(4, '0') : `${y}`);

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const leap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
/** Days in `month` (1–12) of `year`. */
export const daysIn = (year: number, month: number) => (month === 2 && leap(year) ? 29 : DAYS[month - 1]!);

/** `YYYY-MM-DD`. */
export const isoDate = (y: number, m: number, d: number) => `${year4(y)}-${pad2(m)}-${pad2(d)}`;

/**
 * The instant `y-m-d h:mi:s.ms` at `offset` minutes east of UTC as `YYYY-MM-DDTHH:MM:SS[.mmm]Z`. An
 * offset (at most ±14:59) moves the time by less than a day, so at most one day changes.
 */
export function isoInstant(
  y: number,
  m: number,
  d: number,
  h: number,
  mi: number,
  s: number,
  ms: number,
  offset: number,
): string {
  let minutes = h * 60 + mi - offset;
  if (minutes < 0) {
    minutes += 1440;
    if (--d < 1) {
      if (--m < 1) {
        m = 12;
        y--;
      }
      d = daysIn(y, m);
    }
  } else if (minutes >= 1440) {
    minutes -= 1440;
    if (++d > daysIn(y, m)) {
      d = 1;
      if (++m > 12) {
        m = 1;
        y++;
      }
    }
  }
  if (y < 1 || y > 9999) return new Date(Date.UTC(y, m - 1, d, 0, minutes, s, ms)).toISOString();
  const hm = `${pad2(Math.floor(minutes / 60))}:${pad2(minutes % 60)}:${pad2(s)}`;
  return `${isoDate(y, m, d)}T${hm}${ms === 0 ? '' : `.${pad3(ms)}`}Z`;
}
