/**
 * Keepa's product object (https://keepa.com/#!discuss/t/product-object/116) turned into our rows.
 * Pure functions: no I/O, so every rule about the wire format is tested without a server.
 */

/** Keepa time is minutes since 2011-01-01 UTC: unix ms = (t + 21564000) × 60000. */
export const KEEPA_MINUTE_OFFSET = 21_564_000;

export function keepaMinutesToMs(t: number): number {
  return (t + KEEPA_MINUTE_OFFSET) * 60_000;
}

export function msToKeepaMinutes(ms: number): number {
  return Math.floor(ms / 60_000) - KEEPA_MINUTE_OFFSET;
}

/** csv series indexes (Keepa's Product.CsvType). */
export const CSV = {
  AMAZON: 0,
  SALES: 3,
  NEW_FBA: 10,
  COUNT_NEW: 11,
  RATING: 16,
  COUNT_REVIEWS: 17,
  BUY_BOX_SHIPPING: 18,
} as const;

// Keepa's productType 4 (INVALID): the ASIN does not exist on this marketplace.
const PRODUCT_TYPE_INVALID = 4;

/** One step of a series: the value holds from `at` until the next point; null = Keepa's -1 (none). */
export interface Point {
  at: number;
  value: number | null;
}

export interface MetricPoint {
  at: number;
  salesRank: number | null;
  offersNew: number | null;
  /** Money, as a decimal string in the marketplace currency. */
  fbaPrice: string | null;
  amazonOnListing: boolean | null;
  rating: string | null;
  reviews: number | null;
}

export interface ParsedProduct {
  asin: string;
  title: string | null;
  brand: string | null;
  category: string | null;
  weightKg: string | null;
  lengthCm: string | null;
  widthCm: string | null;
  heightCm: string | null;
  identifiers: Array<{ kind: 'EAN' | 'UPC'; value: string }>;
  /** Buy box price points with a price (no-buy-box steps dropped), oldest first. */
  buybox: Array<{ at: number; price: string }>;
  /** The buy box now: its price, or null when no offer holds it. */
  buyboxNow: { at: number; price: string | null } | null;
  metrics: MetricPoint[];
}

export type ProductOutcome =
  | { kind: 'ok'; product: ParsedProduct }
  | { kind: 'unknown'; asin: string }
  | { kind: 'invalid'; asin: string; reason: string };

export interface ParseOptions {
  /** History before this (unix ms) is dropped, except the step in force at that moment. */
  windowStartMs: number;
  /** Digits of the currency's minor unit: 2 (cents) everywhere but Japan (yen, 0). */
  minorDigits: number;
}

class Malformed extends Error {}

const ASIN = /^[A-Z0-9]{10}$/;
const BARCODE = /^[0-9]{8,14}$/;

/**
 * A csv series: pairs `[time, value, …]`, or triples `[time, price, shipping, …]` for the price types
 * that include shipping, whose price is price + shipping (Keepa's ProductAnalyzer adds them, a
 * negative shipping counting as 0). Missing series (null) → null; a wrong shape is malformed.
 */
export function readSeries(raw: unknown, withShipping: boolean): Point[] | null {
  if (raw === null || raw === undefined) return null;
  const stride = withShipping ? 3 : 2;
  if (!Array.isArray(raw) || raw.length % stride !== 0) throw new Malformed('csv series has a broken shape');
  const out: Point[] = [];
  for (let i = 0; i < raw.length; i += stride) {
    const t = raw[i];
    const v = raw[i + 1];
    const s = withShipping ? raw[i + 2] : 0;
    if (!Number.isInteger(t) || !Number.isInteger(v) || !Number.isInteger(s)) {
      throw new Malformed('csv series holds a value that is not an integer');
    }
    const value = v < 0 ? null : withShipping ? v + Math.max(0, s) : v;
    out.push({ at: keepaMinutesToMs(t), value });
  }
  // Keepa sends points in time order; sorting guards the "newer than stored" rule if it ever did not
  out.sort((a, b) => a.at - b.at);
  return out;
}

/** Points from `startMs` on, plus the last one before it: the value in force when the window opens. */
export function windowed<T extends { at: number }>(points: T[], startMs: number): T[] {
  let first = points.findIndex((p) => p.at >= startMs);
  if (first === -1) first = points.length;
  return points.slice(Math.max(0, first - 1));
}

/** Integer minor units → decimal string, without a float in between (4999 → "49.99"). */
export function formatMinor(v: number, digits: number): string {
  if (digits === 0) return String(v);
  const unit = 10 ** digits;
  return `${Math.floor(v / unit)}.${String(v % unit).padStart(digits, '0')}`;
}

/**
 * Step series merged into one row per moment any of them changed, each field holding the value in
 * force then (a field whose series has not started yet is null).
 */
export function mergeSteps<K extends string>(
  series: Record<K, Point[] | null>,
): Array<{ at: number } & Record<K, number | null>> {
  const keys = Object.keys(series) as K[];
  const times = [...new Set(keys.flatMap((k) => (series[k] ?? []).map((p) => p.at)))].sort((a, b) => a - b);
  const pos = Object.fromEntries(keys.map((k) => [k, -1])) as Record<K, number>;
  return times.map((at) => {
    const row = { at } as { at: number } & Record<K, number | null>;
    for (const k of keys) {
      const s = series[k] ?? [];
      while (pos[k] + 1 < s.length && s[pos[k] + 1]!.at <= at) pos[k]++;
      (row as Record<K, number | null>)[k] = pos[k] >= 0 ? s[pos[k]]!.value : null;
    }
    return row;
  });
}

function text(v: unknown): string | null {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : null;
}

function positiveInt(v: unknown): number | null {
  return Number.isInteger(v) && (v as number) > 0 ? (v as number) : null;
}

/** Root category's name (the top of categoryTree), else the deepest node Keepa lists. */
function categoryOf(p: Record<string, unknown>): string | null {
  const tree = Array.isArray(p.categoryTree) ? (p.categoryTree as Array<Record<string, unknown>>) : [];
  const nodes = tree.filter((n) => n && typeof n === 'object');
  const root = nodes.find((n) => n.catId === p.rootCategory);
  return text(root?.name) ?? text(nodes.at(-1)?.name);
}

function identifiersOf(p: Record<string, unknown>): ParsedProduct['identifiers'] {
  const out = new Map<string, { kind: 'EAN' | 'UPC'; value: string }>();
  for (const [kind, list] of [
    ['EAN', p.eanList],
    ['UPC', p.upcList],
  ] as const) {
    if (!Array.isArray(list)) continue;
    for (const v of list) {
      if (typeof v === 'string' && BARCODE.test(v)) out.set(`${kind}:${v}`, { kind, value: v });
    }
  }
  return [...out.values()];
}

function seriesAt(csv: unknown[], index: number, withShipping = false): Point[] | null {
  return readSeries(csv[index], withShipping);
}

/** One entry of a /product answer → our rows, or why it yields none. */
export function parseProduct(raw: unknown, opts: ParseOptions): ProductOutcome {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    return { kind: 'invalid', asin: '', reason: 'product entry is not an object' };
  }
  const p = raw as Record<string, unknown>;
  const asin = typeof p.asin === 'string' ? p.asin : '';
  if (!ASIN.test(asin)) return { kind: 'invalid', asin, reason: 'product entry has no valid asin' };
  if (p.csv !== undefined && p.csv !== null && !Array.isArray(p.csv)) {
    return { kind: 'invalid', asin, reason: 'csv is not an array' };
  }
  const csv = (p.csv as unknown[] | null | undefined) ?? [];
  const title = text(p.title);
  // Keepa answers an ASIN it does not track with an (almost) empty product object
  if (p.productType === PRODUCT_TYPE_INVALID || (title === null && !csv.some((s) => Array.isArray(s)))) {
    return { kind: 'unknown', asin };
  }
  try {
    const money = (v: number | null) => (v === null || v <= 0 ? null : formatMinor(v, opts.minorDigits));
    const bb = windowed(seriesAt(csv, CSV.BUY_BOX_SHIPPING, true) ?? [], opts.windowStartMs);
    const steps = windowed(
      mergeSteps({
        amazon: seriesAt(csv, CSV.AMAZON),
        rank: seriesAt(csv, CSV.SALES),
        fba: seriesAt(csv, CSV.NEW_FBA),
        offers: seriesAt(csv, CSV.COUNT_NEW),
        rating: seriesAt(csv, CSV.RATING),
        reviews: seriesAt(csv, CSV.COUNT_REVIEWS),
      }),
      opts.windowStartMs,
    );
    const hasAmazon = Array.isArray(csv[CSV.AMAZON]);
    const last = bb.at(-1);
    const grams = positiveInt(p.packageWeight);
    const cm = (mm: unknown) => {
      const v = positiveInt(mm);
      return v === null ? null : formatMinor(v * 10, 2);
    };
    return {
      kind: 'ok',
      product: {
        asin,
        title,
        brand: text(p.brand),
        category: categoryOf(p),
        weightKg: grams === null ? null : formatMinor(grams, 3),
        lengthCm: cm(p.packageLength),
        widthCm: cm(p.packageWidth),
        heightCm: cm(p.packageHeight),
        identifiers: identifiersOf(p),
        buybox: bb.flatMap((pt) => {
          const price = money(pt.value);
          return price === null ? [] : [{ at: pt.at, price }];
        }),
        buyboxNow: last ? { at: last.at, price: money(last.value) } : null,
        metrics: steps.map((s) => ({
          at: s.at,
          salesRank: s.rank,
          offersNew: s.offers,
          fbaPrice: money(s.fba),
          // the AMAZON series is -1 while Amazon has no offer; a product without the series never had one
          amazonOnListing: hasAmazon ? s.amazon !== null : null,
          // RATING is 0–50 (45 = 4.5 stars)
          rating: s.rating === null ? null : formatMinor(s.rating, 1),
          reviews: s.reviews,
        })),
      },
    };
  } catch (err) {
    if (err instanceof Malformed) return { kind: 'invalid', asin, reason: err.message };
    throw err;
  }
}
