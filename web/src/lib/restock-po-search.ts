/**
 * The purchase-orders page's state ↔ the URL: status and vendor filters, the page, and the order
 * whose detail is open (`po`). Bad values are dropped.
 */
export const PO_STATUSES = ['open', 'received', 'cancelled'] as const;
export type PoStatus = (typeof PO_STATUSES)[number];

export interface PoSearch {
  status?: PoStatus;
  vendor?: number;
  page?: number;
  page_size?: number;
  po?: number;
}

function posInt(v: unknown, max = 2 ** 53 - 1): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
  return Number.isSafeInteger(n) && n >= 1 && n <= max ? n : undefined;
}

export function parsePoSearch(raw: Record<string, unknown>): PoSearch {
  const out: PoSearch = {};
  const status = raw['status'];
  if (typeof status === 'string' && (PO_STATUSES as readonly string[]).includes(status)) {
    out.status = status as PoStatus;
  }
  const vendor = posInt(raw['vendor']);
  if (vendor) out.vendor = vendor;
  const page = posInt(raw['page'], 1_000_000);
  if (page && page > 1) out.page = page;
  const size = posInt(raw['page_size'], 200);
  if (size && size !== 50) out.page_size = size;
  const po = posInt(raw['po']);
  if (po) out.po = po;
  return out;
}

/** A filter change goes back to page 1; opening an order or paging keeps the rest. */
export function updatePoSearch(prev: PoSearch, patch: Partial<Record<keyof PoSearch, unknown>>): PoSearch {
  const keepPage = Object.keys(patch).every((k) => k === 'page' || k === 'po');
  const next: Record<string, unknown> = { ...prev, ...patch };
  if (!keepPage) delete next['page'];
  return parsePoSearch(next);
}

/** GET /purchase-orders' query. */
export function poApiQuery(s: PoSearch) {
  return {
    ...(s.status ? { status: s.status } : {}),
    ...(s.vendor ? { vendor_id: s.vendor } : {}),
    page: s.page ?? 1,
    page_size: s.page_size ?? 50,
  };
}

/**
 * Typed "receive now" quantities → the receipt's lines, or the problems by SKU (a quantity must be
 * whole, ≥ 1 and at most what is outstanding). Empty fields are left out.
 */
export function receiptLines(
  typed: ReadonlyMap<string, string>,
  lines: readonly { sku: string; qty: number; received_qty: number }[],
): { lines: { sku: string; qty: number }[]; errors: Map<string, string> } {
  const out: { sku: string; qty: number }[] = [];
  const errors = new Map<string, string>();
  for (const l of lines) {
    const text = (typed.get(l.sku) ?? '').trim();
    if (text === '') continue;
    const outstanding = l.qty - l.received_qty;
    if (!/^\d+$/.test(text)) errors.set(l.sku, 'whole units only');
    else if (Number(text) < 1) errors.set(l.sku, 'at least 1 unit');
    else if (Number(text) > outstanding) errors.set(l.sku, `only ${outstanding} outstanding`);
    else out.push({ sku: l.sku, qty: Number(text) });
  }
  return { lines: out, errors };
}
