import { STANDARD_VAT_RATES } from '../roi/vat.ts';
import {
  CATEGORIES,
  type DemoCategory,
  type DemoVendor,
  FULFILMENT_FEES,
  FX_BASE,
  LANES,
  STORAGE_CENTS_PER_DM3,
  VENDORS,
  type VendorKey,
} from './catalog.data.ts';
import { Rng } from './rng.ts';
import { ean13, shelfPrice, toCents } from './units.ts';

/**
 * The demo catalogue: products, vendor offers and the seller's listings. It does not depend on the
 * date, so the price lists built from it are byte-identical on every run (the import skips them).
 */

export interface DemoProduct {
  asin: string;
  ean: string;
  title: string;
  brand: string;
  category: DemoCategory;
  weightKg: number;
  dimsCm: [number, number, number];
  /** Typical buy box in cents (gross): the price history moves around it. */
  priceCents: number;
  referralCents: number;
  fulfilmentCents: number;
  storageCents: number;
  salesRank: number;
  offersNew: number;
  offersFba: number;
  amazonOnListing: boolean;
  rating: string;
  reviews: number;
  vendor: VendorKey;
}

export interface DemoOffer {
  vendor: VendorKey;
  sku: string;
  asin: string;
  ean: string;
  title: string;
  /** Unit cost in the vendor's currency, cents. */
  costCents: number;
  packSize: number;
  moq: number;
  leadTimeDays: number;
}

export type StockProfile = 'healthy' | 'low' | 'out' | 'overstock';

export interface DemoListing {
  sku: string;
  fnsku: string;
  listingId: string;
  asin: string;
  title: string;
  priceCents: number;
  channel: 'AFN' | 'MFN';
  /** Mean units sold per day. */
  velocity: number;
  profile: StockProfile;
  /** Days since the listing was opened (before the first day of history). */
  openedDaysAgo: number;
}

export interface DemoCatalog {
  vendors: readonly DemoVendor[];
  products: DemoProduct[];
  offers: DemoOffer[];
  listings: DemoListing[];
}

export const LISTING_COUNT = 300;
const SECOND_SOURCE_SHARE = 0.12;
const PACK_SIZES = [1, 1, 2, 4, 6, 6, 8, 10, 12, 12, 24];

/** Target ROI of an offer: most are workable, some great, some loss-makers a buyer should drop. */
function targetRoi(r: Rng): number {
  const u = r.next();
  if (u < 0.08) return -0.25 + r.next() * 0.2;
  if (u < 0.23) return r.next() * 0.12;
  if (u < 0.68) return 0.12 + r.next() * 0.28;
  if (u < 0.93) return 0.4 + r.next() * 0.4;
  return 0.8 + r.next() * 0.6;
}

function fulfilmentCents(weightKg: number): number {
  for (const [max, fee] of FULFILMENT_FEES) if (weightKg <= max) return fee;
  return 739 + Math.ceil(weightKg - 10) * 20;
}

function freightEur(vendor: DemoVendor, weightKg: number): number {
  const lane = LANES.find((l) => l.origin === vendor.country)!;
  return weightKg * Number(lane.eurPerKg);
}

// The demo is an amazon.de business, VAT-registered: a sale earns the price net of German VAT
const NET_OF_VAT = 1 / (1 + STANDARD_VAT_RATES.DE!);

/** The unit cost (vendor currency, cents) that gives `roi` on this product, as ROI computes it. */
function costFor(p: DemoProduct, vendor: DemoVendor, roi: number): number {
  const fees = p.referralCents + p.fulfilmentCents + p.storageCents;
  const landed = (p.priceCents * NET_OF_VAT - fees) / (1 + roi);
  const costEur = Math.max(35, landed - 100 * freightEur(vendor, p.weightKg));
  return Math.max(25, toCents(costEur / 100 / (FX_BASE[vendor.currency] ?? 1)));
}

/** The ROI an offer was made for (the inverse of costFor, before rounding and the floor on cost). */
export function offerRoi(p: DemoProduct, o: DemoOffer): number {
  const vendor = VENDORS.find((v) => v.key === o.vendor)!;
  const fees = p.referralCents + p.fulfilmentCents + p.storageCents;
  const landed = o.costCents * (FX_BASE[vendor.currency] ?? 1) + 100 * freightEur(vendor, p.weightKg);
  return (p.priceCents * NET_OF_VAT - fees - landed) / landed;
}

function uniqueOf(set: Set<string>, make: () => string): string {
  for (;;) {
    const v = make();
    if (!set.has(v)) {
      set.add(v);
      return v;
    }
  }
}

function product(r: Rng, vendor: DemoVendor, asins: Set<string>, eans: Set<string>): DemoProduct {
  const category = r.pick(CATEGORIES);
  const brand = r.pick(vendor.brands);
  const [pMin, pMax] = category.price;
  const priceCents = shelfPrice(toCents(pMin + (pMax - pMin) * r.next() ** 1.6));
  const [wMin, wMax] = category.weight;
  const weightKg = Math.round((wMin + (wMax - wMin) * r.next() ** 1.4) * 1000) / 1000;
  const side = Math.cbrt(weightKg * 4) * 10; // cm: denser for heavy goods, bulky for light ones
  const dimsCm: [number, number, number] = [
    Math.round(side * (1.3 + r.next() * 0.6)),
    Math.round(side * (0.8 + r.next() * 0.4)),
    Math.max(2, Math.round(side * (0.3 + r.next() * 0.5))),
  ];
  const dm3 = (dimsCm[0] * dimsCm[1] * dimsCm[2]) / 1000;
  const salesRank = Math.round(Math.exp(6.5 + r.next() * 5.5));
  const offersNew = r.int(1, 18);
  const [noun, variants] = r.pick(category.items);
  return {
    asin: uniqueOf(asins, () => `B0${r.chars(8)}`),
    ean: uniqueOf(eans, () => ean13(`${vendor.gs1}${r.chars(10, '0123456789')}`)),
    title: `${brand} ${noun}, ${r.pick(variants)}`,
    brand,
    category,
    weightKg,
    dimsCm,
    priceCents,
    referralCents: Math.max(30, toCents((priceCents / 100) * category.referralRate)),
    fulfilmentCents: fulfilmentCents(weightKg),
    storageCents: Math.max(1, Math.round(dm3 * STORAGE_CENTS_PER_DM3)),
    salesRank,
    offersNew,
    offersFba: Math.max(1, offersNew - r.int(0, 4)),
    amazonOnListing: r.chance(0.07),
    rating: (3.6 + r.int(0, 12) / 10).toFixed(1),
    reviews: Math.round(Math.exp(2 + r.next() * 6)),
    vendor: vendor.key,
  };
}

function offer(r: Rng, p: DemoProduct, vendor: DemoVendor, n: number, roi: number): DemoOffer {
  const packSize = r.pick(PACK_SIZES);
  const prefix = { de: 'RG', it: 'MF', gb: 'TT', pl: 'WH' }[vendor.key];
  return {
    vendor: vendor.key,
    sku: `${prefix}-${String(10000 + n * 7).padStart(6, '0')}`,
    asin: p.asin,
    ean: p.ean,
    title: p.title,
    costCents: costFor(p, vendor, roi),
    packSize,
    moq: r.chance(0.4) ? 0 : packSize * r.pick([1, 2, 3, 5, 10]),
    leadTimeDays: vendor.leadTimeDays + (r.chance(0.15) ? r.int(2, 10) : 0),
  };
}

function listing(r: Rng, p: DemoProduct, n: number): DemoListing {
  // demand follows the sales rank; our share of it follows how many FBA sellers share the buy box
  const market = 2500 / p.salesRank ** 0.75;
  const velocity = Math.min(25, Math.max(0.25, market * (0.8 / p.offersFba) * (0.6 + r.next())));
  const u = r.next();
  const profile: StockProfile = u < 0.65 ? 'healthy' : u < 0.8 ? 'low' : u < 0.88 ? 'out' : 'overstock';
  const below = r.chance(0.3) ? -r.int(1, 30) : 0;
  return {
    sku: `AWA-${p.brand
      .slice(0, 3)
      .toUpperCase()
      .replace(/[^A-Z]/g, 'X')}-${String(n + 1).padStart(4, '0')}`,
    fnsku: `X00${r.chars(7)}`,
    listingId: `${r.int(1, 12).toString().padStart(2, '0')}${r.chars(8)}`,
    asin: p.asin,
    title: p.title,
    priceCents: r.chance(0.25) ? p.priceCents + r.int(50, 200) : p.priceCents + below,
    channel: r.chance(0.05) ? 'MFN' : 'AFN',
    velocity: Math.round(velocity * 100) / 100,
    profile,
    openedDaysAgo: 120 + r.int(0, 900),
  };
}

/** The whole catalogue, the same on every call. */
export function generateCatalog(): DemoCatalog {
  const r = new Rng('awa-demo-catalog-v1');
  const asins = new Set<string>();
  const eans = new Set<string>();
  const products: DemoProduct[] = [];
  const offers: DemoOffer[] = [];
  const rois = new Map<string, number>();
  for (const vendor of VENDORS) {
    for (let i = 0; i < vendor.products; i++) {
      const p = product(r, vendor, asins, eans);
      const roi = targetRoi(r);
      products.push(p);
      rois.set(p.asin, roi);
      offers.push(offer(r, p, vendor, offers.length, roi));
    }
  }
  // some products are also offered by a second vendor, a little cheaper or dearer
  for (const p of products) {
    if (!r.chance(SECOND_SOURCE_SHARE)) continue;
    const other = r.pick(VENDORS.filter((v) => v.key !== p.vendor));
    offers.push(offer(r, p, other, offers.length, rois.get(p.asin)! + (r.next() - 0.5) * 0.3));
  }
  // the seller lists the better products, plus a few that no longer pay
  const ranked = products
    .map((p) => ({ p, key: rois.get(p.asin)! + r.next() * 0.5 }))
    .sort((a, b) => b.key - a.key || a.p.asin.localeCompare(b.p.asin))
    .slice(0, LISTING_COUNT)
    .map((x) => x.p)
    .sort((a, b) => a.asin.localeCompare(b.asin));
  const listings = ranked.map((p, n) => listing(r, p, n));
  return { vendors: VENDORS, products, offers, listings };
}
