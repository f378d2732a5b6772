import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  insertLedgerShipments,
  insertReturn,
  isoDay,
  nextSeq,
  seedRepricerListing,
} from '../../../test/factories/index.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/db.ts';
import { fixedClock } from '../../platform/clock.ts';
import { loadConfig } from '../../platform/config.ts';
import { silentLogger } from '../../platform/logger.ts';
import { roiSettingsFrom, updateRoi } from '../roi/roi.service.ts';
import { simulate } from './pricing.service.ts';

/**
 * The repricer's ROI floor must mean what ROI means (SPEC §6, §8), held here against the ROI view on
 * the same inputs. amazon.de, VAT 19 %, registered; landed 10.00 (no weight: freight 0); referral
 * 3.00 at 20.00 = 15 % of the gross price; fulfilment 3.00, other 0.50; returns allowance: 4.76
 * refunded (gross) over 10 units = 4.00 net / 10 = 0.40. Min ROI 15 %:
 *   floor = (10 × 1.15 + 3.00 + 0.50 + 0.40) / (1 / 1.19 − 0.15) = 15.40 / 0.690336… = 22.3081… → 22.31
 * (the old floor, (11.50 + 3.00) / 0.85 × 1.19 = 20.30, kept 2.4 % ROI in ROI's own terms).
 */
const AT = '2026-11-28T10:00:00Z';
let tdb: TestDatabase;
let sku: string;
let asin: string;
const config = loadConfig({});
const query = async (text: string, values: unknown[] = []) => (await tdb.db.pool.query(text, values)).rows;

beforeAll(async () => {
  tdb = await createTestDatabase();
  ({ sku, asin } = await seedRepricerListing(tdb.db, { rule: { strategy: 'min_roi' }, at: AT }));
  await query(`UPDATE fees SET other = 0.50 WHERE asin = $1`, [asin]);
  // dated from today: the ROI view's 90-day window counts back from the database's date here
  await insertReturn(tdb.db, { asin, return_date: `${isoDay(-3)}T12:00:00Z`, quantity: 1, refund: '4.76' });
  await insertLedgerShipments(tdb.db, { sku, asin, days: { [isoDay(-3)]: 10 } });
  await updateRoi(tdb.db, { settings: roiSettingsFrom(config) });
});
afterAll(async () => {
  await tdb?.drop();
});

/** ROI at gross price p in the view's own terms: its net price at p, the referral at p, its costs. The
 * point is the newest whatever today's date (the seeded one is relative to AT). */
async function roiAt(p: string): Promise<number> {
  await query(
    `INSERT INTO buybox_history (marketplace, asin, captured_at, price, currency, source)
     VALUES ('DE', $1, greatest(now(), $4::timestamptz) + make_interval(secs => $2), $3, 'EUR', 'test')`,
    [asin, nextSeq(), p, AT],
  );
  await updateRoi(tdb.db, { settings: roiSettingsFrom(config) });
  const [r] = await query(
    `SELECT price::float8, fulfilment::float8, storage::float8, other::float8, returns_allowance::float8,
            unit_cost::float8, freight::float8
     FROM roi_offers WHERE asin = $1`,
    [asin],
  );
  const referral = 0.15 * Number(p);
  const landed = r.unit_cost + r.freight;
  const profit = r.price - referral - r.fulfilment - r.storage - r.other - r.returns_allowance - landed;
  return profit / landed;
}

describe('the ROI floor', () => {
  it('is the gross price that keeps the minimum ROI after VAT, referral on the gross price, every fee and returns', async () => {
    const deps = { db: tdb.db, config, clock: fixedClock(AT), log: silentLogger };
    const [d] = (await simulate(deps, [sku])).items;
    expect(d).toMatchObject({ status: 'ok', floor: '22.31', final_price: '22.31' });
    const [view] = await query('SELECT other, returns_allowance, vat_rate FROM roi_offers WHERE asin = $1', [
      asin,
    ]);
    expect(view).toEqual({ other: '0.5000', returns_allowance: '0.4000', vat_rate: '0.1900' });
    expect(await roiAt('22.31')).toBeGreaterThanOrEqual(0.15);
    expect(await roiAt('22.30')).toBeLessThan(0.15);
  });
});
