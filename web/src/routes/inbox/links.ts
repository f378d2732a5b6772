/**
 * Where a task points: its `links` (asin, vendor_id, price_list_id, plan_id, run_id, agent) and its
 * `open` actions' params (`page` and what it needs) as app addresses.
 */
import { skuHref } from '../../lib/links.ts';

export interface AppLink {
  label: string;
  href: string;
}

type Params = Record<string, unknown>;

const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
const id = (v: unknown) => {
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : Number.NaN;
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
};
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const vendorHref = (vendorId: number) => `/vendors?vendor=${vendorId}`;

/** An `open` action's page → its address (undefined: a page the app does not know). */
export function openActionHref(params: Params): string | undefined {
  const page = str(params['page']);
  const asin = str(params['asin']);
  const vendor = id(params['vendor_id']);
  if (page === 'sku' && asin) return skuHref(asin);
  if (page === 'restock')
    return id(params['plan_id']) ? `/restock?plan=${id(params['plan_id'])}` : '/restock';
  if (page === 'agents')
    return str(params['agent']) ? `/agents?agent=${encodeURIComponent(str(params['agent'])!)}` : '/agents';
  if (page === 'vendor' && vendor) return `/price-lists?vendor=${vendor}`;
  if (page === 'reports') return '/reports';
  return undefined;
}

/** The task's links in reading order; `vendorName` names the vendor link when known. */
export function taskLinks(links: Params, vendorName?: string): AppLink[] {
  const out: AppLink[] = [];
  const asin = str(links['asin']);
  const vendor = id(links['vendor_id']);
  const run = str(links['run_id']);
  if (asin) out.push({ label: `SKU page of ${asin}`, href: skuHref(asin) });
  if (vendor) out.push({ label: `Vendor: ${vendorName ?? `#${vendor}`}`, href: vendorHref(vendor) });
  if (vendor && id(links['price_list_id']))
    out.push({ label: 'Price lists of the vendor', href: `/price-lists?vendor=${vendor}` });
  if (id(links['plan_id']))
    out.push({ label: 'Restock plan', href: `/restock?plan=${id(links['plan_id'])}` });
  if (run && UUID.test(run))
    out.push({ label: 'Repricer run', href: `/repricer?tab=log&run=${run.toLowerCase()}` });
  const agent = str(links['agent']);
  if (agent)
    out.push({ label: `Agent runs of ${agent}`, href: `/agents?agent=${encodeURIComponent(agent)}` });
  return out;
}
