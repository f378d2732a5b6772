import { poolOf, type Target } from './catalog.ts';

export interface BulkInput {
  products: number;
  /** Every vendor offers every product: products × vendors offers. */
  vendors: number;
  /** Two upper-case letters starting every ASIN (then 8 digits), vendor name and SKU. */
  prefix?: string;
  /** Unit costs cycled over products and vendors; few values = many offers sharing one ROI. */
  costs?: number[];
  /** Every n-th product has no fees row, so its offers are flagged `fees_missing` (ROI null). */
  flaggedEvery?: number;
}

/**
 * Thousands of offers in a few statements (generate_series), for pagination, plan and load tests.
 * Every product weighs 0.5 kg, pays 3.00 + 3.50 + 0.20 EUR fees and has a 30.00 buy box; freight
 * needs a lane (insertLogisticsRate) or the offers are flagged `freight_missing`.
 */
export async function seedBulkOffers(
  t: Target,
  b: BulkInput,
): Promise<{ vendorIds: number[]; asins: string[]; offers: number }> {
  const prefix = b.prefix ?? 'BK';
  if (!/^[A-Z]{2}$/.test(prefix)) throw new Error('prefix must be two upper-case letters');
  const costs = b.costs ?? [8, 10, 12];
  const client = await poolOf(t).connect();
  try {
    await client.query('BEGIN');
    const v = await client.query(
      `INSERT INTO vendors (name, country, currency)
       SELECT $1 || ' bulk vendor ' || g, 'DE', 'EUR' FROM generate_series(1, $2::int) g RETURNING id`,
      [prefix, b.vendors],
    );
    const vendorIds = v.rows.map((r) => Number(r.id)).sort((x, y) => x - y);
    const p = await client.query(
      `INSERT INTO products (asin, title, brand, category, weight_kg)
       SELECT $1 || lpad(g::text, 8, '0'), 'Bulk product ' || g, 'Brand ' || (g % 20), 'Cat ' || (g % 5), 0.5
       FROM generate_series(1, $2::int) g RETURNING asin`,
      [prefix, b.products],
    );
    const every = b.flaggedEvery ?? 0;
    await client.query(
      `INSERT INTO fees (marketplace, asin, referral, fulfilment, storage, currency, source, captured_at)
       SELECT 'DE', $1 || lpad(g::text, 8, '0'), 3.00, 3.50, 0.20, 'EUR', 'manual', now()
       FROM generate_series(1, $2::int) g WHERE $3::int = 0 OR g % $3::int <> 0`,
      [prefix, b.products, every],
    );
    await client.query(
      `INSERT INTO buybox_history (marketplace, asin, captured_at, price, currency, source)
       SELECT 'DE', $1 || lpad(g::text, 8, '0'), now(), 30.00, 'EUR', 'test'
       FROM generate_series(1, $2::int) g`,
      [prefix, b.products],
    );
    await client.query(
      `INSERT INTO vendor_prices (vendor_id, sku, asin, cost, currency)
       SELECT v.id, $1 || '-' || g || '-' || v.n, $1 || lpad(g::text, 8, '0'),
              ($3::numeric[])[1 + (g + v.n) % cardinality($3::numeric[])], 'EUR'
       FROM generate_series(1, $2::int) g
       CROSS JOIN (SELECT id, row_number() OVER (ORDER BY id) AS n FROM unnest($4::bigint[]) id) v`,
      [prefix, b.products, costs, vendorIds],
    );
    await client.query('COMMIT');
    return { vendorIds, asins: p.rows.map((r) => r.asin), offers: b.products * b.vendors };
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  } finally {
    client.release();
  }
}
