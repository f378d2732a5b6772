import { nextSeq, poolOf, type Target } from './catalog.ts';

/** Rows the scoring agent reads besides ROI, buy box and sales: product metrics and customer returns. */

export interface MetricsInput {
  asin: string;
  captured_at: Date | string;
  marketplace?: string;
  sales_rank?: number | null;
  offers_new?: number | null;
  offers_fba?: number | null;
  amazon_on_listing?: boolean | null;
}

/** One product_metrics point; fields left out are NULL (Keepa's points are sparse too). */
export async function insertMetrics(t: Target, m: MetricsInput): Promise<void> {
  await poolOf(t).query(
    `INSERT INTO product_metrics (marketplace, asin, captured_at, sales_rank, offers_new, offers_fba,
       amazon_on_listing)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [
      m.marketplace ?? 'DE',
      m.asin,
      m.captured_at,
      m.sales_rank ?? null,
      m.offers_new ?? null,
      m.offers_fba ?? null,
      m.amazon_on_listing ?? null,
    ],
  );
}

/** A customer return (returns report row) of `quantity` units, with a refund amount (EUR) or without. */
export async function insertReturn(
  t: Target,
  r: { asin: string; return_date: Date | string; quantity: number; marketplace?: string; refund?: string },
): Promise<void> {
  const n = nextSeq();
  await poolOf(t).query(
    `INSERT INTO returns_raw (order_id, sku, license_plate_number, return_date, marketplace, asin, quantity,
       refund_amount, currency, load_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, CASE WHEN $8::numeric IS NOT NULL THEN 'EUR' END, 0)`,
    [
      `R-${n}`,
      `SKU-${r.asin}`,
      `LPN${n}`,
      r.return_date,
      r.marketplace ?? 'DE',
      r.asin,
      r.quantity,
      r.refund ?? null,
    ],
  );
}
