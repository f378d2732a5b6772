import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  insertListing,
  insertLogisticsRate,
  insertVendor,
  insertVendorPrice,
} from '../../../test/factories/index.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/db.ts';
import { fixedClock } from '../../platform/clock.ts';
import { updateRoi } from './roi.service.ts';

// A rebuild compares each computed row with the stored one by a fingerprint of all its columns
// (roi.update.repo.ts): any stored row that differs in any column, is missing or should not be there
// is found and replaced, and an unchanged table is not written at all.

let tdb: TestDatabase;
const clock = fixedClock('2031-06-15T12:00:00.000Z');
const rows = async () => (await tdb.db.pool.query('SELECT * FROM roi_offers ORDER BY vendor_id, sku')).rows;

beforeAll(async () => {
  tdb = await createTestDatabase();
  await insertLogisticsRate(tdb.db, { eur_per_kg: '2.00' });
  for (let i = 0; i < 3; i++) {
    const { asin } = await insertListing(tdb.db);
    for (const cost of ['8.00', '9.50']) {
      const v = await insertVendor(tdb.db);
      await insertVendorPrice(tdb.db, { vendor_id: v.id, asin, cost, sku: `S-${i}-${cost}` });
    }
  }
  await updateRoi(tdb.db, { clock, reason: 'test:first' });
});

afterAll(async () => {
  await tdb?.drop();
});

describe('rebuild', () => {
  it('writes nothing when every stored row is as computed', async () => {
    const before = await rows();
    const r = await updateRoi(tdb.db, { clock, rebuild: true });
    expect({ deleted: r.deleted, inserted: r.inserted, rows: r.rows, asins: r.asins }).toEqual({
      deleted: 0,
      inserted: 0,
      rows: 6,
      asins: 3,
    });
    expect(await rows()).toEqual(before);
  });

  it('replaces a stored row that differs in one column, restores a missing one, drops a stray one', async () => {
    const before = await rows();
    const [a, b, c] = before as { vendor_id: number; sku: string }[];
    await tdb.db.pool.query(
      `UPDATE roi_offers SET flags = '{fx_missing}' WHERE vendor_id = $1 AND sku = $2`,
      [a!.vendor_id, a!.sku],
    );
    await tdb.db.pool.query(
      "UPDATE roi_offers SET computed_at = computed_at + interval '1 s' WHERE sku = $1",
      [b!.sku],
    );
    await tdb.db.pool.query('DELETE FROM roi_offers WHERE vendor_id = $1 AND sku = $2', [
      c!.vendor_id,
      c!.sku,
    ]);
    await tdb.db.pool.query(
      `INSERT INTO roi_offers SELECT vendor_id, vendor_name, vendor_country, 'STRAY', asin, asin_source, barcode,
         title, brand, category, product_status, marketplace, currency, cost, cost_currency, pack_size,
         cost_fx_rate, unit_cost, weight_kg, lane, eur_per_kg, freight_fx_rate, freight, referral, fulfilment,
         storage, other, fees_currency, fees_fx_rate, fees, fba, buybox_price, buybox_currency, buybox_fx_rate,
         buybox_at, vat_rate, vat_source, vat_registered, price, returns_allowance, profit, roi_pct, margin_pct,
         flags, false, computed_at, search
       FROM roi_offers WHERE vendor_id = $1 AND sku = $2`,
      [a!.vendor_id, a!.sku],
    );
    const r = await updateRoi(tdb.db, { clock, rebuild: true });
    // the two changed rows are replaced (deleted and inserted), the missing one inserted, the stray deleted
    expect({ deleted: r.deleted, inserted: r.inserted, rows: r.rows }).toEqual({
      deleted: 3,
      inserted: 3,
      rows: 6,
    });
    expect(await rows()).toEqual(before);
  });
});
