/**
 * Exact decimal arithmetic for fee amounts. SP-API sends JSON numbers (`1.485`), which JavaScript
 * holds as the nearest binary double (1.48499999…); rounding that to cents would round down. A
 * double's shortest decimal form (`String(n)`) is the text the server sent, so amounts are read
 * from that text into an integer with a scale, summed exactly, and rounded once, to cents.
 */
export interface Dec {
  units: bigint;
  scale: number;
}

const NUMBER = /^([+-])?(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/i;

/** Reads a JSON number or numeric string; undefined for anything else (null, '', NaN, objects). */
export function toDec(value: unknown): Dec | undefined {
  if (typeof value === 'number' && !Number.isFinite(value)) return undefined;
  if (typeof value !== 'number' && typeof value !== 'string') return undefined;
  const m = NUMBER.exec(String(value).trim());
  if (!m || (!m[2] && !m[3])) return undefined;
  const digits = `${m[2] ?? ''}${m[3] ?? ''}` || '0';
  let scale = (m[3] ?? '').length - Number(m[4] ?? 0);
  let units = BigInt(digits);
  if (scale < 0) {
    units *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return { units: m[1] === '-' ? -units : units, scale };
}

function align(a: Dec, scale: number): bigint {
  return a.units * 10n ** BigInt(scale - a.scale);
}

export function add(a: Dec, b: Dec): Dec {
  const scale = Math.max(a.scale, b.scale);
  return { units: align(a, scale) + align(b, scale), scale };
}

export function sum(values: Dec[]): Dec | undefined {
  return values.length === 0 ? undefined : values.reduce(add);
}

/**
 * Rounds half away from zero ("half-up" on magnitudes, as commercial rounding and Postgres'
 * round(numeric) do) to `places` decimals and formats it (`-1.50`, `0.00`).
 */
export function roundTo(a: Dec, places = 2): string {
  let units: bigint;
  if (a.scale <= places) {
    units = align(a, places);
  } else {
    const div = 10n ** BigInt(a.scale - places);
    const neg = a.units < 0n;
    const mag = neg ? -a.units : a.units;
    let q = mag / div;
    if ((mag % div) * 2n >= div) q += 1n;
    units = neg ? -q : q;
  }
  const neg = units < 0n;
  const s = (neg ? -units : units).toString().padStart(places + 1, '0');
  const body = places > 0 ? `${s.slice(0, -places)}.${s.slice(-places)}` : s;
  return neg ? `-${body}` : body;
}

/** A value read and rounded to cents in one go; null when unreadable or absent. */
export function cents(value: unknown): string | null {
  const d = toDec(value);
  return d ? roundTo(d) : null;
}
