import type { Queryable } from '../../platform/db/queryable.ts';
import type { MetricPoint, ParsedProduct } from './keepa.parse.ts';

/**
 * The catalogue's writers: products, barcodes, buy box and metric points, whichever source brings
 * them (Keepa, Amazon's reports, the demo data set), so each table has one set of rules. Rows go in
 * as arrays through unnest(): one statement per table per batch. Other domains call these through
 * catalog.service.ts.
 */

export type ProductRow = Pick<
  ParsedProduct,
  'asin' | 'title' | 'brand' | 'category' | 'weightKg' | 'lengthCm' | 'widthCm' | 'heightCm'
>;

const PRODUCT_FIELDS = ['title', 'brand', 'category', 'weight_kg', 'length_cm', 'width_cm', 'height_cm'];

/**
 * Inserts or refreshes products; a product whose fields did not change is not touched (its
 * updated_at feeds the ROI view's computed_at). Which value wins depends on the source:
 * - Keepa's catalogue is the authority on product data: its non-empty fields overwrite ours, and a
 *   field it leaves empty keeps what we had.
 * - `fillOnly` (Amazon's fee preview, whose title and package weight are a by-product of a fee
 *   report): only a field we do not know yet (NULL) is filled, so it never undoes Keepa's data.
 * Returns how many rows were inserted or changed.
 */
export async function upsertProducts(
  q: Queryable,
  marketplace: string,
  rows: ProductRow[],
  opts: { fillOnly?: boolean } = {},
): Promise<number> {
  if (rows.length === 0) return 0;
  const col = <K extends keyof ProductRow>(k: K) => rows.map((r) => r[k]);
  const next = (c: string) =>
    opts.fillOnly ? `coalesce(p.${c}, EXCLUDED.${c})` : `coalesce(EXCLUDED.${c}, p.${c})`;
  const r = await q.query(
    `INSERT INTO products AS p (asin, marketplace, title, brand, category, weight_kg, length_cm, width_cm, height_cm)
     SELECT u.asin, $1, u.title, u.brand, u.category, u.weight_kg, u.length_cm, u.width_cm, u.height_cm
     FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::numeric[], $7::numeric[], $8::numeric[],
                 $9::numeric[]) AS u(asin, title, brand, category, weight_kg, length_cm, width_cm, height_cm)
     ON CONFLICT (asin) DO UPDATE SET
       ${PRODUCT_FIELDS.map((c) => `${c} = ${next(c)}`).join(', ')}, updated_at = now()
     WHERE (${PRODUCT_FIELDS.map((c) => `p.${c}`).join(', ')})
       IS DISTINCT FROM (${PRODUCT_FIELDS.map(next).join(', ')})`,
    [
      marketplace,
      col('asin'),
      col('title'),
      col('brand'),
      col('category'),
      col('weightKg'),
      col('lengthCm'),
      col('widthCm'),
      col('heightCm'),
    ],
  );
  return r.rowCount ?? 0;
}

/** Barcode → ASIN; a barcode Keepa now lists on another ASIN moves there. Returns rows changed. */
export async function upsertIdentifiers(
  q: Queryable,
  rows: Array<{ kind: string; value: string; asin: string }>,
): Promise<number> {
  if (rows.length === 0) return 0;
  const r = await q.query(
    `INSERT INTO product_identifiers AS pi (kind, value, asin)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
     ON CONFLICT (kind, value) DO UPDATE SET asin = EXCLUDED.asin, updated_at = now()
     WHERE pi.asin IS DISTINCT FROM EXCLUDED.asin`,
    [rows.map((x) => x.kind), rows.map((x) => x.value), rows.map((x) => x.asin)],
  );
  return r.rowCount ?? 0;
}

/** `source` says where the points came from (`keepa`; the demo data set marks its own `demo`). */
export async function insertBuybox(
  q: Queryable,
  marketplace: string,
  currency: string,
  rows: Array<{ asin: string; at: number | Date; price: string }>,
  source = 'keepa',
): Promise<number> {
  if (rows.length === 0) return 0;
  const r = await q.query(
    `INSERT INTO buybox_history (marketplace, asin, captured_at, price, currency, source)
     SELECT $1, u.asin, u.at, u.price, $2, $6
     FROM unnest($3::text[], $4::timestamptz[], $5::numeric[]) AS u(asin, at, price)
     ON CONFLICT DO NOTHING`,
    [
      marketplace,
      currency,
      rows.map((x) => x.asin),
      rows.map((x) => new Date(x.at).toISOString()),
      rows.map((x) => x.price),
      source,
    ],
  );
  return r.rowCount ?? 0;
}

/** Keepa's points have no FBA offer count (it needs Keepa's paid offers data); the demo's do. */
export type MetricRow = Omit<MetricPoint, 'at'> & {
  asin: string;
  at: number | Date;
  offersFba?: number | null;
};

/** `source` as for the buy box: Keepa counts only its own points when it asks what is new to us. */
export async function insertMetrics(
  q: Queryable,
  marketplace: string,
  rows: MetricRow[],
  source = 'keepa',
): Promise<number> {
  if (rows.length === 0) return 0;
  const col = <K extends keyof MetricRow>(k: K) => rows.map((r) => r[k]);
  const r = await q.query(
    `INSERT INTO product_metrics (marketplace, asin, captured_at, sales_rank, offers_new, fba_price,
                                  amazon_on_listing, rating, reviews, offers_fba, source)
     SELECT $1, u.*, $11 FROM unnest($2::text[], $3::timestamptz[], $4::int[], $5::int[], $6::numeric[], $7::bool[],
                                $8::numeric[], $9::int[], $10::int[])
       AS u(asin, at, sales_rank, offers_new, fba_price, amazon_on_listing, rating, reviews, offers_fba)
     ON CONFLICT DO NOTHING`,
    [
      marketplace,
      col('asin'),
      rows.map((x) => new Date(x.at).toISOString()),
      col('salesRank'),
      col('offersNew'),
      col('fbaPrice'),
      col('amazonOnListing'),
      col('rating'),
      col('reviews'),
      rows.map((x) => x.offersFba ?? null),
      source,
    ],
  );
  return r.rowCount ?? 0;
}
