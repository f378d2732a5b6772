/**
 * The restock page's state ↔ the URL: the plan shown, its filters, sort and page, the line whose
 * inputs are open and the recompute job being watched (a reload resumes watching). Defaults are left
 * out of the URL; a bad value is dropped, never an error page.
 */

export const LINE_SORTS = [
  'days_to_stockout',
  'qty',
  'line_cost',
  'sku',
  'vendor',
  'demand',
  'days_of_cover',
] as const;
export type LineSort = (typeof LINE_SORTS)[number];
export const LINE_FLAGS = ['stockout', 'below_rop', 'ok', 'no_demand'] as const;
export type LineFlag = (typeof LINE_FLAGS)[number];
export type Order = 'asc' | 'desc';

export interface RestockSearch {
  plan?: number;
  order_only?: boolean;
  flag?: LineFlag;
  vendor?: number;
  sort?: LineSort;
  order?: Order;
  page?: number;
  page_size?: number;
  /** The SKU whose inputs are open beside the table. */
  line?: string;
  /** The recompute job being watched. */
  job?: string;
}

export const RESTOCK_DEFAULTS = { sort: 'days_to_stockout', page: 1, page_size: 50 } as const;

/** As the API orders by default: quantities, costs and velocity biggest first, the rest ascending. */
export function defaultLineOrder(sort: LineSort): Order {
  return sort === 'qty' || sort === 'line_cost' || sort === 'demand' ? 'desc' : 'asc';
}

function posInt(v: unknown, max = 2 ** 53 - 1): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
  return Number.isSafeInteger(n) && n >= 1 && n <= max ? n : undefined;
}

function oneOf<T extends string>(values: readonly T[], v: unknown): T | undefined {
  return typeof v === 'string' && (values as readonly string[]).includes(v) ? (v as T) : undefined;
}

export function parseRestockSearch(raw: Record<string, unknown>): RestockSearch {
  const out: RestockSearch = {};
  const plan = posInt(raw['plan']);
  if (plan) out.plan = plan;
  if (raw['order_only'] === true || raw['order_only'] === 'true' || raw['order_only'] === '1') {
    out.order_only = true;
  }
  const flag = oneOf(LINE_FLAGS, raw['flag']);
  if (flag) out.flag = flag;
  const vendor = posInt(raw['vendor']);
  if (vendor) out.vendor = vendor;
  const sort = oneOf(LINE_SORTS, raw['sort']) ?? RESTOCK_DEFAULTS.sort;
  if (sort !== RESTOCK_DEFAULTS.sort) out.sort = sort;
  const order = oneOf(['asc', 'desc'] as const, raw['order']);
  if (order && order !== defaultLineOrder(sort)) out.order = order;
  const page = posInt(raw['page'], 1_000_000);
  if (page && page !== RESTOCK_DEFAULTS.page) out.page = page;
  const size = posInt(raw['page_size'], 200);
  if (size && size !== RESTOCK_DEFAULTS.page_size) out.page_size = size;
  const line = typeof raw['line'] === 'string' ? raw['line'].trim() : '';
  if (line && line.length <= 100) out.line = line;
  const job = typeof raw['job'] === 'string' ? raw['job'].trim() : '';
  if (/^[\w-]{1,64}$/.test(job)) out.job = job;
  return out;
}

/** A change from a control: any filter, sort or plan change goes back to page 1. */
export function updateRestockSearch(
  prev: RestockSearch,
  patch: Partial<Record<keyof RestockSearch, unknown>>,
): RestockSearch {
  const keepPage = Object.keys(patch).every((k) => k === 'page' || k === 'line' || k === 'job');
  const next: Record<string, unknown> = { ...prev, ...patch };
  if (!keepPage) delete next['page'];
  if ('plan' in patch) delete next['line'];
  return parseRestockSearch(next);
}

export function resolveRestockSearch(s: RestockSearch) {
  const sort = s.sort ?? RESTOCK_DEFAULTS.sort;
  return {
    sort,
    order: s.order ?? defaultLineOrder(sort),
    page: s.page ?? RESTOCK_DEFAULTS.page,
    page_size: s.page_size ?? RESTOCK_DEFAULTS.page_size,
  };
}

/** GET /restock/plans/{id}'s query for this state. */
export function planLinesQuery(s: RestockSearch) {
  const r = resolveRestockSearch(s);
  return {
    order_only: s.order_only ?? false,
    ...(s.flag ? { flag: s.flag } : {}),
    ...(s.vendor ? { vendor_id: s.vendor } : {}),
    sort: r.sort,
    order: r.order,
    page: r.page,
    page_size: r.page_size,
  };
}

/** A typed quantity: a whole number of units ≥ 1, or why not (shown beside the field). */
export function parseQty(text: string): { qty: number } | { error: string } | null {
  const t = text.trim();
  if (t === '') return null;
  if (!/^\d+$/.test(t)) return { error: 'whole units only' };
  const n = Number(t);
  if (n < 1) return { error: 'at least 1 unit' };
  if (n > 10_000_000) return { error: 'at most 10,000,000' };
  return { qty: n };
}
