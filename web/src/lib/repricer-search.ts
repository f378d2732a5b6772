/**
 * The repricer page's URL: `tab` picks the view (rules | simulate | log); each view keeps its own
 * filters, sort and page next to it, so a view can be shared and the back button works.
 */

export const TABS = ['rules', 'simulate', 'log'] as const;
export type RepricerTab = (typeof TABS)[number];

export const GUARDS = [
  'floor',
  'ceiling',
  'map',
  'max_step',
  'winning',
  'price_war',
  'stock_low',
  'overstock',
  'no_buybox',
  'breaker',
] as const;
export type Guard = (typeof GUARDS)[number];

/** Guards in the seller's words (AWA's own word "guard": a rule that stopped or shaped a price). */
export const GUARD_WORDS: Record<Guard, string> = {
  floor: 'raised to floor',
  ceiling: 'capped at ceiling',
  map: 'MAP',
  max_step: 'step limit',
  winning: 'holding the buy box',
  price_war: 'price war',
  stock_low: 'low stock',
  overstock: 'overstock',
  no_buybox: 'no buy box',
  breaker: 'circuit breaker',
};

export const LOG_SORTS = ['time', 'sku', 'change'] as const;
export type LogSort = (typeof LOG_SORTS)[number];
export const PAGE_SIZES = [25, 50, 100, 200] as const;

export interface RepricerSearch {
  tab?: RepricerTab;
  /** rules and simulate: SKU prefix; log: exact SKU. */
  sku?: string;
  page?: number;
  page_size?: number;
  run?: string;
  guard?: Guard;
  changed?: boolean;
  sort?: LogSort;
  order?: 'asc' | 'desc';
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function positiveInt(v: unknown): number | undefined {
  const n = Number(v);
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

const oneOf = <T extends string>(values: readonly T[], v: unknown): T | undefined =>
  typeof v === 'string' && (values as readonly string[]).includes(v) ? (v as T) : undefined;

/** Whatever the URL holds → a valid state; anything unreadable is dropped, never an error. */
export function parseRepricerSearch(raw: Record<string, unknown>): RepricerSearch {
  const out: RepricerSearch = {};
  const tab = oneOf(TABS, raw['tab']);
  if (tab && tab !== 'rules') out.tab = tab;
  const sku =
    typeof raw['sku'] === 'string' || typeof raw['sku'] === 'number' ? String(raw['sku']).trim() : '';
  if (sku) out.sku = sku.slice(0, 200);
  const page = positiveInt(raw['page']);
  if (page && page > 1) out.page = page;
  const size = positiveInt(raw['page_size']);
  if (size && (PAGE_SIZES as readonly number[]).includes(size) && size !== 50) out.page_size = size;
  if (out.tab === 'log') {
    if (typeof raw['run'] === 'string' && UUID.test(raw['run'])) out.run = raw['run'].toLowerCase();
    const guard = oneOf(GUARDS, raw['guard']);
    if (guard) out.guard = guard;
    const changed = raw['changed'];
    if (changed === 'true' || changed === true) out.changed = true;
    else if (changed === 'false' || changed === false) out.changed = false;
    const sort = oneOf(LOG_SORTS, raw['sort']);
    if (sort && sort !== 'time') out.sort = sort;
    const order = oneOf(['asc', 'desc'] as const, raw['order']);
    if (order && order !== defaultOrder(out.sort ?? 'time')) out.order = order;
  }
  return out;
}

export function defaultOrder(sort: LogSort): 'asc' | 'desc' {
  return sort === 'time' ? 'desc' : 'asc';
}

/** A change to the state: a new filter or sort goes back to page 1; a new tab starts clean. */
export function updateRepricerSearch(
  prev: RepricerSearch,
  patch: Partial<Record<keyof RepricerSearch, unknown>>,
): RepricerSearch {
  if ('tab' in patch && patch['tab'] !== (prev.tab ?? 'rules'))
    return parseRepricerSearch({ tab: patch['tab'] });
  const next: Record<string, unknown> = { ...prev, ...patch };
  if (!('page' in patch)) delete next['page'];
  return parseRepricerSearch(next);
}

export function resolvedOrder(s: RepricerSearch): { sort: LogSort; order: 'asc' | 'desc' } {
  const sort = s.sort ?? 'time';
  return { sort, order: s.order ?? defaultOrder(sort) };
}

/** GET /repricer/log's query for this state (and, without page, log.csv's). */
export function logApiQuery(s: RepricerSearch) {
  const { sort, order } = resolvedOrder(s);
  return {
    run_id: s.run,
    sku: s.sku,
    guard: s.guard,
    changed: s.changed,
    sort,
    order,
    page: s.page ?? 1,
    page_size: s.page_size ?? 50,
  };
}

export function logCsvHref(s: RepricerSearch): string {
  const { page: _p, page_size: _s, ...q } = logApiQuery(s);
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== '') params.set(k, String(v));
  return `/api/v1/repricer/log.csv?${params.toString()}`;
}

export function hasLogFilters(s: RepricerSearch): boolean {
  return Boolean(s.run || s.sku || s.guard || s.changed !== undefined);
}
