/**
 * The reports page's URL: `job` the ingest being watched (a reload resumes it), and the history's
 * `type`, `status`, `page` and `page_size`. Unknown or malformed values are dropped, not guessed.
 */
export const LOAD_STATUSES = ['success', 'failed', 'pending', 'skipped'] as const;
export type LoadStatus = (typeof LOAD_STATUSES)[number];
export const PAGE_SIZES = [25, 50, 100, 200] as const;

export interface ReportsSearch {
  job?: string;
  type?: string;
  status?: LoadStatus;
  page?: number;
  page_size?: number;
}

export function positiveInt(v: unknown): number | undefined {
  const n = Number(v);
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

export function jobId(v: unknown): string | undefined {
  const s = typeof v === 'string' ? v.trim() : '';
  return /^[\w-]{1,64}$/.test(s) ? s : undefined;
}

export function pageSize(v: unknown): number | undefined {
  const n = positiveInt(v);
  return n && (PAGE_SIZES as readonly number[]).includes(n) && n !== 50 ? n : undefined;
}

export function parseReportsSearch(s: Record<string, unknown>): ReportsSearch {
  const out: ReportsSearch = {};
  const job = jobId(s.job);
  if (job) out.job = job;
  const type = typeof s.type === 'string' ? s.type.trim() : '';
  if (/^[a-z_]{1,40}$/.test(type)) out.type = type;
  if ((LOAD_STATUSES as readonly unknown[]).includes(s.status)) out.status = s.status as LoadStatus;
  const page = positiveInt(s.page);
  if (page && page > 1) out.page = page;
  const size = pageSize(s.page_size);
  if (size) out.page_size = size;
  return out;
}

/** GET /reports/loads's query for the history as the URL describes it. */
export function loadsQuery(s: ReportsSearch) {
  return { type: s.type, status: s.status, page: s.page ?? 1, page_size: s.page_size ?? 50 };
}

/** The history's CSV: the same filters, every page. */
export function loadsCsvHref(s: ReportsSearch): string {
  const p = new URLSearchParams();
  if (s.type) p.set('type', s.type);
  if (s.status) p.set('status', s.status);
  const q = p.toString();
  return `/api/v1/reports/loads.csv${q ? `?${q}` : ''}`;
}

/** Short names of the report types the ingest knows (its catalog's labels, shortened for a table). */
export const REPORT_TYPE_NAMES: Record<string, string> = {
  listings: 'All Listings',
  fba_inventory: 'Manage FBA Inventory',
  returns: 'Customer returns',
  reimbursements: 'Reimbursements',
  fee_preview: 'Fee Preview',
  inventory_ledger: 'Inventory Ledger',
  settlement: 'Settlement',
  ads_sp: 'Sponsored Products',
};

export const typeName = (t: string | null | undefined) => (t ? (REPORT_TYPE_NAMES[t] ?? t) : '—');
