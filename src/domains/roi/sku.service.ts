import type { Clock } from '../../platform/clock.ts';
import type { Config } from '../../platform/config.ts';
import type { Db } from '../../platform/db/pool.ts';
import { AppError } from '../../platform/errors.ts';
import { marketHistory } from '../catalog/catalog.service.ts';
import { asinRepricing, offerGuard } from '../repricer/guard.service.ts';
import { latestScore } from '../scoring/scoring.service.ts';
import * as repo from './roi.repo.ts';

/** GET /sku/{asin}: everything known about one ASIN, for the SKU page and its Keepa-style chart. */

export const SKU_RANGES = ['7', '30', '90', 'all'] as const;
export type SkuRange = (typeof SKU_RANGES)[number];

export interface SkuDeps {
  db: Db;
  config: Config;
  clock: Clock;
}

const DAY_MS = 86_400_000;
const seconds = (d: Date) => Math.floor(d.getTime() / 1000);

type Point = [number, number];
const points = <T>(rows: T[], at: (r: T) => Date, value: (r: T) => number | null): Point[] =>
  rows.flatMap((r): Point[] => {
    const v = value(r);
    return v === null ? [] : [[seconds(at(r)), v]];
  });

/**
 * Product, every offer's landed-cost breakdown (best first), fees, the chart's series over the range,
 * the repricer's guard band with our price changes and latest decisions, and the score with its
 * components. One round of parallel reads (the repricer's part looks up the listings first).
 */
export async function skuDetail(deps: SkuDeps, asin: string, range: SkuRange = '90') {
  const { db, config } = deps;
  const now = deps.clock.now();
  const since = range === 'all' ? null : new Date(now.getTime() - Number(range) * DAY_MS);
  const marketplace = config.AWA_MARKETPLACE;
  const [product, offers, fees, market, score, repricing] = await Promise.all([
    repo.product(db.pool, asin),
    repo.offersOfAsin(db.pool, asin),
    repo.feesRow(db.pool, marketplace, asin),
    marketHistory(db, marketplace, asin, since, now),
    latestScore(db, marketplace, asin),
    asinRepricing(deps, asin, since),
  ]);
  if (!product && offers.length === 0) {
    throw new AppError('not_found', `no product or vendor offer has ASIN ${asin}`);
  }
  const best = offers.find((o) => o.best);
  const guard =
    repricing.guard ??
    offerGuard(
      config,
      best && {
        ...best,
        fees_referral: fees?.referral ?? null,
        fees_price_basis: fees?.price_basis ?? null,
      },
    );
  const { buybox, metrics } = market;
  return {
    asin,
    marketplace,
    currency: config.AWA_CURRENCY,
    range: { days: range, from: since, to: now },
    product,
    offers,
    fees,
    buybox,
    series: {
      buybox: points(
        buybox,
        (p) => p.captured_at,
        (p) => p.price,
      ),
      // Keepa's Amazon price and lowest new FBM offer are not stored (yet): empty, never invented
      amazon: [] as Point[],
      new_fba: points(
        metrics,
        (m) => m.captured_at,
        (m) => m.fba_price,
      ),
      new_fbm: [] as Point[],
      rank: points(
        metrics,
        (m) => m.captured_at,
        (m) => m.sales_rank,
      ),
      amazon_on_listing: points(
        metrics,
        (m) => m.captured_at,
        (m) => (m.amazon_on_listing === null ? null : m.amazon_on_listing ? 1 : 0),
      ),
      our_price: repricing.our_price,
    },
    skus: repricing.skus,
    guard,
    price_changes: repricing.price_changes,
    decisions: repricing.decisions,
    score: score && { ...score, weights: config.SCORING_WEIGHTS },
  };
}
