import type { Db } from '../../platform/db/pool.ts';
import type { Queryable } from '../../platform/db/queryable.ts';
import * as repo from './catalog.repo.ts';
import * as writes from './products.repo.ts';

/**
 * The catalogue as other domains read it (search, the SKU page): products, barcodes, market history;
 * and as other sources add to it (Amazon's fee preview report, the demo data set). `q` is the pool
 * or the caller's transaction client.
 */

export type { BuyboxPoint, MetricPointRow, ProductHit } from './catalog.repo.ts';
export type { MetricRow, ProductRow } from './products.repo.ts';

/**
 * Products as a source states them. Keepa is authoritative (its non-empty fields overwrite); a
 * source that is not (`fillOnly`: a report's title and package weight) only fills unknown fields.
 * Returns how many products were inserted or changed.
 */
export const recordProducts = (
  q: Queryable,
  marketplace: string,
  rows: writes.ProductRow[],
  opts: { fillOnly: boolean },
) => writes.upsertProducts(q, marketplace, rows, opts);

/** Barcode → ASIN mappings; a barcode now listed on another ASIN moves there. Returns rows changed. */
export const recordIdentifiers = (q: Queryable, rows: Array<{ kind: string; value: string; asin: string }>) =>
  writes.upsertIdentifiers(q, rows);

/** Buy box points marked with their `source` (never taken for Keepa's own). Returns points added. */
export const recordBuybox = (
  q: Queryable,
  marketplace: string,
  currency: string,
  rows: Array<{ asin: string; at: number | Date; price: string }>,
  source: string,
) => writes.insertBuybox(q, marketplace, currency, rows, source);

/** Sales rank, offer counts and prices over time (`source` as for the buy box). Returns points added. */
export const recordMetrics = (
  q: Queryable,
  marketplace: string,
  rows: writes.MetricRow[],
  source = 'keepa',
) => writes.insertMetrics(q, marketplace, rows, source);

export const productsByAsin = (db: Db, asins: string[]) => repo.productsByAsin(db.pool, asins);

/**
 * The forms a barcode may be stored in: spreadsheets drop leading zeros, and one GTIN is written as
 * UPC-A (12 digits), EAN-13 or GTIN-14 depending on the source. Empty unless `code` is 8–14 digits.
 */
export function barcodeForms(code: string): string[] {
  if (!/^[0-9]{8,14}$/.test(code)) return [];
  const bare = code.replace(/^0+/, '');
  return [
    ...new Set([code, ...[8, 12, 13, 14].filter((n) => n >= bare.length).map((n) => bare.padStart(n, '0'))]),
  ];
}

/** ASINs a barcode (EAN, UPC, ISBN, GTIN) identifies, each with the stored form that matched. */
export async function asinsByBarcode(db: Db, code: string) {
  const forms = barcodeForms(code);
  return forms.length === 0 ? [] : repo.asinsByIdentifier(db.pool, forms);
}

export const productsByTitle = (db: Db, needle: string, limit: number) =>
  repo.productsByTitle(db.pool, needle, limit);

export const barcodesOf = (db: Db, asins: string[]) => repo.firstIdentifiers(db.pool, asins);

/** An ASIN's stored market history in [since, until] (since null = all of it), oldest first. */
export async function marketHistory(
  db: Db,
  marketplace: string,
  asin: string,
  since: Date | null,
  until: Date,
) {
  const [buybox, metrics] = await Promise.all([
    repo.buyboxBetween(db.pool, marketplace, asin, since, until),
    repo.metricsBetween(db.pool, marketplace, asin, since, until),
  ]);
  return { buybox, metrics };
}
