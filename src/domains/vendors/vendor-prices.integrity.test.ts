import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/db.ts';

// vendor_prices' vendor is checked per statement by triggers, not by a foreign key (migration 0021):
// these hold the triggers to what the key guaranteed.

let tdb: TestDatabase;
const q = async (text: string, values: unknown[] = []) => (await tdb.db.pool.query(text, values)).rows;

beforeAll(async () => {
  tdb = await createTestDatabase();
});

afterAll(async () => {
  await tdb.drop();
});

beforeEach(async () => {
  await q('TRUNCATE vendors, price_lists CASCADE');
});

async function vendorWithPrices(name: string): Promise<number> {
  const [v] = await q("INSERT INTO vendors (name, currency) VALUES ($1, 'EUR') RETURNING id", [name]);
  const id = Number(v!.id);
  await q(
    `INSERT INTO vendor_prices (vendor_id, sku, cost, currency) SELECT $1, 'S' || g, 1.5, 'EUR' FROM generate_series(1, 3) g`,
    [id],
  );
  await q(
    `INSERT INTO vendor_price_history (vendor_id, sku, observed_at, old_cost, cost, currency)
     VALUES ($1, 'S1', now(), 1, 1.5, 'EUR')`,
    [id],
  );
  return id;
}

describe('a price row belongs to a vendor', () => {
  it('refuses rows of a vendor that does not exist, naming it', async () => {
    const id = await vendorWithPrices('A');
    const err = await q(
      `INSERT INTO vendor_prices (vendor_id, sku, cost, currency) VALUES ($1, 'X', 1, 'EUR'), ($2, 'Y', 1, 'EUR')`,
      [id, id + 1000],
    ).catch((e) => e);
    expect(err).toMatchObject({ code: '23503', constraint: 'vendor_prices_vendor_id_fkey' });
    expect(String(err.message)).toContain(`vendor ${id + 1000} does not exist`);
    const moved = await q('UPDATE vendor_prices SET vendor_id = $1', [id + 1000]).catch((e) => e);
    expect(moved).toMatchObject({ code: '23503' });
    expect(await q('SELECT count(*)::int AS n FROM vendor_prices')).toEqual([{ n: 3 }]);
  });

  it("removes a deleted vendor's rows and their history, and no other vendor's", async () => {
    const a = await vendorWithPrices('A');
    const b = await vendorWithPrices('B');
    await q('DELETE FROM vendors WHERE id = $1', [a]);
    expect(await q('SELECT DISTINCT vendor_id::int AS v FROM vendor_prices')).toEqual([{ v: b }]);
    expect(await q('SELECT DISTINCT vendor_id::int AS v FROM vendor_price_history')).toEqual([{ v: b }]);
  });

  it('empties the rows when vendors are truncated', async () => {
    await vendorWithPrices('A');
    await q('TRUNCATE vendors CASCADE');
    expect(await q('SELECT count(*)::int AS n FROM vendor_prices')).toEqual([{ n: 0 }]);
    expect(await q('SELECT count(*)::int AS n FROM vendor_price_history')).toEqual([{ n: 0 }]);
  });
});
