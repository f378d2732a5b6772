import type { Clock } from '../../platform/clock.ts';
import type { Config } from '../../platform/config.ts';
import type { Db } from '../../platform/db/pool.ts';
import type { Logger } from '../../platform/logger.ts';
import { economicsAt } from './economics.ts';
import { type InputRow, listingSkus, loadInputs } from './inputs.repo.ts';
import type { PriceSubmitter } from './listings.client.ts';
import { type LoggedDecision, planListing, type RepricerSettings, settingsFrom } from './plan.ts';

export interface PricingDeps {
  db: Db;
  config: Config;
  clock: Clock;
  log?: Logger;
  /** REPRICER_MODE=live: the repricer's SP-API submitter (patchListingsItem, rate-limited). */
  submitter?: () => PriceSubmitter;
}

// every item says `status`, so a client tells answers from per-item errors without probing fields
export type ItemError = { status: 'error'; sku: string; error: string };
export const unknown = (sku: string, marketplace: string): ItemError => ({
  status: 'error',
  sku,
  error: `unknown sku: no active listing ${sku} in marketplace ${marketplace}`,
});

export async function rowsFor(deps: PricingDeps, s: RepricerSettings, skus: string[]) {
  const rows = await loadInputs(deps.db.pool, {
    marketplace: s.marketplace,
    currency: s.currency,
    now: deps.clock.now(),
    skus: [...new Set(skus)],
  });
  return new Map(rows.map((r) => [r.sku, r]));
}

type Simulated = Omit<LoggedDecision, 'priced'> & {
  status: 'ok';
  profit: string | null;
  roi_pct: string | null;
};

/** One listing's decision with the profit and ROI at its final price (the repricer's own terms). */
function simulated(row: InputRow, s: RepricerSettings): Simulated {
  const { priced: _p, ...d } = planListing(row, s);
  return { status: 'ok', ...d, ...economicsAt(row, s, d.error ? null : d.final_price) };
}

/** POST /pricing/simulate: what the repricer would decide for these SKUs now; writes nothing. */
export async function simulate(deps: PricingDeps, skus: string[]) {
  const s = settingsFrom(deps.config);
  const bySku = await rowsFor(deps, s, skus);
  return {
    items: skus.map((sku): Simulated | ItemError => {
      const row = bySku.get(sku);
      return row ? simulated(row, s) : unknown(sku, s.marketplace);
    }),
  };
}

/** GET /repricer/simulation: a page of active listings (SKU order) with what the repricer would do now. */
export async function simulateListings(
  deps: PricingDeps,
  q: { sku?: string; page: number; page_size: number },
) {
  const s = settingsFrom(deps.config);
  const { total, skus } = await listingSkus(deps.db.pool, s.marketplace, {
    skuPrefix: q.sku,
    limit: q.page_size,
    offset: (q.page - 1) * q.page_size,
  });
  const bySku = skus.length > 0 ? await rowsFor(deps, s, skus) : new Map<string, InputRow>();
  const items = skus.flatMap((sku) => {
    const row = bySku.get(sku);
    return row ? [simulated(row, s)] : [];
  });
  return { total, page: q.page, page_size: q.page_size, items };
}
