import type { Queryable } from '../../platform/db/queryable.ts';

/** Everything one listing's decision needs, read for all listings in one statement. */
export interface InputRow {
  sku: string;
  asin: string | null;
  listing_price: string | null;
  listing_quantity: number | null;
  /** Our last price in force (price_updates_log), when newer than the listing row. */
  applied_price: string | null;
  current_price: string | null;
  has_rule: boolean;
  min_price: string | null;
  max_price: string | null;
  map_price: string | null;
  strategy: string | null;
  step: string | null;
  enabled: boolean | null;
  /** Best offer's unit cost + freight (roi_offers), marketplace currency. */
  landed_cost: string | null;
  /** The best offer's returns allowance per unit, VAT rate and registration, as ROI used them. */
  returns_allowance: string | null;
  vat_rate: string | null;
  vat_registered: boolean | null;
  /** ROI flagged the fees as partial (no referral, or an FBA offer without its fulfilment fee). */
  fees_partial: boolean;
  lead_time_days: number | null;
  has_fees: boolean;
  /** Fees converted to the marketplace currency; null when their currency has no fx rate. */
  referral: string | null;
  fulfilment: string | null;
  storage: string | null;
  other: string | null;
  price_basis: string | null;
  fees_currency: string | null;
  fees_fx_missing: boolean;
  buybox: string | null;
  buybox_drops_24h: number;
  fulfillable: number | null;
  inbound: number | null;
  units_30d: number | null;
}

export interface InputQuery {
  marketplace: string;
  currency: string;
  now: Date;
  /** Only these SKUs (simulate/apply); all active listings otherwise. */
  skus?: string[];
}

const DAY_MS = 86_400_000;

/**
 * One set-based read: active listings of the marketplace with their rule, price in force, best
 * offer's landed cost and lead time, fees, latest buy box and its drops over 24 h, latest stock
 * snapshot and 30 days of units sold. Per-listing parts are index probes (LATERAL … LIMIT 1 on the
 * tables' (marketplace, key, time) indexes), so the cost grows with listings, not with history.
 */
export async function loadInputs(c: Queryable, q: InputQuery): Promise<InputRow[]> {
  const now = q.now;
  const since24 = new Date(now.getTime() - DAY_MS);
  // the point before the window counts: a drop at 23 h ago is measured from the price before it
  const since48 = new Date(now.getTime() - 2 * DAY_MS);
  const today = now.toISOString().slice(0, 10);
  const { rows } = await c.query<InputRow>(
    `WITH l AS (
       SELECT marketplace, sku, asin, price, quantity, updated_at FROM listings
       WHERE marketplace = $1 AND status = 'active' AND ($5::text[] IS NULL OR sku = ANY($5))
     ),
     sales AS (
       SELECT d.sku, sum(d.units)::int AS units FROM sales_daily d
       WHERE d.day > $6::date - 30 AND d.day <= $6::date
         AND (d.country IS NULL OR d.country = $1 OR ($1 = 'UK' AND d.country = 'GB'))
         AND ($5::text[] IS NULL OR d.sku = ANY($5))
       GROUP BY d.sku
     )
     SELECT l.sku, l.asin, l.price::text AS listing_price, l.quantity AS listing_quantity,
            pu.new_price::text AS applied_price,
            (CASE WHEN pu.new_price IS NOT NULL AND (l.price IS NULL OR pu.created_at > l.updated_at)
                  THEN pu.new_price ELSE l.price END)::text AS current_price,
            (r.sku IS NOT NULL) AS has_rule, r.min_price::text, r.max_price::text, r.map_price::text,
            r.strategy, r.step::text, r.enabled,
            (o.unit_cost + o.freight)::text AS landed_cost, o.returns_allowance::text,
            o.vat_rate::text, o.vat_registered, coalesce('fees_partial' = ANY(o.flags), false) AS fees_partial,
            coalesce(vp.lead_time_days, v.lead_time_days) AS lead_time_days,
            (f.asin IS NOT NULL) AS has_fees,
            (f.referral * fx.rate)::text AS referral, (f.fulfilment * fx.rate)::text AS fulfilment,
            (f.storage * fx.rate)::text AS storage, (f.other * fx.rate)::text AS other, (f.price_basis * fx.rate)::text AS price_basis, f.currency::text AS fees_currency,
            (f.asin IS NOT NULL AND fx.rate IS NULL) AS fees_fx_missing,
            bb.price::text AS buybox, coalesce(dr.drops, 0)::int AS buybox_drops_24h,
            inv.afn_fulfillable_quantity AS fulfillable,
            inv.afn_inbound_working_quantity + inv.afn_inbound_shipped_quantity
              + inv.afn_inbound_receiving_quantity AS inbound,
            s.units AS units_30d
     FROM l
     LEFT JOIN repricer_rules r ON r.marketplace = l.marketplace AND r.sku = l.sku
     LEFT JOIN LATERAL (
       SELECT p.new_price, p.created_at FROM price_updates_log p
       WHERE p.marketplace = l.marketplace AND p.sku = l.sku
         AND p.submission_status IN ('not_submitted', 'accepted')
       ORDER BY p.created_at DESC, p.id DESC LIMIT 1
     ) pu ON true
     LEFT JOIN roi_offers o ON o.asin = l.asin AND o.best
     LEFT JOIN vendor_prices vp ON vp.vendor_id = o.vendor_id AND vp.sku = o.sku
     LEFT JOIN vendors v ON v.id = o.vendor_id
     LEFT JOIN fees f ON f.marketplace = l.marketplace AND f.asin = l.asin
     LEFT JOIN LATERAL (
       SELECT 1::numeric AS rate WHERE f.currency = $2
       UNION ALL
       (SELECT x.rate FROM fx_rates x WHERE f.currency <> $2 AND x.currency = f.currency
        ORDER BY x.as_of DESC LIMIT 1)
     ) fx ON true
     LEFT JOIN LATERAL (
       SELECT h.price FROM buybox_history h WHERE h.marketplace = l.marketplace AND h.asin = l.asin
       ORDER BY h.captured_at DESC LIMIT 1
     ) bb ON true
     LEFT JOIN LATERAL (
       SELECT count(*) FILTER (WHERE w.captured_at > $3 AND w.price < w.prev) AS drops
       FROM (
         SELECT h.captured_at, h.price, lag(h.price) OVER (ORDER BY h.captured_at) AS prev
         FROM buybox_history h
         WHERE h.marketplace = l.marketplace AND h.asin = l.asin AND h.captured_at > $4 AND h.captured_at <= $7
       ) w
     ) dr ON true
     LEFT JOIN LATERAL (
       SELECT * FROM inventory_snapshots i WHERE i.marketplace = l.marketplace AND i.sku = l.sku
       ORDER BY i.as_of DESC LIMIT 1
     ) inv ON true
     LEFT JOIN sales s ON s.sku = l.sku
     ORDER BY l.sku`,
    [q.marketplace, q.currency, since24, since48, q.skus ?? null, today, now],
  );
  return rows;
}

/** The active listings' SKUs on these ASINs (a notified offer change decides just them). */
export async function skusOnAsins(c: Queryable, marketplace: string, asins: string[]): Promise<string[]> {
  const { rows } = await c.query<{ sku: string }>(
    `SELECT sku FROM listings WHERE marketplace = $1 AND status = 'active' AND asin = ANY($2::text[]) ORDER BY sku`,
    [marketplace, asins],
  );
  return rows.map((r) => r.sku);
}

const likePrefix = (s: string) => `${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** A page of active listings' SKUs in byte order (the listings key), and how many match. */
export async function listingSkus(
  q: Queryable,
  marketplace: string,
  f: { skuPrefix?: string; limit: number; offset: number },
): Promise<{ total: number; skus: string[] }> {
  const where = `WHERE marketplace = $1 AND status = 'active' AND ($2::text IS NULL OR sku COLLATE "C" LIKE $2)`;
  const params = [marketplace, f.skuPrefix ? likePrefix(f.skuPrefix) : null];
  const [count, page] = await Promise.all([
    q.query<{ n: number }>(`SELECT count(*)::int AS n FROM listings ${where}`, params),
    q.query<{ sku: string }>(
      `SELECT sku FROM listings ${where} ORDER BY sku COLLATE "C" LIMIT $3 OFFSET $4`,
      [...params, f.limit, f.offset],
    ),
  ]);
  return { total: count.rows[0]!.n, skus: page.rows.map((r) => r.sku) };
}
