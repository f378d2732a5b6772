/**
 * `vendor`: the chosen vendor's id (its history and prices below); `job`: the import being watched,
 * so a reload resumes watching; `q` / `page`: the prices table's search and page.
 */
export interface PriceListsSearch {
  vendor?: number;
  job?: string;
  q?: string;
  page?: number;
}

function positiveInt(v: unknown): number | undefined {
  const n = Number(v);
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

export function parsePriceListsSearch(s: Record<string, unknown>): PriceListsSearch {
  const out: PriceListsSearch = {};
  const vendor = positiveInt(s['vendor']);
  if (vendor) out.vendor = vendor;
  const job = typeof s['job'] === 'string' ? s['job'].trim() : '';
  if (/^[\w-]{1,64}$/.test(job)) out.job = job;
  const q =
    typeof s['q'] === 'string'
      ? s['q'].trim().slice(0, 64)
      : typeof s['q'] === 'number'
        ? String(s['q'])
        : '';
  if (q) out.q = q;
  const page = positiveInt(s['page']);
  if (page && page > 1) out.page = page;
  return out;
}
