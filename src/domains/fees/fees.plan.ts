import type { Served } from '../../platform/amazon/marketplaces.ts';
import type { FeeRequestItem } from './estimate.ts';
import type { Candidate } from './fees.repo.ts';

export type SkipReason = 'no_price' | 'currency' | 'fresh';

export interface Skipped {
  count: number;
  by_reason: Record<SkipReason, number>;
  /** The first ones, for the run result (fresh ones are not worth listing). */
  items: Array<{ marketplace: string; asin: string; reason: SkipReason }>;
}

export interface Plan {
  items: FeeRequestItem[];
  skipped: Skipped;
}

export interface PlanOptions {
  marketplaces: Served[];
  /** The agent's source name: a row it confirmed today at the same price is `fresh`. */
  source: string;
  today: Date;
  /** ASINs named by the caller: asked even when fresh; reported when there is nothing to price. */
  asins?: string[];
  defaultMarketplace: string;
  listMax: number;
}

function skipReason(c: Candidate, m: Served, o: PlanOptions): SkipReason | undefined {
  if (c.price === null || !(Number(c.price) > 0)) return 'no_price';
  // SP-API estimates in the storefront's currency; a buy box recorded in another one is not a price there
  if (c.currency !== m.currency) return 'currency';
  const fresh =
    c.fee_source === o.source &&
    c.checked_at !== null &&
    c.checked_at >= o.today &&
    c.price_basis === c.price;
  return fresh && o.asins === undefined ? 'fresh' : undefined;
}

/** Which candidates to ask the fee source about, and why the others are left out. */
export function planRequests(candidates: Candidate[], o: PlanOptions): Plan {
  const byCode = new Map(o.marketplaces.map((m) => [m.code, m]));
  const skipped: Skipped = { count: 0, by_reason: { no_price: 0, currency: 0, fresh: 0 }, items: [] };
  const skip = (marketplace: string, asin: string, reason: SkipReason) => {
    skipped.count++;
    skipped.by_reason[reason]++;
    if (reason !== 'fresh' && skipped.items.length < o.listMax)
      skipped.items.push({ marketplace, asin, reason });
  };
  const items: FeeRequestItem[] = [];
  for (const c of candidates) {
    const m = byCode.get(c.marketplace)!;
    const why = skipReason(c, m, o);
    if (why) {
      skip(c.marketplace, c.asin, why);
      continue;
    }
    items.push({
      key: `${c.marketplace}:${c.asin}`,
      marketplace: c.marketplace,
      marketplaceId: m.id,
      asin: c.asin,
      price: c.price!,
      currency: c.currency!,
      amazonFulfilled: c.amazon_fulfilled,
    });
  }
  // a named ASIN the seller neither lists nor has a buy box for cannot be priced
  const seen = new Set(candidates.filter((c) => c.marketplace === o.defaultMarketplace).map((c) => c.asin));
  for (const asin of o.asins ?? []) if (!seen.has(asin)) skip(o.defaultMarketplace, asin, 'no_price');
  return { items, skipped };
}
