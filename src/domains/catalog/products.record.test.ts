import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/db.ts';
import { type ProductRow, recordProducts } from './catalog.service.ts';

/**
 * The catalogue's one products writer, shared by its sources: Keepa (authoritative: its non-empty
 * fields overwrite) and Amazon's fee preview report (`fillOnly`: fills unknown fields, never
 * overwrites).
 */
let tdb: TestDatabase;

beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(async () => {
  await tdb?.drop();
});
beforeEach(async () => {
  await tdb.db.pool.query('TRUNCATE products CASCADE');
});

const ASIN = 'B0CAT00001';
const product = (o: Partial<ProductRow> = {}): ProductRow => ({
  asin: ASIN,
  title: null,
  brand: null,
  category: null,
  weightKg: null,
  lengthCm: null,
  widthCm: null,
  heightCm: null,
  ...o,
});
const stored = async () =>
  (
    await tdb.db.pool.query(
      'SELECT title, brand, weight_kg::text, length_cm::text, updated_at FROM products WHERE asin = $1',
      [ASIN],
    )
  ).rows[0];

describe('recordProducts', () => {
  it('Keepa overwrites with its non-empty fields and keeps what it leaves empty', async () => {
    const keepa = { fillOnly: false };
    expect(
      await recordProducts(
        tdb.db.pool,
        'DE',
        [product({ title: 'Old title', brand: 'Acme', weightKg: '0.500' })],
        keepa,
      ),
    ).toBe(1);
    expect(
      await recordProducts(tdb.db.pool, 'DE', [product({ title: 'New title', lengthCm: '20.00' })], keepa),
    ).toBe(1);
    expect(await stored()).toMatchObject({
      title: 'New title',
      brand: 'Acme',
      weight_kg: '0.500',
      length_cm: '20.00',
    });
    // the same data again touches nothing (updated_at feeds ROI's computed_at)
    const before = (await stored()).updated_at;
    expect(await recordProducts(tdb.db.pool, 'DE', [product({ title: 'New title' })], keepa)).toBe(0);
    expect((await stored()).updated_at).toEqual(before);
  });

  it('fillOnly inserts a new product and fills unknown fields, never overwriting a known one', async () => {
    const report = { fillOnly: true };
    expect(await recordProducts(tdb.db.pool, 'DE', [product({ title: 'Report title' })], report)).toBe(1);
    expect(await stored()).toMatchObject({ title: 'Report title', weight_kg: null });
    await recordProducts(tdb.db.pool, 'DE', [product({ title: 'Keepa title', brand: 'Acme' })], {
      fillOnly: false,
    });
    expect(
      await recordProducts(
        tdb.db.pool,
        'DE',
        [product({ title: 'Report title', brand: 'Other', weightKg: '0.499' })],
        report,
      ),
    ).toBe(1);
    expect(await stored()).toMatchObject({ title: 'Keepa title', brand: 'Acme', weight_kg: '0.499' });
    // nothing left to fill: no change
    expect(
      await recordProducts(
        tdb.db.pool,
        'DE',
        [product({ title: 'Report title', weightKg: '0.600' })],
        report,
      ),
    ).toBe(0);
    expect(await stored()).toMatchObject({ title: 'Keepa title', weight_kg: '0.499' });
  });
});
