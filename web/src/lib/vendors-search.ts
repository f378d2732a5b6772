/**
 * The Vendors page's state (filters, sort, page) ↔ the URL, like the ROI review's: defaults are left
 * out, a bad value is dropped (an old or hand-edited link still opens), never an error page.
 */
export const VENDOR_SORTS = [
  'name',
  'country',
  'currency',
  'lead_time',
  'moq',
  'offers',
  'last_import',
] as const;
export type VendorSort = (typeof VENDOR_SORTS)[number];
export type Order = 'asc' | 'desc';
export const STALE_FILTERS = ['stale', 'fresh'] as const;
export type StaleFilter = (typeof STALE_FILTERS)[number];

export interface VendorsSearch {
  search?: string;
  country?: string;
  currency?: string;
  stale?: StaleFilter;
  sort?: VendorSort;
  order?: Order;
  page?: number;
  page_size?: number;
  /** The vendor whose panel (settings, open tasks) is open beside the table. */
  vendor?: number;
}

export const VENDORS_DEFAULTS = { sort: 'name', page: 1, page_size: 50 } as const;

const TEXT_SORTS: readonly VendorSort[] = ['name', 'country', 'currency'];
/** Names and codes A→Z first, figures biggest (or newest) first. */
export const vendorDefaultOrder = (sort: VendorSort): Order => (TEXT_SORTS.includes(sort) ? 'asc' : 'desc');

function oneOf<T extends string>(values: readonly T[], v: unknown): T | undefined {
  return typeof v === 'string' && (values as readonly string[]).includes(v) ? (v as T) : undefined;
}
function int(v: unknown, min: number, max: number): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
  return Number.isInteger(n) && n >= min && n <= max ? n : undefined;
}
function code(v: unknown, len: number): string | undefined {
  if (typeof v !== 'string') return undefined;
  const s = v.trim().toUpperCase();
  return new RegExp(`^[A-Z]{${len}}$`).test(s) ? s : undefined;
}

export function parseVendorsSearch(raw: Record<string, unknown>): VendorsSearch {
  const out: VendorsSearch = {};
  const search = typeof raw['search'] === 'string' ? raw['search'].trim().slice(0, 64) : '';
  if (search) out.search = search;
  const country = code(raw['country'], 2);
  if (country) out.country = country;
  const currency = code(raw['currency'], 3);
  if (currency) out.currency = currency;
  const stale = oneOf(STALE_FILTERS, raw['stale']);
  if (stale) out.stale = stale;
  const sort = oneOf(VENDOR_SORTS, raw['sort']) ?? VENDORS_DEFAULTS.sort;
  if (sort !== VENDORS_DEFAULTS.sort) out.sort = sort;
  const order = oneOf(['asc', 'desc'] as const, raw['order']);
  if (order && order !== vendorDefaultOrder(sort)) out.order = order;
  const page = int(raw['page'], 1, 1_000_000);
  if (page !== undefined && page !== VENDORS_DEFAULTS.page) out.page = page;
  const size = int(raw['page_size'], 1, 200);
  if (size !== undefined && size !== VENDORS_DEFAULTS.page_size) out.page_size = size;
  const vendor = int(raw['vendor'], 1, 2 ** 53 - 1);
  if (vendor !== undefined) out.vendor = vendor;
  return out;
}

/** A control's change; anything but paging or the open panel goes back to page 1. */
export function updateVendorsSearch(
  prev: VendorsSearch,
  patch: Partial<Record<keyof VendorsSearch, unknown>>,
) {
  const next: Record<string, unknown> = { ...prev, ...patch };
  if (!Object.keys(patch).every((k) => k === 'page' || k === 'vendor')) delete next['page'];
  return parseVendorsSearch(next);
}

export function resolveVendorsSearch(s: VendorsSearch) {
  const sort = s.sort ?? VENDORS_DEFAULTS.sort;
  return {
    sort,
    order: s.order ?? vendorDefaultOrder(sort),
    page: s.page ?? VENDORS_DEFAULTS.page,
    page_size: s.page_size ?? VENDORS_DEFAULTS.page_size,
  };
}

/** GET /api/v1/vendors' filter (also the CSV's): the stale choice becomes the API's boolean. */
export function vendorsFilterParams(s: VendorsSearch) {
  const out: { search?: string; country?: string; currency?: string; stale?: boolean } = {};
  if (s.search) out.search = s.search;
  if (s.country) out.country = s.country;
  if (s.currency) out.currency = s.currency;
  if (s.stale) out.stale = s.stale === 'stale';
  return out;
}

export function vendorsApiQuery(s: VendorsSearch) {
  const r = resolveVendorsSearch(s);
  return { ...vendorsFilterParams(s), sort: r.sort, order: r.order, page: r.page, page_size: r.page_size };
}

export function vendorsCsvHref(s: VendorsSearch): string {
  const { page: _p, page_size: _s, ...q } = vendorsApiQuery(s);
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined) params.set(k, String(v));
  return `/api/v1/vendors.csv?${params.toString()}`;
}
