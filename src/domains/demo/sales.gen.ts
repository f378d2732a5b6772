import type { DemoCatalog, DemoListing, DemoProduct } from './catalog.gen.ts';
import { HISTORY_DAYS } from './market.gen.ts';
import { hashSeed, rngFor } from './rng.ts';
import { addDays, DAY_MS, dayStart, isoDay } from './units.ts';

/**
 * The seller's last 90 days at Amazon's warehouses: units shipped per SKU and day (weekly rhythm,
 * a slow seasonal swing, Poisson noise), stock-out stretches with the receipt that ended them, and
 * the customer returns that followed some sales. Each day is a pure function of (SKU, date), except
 * for one SKU's faulty batch, placed relative to the load's day like the price wars: its returns
 * must spike in the last 30 days whenever the demo is loaded (returns_spike).
 */

export interface SalesDay {
  sku: string;
  day: Date;
  units: number;
}

export interface Receipt {
  sku: string;
  day: Date;
  units: number;
  shipmentId: string;
}

export interface ReturnEvent {
  sku: string;
  asin: string;
  orderId: string;
  at: Date;
  lpn: string;
  disposition: 'SELLABLE' | 'CUSTOMER_DAMAGED' | 'DEFECTIVE' | 'CARRIER_DAMAGED';
  reason: string;
}

export interface SalesHistory {
  days: SalesDay[];
  receipts: Receipt[];
  returns: ReturnEvent[];
  /** SKU → consecutive days without stock at the end of the window (profile `out`). */
  outFor: Map<string, number>;
}

// Sunday first (getUTCDay): German shoppers buy most on Sunday evening and Monday
const WEEKDAY = [1.15, 1.2, 1.0, 0.95, 0.95, 0.9, 0.85];

const REASONS: Record<ReturnEvent['disposition'], readonly string[]> = {
  SELLABLE: ['UNWANTED_ITEM', 'NO_REASON_GIVEN', 'ORDERED_WRONG_ITEM', 'FOUND_BETTER_PRICE'],
  CUSTOMER_DAMAGED: ['UNWANTED_ITEM', 'NOT_COMPATIBLE'],
  DEFECTIVE: ['DEFECTIVE', 'QUALITY_UNACCEPTABLE', 'NOT_AS_DESCRIBED'],
  CARRIER_DAMAGED: ['DAMAGED_BY_CARRIER', 'DAMAGED_BY_FC'],
};

/** Whether a SKU had no stock on a day: its stretch in a 75-day cycle, or the current outage. */
function outOfStock(l: DemoListing, day: Date, today: Date, outFor: number): boolean {
  const daysAgo = Math.round((today.getTime() - day.getTime()) / DAY_MS);
  if (daysAgo <= outFor) return true;
  const h = hashSeed(`stockout|${l.sku}`);
  if (h % 100 >= 14) return false; // most SKUs never ran dry in the window
  const n = day.getTime() / DAY_MS;
  return (n + (h % 75)) % 75 < 5 + (h % 5);
}

/** Days before the load the faulty batch went on sale, and the share of its units sent back. */
export const FAULTY_BATCH_DAYS = 35;
const FAULTY_RETURN_RATE = 0.12;

/**
 * The SKU with the faulty batch: a steady seller (enough units for the rule's minimums) that is
 * otherwise rarely returned, so the spike stands out against its own past. The same on every load.
 */
export function faultySku(catalog: DemoCatalog): string {
  const products = new Map<string, DemoProduct>(catalog.products.map((p) => [p.asin, p]));
  const steady = catalog.listings.filter(
    (l) =>
      l.channel === 'AFN' &&
      l.profile === 'healthy' &&
      l.velocity >= 2 &&
      l.velocity <= 6 &&
      hashSeed(`sku|${l.sku}`) % 11 !== 0 &&
      products.get(l.asin)!.category.returnRate <= 0.03,
  );
  const key = (sku: string) => hashSeed(`faulty|${sku}`);
  return steady.map((l) => l.sku).sort((a, b) => key(a) - key(b) || a.localeCompare(b))[0]!;
}

/** What came back (`v` uniform in [0, 1)): mostly resaleable, the faulty batch mostly broken. */
function dispositionOf(v: number, faulty: boolean): ReturnEvent['disposition'] {
  if (faulty) return v < 0.7 ? 'DEFECTIVE' : v < 0.9 ? 'SELLABLE' : 'CUSTOMER_DAMAGED';
  return v < 0.55 ? 'SELLABLE' : v < 0.75 ? 'CUSTOMER_DAMAGED' : v < 0.95 ? 'DEFECTIVE' : 'CARRIER_DAMAGED';
}

export function orderId(seed: string): string {
  const r = rngFor('order', seed);
  return `302-${r.chars(7, '0123456789')}-${r.chars(7, '0123456789')}`;
}

export function salesHistory(catalog: DemoCatalog, now: Date): SalesHistory {
  const today = dayStart(now);
  const products = new Map<string, DemoProduct>(catalog.products.map((p) => [p.asin, p]));
  const out: SalesHistory = { days: [], receipts: [], returns: [], outFor: new Map() };
  const faulty = faultySku(catalog);
  for (const l of catalog.listings) {
    if (l.channel !== 'AFN') continue;
    const p = products.get(l.asin)!;
    const h = hashSeed(`sku|${l.sku}`);
    const outFor = l.profile === 'out' ? 3 + (h % 8) : 0;
    if (outFor > 0) out.outFor.set(l.sku, outFor);
    const phase = (h % 628) / 100;
    // some SKUs are returned far more often than their category: the ones to investigate
    const returnRate = p.category.returnRate * (h % 11 === 0 ? 4 : 0.5 + (h % 20) / 10);
    let wasOut = false;
    for (let d = HISTORY_DAYS; d >= 1; d--) {
      const day = addDays(today, -d);
      const n = day.getTime() / DAY_MS;
      const iso = isoDay(day);
      if (outOfStock(l, day, today, outFor)) {
        wasOut = true;
        continue;
      }
      const r = rngFor('sales', l.sku, iso);
      if (wasOut || (n + (h % 30)) % 30 === 0) {
        // stock arrives: after an outage, and about monthly otherwise
        out.receipts.push({
          sku: l.sku,
          day,
          units: Math.max(6, Math.round(l.velocity * (wasOut ? 40 : 30))),
          shipmentId: `FBA15${r.chars(7)}`,
        });
        wasOut = false;
      }
      const season = 1 + 0.15 * Math.sin((2 * Math.PI * n) / 60 + phase);
      const units = r.poisson(l.velocity * WEEKDAY[day.getUTCDay()]! * season);
      if (units === 0) continue;
      out.days.push({ sku: l.sku, day, units });
      const batch = l.sku === faulty && d <= FAULTY_BATCH_DAYS;
      for (let u = 0; u < units; u++) {
        if (!r.chance(batch ? FAULTY_RETURN_RATE : returnRate)) continue;
        const at = new Date(day.getTime() + r.int(3, 14) * DAY_MS + r.int(6, 20) * 3_600_000);
        const v = r.next();
        const disposition = dispositionOf(v, batch);
        const ret: ReturnEvent = {
          sku: l.sku,
          asin: l.asin,
          orderId: orderId(`${l.sku}|${iso}|${u}`),
          at,
          lpn: `LPN${r.chars(10)}`,
          disposition,
          reason: r.pick(REASONS[disposition]),
        };
        // a return that has not happened yet by now belongs to a later run
        if (at.getTime() <= now.getTime()) out.returns.push(ret);
      }
    }
  }
  return out;
}
