import type { RawPoint, SeriesInput, SeriesKey } from '../../lib/chart-data.ts';

/**
 * GET /api/v1/sku/{asin}?days= as the page reads it. Money arrives as numbers or decimal strings;
 * everything beyond asin/product/offers/fees/score is optional so the page works with servers that
 * do not send it yet.
 */
export type Num = number | string | null | undefined;

export interface Product {
  asin: string;
  marketplace?: string | null;
  title?: string | null;
  brand?: string | null;
  category?: string | null;
  ean?: string | null;
  eans?: string[] | null;
  identifiers?: { kind: string; value: string }[] | null;
  weight_kg?: Num;
  status?: string | null;
  approved_by?: string | null;
  approved_at?: string | null;
}

export interface Offer {
  vendor_id: number;
  vendor_name: string;
  vendor_country?: string | null;
  marketplace?: string | null;
  sku: string;
  asin: string;
  asin_source?: string | null;
  barcode?: string | null;
  currency?: string | null;
  cost?: Num;
  cost_currency?: string | null;
  pack_size?: number | null;
  cost_fx_rate?: Num;
  unit_cost?: Num;
  weight_kg?: Num;
  lane?: string | null;
  eur_per_kg?: Num;
  freight_fx_rate?: Num;
  freight?: Num;
  referral?: Num;
  fulfilment?: Num;
  storage?: Num;
  other?: Num;
  fees_currency?: string | null;
  fees_fx_rate?: Num;
  fees?: Num;
  fba?: boolean | null;
  buybox_price?: Num;
  buybox_currency?: string | null;
  buybox_fx_rate?: Num;
  buybox_at?: string | null;
  vat_rate?: Num;
  vat_source?: string | null;
  vat_registered?: boolean | null;
  price?: Num;
  returns_allowance?: Num;
  profit?: Num;
  roi_pct?: Num;
  margin_pct?: Num;
  flags?: string[] | null;
  best?: boolean;
  computed_at?: string | null;
}

export interface Fees {
  referral?: Num;
  fulfilment?: Num;
  storage?: Num;
  other?: Num;
  currency?: string | null;
  price_basis?: Num;
  source?: string | null;
  captured_at?: string | null;
}

export interface Score {
  score?: Num;
  confidence?: Num;
  scored_at?: string | null;
  components?: Record<string, Num> | null;
  explanation?: Record<string, string> | null;
  weights?: Record<string, Num> | null;
}

export interface Guard {
  floor?: Num;
  ceiling?: Num;
  /** A fraction (0.15 = 15 %). */
  min_roi?: Num;
  source?: string | null;
  /** What set the floor: min_roi, the rule's min_price, MAP. */
  floor_by?: string | null;
  sku?: string | null;
  note?: string | null;
}

export interface PriceChange {
  at: string | number;
  from?: Num;
  to?: Num;
  reason?: string | null;
  guard?: string | string[] | null;
  mode?: string | null;
  dry_run?: boolean | null;
  [key: string]: unknown;
}

/** One repricer decision (repricer_log). */
export interface Decision {
  id?: number | string;
  created_at?: string | null;
  at?: string | null;
  sku?: string | null;
  old_price?: Num;
  proposed?: Num;
  final_price?: Num;
  floor?: Num;
  ceiling?: Num;
  buybox?: Num;
  strategy?: string | null;
  guards?: string[] | null;
  guard?: string | null;
  changed?: boolean | null;
  mode?: string | null;
  reason?: string | null;
  currency?: string | null;
}

export interface SkuDetail {
  asin: string;
  marketplace?: string | null;
  currency?: string | null;
  /** The window the series cover; `to` is the server's "now", the chart's right edge. */
  range?: { days?: string | number; from?: string | null; to?: string | null } | null;
  product: Product | null;
  offers: Offer[];
  fees: Fees | null;
  buybox?: { captured_at: string; price: Num; currency?: string; source?: string }[] | null;
  series?: Partial<Record<SeriesKey, RawPoint[] | null>> | null;
  guard?: Guard | null;
  price_changes?: PriceChange[] | null;
  decisions?: Decision[] | null;
  score?: Score | null;
}

/**
 * The chart's series: the server's `series` when it sends them, else the buy box history of older
 * servers as the one series there is.
 */
export function seriesOf(d: SkuDetail): SeriesInput {
  if (d.series && Object.keys(d.series).length > 0) return d.series;
  const buybox: RawPoint[] = (d.buybox ?? []).map((p) => [
    Math.floor(Date.parse(p.captured_at) / 1000),
    p.price ?? null,
  ]);
  return { buybox };
}

/** The product's EAN: from the product's identifiers when the server gives them, else a vendor's barcode. */
export function eanOf(d: SkuDetail): string | null {
  const p = d.product;
  const fromProduct =
    p?.ean ?? p?.eans?.[0] ?? p?.identifiers?.find((i) => /ean|gtin|upc/i.test(i.kind))?.value ?? null;
  return fromProduct ?? d.offers.find((o) => o.barcode)?.barcode ?? null;
}
