/**
 * Exact money arithmetic, the one module for it. Amounts arrive as Postgres `numeric` text or JSON
 * numbers; a double's shortest decimal form (`String(n)`) is the text that was sent (SP-API's
 * `1.485` is held as 1.48499999…, which rounded as a double would go down), so values are read from
 * that text into exact rationals (bigint numerator/denominator) and rounded once, to the currency's
 * minor unit. The repricer's floor divides by (1 − referral rate), so a fixed-scale decimal is not
 * enough. Two roundings, each where its source uses it: half-even for prices AWA sets (SPEC §8),
 * half away from zero for fee amounts, as Amazon's totals and Postgres' round(numeric) round them.
 */
export interface Ratio {
  n: bigint;
  /** Always > 0. */
  d: bigint;
}

const NUMBER = /^([+-])?(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/i;

/** Reads a JSON number or numeric string; undefined for anything else (null, '', NaN, Infinity). */
export function toRatio(value: unknown): Ratio | undefined {
  if (typeof value === 'number' && !Number.isFinite(value)) return undefined;
  if (typeof value !== 'number' && typeof value !== 'string') return undefined;
  const m = NUMBER.exec(String(value).trim());
  if (!m || (!m[2] && !m[3])) return undefined;
  const digits = BigInt(`${m[2] ?? ''}${m[3] ?? ''}` || '0');
  const scale = (m[3] ?? '').length - Number(m[4] ?? 0);
  const n = m[1] === '-' ? -digits : digits;
  return scale >= 0 ? { n, d: 10n ** BigInt(scale) } : { n: n * 10n ** BigInt(-scale), d: 1n };
}

export const ONE: Ratio = { n: 1n, d: 1n };

export function add(a: Ratio, b: Ratio): Ratio {
  return { n: a.n * b.d + b.n * a.d, d: a.d * b.d };
}

export function sub(a: Ratio, b: Ratio): Ratio {
  return { n: a.n * b.d - b.n * a.d, d: a.d * b.d };
}

export function mul(a: Ratio, b: Ratio): Ratio {
  return { n: a.n * b.n, d: a.d * b.d };
}

export function div(a: Ratio, b: Ratio): Ratio {
  if (b.n === 0n) throw new RangeError('division by zero');
  const sign = b.n < 0n ? -1n : 1n;
  return { n: a.n * b.d * sign, d: a.d * b.n * sign };
}

/** -1, 0 or 1. */
export function cmp(a: Ratio, b: Ratio): number {
  const l = a.n * b.d;
  const r = b.n * a.d;
  return l < r ? -1 : l > r ? 1 : 0;
}

/** Digits after the decimal point per ISO 4217 (the few exceptions Amazon marketplaces may use). */
const ZERO_DIGITS = new Set(['JPY', 'KRW', 'CLP', 'ISK', 'VND', 'PYG', 'UGX', 'XAF', 'XOF']);
const THREE_DIGITS = new Set(['BHD', 'KWD', 'OMR', 'JOD', 'TND', 'IQD', 'LYD']);

export function minorDigits(currency: string): number {
  if (ZERO_DIGITS.has(currency)) return 0;
  if (THREE_DIGITS.has(currency)) return 3;
  return 2;
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

/** Rounds to an integer count of minor units, ties to the even unit (10.125 → 1012, 10.135 → 1014). */
export function toMinor(r: Ratio, digits: number): bigint {
  const n = r.n * 10n ** BigInt(digits);
  const q = floorDiv(n, r.d);
  const twice = (n - q * r.d) * 2n;
  if (twice > r.d || (twice === r.d && q % 2n !== 0n)) return q + 1n;
  return q;
}

/** Largest whole minor unit ≤ r (used where a bound must not be overshot). */
export function floorMinor(r: Ratio, digits: number): bigint {
  return floorDiv(r.n * 10n ** BigInt(digits), r.d);
}

/** Smallest whole minor unit ≥ r. */
export function ceilMinor(r: Ratio, digits: number): bigint {
  return -floorDiv(-r.n * 10n ** BigInt(digits), r.d);
}

export function fromMinor(units: bigint, digits: number): Ratio {
  return { n: units, d: 10n ** BigInt(digits) };
}

/** `1012` with 2 digits → `10.12`; `-5` → `-0.05`; JPY `1500` → `1500`. */
export function formatMinor(units: bigint, digits: number): string {
  const neg = units < 0n;
  const s = (neg ? -units : units).toString().padStart(digits + 1, '0');
  const body = digits > 0 ? `${s.slice(0, -digits)}.${s.slice(-digits)}` : s;
  return neg ? `-${body}` : body;
}

/** Rounds a decimal text/number half-even to `digits` and formats it; undefined when unreadable. */
export function roundText(value: unknown, digits: number): string | undefined {
  const r = toRatio(value);
  return r ? formatMinor(toMinor(r, digits), digits) : undefined;
}

/** Rounds to an integer count of minor units, ties away from zero (2.5 → 3, −1.005 → −1.01). */
export function toMinorHalfUp(r: Ratio, digits: number): bigint {
  const n = r.n * 10n ** BigInt(digits);
  const mag = n < 0n ? -n : n;
  let q = mag / r.d;
  if ((mag % r.d) * 2n >= r.d) q += 1n;
  return n < 0n ? -q : q;
}

/** Rounded half away from zero to `digits` and formatted (`-1.50`, `0.00`). */
export function roundHalfUp(r: Ratio, digits = 2): string {
  return formatMinor(toMinorHalfUp(r, digits), digits);
}

export function sum(values: readonly Ratio[]): Ratio | undefined {
  return values.length === 0 ? undefined : values.reduce(add);
}

/** A fee amount read and rounded to cents in one go; null when unreadable or absent. */
export function cents(value: unknown): string | null {
  const r = toRatio(value);
  return r ? roundHalfUp(r) : null;
}

/** Costs are stored with 4 decimals (numeric(14, 4)). */
export const COST_DIGITS = 4;
const COST_SCALE = 10_000n;

/**
 * A plain decimal text (as the file readers give it: `-1234.5`) divided by `divisor` first (case
 * price → unit price), as an integer count of 1/10,000 units rounded half away from zero. The same
 * figure as toMinorHalfUp(value ÷ divisor, 4) (a test holds the two equal), without building a ratio:
 * it runs once per cost cell of a million-row price list.
 */
export function toUnits(decimal: string, divisor = 1n): bigint {
  const negative = decimal.startsWith('-');
  const body = negative ? decimal.slice(1) : decimal;
  const dot = body.indexOf('.');
  const digits = dot === -1 ? body : body.slice(0, dot) + body.slice(dot + 1);
  const scale = dot === -1 ? 0 : body.length - dot - 1;
  const num = BigInt(digits) * COST_SCALE;
  const den = 10n ** BigInt(scale) * divisor;
  const q = (2n * num + den) / (2n * den);
  return negative ? -q : q;
}

/** 1/10,000 units back to a plain decimal without trailing zeros: 33966300n → '3396.63', 0n → '0'. */
export function formatUnits(units: bigint): string {
  const text = formatMinor(units, COST_DIGITS).replace(/\.?0+$/, '');
  return text === '-0' ? '0' : text;
}
