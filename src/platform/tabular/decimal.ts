/**
 * Locale-tolerant decimal parsing. Files mix `1.234,56` (DE/IT/FR/ES) and `1,234.56` (EN) and
 * rarely say which, so the separators are read from the value itself: the last separator followed by
 * 1–2 digits is the decimal one; a single separator followed by exactly 3 digits is a thousands
 * separator (`1.234` → 1234) unless the integer part is 0 (`0.125`) or the caller knows the file's
 * decimal mark (`decimalMark`, e.g. a US report's `1.234` is 1.234); everything else is decimal.
 */

const ZERO = 48;
const NINE = 57;

function isDigitsOnly(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < ZERO || c > NINE) return false;
  }
  return s.length > 0;
}

function stripZeros(int: string): string {
  let i = 0;
  while (i < int.length - 1 && int.charCodeAt(i) === ZERO) i++;
  return int.slice(i) || '0';
}

/** `1.234.567` grouping: first group 1–3 digits, every later group exactly 3. */
function ungroup(s: string, sep: string): string | null {
  const groups = s.split(sep);
  const first = groups[0]!;
  if (first.length < 1 || first.length > 3 || !isDigitsOnly(first)) return null;
  for (let i = 1; i < groups.length; i++) {
    const g = groups[i]!;
    if (g.length !== 3 || !isDigitsOnly(g)) return null;
  }
  return groups.join('');
}

function compose(negative: boolean, int: string, frac: string): string {
  let f = frac;
  while (f.length > 0 && f.charCodeAt(f.length - 1) === ZERO) f = f.slice(0, -1);
  const i = stripZeros(int);
  const body = f ? `${i}.${f}` : i;
  return negative && body !== '0' ? `-${body}` : body;
}

/** Sign handling shared by both parsers: `-12`, `+12`, `12-` and accounting-style `(12)`. */
function splitSign(text: string): { negative: boolean; body: string } {
  let s = text;
  let negative = false;
  if (s.startsWith('(') && s.endsWith(')')) {
    negative = true;
    s = s.slice(1, -1);
  }
  if (s.startsWith('-') || s.startsWith('+')) {
    negative = negative || s[0] === '-';
    s = s.slice(1);
  } else if (s.endsWith('-')) {
    negative = true;
    s = s.slice(0, -1);
  }
  return { negative, body: s };
}

/** Removes spaces (incl. no-break and thin spaces) and apostrophes used as thousands separators. */
function compact(text: string): string {
  let needs = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 0xa0 || c === 0x202f || c === 0x2009 || c === 39 || c === 0x2019) {
      needs = true;
      break;
    }
  }
  return needs ? text.replace(/[\s\u00a0\u202f\u2009'\u2019]/g, '') : text;
}

/**
 * Parses a human-written number into a plain decimal string (`-1234.56`, no exponent, no trailing
 * zeros). Returns null when the text is not a number. `decimalMark` only settles the one ambiguous
 * shape (`1.234` / `1,234`); every unambiguous form of either convention is read as written.
 */
export function parseDecimal(text: string, decimalMark?: '.' | ','): string | null {
  const { negative, body: s } = splitSign(compact(text));
  if (s.length === 0) return null;
  let dots = 0;
  let commas = 0;
  let last = -1;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 46) {
      dots++;
      last = i;
    } else if (c === 44) {
      commas++;
      last = i;
    } else if (c < ZERO || c > NINE) {
      return null;
    }
  }
  if (last === -1) return compose(negative, s, '');
  const before = s.slice(0, last);
  const after = s.slice(last + 1);
  const sep = s[last]!;
  if (dots > 0 && commas > 0) {
    // both kinds: the last one is the decimal separator and must occur once
    if ((sep === '.' ? dots : commas) !== 1) return null;
    const int = ungroup(before, sep === '.' ? ',' : '.');
    if (int === null || !isDigitsOnly(after)) return null;
    return compose(negative, int, after);
  }
  if (dots + commas > 1) {
    const int = ungroup(s, sep);
    return int === null ? null : compose(negative, int, '');
  }
  if (before.length === 0 && after.length === 0) return null;
  if (
    after.length !== 3 ||
    before.length === 0 ||
    before.length > 3 ||
    before.charCodeAt(0) === ZERO ||
    sep === decimalMark
  ) {
    return compose(negative, before, after);
  }
  return compose(negative, before + after, '');
}

/** For values that are already machine numbers (numeric XLSX cells): `.` is always the decimal point. */
export function parsePlainDecimal(text: string): string | null {
  const { negative, body } = splitSign(text);
  const dot = body.indexOf('.');
  const int = dot === -1 ? body : body.slice(0, dot);
  const frac = dot === -1 ? '' : body.slice(dot + 1);
  if (int.length === 0 && frac.length === 0) return null;
  if ((int.length > 0 && !isDigitsOnly(int)) || (frac.length > 0 && !isDigitsOnly(frac))) return null;
  return compose(negative, int, frac);
}

// digits . , + - ( ) and the spaces/apostrophes parseDecimal removes
function isNumberChar(c: number): boolean {
  return (
    (c >= 48 && c <= 57) ||
    c === 46 ||
    c === 44 ||
    c === 43 ||
    c === 45 ||
    c === 40 ||
    c === 41 ||
    c === 32 ||
    c === 39 ||
    c === 0xa0 ||
    c === 0x202f ||
    c === 0x2009 ||
    c === 0x2019
  );
}

/**
 * Where the number in a money cell starts and ends: `€ 12,50`, `12.50 EUR`, `USD12` leave currency
 * text before `start` or after `end` for the caller to check.
 */
export function numberBounds(text: string): { start: number; end: number } {
  let start = 0;
  let end = text.length;
  while (start < end && !isNumberChar(text.charCodeAt(start))) start++;
  while (end > start && !isNumberChar(text.charCodeAt(end - 1))) end--;
  return { start, end };
}
