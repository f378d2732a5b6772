import type { Queryable } from '../../platform/db/queryable.ts';
import type { Tables } from '../../platform/db/tables.gen.ts';

/** Reads of the catalogue for other domains: products, their identifiers and their market history. */

export type ProductHit = Pick<Tables['products'], 'asin' | 'title'>;

export async function productsByAsin(q: Queryable, asins: string[]): Promise<ProductHit[]> {
  const { rows } = await q.query<ProductHit>(
    'SELECT asin, title FROM products WHERE asin = ANY($1::text[]) ORDER BY asin',
    [asins],
  );
  return rows;
}

const KINDS = ['EAN', 'UPC', 'ISBN', 'GTIN'];

/** ASINs a barcode identifies, under any kind: one probe of the (kind, value) key per kind and form. */
export async function asinsByIdentifier(
  q: Queryable,
  values: string[],
): Promise<Array<{ asin: string; value: string }>> {
  const { rows } = await q.query<{ asin: string; value: string }>(
    `SELECT DISTINCT ON (asin) asin, value FROM product_identifiers
     WHERE kind = ANY($1::text[]) AND value = ANY($2::text[])
     ORDER BY asin, value`,
    [KINDS, values],
  );
  return rows;
}

// Titles ranked among at most this many matches: ranking every match of a common word ("edelstahl":
// 13k of 200k products) costs ~100 ms, ranking the first 200 found a few ms.
const TITLE_CANDIDATES = 200;

/**
 * Products whose title contains `needle` (case-insensitive; the trigram index of migration 0016).
 * Among the first matches found, titles starting with it come first, then shorter titles (closer
 * matches), then by ASIN.
 */
export async function productsByTitle(q: Queryable, needle: string, limit: number): Promise<ProductHit[]> {
  const literal = needle.replace(/[\\%_]/g, (c) => `\\${c}`);
  const { rows } = await q.query<ProductHit>(
    `SELECT asin, title FROM (SELECT asin, title FROM products WHERE title ILIKE $1 LIMIT $4) m
     ORDER BY lower(title) LIKE lower($2) DESC, length(title), asin
     LIMIT $3`,
    [`%${literal}%`, `${literal}%`, limit, TITLE_CANDIDATES],
  );
  return rows;
}

/** One identifier per ASIN (EAN first), to show beside search results. */
export async function firstIdentifiers(q: Queryable, asins: string[]): Promise<Map<string, string>> {
  const { rows } = await q.query<{ asin: string; value: string }>(
    `SELECT DISTINCT ON (asin) asin, value FROM product_identifiers WHERE asin = ANY($1::text[])
     ORDER BY asin, (kind = 'EAN') DESC, (kind = 'UPC') DESC, updated_at DESC, value`,
    [asins],
  );
  return new Map(rows.map((r) => [r.asin, r.value]));
}

export interface BuyboxPoint {
  captured_at: Date;
  price: number;
  currency: string;
  source: string;
}

/** Buy box points in [since, until] (since null = from the first), oldest first. */
export async function buyboxBetween(
  q: Queryable,
  marketplace: string,
  asin: string,
  since: Date | null,
  until: Date,
): Promise<BuyboxPoint[]> {
  const { rows } = await q.query<BuyboxPoint>(
    `SELECT captured_at, price::float8 AS price, currency::text AS currency, source FROM buybox_history
     WHERE marketplace = $1 AND asin = $2 AND ($3::timestamptz IS NULL OR captured_at >= $3) AND captured_at <= $4
     ORDER BY captured_at`,
    [marketplace, asin, since, until],
  );
  return rows;
}

export interface MetricPointRow
  extends Pick<Tables['product_metrics'], 'captured_at' | 'sales_rank' | 'amazon_on_listing'> {
  fba_price: number | null;
}

/** Sales rank, lowest new FBA price and Amazon's presence in [since, until], oldest first. */
export async function metricsBetween(
  q: Queryable,
  marketplace: string,
  asin: string,
  since: Date | null,
  until: Date,
): Promise<MetricPointRow[]> {
  const { rows } = await q.query<MetricPointRow>(
    `SELECT captured_at, sales_rank, fba_price::float8 AS fba_price, amazon_on_listing FROM product_metrics
     WHERE marketplace = $1 AND asin = $2 AND ($3::timestamptz IS NULL OR captured_at >= $3) AND captured_at <= $4
     ORDER BY captured_at`,
    [marketplace, asin, since, until],
  );
  return rows;
}
