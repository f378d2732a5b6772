import type { FeeRow } from '../fees/fees.service.ts';
import type { RateRow } from '../logistics/validate.ts';
import { FULFILMENT_FEES, FX_BASE, LANES } from './catalog.data.ts';
import type { DemoCatalog, DemoProduct } from './catalog.gen.ts';
import { hashSeed, Rng, rngFor } from './rng.ts';
import { addDays, cents, DAY_MS, dayStart, isoDay } from './units.ts';

/**
 * Market data around the catalogue: 90 days of buy box and Keepa-style metrics, fees, freight lanes
 * and exchange rates. Daily points sit at midnight UTC and are a pure function of (ASIN, day), so a
 * run on a later day adds only the new days. Only the price wars are placed relative to the hour of
 * the run: "three drops in the last 24 hours" must hold whenever the demo is loaded.
 */

export const HISTORY_DAYS = 90;
const HOUR_MS = 3_600_000;

export interface BuyboxPoint {
  asin: string;
  at: Date;
  price: string;
}

export interface MetricPoint {
  asin: string;
  at: Date;
  salesRank: number;
  offersNew: number;
  offersFba: number;
  amazonOnListing: boolean;
  fbaPrice: string;
  rating: string;
  reviews: number;
}

/** Products kept incomplete on purpose, so the ROI view shows its flags and why. */
export interface Gaps {
  noBuybox: Set<string>;
  noWeight: Set<string>;
  noFees: Set<string>;
  priceWar: Set<string>;
}

export function gapsOf(catalog: DemoCatalog): Gaps {
  const listed = new Set(catalog.listings.map((l) => l.asin));
  const r = new Rng('awa-demo-gaps-v1');
  const unlisted = catalog.products.filter((p) => !listed.has(p.asin)).map((p) => p.asin);
  const take = (from: string[], n: number) => {
    const out = new Set<string>();
    while (out.size < n) out.add(r.pick(from));
    return out;
  };
  const noBuybox = take(unlisted, 4);
  const noWeight = take(
    unlisted.filter((a) => !noBuybox.has(a)),
    4,
  );
  const noFees = take(
    unlisted.filter((a) => !noBuybox.has(a) && !noWeight.has(a)),
    3,
  );
  // wars break out where many FBA sellers share a listing we sell on
  const crowded = catalog.products.filter((p) => listed.has(p.asin) && p.offersFba >= 6).map((p) => p.asin);
  return { noBuybox, noWeight, noFees, priceWar: take(crowded, Math.min(6, crowded.length)) };
}

/** A shop price near `value` cents, ending in 9 (12.49, 12.99). */
function nearPrice(value: number): number {
  return Math.max(99, Math.round(value / 10) * 10 - 1);
}

const WEEK_FACTORS = [1, 1, 1, 1, 0.97, 1.02, 0.94, 1.04];

/** The buy box of a product on a day: steady within a week, with promotions and raises. */
export function dailyBuybox(p: DemoProduct, day: Date): number {
  const week = Math.floor(day.getTime() / (7 * DAY_MS));
  return nearPrice(p.priceCents * rngFor('bb', p.asin, week).pick(WEEK_FACTORS));
}

export function buyboxPoints(catalog: DemoCatalog, gaps: Gaps, now: Date): BuyboxPoint[] {
  const today = dayStart(now);
  const hour = Math.floor(now.getTime() / HOUR_MS) * HOUR_MS;
  const out: BuyboxPoint[] = [];
  for (const p of catalog.products) {
    if (gaps.noBuybox.has(p.asin)) continue;
    const war = gaps.priceWar.has(p.asin);
    const warStart = hour - 20 * HOUR_MS;
    for (let d = HISTORY_DAYS - 1; d >= 0; d--) {
      const day = addDays(today, -d);
      if (war && day.getTime() >= warStart) continue;
      out.push({ asin: p.asin, at: day, price: cents(dailyBuybox(p, day)) });
    }
    if (!war) continue;
    // four undercuts in the last 20 hours: each seller in turn goes 3–5 % below the last
    const r = rngFor('war', p.asin, isoDay(today));
    let price = dailyBuybox(p, today);
    for (const h of [20, 14, 8, 2]) {
      price = nearPrice(price * (0.95 + r.next() * 0.02));
      out.push({ asin: p.asin, at: new Date(hour - h * HOUR_MS), price: cents(price) });
    }
  }
  return out;
}

export function metricPoints(catalog: DemoCatalog, gaps: Gaps, now: Date): MetricPoint[] {
  const today = dayStart(now);
  const out: MetricPoint[] = [];
  for (const p of catalog.products) {
    for (let d = HISTORY_DAYS - 1; d >= 0; d--) {
      const day = addDays(today, -d);
      const r = rngFor('metrics', p.asin, isoDay(day));
      const offersNew = Math.max(1, p.offersNew + r.int(-1, 1));
      out.push({
        asin: p.asin,
        at: day,
        salesRank: Math.max(1, Math.round(p.salesRank * Math.exp(0.25 * r.normal()))),
        offersNew,
        offersFba: Math.min(offersNew, Math.max(1, p.offersFba + r.int(-1, 1))),
        amazonOnListing: p.amazonOnListing,
        fbaPrice: cents(gaps.noBuybox.has(p.asin) ? p.priceCents : dailyBuybox(p, day)),
        rating: p.rating,
        reviews: p.reviews,
      });
    }
  }
  return out;
}

function feeRow(p: DemoProduct, marketplace: string, fulfilmentCents = p.fulfilmentCents): FeeRow {
  return {
    marketplace,
    asin: p.asin,
    referral: cents(p.referralCents),
    fulfilment: cents(fulfilmentCents),
    storage: cents(p.storageCents),
    other: null,
    currency: 'EUR',
    price_basis: cents(p.priceCents),
  };
}

/** Current fees per product at its typical price; referral fees scale with it (price_basis). */
export function feeRows(catalog: DemoCatalog, gaps: Gaps, marketplace: string): FeeRow[] {
  return catalog.products.filter((p) => !gaps.noFees.has(p.asin)).map((p) => feeRow(p, marketplace));
}

/** Days before the load Amazon last billed the re-measured products at their old size tier. */
export const FEES_BEFORE_DAYS_AGO = 10;
const REMEASURED = 3;

/**
 * The fees of a few listed products as observed ten days ago, before Amazon re-measured them into the
 * next size tier: a fulfilment fee one tier lower. Only products where that step raises the total
 * fees by 10 % or more (fee_change), typically light and cheap ones; the same three on every load.
 */
export function earlierFeeRows(catalog: DemoCatalog, gaps: Gaps, marketplace: string): FeeRow[] {
  const listed = new Set(catalog.listings.map((l) => l.asin));
  const out: Array<{ key: number; row: FeeRow }> = [];
  for (const p of catalog.products) {
    if (!listed.has(p.asin) || gaps.noFees.has(p.asin) || gaps.priceWar.has(p.asin)) continue;
    const tier = FULFILMENT_FEES.findIndex(([max]) => p.weightKg <= max);
    if (tier < 1) continue; // the lightest tier has none below it; over 10 kg is priced by weight
    const before = FULFILMENT_FEES[tier - 1]![1];
    const total = p.referralCents + p.fulfilmentCents + p.storageCents;
    const step = p.fulfilmentCents - before;
    if (step / (total - step) < 0.105) continue;
    out.push({ key: hashSeed(`remeasured|${p.asin}`), row: feeRow(p, marketplace, before) });
  }
  return out
    .sort((a, b) => a.key - b.key || a.row.asin.localeCompare(b.row.asin))
    .slice(0, REMEASURED)
    .map((x) => x.row);
}

export function laneRows(): RateRow[] {
  return LANES.map((l, i) => ({
    line: i + 1,
    carrier: l.carrier,
    origin: l.origin,
    dest: 'DE',
    service: l.service,
    effective_from: '1900-01-01',
    effective_to: null,
    eur_per_kg: l.eurPerKg,
  }));
}

export interface FxRow {
  currency: string;
  asOf: string;
  rate: string;
}

/** Daily rates for the last 90 days: a slow swing plus a little noise, a pure function of the day. */
export function fxRows(now: Date): FxRow[] {
  const today = dayStart(now);
  const out: FxRow[] = [];
  for (const [currency, base] of Object.entries(FX_BASE)) {
    for (let d = HISTORY_DAYS - 1; d >= 0; d--) {
      const day = addDays(today, -d);
      const n = day.getTime() / DAY_MS;
      const swing = 0.015 * Math.sin(n / 11 + currency.charCodeAt(0));
      const noise = 0.002 * rngFor('fx', currency, isoDay(day)).normal();
      out.push({ currency, asOf: isoDay(day), rate: (base * (1 + swing + noise)).toFixed(6) });
    }
  }
  return out;
}
