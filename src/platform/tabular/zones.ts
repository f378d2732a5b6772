/**
 * Time-zone abbreviations as Amazon's flat files print them, in minutes east of UTC. Amazon formats
 * report timestamps with Java's short zone names, in the zone of the marketplace the report is for:
 * the All Listings report's `open-date` (`2024-03-01 10:22:11 MET`, `20/06/2015 10:00:00 MEST`), order
 * and settlement dates (`2026-09-01 10:00:00 UTC`, `Oct 1, 2026 12:03:11 AM PDT`).
 *
 * An abbreviation names a fixed offset: `MEST` is summer time, `MET` winter time, so no date rules are
 * needed. Some abbreviations mean different zones in different countries; each is read the way the
 * Amazon marketplace that prints it means it (Amazon runs no marketplace in the other zones' countries):
 * - `IST` India Standard Time, +05:30 (amazon.in) — not Israel (+02:00); Irish Summer Time (+01:00)
 *   only for a file of amazon.ie, whose callers say so with zoneReadings;
 * - `CST` North American Central, −06:00 (amazon.com, amazon.com.mx) — not China (+08:00);
 * - `AST` Arabia Standard Time, +03:00 (amazon.sa) — not Atlantic (−04:00): amazon.ca prints Pacific time;
 * - `BST` British Summer Time (amazon.co.uk), `EST` US Eastern (not the pre-2014 Java name of Sydney
 *   time: amazon.com.au prints `AEST`/`AEDT`), `GST` Gulf Standard Time (amazon.ae).
 * An abbreviation missing here is rejected by name rather than guessed.
 */
export const ZONE_TABLE: readonly (readonly [abbreviations: string, minutes: number, where: string])[] = [
  ['Z UT UTC GMT', 0, 'UTC; UK winter (amazon.co.uk), settlements'],
  ['WET', 0, 'Western European winter'],
  ['BST WEST', 60, 'UK summer (amazon.co.uk); Western European summer'],
  ['CET MET MEZ', 60, 'Central European winter (DE, FR, IT, ES, NL, BE, PL, SE; MEZ in German)'],
  ['CEST MEST MESZ', 120, 'Central European summer'],
  ['EET', 120, 'Eastern European winter (amazon.eg)'],
  ['EEST', 180, 'Eastern European summer (amazon.eg)'],
  ['SAST', 120, 'South Africa (amazon.co.za)'],
  ['TRT', 180, 'Turkey (amazon.com.tr)'],
  ['AST', 180, 'Arabia (amazon.sa)'],
  ['GST', 240, 'Gulf (amazon.ae)'],
  ['IST', 330, 'India (amazon.in)'],
  ['SGT', 480, 'Singapore (amazon.sg)'],
  ['AWST', 480, 'Australian Western'],
  ['JST', 540, 'Japan (amazon.co.jp)'],
  ['ACST', 570, 'Australian Central standard'],
  ['AEST', 600, 'Australian Eastern standard (amazon.com.au)'],
  ['ACDT', 630, 'Australian Central daylight'],
  ['AEDT', 660, 'Australian Eastern daylight (amazon.com.au)'],
  ['BRT', -180, 'Brasília (amazon.com.br)'],
  ['BRST', -120, 'Brasília summer (until 2019)'],
  ['NST', -210, 'Newfoundland standard (amazon.ca)'],
  ['NDT', -150, 'Newfoundland daylight (amazon.ca)'],
  ['EDT', -240, 'US/Canada Eastern daylight'],
  ['EST CDT', -300, 'US/Canada Eastern standard; Central daylight'],
  ['CST MDT', -360, 'Central standard (amazon.com, amazon.com.mx); Mountain daylight'],
  ['MST PDT', -420, 'Mountain standard; Pacific daylight (amazon.com, amazon.ca)'],
  ['PST AKDT', -480, 'Pacific standard (amazon.com, amazon.ca); Alaska daylight'],
  ['AKST', -540, 'Alaska standard'],
  ['HST', -600, 'Hawaii'],
];

/** Letters an abbreviation may have: the key below packs up to this many into one number. */
export const MAX_ZONE_LETTERS = 5;

/**
 * A number standing for the letters `text[start..end)` (case-insensitive, A–Z only): the scanner looks
 * zones up by it instead of slicing a string per cell. 0 when the span is not 1–`max` letters.
 */
export function letterKey(text: string, start: number, end: number, max = MAX_ZONE_LETTERS): number {
  const n = end - start;
  if (n < 1 || n > max) return 0;
  let key = 0;
  for (let k = start; k < end; k++) {
    const c = text.charCodeAt(k) | 32;
    if (c < 97 || c > 122) return 0;
    key = key * 32 + (c - 96);
  }
  return key;
}

/** letterKey(abbreviation) → minutes east of UTC. */
export const ZONES = new Map<number, number>();
for (const [names, minutes] of ZONE_TABLE) {
  for (const z of names.split(' ')) ZONES.set(letterKey(z, 0, z.length), minutes);
}

/** Readings of abbreviations that a marketplace means differently from the table, for parseTimestamp. */
export function zoneReadings(minutes: Readonly<Record<string, number>>): ReadonlyMap<number, number> {
  return new Map(Object.entries(minutes).map(([z, m]) => [letterKey(z, 0, z.length), m]));
}
