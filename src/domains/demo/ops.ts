import type { JobDeps } from '../../platform/jobs/index.ts';
import { putRules } from '../repricer/rules.service.ts';
import type { RawRule } from '../repricer/rules.ts';
import { createPo } from '../restock/purchase-orders.service.ts';
import { VENDORS } from './catalog.data.ts';
import { type DemoCatalog, type DemoListing, type DemoProduct, offerRoi } from './catalog.gen.ts';
import * as repo from './demo.repo.ts';
import { stockOf } from './reports.gen.ts';
import { addDays, cents, dayStart, isoDay } from './units.ts';

/**
 * What a seller sets up by hand: repricer rules (a brand's minimum advertised price, bounds on a few
 * SKUs, one price held, one matching the buy box) and an open purchase order for two SKUs running
 * low, so the repricer's dry run shows its guards and the restock plan counts stock on order. Both
 * go through the repricer's and restock's own services; the rules are upserted (a second load
 * changes nothing) and the order is created once, under a fixed reference.
 */

export const DEMO_PO_REFERENCE = 'DEMO-PO-1';
export const DEMO_ACTOR = 'demo';

/** A shop price near `c` cents, ending in 9. */
const shop = (c: number) => Math.max(99, Math.round(c / 10) * 10 - 1);

export interface DemoRules {
  /** The brand whose listings carry its minimum advertised price. */
  mapBrand: string;
  rules: RawRule[];
}

/** The rules, a pure function of the catalogue (SKU order, so they are the same on every run). */
export function demoRules(catalog: DemoCatalog): DemoRules {
  const products = new Map(catalog.products.map((p) => [p.asin, p]));
  const afn = catalog.listings.filter((l) => l.channel === 'AFN').sort((a, b) => a.sku.localeCompare(b.sku));
  const brandOf = (l: DemoListing) => products.get(l.asin)!.brand;
  const perBrand = new Map<string, number>();
  for (const l of afn) perBrand.set(brandOf(l), (perBrand.get(brandOf(l)) ?? 0) + 1);
  // a smaller brand that polices its price: the one with the fewest listings, of those with five or more
  const ranked = [...perBrand].sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]));
  const mapBrand = (ranked.find(([, n]) => n >= 5) ?? ranked[ranked.length - 1]!)[0];
  const rules: RawRule[] = [];
  const typical = (l: DemoListing) => products.get(l.asin)!.priceCents;
  // the brand has just raised its minimum advertised price 5 % above where the market sells: other
  // sellers undercut it, the repricer keeps us at MAP (the `map` guard)
  for (const l of afn.filter((x) => brandOf(x) === mapBrand)) {
    rules.push({ sku: l.sku, map_price: cents(shop(typical(l) * 1.05)), strategy: 'beat_buybox' });
  }
  const rest = afn.filter((l) => brandOf(l) !== mapBrand);
  // overstocked SKUs being cleared: a cap below the usual buy box (so the ceiling holds the price
  // down) and a floor well under it
  for (const l of rest.filter((x) => x.profile === 'overstock').slice(0, 3)) {
    rules.push({
      sku: l.sku,
      min_price: cents(shop(typical(l) * 0.8)),
      max_price: cents(shop(typical(l) * 0.92)),
      strategy: 'beat_buybox',
    });
  }
  // the most profitable healthy listings first: a held price then stays above its ROI floor on any
  // day's prices, so the hold shows instead of being raised to the floor
  const bestRoi = new Map<string, number>();
  for (const o of catalog.offers) {
    const roi = offerRoi(products.get(o.asin)!, o);
    bestRoi.set(o.asin, Math.max(roi, bestRoi.get(o.asin) ?? -Infinity));
  }
  const roiOf = (l: DemoListing) => bestRoi.get(l.asin) ?? -Infinity;
  const healthy = rest
    .filter((x) => x.profile === 'healthy')
    .sort((a, b) => roiOf(b) - roiOf(a) || a.sku.localeCompare(b.sku));
  // a price agreed with the brand, left alone; and a listing that follows the buy box exactly
  if (healthy[0]) rules.push({ sku: healthy[0].sku, strategy: 'hold' });
  if (healthy[1]) rules.push({ sku: healthy[1].sku, strategy: 'match_buybox' });
  return { mapBrand, rules };
}

export interface DemoPo {
  vendor: string;
  expectedInDays: number;
  lines: Array<{ sku: string; asin: string; qty: number; unit_cost: string }>;
}

/**
 * The order: the two fastest-selling SKUs of one euro vendor that are low or out of stock with
 * nothing inbound (the ones the restock plan orders first), for about 30 days of sales each, in
 * whole cases. The plan then shows them on order and asks only for the rest.
 */
export function demoPurchaseOrder(catalog: DemoCatalog): DemoPo | null {
  const products = new Map<string, DemoProduct>(catalog.products.map((p) => [p.asin, p]));
  const euro = new Set(VENDORS.filter((v) => v.currency === 'EUR').map((v) => v.key));
  const short = catalog.listings
    .filter((l) => l.channel === 'AFN' && (l.profile === 'low' || l.profile === 'out'))
    .filter((l) => {
      const s = stockOf(l);
      return s.inboundShipped + s.inboundWorking === 0 && euro.has(products.get(l.asin)!.vendor);
    })
    .sort((a, b) => b.velocity - a.velocity || a.sku.localeCompare(b.sku));
  const first = short[0];
  if (!first) return null;
  const vendorKey = products.get(first.asin)!.vendor;
  const vendor = VENDORS.find((v) => v.key === vendorKey)!;
  const lines = short
    .filter((l) => products.get(l.asin)!.vendor === vendorKey)
    .slice(0, 2)
    .map((l) => {
      const offer = catalog.offers.find((o) => o.asin === l.asin && o.vendor === vendorKey)!;
      const pack = Math.max(1, offer.packSize);
      const qty = Math.max(offer.moq, Math.ceil((l.velocity * 30) / pack) * pack);
      return { sku: l.sku, asin: l.asin, qty, unit_cost: cents(offer.costCents) };
    });
  return { vendor: vendor.name, expectedInDays: vendor.leadTimeDays, lines };
}

export interface OpsResult {
  rules: { inserted: number; updated: number; unchanged: number };
  purchase_orders: number;
}

export async function loadOps(deps: JobDeps, catalog: DemoCatalog, marketplace: string): Promise<OpsResult> {
  const { rules } = demoRules(catalog);
  const saved = await putRules(deps.db, { rules, by: DEMO_ACTOR, marketplace });
  let created = 0;
  const po = demoPurchaseOrder(catalog);
  // once: a user may have received or cancelled it since, which a second load must not undo
  if (po && !(await repo.purchaseOrderExists(deps.db.pool, DEMO_PO_REFERENCE))) {
    const vendorId = await repo.vendorId(deps.db.pool, po.vendor);
    const today = dayStart(deps.clock.now());
    await createPo(
      deps,
      {
        vendor_id: vendorId,
        marketplace,
        reference: DEMO_PO_REFERENCE,
        expected_at: isoDay(addDays(today, po.expectedInDays)),
        note: 'Demo order: two SKUs running low, about 30 days of sales each',
        lines: po.lines,
      },
      DEMO_ACTOR,
      marketplace,
    );
    created = 1;
  }
  return {
    rules: { inserted: saved.inserted, updated: saved.updated, unchanged: saved.unchanged },
    purchase_orders: created,
  };
}
