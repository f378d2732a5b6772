/**
 * Shapes the SKU page's price history for the chart and its table: every series on one time axis,
 * the range the user picked, the repricer's guard band and the points where our price changed.
 *
 * Prices are step functions: a price holds until the next observation. So the value "at a moment"
 * (crosshair readout, table) is the last observation at or before it, and a series that had a price
 * before the range starts carries it into the range's left edge and on to "now" on the right.
 * `null` (or Keepa's -1) means "no offer at that time" and is drawn as a gap, e.g. Amazon not selling.
 */

export const SERIES_KEYS = ['buybox', 'amazon', 'new_fba', 'new_fbm', 'our_price', 'rank'] as const;
export type SeriesKey = (typeof SERIES_KEYS)[number];

/** [epoch seconds, value]; value null = no offer then. Money may arrive as a decimal string. */
export type RawPoint = readonly [number, number | string | null];
export type SeriesInput = Partial<Record<SeriesKey, readonly RawPoint[] | null | undefined>>;

export const RANGES = ['7', '30', '90', 'all'] as const;
export type RangeKey = (typeof RANGES)[number];

export interface GuardInput {
  floor?: number | string | null;
  ceiling?: number | string | null;
}

export interface PriceChangeInput {
  /** ISO date, epoch seconds or epoch milliseconds. */
  at: string | number;
  from?: number | string | null;
  to?: number | string | null;
  reason?: string | null;
  [key: string]: unknown;
}

export interface Marker<C = PriceChangeInput> {
  x: number;
  y: number;
  change: C;
}

/**
 * `draw`: per x, the observation there, `undefined` where the series has none (the line is joined
 * across it) and `null` for "no offer" (a gap). `value`: the value in force at each x.
 */
export interface ChartModel<C extends PriceChangeInput = PriceChangeInput> {
  start: number;
  end: number;
  xs: number[];
  /** Whether xs[i] is a real observation of some series (false for the synthetic edges). */
  observed: boolean[];
  draw: Record<SeriesKey, (number | null | undefined)[]>;
  value: Record<SeriesKey, (number | null)[]>;
  /** Which series have at least one value in the range. */
  present: Record<SeriesKey, boolean>;
  band: { floor: number; ceiling: number | null } | null;
  markers: Marker<C>[];
}

const DAY = 86_400;

/** Accepts numbers and decimal strings; anything else, or a negative number, is "no value". */
export function toValue(v: unknown): number | null {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
  return Number.isFinite(n) && n >= 0 ? n : null;
}

/** Epoch seconds from an ISO string, epoch seconds or epoch milliseconds; NaN when unreadable. */
export function toEpochSeconds(at: unknown): number {
  if (typeof at === 'number') return at > 1e11 ? Math.floor(at / 1000) : at;
  if (typeof at === 'string') {
    if (/^\d+(\.\d+)?$/.test(at)) return toEpochSeconds(Number(at));
    const ms = Date.parse(at);
    return Number.isNaN(ms) ? Number.NaN : Math.floor(ms / 1000);
  }
  return Number.NaN;
}

/** The first moment of a range ending `now` (epoch seconds); -Infinity for "all". */
export function rangeStart(range: RangeKey, now: number): number {
  return range === 'all' ? Number.NEGATIVE_INFINITY : now - Number(range) * DAY;
}

export function parseRange(v: unknown, fallback: RangeKey = '90'): RangeKey {
  const s = String(v);
  return (RANGES as readonly string[]).includes(s) ? (s as RangeKey) : fallback;
}

interface Clean {
  t: number;
  v: number | null;
}

function clean(points: readonly RawPoint[] | null | undefined): Clean[] {
  if (!Array.isArray(points)) return [];
  const out: Clean[] = [];
  for (const p of points) {
    if (!Array.isArray(p)) continue;
    const t = toEpochSeconds(p[0]);
    if (Number.isFinite(t)) out.push({ t, v: toValue(p[1]) });
  }
  // stable sort: of two observations at one moment the later one in the input wins below
  return out.sort((a, b) => a.t - b.t);
}

function emptyRecord<T>(make: () => T): Record<SeriesKey, T> {
  return Object.fromEntries(SERIES_KEYS.map((k) => [k, make()])) as Record<SeriesKey, T>;
}

export function buildChartModel<C extends PriceChangeInput = PriceChangeInput>(
  series: SeriesInput | null | undefined,
  opts: { range: RangeKey; now: number; guard?: GuardInput | null; changes?: readonly C[] | null },
): ChartModel<C> {
  const cleaned = emptyRecord<Clean[]>(() => []);
  for (const k of SERIES_KEYS) cleaned[k] = clean(series?.[k]);

  let start = rangeStart(opts.range, opts.now);
  if (!Number.isFinite(start)) {
    const firsts = SERIES_KEYS.map((k) => cleaned[k][0]?.t).filter((t): t is number => t !== undefined);
    start = firsts.length > 0 ? Math.min(...firsts) : opts.now - 90 * DAY;
  }
  let end = opts.now;

  // per series: the value in force at `start` (if it started earlier) and the observations in range
  const carried = emptyRecord<number | null | undefined>(() => undefined);
  const inRange = emptyRecord<Clean[]>(() => []);
  const times = new Set<number>();
  for (const k of SERIES_KEYS) {
    for (const p of cleaned[k]) {
      if (p.t < start) carried[k] = p.v;
      else {
        inRange[k].push(p);
        times.add(p.t);
        if (p.t > end) end = p.t;
      }
    }
  }
  const observedTimes = new Set(times);
  times.add(start);
  times.add(end);
  const xs = [...times].sort((a, b) => a - b);
  const index = new Map(xs.map((x, i) => [x, i]));

  const draw = emptyRecord<(number | null | undefined)[]>(() => []);
  const value = emptyRecord<(number | null)[]>(() => []);
  const present = emptyRecord(() => false);
  for (const k of SERIES_KEYS) {
    const d: (number | null | undefined)[] = new Array(xs.length).fill(undefined);
    if (carried[k] !== undefined && d[0] === undefined) d[0] = carried[k];
    for (const p of inRange[k]) d[index.get(p.t)!] = p.v;
    // forward fill: the value in force at each x
    const v: (number | null)[] = new Array(xs.length);
    let last: number | null = null;
    let seen = false;
    for (let i = 0; i < xs.length; i++) {
      if (d[i] !== undefined) {
        last = d[i]!;
        seen = true;
      }
      v[i] = last;
      if (last !== null) present[k] = true;
    }
    // the last known price holds until now: extend the line to the right edge
    const endIdx = xs.length - 1;
    if (seen && d[endIdx] === undefined && last !== null) d[endIdx] = last;
    draw[k] = d;
    value[k] = v;
  }

  const floor = toValue(opts.guard?.floor);
  const ceiling = toValue(opts.guard?.ceiling);
  const band =
    floor !== null ? { floor, ceiling: ceiling !== null && ceiling >= floor ? ceiling : null } : null;

  const markers: Marker<C>[] = [];
  for (const change of opts.changes ?? []) {
    const x = toEpochSeconds(change.at);
    const y = toValue(change.to);
    if (Number.isFinite(x) && y !== null && x >= start && x <= end) markers.push({ x, y, change });
  }
  markers.sort((a, b) => a.x - b.x);

  return {
    start,
    end,
    xs,
    observed: xs.map((x) => observedTimes.has(x)),
    draw,
    value,
    present,
    band,
    markers,
  };
}

/** The index of the last x at or before `t` (the moment whose values are in force at t); -1 before all. */
export function indexAt(xs: readonly number[], t: number): number {
  let lo = 0;
  let hi = xs.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid]! <= t) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

export interface TableRow {
  t: number;
  values: Record<SeriesKey, number | null>;
  /** Which series changed (or were observed) at this moment. */
  observed: Record<SeriesKey, boolean>;
}

/** The chart as rows, newest first: one per moment at which some series was observed. */
export function tableRows(model: ChartModel): TableRow[] {
  const rows: TableRow[] = [];
  for (let i = model.xs.length - 1; i >= 0; i--) {
    if (!model.observed[i]) continue;
    const values = emptyRecord<number | null>(() => null);
    const observed = emptyRecord(() => false);
    for (const k of SERIES_KEYS) {
      values[k] = model.value[k][i] ?? null;
      observed[k] = model.draw[k][i] !== undefined;
    }
    rows.push({ t: model.xs[i]!, values, observed });
  }
  return rows;
}

/**
 * The guard band as two series over xs (floor, ceiling); the ceiling is null when the rule sets
 * none, so only the floor is drawn.
 */
export function bandSeries(model: ChartModel): { floor: number[]; ceiling: (number | null)[] } | null {
  if (!model.band) return null;
  const { floor, ceiling } = model.band;
  return { floor: model.xs.map(() => floor), ceiling: model.xs.map(() => ceiling) };
}
