import type { Db } from '../../platform/db/pool.ts';

/**
 * Test and bench support for the fees agent (not used by the application): listings seeded the way
 * the listings report leaves them, and readers of what the agent wrote.
 */

export interface ListingSeed {
  asin: string;
  sku?: string;
  marketplace?: string;
  /** null = listed without a price. */
  price?: number | string | null;
  channel?: 'AFN' | 'MFN';
  status?: 'active' | 'inactive' | 'incomplete';
}

export async function insertSellerListing(db: Db, l: ListingSeed): Promise<void> {
  await db.pool.query(
    `INSERT INTO listings (marketplace, sku, asin, price, fulfillment_channel, status)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (marketplace, sku) DO UPDATE SET asin = EXCLUDED.asin, price = EXCLUDED.price,
       fulfillment_channel = EXCLUDED.fulfillment_channel, status = EXCLUDED.status, updated_at = now()`,
    [
      l.marketplace ?? 'DE',
      l.sku ?? `SKU-${l.asin}`,
      l.asin,
      l.price === undefined ? '19.99' : l.price === null ? null : String(l.price),
      l.channel ?? 'AFN',
      l.status ?? 'active',
    ],
  );
}

/** `n` active FBA listings with ASINs `B{prefix}{i}` (10 chars) at prices 10.00 + (i mod 500) / 10. */
export async function seedListings(db: Db, n: number, prefix = 'F', marketplace = 'DE'): Promise<string[]> {
  const { rows } = await db.pool.query<{ asin: string }>(
    `INSERT INTO listings (marketplace, sku, asin, price, fulfillment_channel, status)
     SELECT $3, 'SKU-' || a, a, 10 + (i % 500) / 10.0, 'AFN', 'active'
     FROM generate_series(1, $1::int) i, LATERAL (SELECT 'B' || $2 || lpad(i::text, 9 - length($2), '0') AS a) x
     RETURNING asin`,
    [n, prefix, marketplace],
  );
  return rows.map((r) => r.asin);
}

export interface StoredFees {
  marketplace: string;
  asin: string;
  referral: string | null;
  fulfilment: string | null;
  storage: string | null;
  other: string | null;
  currency: string;
  price_basis: string | null;
  source: string;
  captured_at: Date;
}

export async function feesRows(db: Db): Promise<StoredFees[]> {
  const { rows } = await db.pool.query<StoredFees>(
    `SELECT marketplace::text AS marketplace, asin, referral::text, fulfilment::text, storage::text, other::text,
            currency::text AS currency, price_basis::text, source, captured_at
     FROM fees ORDER BY marketplace, asin`,
  );
  return rows;
}

export async function historyRows(db: Db): Promise<Array<StoredFees>> {
  const { rows } = await db.pool.query<StoredFees>(
    `SELECT marketplace::text AS marketplace, asin, referral::text, fulfilment::text, storage::text, other::text,
            currency::text AS currency, price_basis::text, source, captured_at
     FROM fees_history ORDER BY marketplace, asin, captured_at`,
  );
  return rows;
}

/** Environment that points the fees agent at the local SP-API fake. */
export function spApiEnv(api: { url: string; lwaUrl: string }, extra: Record<string, string> = {}) {
  return {
    SP_API_CLIENT_ID: 'amzn1.application-oa2-client.fake',
    SP_API_CLIENT_SECRET: 'fake-secret',
    SP_API_REFRESH_TOKEN: 'Atzr|fake-refresh',
    SP_API_LWA_URL: api.lwaUrl,
    SP_API_BASE_URL: api.url,
    ...extra,
  };
}
