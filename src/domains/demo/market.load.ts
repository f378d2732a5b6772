import { withTransaction } from '../../platform/db/transaction.ts';
import type { JobDeps } from '../../platform/jobs/index.ts';
import {
  recordBuybox,
  recordIdentifiers,
  recordMetrics,
  recordProducts,
} from '../catalog/catalog.service.ts';
import { recordFees } from '../fees/fees.service.ts';
import { recordRates } from '../logistics/rates.service.ts';
import { recordFxRates } from '../roi/fx.service.ts';
import type { DemoCatalog } from './catalog.gen.ts';
import {
  buyboxPoints,
  earlierFeeRows,
  FEES_BEFORE_DAYS_AGO,
  feeRows,
  fxRows,
  type Gaps,
  laneRows,
  metricPoints,
} from './market.gen.ts';
import { addDays, dayStart } from './units.ts';

// 90 days of points for a few thousand products are ~10^5 rows: handed over in parts, so no single
// statement carries arrays of that size.
const CHUNK = 10_000;

async function inChunks<T>(rows: T[], write: (part: T[]) => Promise<number>): Promise<number> {
  let n = 0;
  for (let i = 0; i < rows.length; i += CHUNK) n += await write(rows.slice(i, i + CHUNK));
  return n;
}

/**
 * Products, barcodes, buy box, metrics, fees, freight lanes, fx: what Keepa and the agents would
 * bring, each through the service of the domain that owns it (with that domain's rules: Keepa's
 * product data is authoritative, fees are observed `now`, a few also ten days before).
 */
export async function loadMarket(
  deps: JobDeps,
  market: { marketplace: string; currency: string },
  catalog: DemoCatalog,
  gaps: Gaps,
  now: Date,
) {
  const { db } = deps;
  const { marketplace, currency } = market;
  const products = await withTransaction(db, async (c) => {
    const n = await recordProducts(
      c,
      marketplace,
      catalog.products.map((p) => ({
        asin: p.asin,
        title: p.title,
        brand: p.brand,
        category: p.category.name,
        weightKg: gaps.noWeight.has(p.asin) ? null : p.weightKg.toFixed(3),
        lengthCm: String(p.dimsCm[0]),
        widthCm: String(p.dimsCm[1]),
        heightCm: String(p.dimsCm[2]),
      })),
      { fillOnly: false },
    );
    const ids = await recordIdentifiers(
      c,
      catalog.products.map((p) => ({ kind: 'EAN', value: p.ean, asin: p.asin })),
    );
    return n + ids;
  });
  const lanes = await recordRates(db, laneRows(), 'demo');
  // the fees of ten days ago first: the writer ignores an observation older than the one it holds,
  // so a repeated load changes nothing, and today's fees are a rise over them (fee_change)
  const before = addDays(now, -FEES_BEFORE_DAYS_AGO);
  const earlier = await recordFees(db.pool, earlierFeeRows(catalog, gaps, marketplace), {
    source: 'manual',
    at: before,
    day: dayStart(before),
  });
  const fees = await recordFees(db.pool, feeRows(catalog, gaps, marketplace), {
    source: 'manual',
    at: now,
    day: dayStart(now),
  });
  return {
    products,
    lanes,
    fees_earlier: earlier.changed,
    fees: fees.changed,
    fx_rates: await recordFxRates(db, fxRows(now), 'demo'),
    buybox_points: await inChunks(buyboxPoints(catalog, gaps, now), (part) =>
      recordBuybox(db.pool, marketplace, currency, part, 'demo'),
    ),
    metric_points: await inChunks(metricPoints(catalog, gaps, now), (part) =>
      recordMetrics(db.pool, marketplace, part),
    ),
  };
}
