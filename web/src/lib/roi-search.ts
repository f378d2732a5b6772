/**
 * The ROI review's whole state (filters, sort, page) ↔ the URL's search params, so the back button
 * works and a URL can be shared. Defaults are left out of the URL; a bad value is dropped (not an
 * error page: a hand-edited or old link still opens, with that one filter off).
 */
import { ROI_FLAGS, type RoiFlag } from './flags.ts';

export const ROI_SORTS = ['roi', 'margin', 'profit', 'asin', 'vendor'] as const;
export type RoiSort = (typeof ROI_SORTS)[number];
export const ORDERS = ['asc', 'desc'] as const;
export type Order = (typeof ORDERS)[number];
export const DECISION_FILTERS = ['approved', 'rejected', 'observe', 'none'] as const;
export type DecisionFilter = (typeof DECISION_FILTERS)[number];

export const SEARCH_MAX = 64;
const TEXT_MAX = 200;
const BOUND = 1e6;
const PAGE_MAX = 1_000_000;

/** What the URL holds: only values that differ from the defaults. */
export interface RoiSearch {
  roi_min?: number;
  roi_max?: number;
  margin_min?: number;
  margin_max?: number;
  vendor?: string;
  category?: string;
  search?: string;
  flags?: RoiFlag[];
  status?: DecisionFilter;
  /** false = every vendor's offer; the default (true) shows one row per ASIN: its best offer. */
  best_only?: boolean;
  sort?: RoiSort;
  order?: Order;
  page?: number;
  page_size?: number;
}

export const ROI_DEFAULTS = { best_only: true, sort: 'roi', page: 1, page_size: 50 } as const;

/** Text columns sort A→Z first, figures best (highest) first. */
export function defaultOrder(sort: RoiSort): Order {
  return sort === 'asin' || sort === 'vendor' ? 'asc' : 'desc';
}

function num(v: unknown): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
  return Number.isFinite(n) && Math.abs(n) <= BOUND ? n : undefined;
}

function int(v: unknown, min: number, max: number): number | undefined {
  const n = num(v);
  return n !== undefined && Number.isInteger(n) && n >= min && n <= max ? n : undefined;
}

function text(v: unknown, max: number): string | undefined {
  if (typeof v !== 'string' && typeof v !== 'number') return undefined;
  const s = String(v).trim();
  return s.length > 0 && s.length <= max ? s : undefined;
}

function oneOf<T extends string>(values: readonly T[], v: unknown): T | undefined {
  return typeof v === 'string' && (values as readonly string[]).includes(v) ? (v as T) : undefined;
}

function bool(v: unknown): boolean | undefined {
  if (v === true || v === 'true' || v === '1') return true;
  if (v === false || v === 'false' || v === '0') return false;
  return undefined;
}

/** Unknown flags are dropped, the known ones kept (in the canonical order, each once). */
function flagList(v: unknown): RoiFlag[] | undefined {
  const raw = Array.isArray(v) ? v : typeof v === 'string' ? v.split(',') : [];
  const set = new Set(raw.map((s) => String(s).trim()));
  const list = ROI_FLAGS.filter((f) => set.has(f));
  return list.length > 0 ? list : undefined;
}

/** URL search (strings, or values already typed) → state. Never throws. */
export function parseRoiSearch(raw: Record<string, unknown>): RoiSearch {
  const out: RoiSearch = {};
  const roiMin = num(raw['roi_min']);
  let roiMax = num(raw['roi_max']);
  // a reversed range is a typo, not a wish for nothing: drop the upper bound
  if (roiMin !== undefined && roiMax !== undefined && roiMin > roiMax) roiMax = undefined;
  if (roiMin !== undefined) out.roi_min = roiMin;
  if (roiMax !== undefined) out.roi_max = roiMax;
  const marginMin = num(raw['margin_min']);
  let marginMax = num(raw['margin_max']);
  if (marginMin !== undefined && marginMax !== undefined && marginMin > marginMax) marginMax = undefined;
  if (marginMin !== undefined) out.margin_min = marginMin;
  if (marginMax !== undefined) out.margin_max = marginMax;

  const vendor = text(raw['vendor'], TEXT_MAX);
  if (vendor) out.vendor = vendor;
  const category = text(raw['category'], TEXT_MAX);
  if (category) out.category = category;
  const search = text(raw['search'], SEARCH_MAX);
  if (search) out.search = search;
  const flags = flagList(raw['flags']);
  if (flags) out.flags = flags;
  const status = oneOf(DECISION_FILTERS, raw['status']);
  if (status) out.status = status;
  const bestOnly = bool(raw['best_only']);
  if (bestOnly !== undefined && bestOnly !== ROI_DEFAULTS.best_only) out.best_only = bestOnly;

  const sort = oneOf(ROI_SORTS, raw['sort']) ?? ROI_DEFAULTS.sort;
  if (sort !== ROI_DEFAULTS.sort) out.sort = sort;
  const order = oneOf(ORDERS, raw['order']);
  if (order && order !== defaultOrder(sort)) out.order = order;
  const page = int(raw['page'], 1, PAGE_MAX);
  if (page !== undefined && page !== ROI_DEFAULTS.page) out.page = page;
  const pageSize = int(raw['page_size'], 1, 200);
  if (pageSize !== undefined && pageSize !== ROI_DEFAULTS.page_size) out.page_size = pageSize;
  return out;
}

/** State → URL search params (strings; defaults and empty values left out). */
export function roiSearchToParams(s: RoiSearch): Record<string, string> {
  const clean = parseRoiSearch(s as Record<string, unknown>);
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(clean)) {
    if (value === undefined) continue;
    out[key] = Array.isArray(value) ? value.join(',') : String(value);
  }
  return out;
}

/** Applies a change from a control; any filter or sort change goes back to page 1. */
export function updateRoiSearch(
  prev: RoiSearch,
  patch: Partial<Record<keyof RoiSearch, unknown>>,
): RoiSearch {
  const pageOnly = Object.keys(patch).every((k) => k === 'page' || k === 'page_size');
  const next: Record<string, unknown> = { ...prev, ...patch };
  if (!pageOnly) delete next['page'];
  if ('page_size' in patch) delete next['page'];
  return parseRoiSearch(next);
}

export interface ResolvedRoiSearch extends RoiSearch {
  best_only: boolean;
  sort: RoiSort;
  order: Order;
  page: number;
  page_size: number;
}

export function resolveRoiSearch(s: RoiSearch): ResolvedRoiSearch {
  const sort = s.sort ?? ROI_DEFAULTS.sort;
  return {
    ...s,
    best_only: s.best_only ?? ROI_DEFAULTS.best_only,
    sort,
    order: s.order ?? defaultOrder(sort),
    page: s.page ?? ROI_DEFAULTS.page,
    page_size: s.page_size ?? ROI_DEFAULTS.page_size,
  };
}

export type RoiFilterParams = Pick<
  RoiSearch,
  'roi_min' | 'roi_max' | 'margin_min' | 'margin_max' | 'vendor' | 'category' | 'search' | 'status'
> & { flags?: string; best_only: boolean };

/** The filter alone (no sort or page), as GET /api/v1/roi's params: also the bulk approve's `filter`. */
export function roiFilterParams(s: RoiSearch): RoiFilterParams {
  const r = resolveRoiSearch(parseRoiSearch(s as Record<string, unknown>));
  const out: RoiFilterParams = { best_only: r.best_only };
  for (const key of ['roi_min', 'roi_max', 'margin_min', 'margin_max'] as const) {
    if (r[key] !== undefined) out[key] = r[key];
  }
  for (const key of ['vendor', 'category', 'search', 'status'] as const) {
    if (r[key] !== undefined) (out as Record<string, unknown>)[key] = r[key];
  }
  if (r.flags?.length) out.flags = r.flags.join(',');
  return out;
}

/** GET /api/v1/roi's full query: the filter plus sort, order and page. */
export function roiApiQuery(
  s: RoiSearch,
): RoiFilterParams & Pick<ResolvedRoiSearch, 'sort' | 'order' | 'page' | 'page_size'> {
  const r = resolveRoiSearch(s);
  return { ...roiFilterParams(s), sort: r.sort, order: r.order, page: r.page, page_size: r.page_size };
}

/** True when any filter (not sort or page) is set: the page offers "clear filters". */
export function hasFilters(s: RoiSearch): boolean {
  const f = roiFilterParams(s);
  return Object.keys(f).length > 1 || f.best_only !== ROI_DEFAULTS.best_only;
}
