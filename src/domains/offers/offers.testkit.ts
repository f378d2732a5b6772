import { seedRepricerListing } from '../../../test/factories/index.ts';
import type { TestDatabase } from '../../../test/helpers/db.ts';
import type { Clock } from '../../platform/clock.ts';
import { loadConfig } from '../../platform/config.ts';
import { silentLogger } from '../../platform/logger.ts';
import { roiSettingsFrom, updateRoi } from '../roi/roi.service.ts';

/** What the offers tests share: a clock they move by hand, deps on a test database, listings to decide. */

export const AT = '2026-11-28T10:00:00Z';

export interface HandClock extends Clock {
  advance(ms: number): void;
  ms(): number;
}

export function handClock(at = AT): HandClock {
  let t = Date.parse(at);
  return {
    now: () => new Date(t),
    advance: (ms) => {
      t += ms;
    },
    ms: () => t,
  };
}

export function offersDeps(tdb: TestDatabase, clock: Clock, env: Record<string, string> = {}) {
  return {
    db: tdb.db,
    clock,
    log: silentLogger,
    config: loadConfig({ DATABASE_URL: tdb.url, VAT_RATE: '0', OFFERS_DEBOUNCE_MS: '2000', ...env }),
  };
}

/** One listing per ASIN (price 20.00, buy box 19.50 an hour before AT, vendor cost 10.00), ROI refreshed. */
export async function seedListings(tdb: TestDatabase, asins: string[], cost?: string): Promise<string[]> {
  const skus: string[] = [];
  for (const asin of asins)
    skus.push((await seedRepricerListing(tdb.db, { asin, sku: `SKU-${asin}`, cost })).sku);
  await updateRoi(tdb.db, {
    settings: roiSettingsFrom(loadConfig({ DATABASE_URL: tdb.url, VAT_RATE: '0' })),
  });
  return skus;
}

export const OFFER_TABLES = `offer_notifications, offer_rejects, offer_pending, offer_decisions, offer_subscriptions,
  listings, repricer_rules, repricer_log, price_updates_log, buybox_history, product_metrics, fees, vendor_prices,
  vendors, products`;

export async function logRows(tdb: TestDatabase) {
  const { rows } = await tdb.db.pool.query<{
    run_id: string;
    sku: string;
    final_price: string;
    mode: string;
  }>('SELECT run_id::text, sku, final_price::text, mode FROM repricer_log ORDER BY id');
  return rows;
}
