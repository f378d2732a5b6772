import type { Config } from '../../platform/config.ts';
import type { Db } from '../../platform/db/pool.ts';
import { AppError } from '../../platform/errors.ts';
import * as catalog from '../catalog/catalog.service.ts';
import { listingsBySku, listingsOfAsins } from '../reports/reports.service.ts';
import { offeredAsins } from '../roi/roi.service.ts';

/**
 * The top bar's search: an ASIN, one of the seller's SKUs, a barcode (EAN/UPC/GTIN) or words of a
 * title. Exact matches first (ASIN, SKU, barcode), then title matches; `exact` names the product
 * to jump to when the exact matches are one product.
 */

export const SEARCH_LIMIT = 10;
// a trigram index cannot narrow a 1–2 character substring: shorter queries match exactly only
export const MIN_TITLE_CHARS = 3;

export type Matched = 'asin' | 'sku' | 'ean' | 'title';

export interface SearchItem {
  asin: string;
  title: string | null;
  sku: string | null;
  ean: string | null;
  matched: Matched;
}

export interface SearchDeps {
  db: Db;
  config: Config;
}

export async function search(
  deps: SearchDeps,
  raw: string,
): Promise<{ items: SearchItem[]; exact: string | null }> {
  const { db } = deps;
  const marketplace = deps.config.AWA_MARKETPLACE;
  const q = raw.trim();
  if (q.length === 0) {
    throw new AppError('invalid', 'invalid request: q must not be blank', [
      { field: 'q', message: 'is blank' },
    ]);
  }
  const asin = /^[A-Za-z0-9]{10}$/.test(q) ? q.toUpperCase() : undefined;
  const [products, offered, listings, barcodes, titles] = await Promise.all([
    asin ? catalog.productsByAsin(db, [asin]) : [],
    asin ? offeredAsins(db, [asin]) : new Map<string, string | null>(),
    listingsBySku(db, marketplace, q),
    catalog.asinsByBarcode(db, q),
    q.length >= MIN_TITLE_CHARS ? catalog.productsByTitle(db, q, SEARCH_LIMIT) : [],
  ]);

  // one item per ASIN: the first way it matched wins (exact kinds before titles)
  const found = new Map<string, { matched: Matched; sku?: string; ean?: string; title?: string | null }>();
  const add = (a: string, m: Matched, extra: { sku?: string; ean?: string; title?: string | null } = {}) => {
    if (!found.has(a)) found.set(a, { matched: m, ...extra });
  };
  for (const p of products) add(p.asin, 'asin', { title: p.title });
  if (asin && offered.has(asin)) add(asin, 'asin', { title: offered.get(asin) ?? null });
  for (const l of listings) if (l.asin) add(l.asin, 'sku', { sku: l.sku });
  for (const b of barcodes) add(b.asin, 'ean', { ean: b.value });
  const exactAsins = [...found.keys()];
  for (const t of titles) add(t.asin, 'title', { title: t.title });

  const asins = [...found.keys()].slice(0, SEARCH_LIMIT);
  const [names, skus, eans] = asins.length
    ? await Promise.all([
        catalog.productsByAsin(db, asins),
        listingsOfAsins(db, marketplace, asins),
        catalog.barcodesOf(db, asins),
      ])
    : [[], [], new Map<string, string>()];
  const nameOf = new Map(names.map((p) => [p.asin, p.title]));
  const skuOf = new Map<string, string>();
  for (const l of skus) if (l.asin && !skuOf.has(l.asin)) skuOf.set(l.asin, l.sku);
  return {
    items: asins.map((a) => {
      const f = found.get(a)!;
      return {
        asin: a,
        title: nameOf.get(a) ?? f.title ?? null,
        sku: f.sku ?? skuOf.get(a) ?? null,
        ean: f.ean ?? eans.get(a) ?? null,
        matched: f.matched,
      };
    }),
    exact: exactAsins.length === 1 ? exactAsins[0]! : null,
  };
}
