import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedRepricerListing } from '../../../test/factories/index.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/db.ts';
import { testJobDeps } from '../../../test/helpers/deps.ts';
import type { JobDeps } from '../../platform/jobs/index.ts';
import { roiSettingsFrom, updateRoi } from '../roi/roi.service.ts';
import { raiseFloor } from './floor.service.ts';

/**
 * Raising a listing's floor to the price at an ROI (the inbox's raise_floor action). amazon.de, VAT
 * 19 % registered, landed 10.00, referral 15 %, fulfilment 3.00: at 15 % ROI
 *   (10 × 1.15 + 3.00) / (1 / 1.19 − 0.15) = 14.50 / 0.690336… = 21.0043… → 21.01 (rounded up).
 */
let tdb: TestDatabase;
let deps: JobDeps;
const rule = async (sku: string) =>
  (
    await tdb.db.pool.query(
      'SELECT min_price, max_price, strategy, updated_by FROM repricer_rules WHERE sku = $1',
      [sku],
    )
  ).rows[0];

/** A listing with its landed cost in the ROI view (the repricer reads it there). */
async function seed(l: Parameters<typeof seedRepricerListing>[1] = {}) {
  const out = await seedRepricerListing(tdb.db, l);
  await updateRoi(tdb.db, { settings: roiSettingsFrom(deps.config) });
  return out;
}

beforeAll(async () => {
  tdb = await createTestDatabase();
  deps = testJobDeps(tdb);
});
afterAll(async () => {
  await tdb?.drop();
});

describe('raiseFloor', () => {
  it('sets min_price to the price at the ROI, keeping the rest of the rule; a dry run saves nothing', async () => {
    const { sku } = await seed({
      rule: { min_price: '18.00', max_price: '40.00', strategy: 'match_buybox' },
    });
    expect(await raiseFloor(deps, { sku, roi_pct: 15, dry_run: true }, 'ana')).toEqual({
      sku,
      marketplace: 'DE',
      roi_pct: 15,
      old_min: '18.00',
      new_min: '21.01',
      changed: true,
      dry_run: true,
    });
    expect(await rule(sku)).toMatchObject({ min_price: '18.00' });
    await raiseFloor(deps, { sku, roi_pct: 15 }, 'ana');
    expect(await rule(sku)).toEqual({
      min_price: '21.01',
      max_price: '40.00',
      strategy: 'match_buybox',
      updated_by: 'ana',
    });
  });

  it('never lowers a floor already above the price at the ROI', async () => {
    const { sku } = await seed({ rule: { min_price: '25.00' } });
    expect(await raiseFloor(deps, { sku, roi_pct: 15 }, 'ana')).toMatchObject({
      old_min: '25.00',
      new_min: '25.00',
      changed: false,
    });
    expect(await rule(sku)).toMatchObject({ min_price: '25.00', updated_by: null });
  });

  it('creates the rule for a listing without one', async () => {
    const { sku } = await seed();
    await raiseFloor(deps, { sku, roi_pct: 15 }, 'ana');
    expect(await rule(sku)).toMatchObject({ min_price: '21.01', max_price: null, strategy: 'beat_buybox' });
  });

  it('refuses, saving nothing: a max below the new floor, an unknown SKU, another marketplace, a bad ROI', async () => {
    const { sku } = await seed({ rule: { max_price: '20.00' } });
    await expect(raiseFloor(deps, { sku, roi_pct: 15 }, 'ana')).rejects.toMatchObject({
      kind: 'conflict',
      message: `sku ${sku}: the price at 15 % ROI, 21.01, is above its rule's max_price 20.00; raise the max first`,
    });
    expect(await rule(sku)).toMatchObject({ min_price: null, max_price: '20.00' });
    await expect(raiseFloor(deps, { sku: 'NOPE-1', roi_pct: 15 }, 'ana')).rejects.toMatchObject({
      kind: 'not_found',
      message: 'unknown sku: no active listing NOPE-1 in marketplace DE',
    });
    await expect(raiseFloor(deps, { sku, marketplace: 'UK', roi_pct: 15 }, 'ana')).rejects.toMatchObject({
      kind: 'conflict',
      message: expect.stringMatching(
        /^the repricer prices marketplace DE; sku .* in UK has no floor to raise here$/,
      ),
    });
    await expect(raiseFloor(deps, { sku, roi_pct: Number.NaN }, 'ana')).rejects.toMatchObject({
      kind: 'invalid',
    });
  });
});
