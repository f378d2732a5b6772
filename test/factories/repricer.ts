import { randomBytes } from 'node:crypto';
import { insertVendor, nextAsin, nextSeq, poolOf, type Target } from './catalog.ts';

/**
 * One of the seller's listings with everything the repricer reads: product, vendor offer (→ landed
 * cost after an ROI refresh), fees with their price basis, buy box points, stock snapshot, units
 * sold and a rule. Money is decimal text; every part can be left out (null) to test its absence.
 */
export interface RepricerListingInput {
  sku?: string;
  asin?: string;
  marketplace?: string;
  /** Listing price; null = none. Default 20.00. */
  price?: string | null;
  quantity?: number;
  /** When the listing row was last refreshed (the applied price wins when newer). */
  updated_at?: string;
  /** Vendor unit cost (EUR, product without weight: freight 0); null = no vendor offer. Default 10.00. */
  cost?: string | null;
  lead_time_days?: number | null;
  /** Default referral 3.00 at price basis 20.00 (15 %), fulfilment 3.00, storage 0.00, EUR. */
  fees?: {
    referral?: string;
    fulfilment?: string;
    storage?: string;
    price_basis?: string;
    currency?: string;
  } | null;
  /** Buy box points [price, captured_at]; a string = one point an hour before `at`. Default '19.50'. */
  buybox?: string | Array<[string, string]> | null;
  /** The time the default buy box point is relative to (default 2026-11-28T10:00:00Z). */
  at?: string;
  /** Latest FBA stock snapshot. */
  stock?: { fulfillable: number; inbound?: number; as_of?: string };
  /** Units shipped to customers on one day within the 30 days before `at`. */
  sold30?: number;
  rule?: {
    min_price?: string | null;
    max_price?: string | null;
    map_price?: string | null;
    strategy?: string;
    step?: string | null;
    enabled?: boolean;
  };
}

export async function seedRepricerListing(
  t: Target,
  l: RepricerListingInput = {},
): Promise<{ sku: string; asin: string }> {
  const pool = poolOf(t);
  const asin = l.asin ?? nextAsin();
  const sku = l.sku ?? `RP-${nextSeq()}`;
  const mkt = l.marketplace ?? 'DE';
  const at = Date.parse(l.at ?? '2026-11-28T10:00:00Z');
  const iso = (ms: number) => new Date(ms).toISOString();
  await pool.query(
    `INSERT INTO products (asin, marketplace, title, weight_kg) VALUES ($1, $2, $3, NULL)
     ON CONFLICT (asin) DO NOTHING`,
    [asin, mkt, `Product ${asin}`],
  );
  if (l.cost !== null) {
    const v = await insertVendor(t, { lead_time_days: null });
    await pool.query(
      `INSERT INTO vendor_prices (vendor_id, sku, asin, cost, currency, lead_time_days)
       VALUES ($1, $2, $3, $4, 'EUR', $5)`,
      [v.id, `V-${sku}`, asin, l.cost ?? '10.00', l.lead_time_days ?? null],
    );
  }
  if (l.fees !== null) {
    const f = l.fees ?? {};
    await pool.query(
      `INSERT INTO fees (marketplace, asin, referral, fulfilment, storage, currency, price_basis, source, captured_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'manual', $8)`,
      [
        mkt,
        asin,
        f.referral ?? '3.00',
        f.fulfilment ?? '3.00',
        f.storage ?? '0.00',
        f.currency ?? 'EUR',
        f.price_basis ?? '20.00',
        iso(at - 86_400_000),
      ],
    );
  }
  const points =
    l.buybox === null
      ? []
      : typeof l.buybox === 'object'
        ? l.buybox
        : [[l.buybox ?? '19.50', iso(at - 3_600_000)]];
  for (const [price, when] of points) {
    await pool.query(
      `INSERT INTO buybox_history (marketplace, asin, captured_at, price, currency, source)
       VALUES ($1, $2, $3, $4, 'EUR', 'test')`,
      [mkt, asin, when, price],
    );
  }
  await pool.query(
    `INSERT INTO listings (marketplace, sku, asin, price, quantity, fulfillment_channel, status, updated_at)
     VALUES ($1, $2, $3, $4, $5, 'AFN', 'active', $6)`,
    [
      mkt,
      sku,
      asin,
      l.price === undefined ? '20.00' : l.price,
      l.quantity ?? 0,
      l.updated_at ?? iso(at - 86_400_000),
    ],
  );
  if (l.stock) {
    await pool.query(
      `INSERT INTO inventory_snapshots (marketplace, sku, as_of, asin, afn_fulfillable_quantity,
         afn_inbound_shipped_quantity, load_id) VALUES ($1, $2, $3, $4, $5, $6, 0)`,
      [mkt, sku, l.stock.as_of ?? iso(at - 7_200_000), asin, l.stock.fulfillable, l.stock.inbound ?? 0],
    );
  }
  if (l.sold30) {
    await pool.query(
      `INSERT INTO inventory_ledger_raw (row_hash, occurrence, event_date, asin, msku, event_type, quantity,
         country, load_id) VALUES ($1, 1, $2, $3, $4, 'Shipments', $5, $6, 0)`,
      [randomBytes(16), iso(at - 5 * 86_400_000).slice(0, 10), asin, sku, -l.sold30, mkt],
    );
  }
  if (l.rule) await insertRepricerRule(t, { sku, marketplace: mkt, ...l.rule });
  return { sku, asin };
}

export async function insertRepricerRule(
  t: Target,
  r: NonNullable<RepricerListingInput['rule']> & { sku: string; marketplace?: string },
): Promise<void> {
  await poolOf(t).query(
    `INSERT INTO repricer_rules (marketplace, sku, min_price, max_price, map_price, strategy, step, enabled)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      r.marketplace ?? 'DE',
      r.sku,
      r.min_price ?? null,
      r.max_price ?? null,
      r.map_price ?? null,
      r.strategy ?? 'beat_buybox',
      r.step ?? null,
      r.enabled ?? true,
    ],
  );
}
