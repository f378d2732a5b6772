import type { Db } from '../../platform/db/pool.ts';
import type { Queryable } from '../../platform/db/queryable.ts';
import { withTransaction } from '../../platform/db/transaction.ts';
import type { ExportRow } from './keepa.export.ts';
import type { ParsedProduct, ProductOutcome } from './keepa.parse.ts';
import * as repo from './keepa.repo.ts';
import * as catalog from './products.repo.ts';

/** What became of one Keepa answer: per-ASIN outcomes, rows written (or that would be), export lines. */
export interface BatchResult {
  updated: number;
  unknown: number;
  invalid: number;
  productsChanged: number;
  identifiersChanged: number;
  buyboxPoints: number;
  metricPoints: number;
  rows: ExportRow[];
}

export interface BatchTarget {
  db: Db;
  marketplace: string;
  currency: string;
  dryRun: boolean;
}

type Resolved =
  | { asin: string; kind: 'ok'; product: ParsedProduct }
  | { asin: string; kind: 'unknown' | 'invalid'; reason: string };

/**
 * Matches Keepa's entries to the ASINs asked for. Keepa answers in request order, which attributes an
 * entry too broken to name its ASIN; an ASIN without any entry is one Keepa does not know.
 */
function resolve(requested: string[], outcomes: ProductOutcome[]): Resolved[] {
  const byAsin = new Map<string, ProductOutcome>();
  outcomes.forEach((o, i) => {
    const own = o.kind === 'ok' ? o.product.asin : o.asin;
    const key = own || (outcomes.length === requested.length ? requested[i] : undefined);
    if (key && !byAsin.has(key)) byAsin.set(key, o);
  });
  return requested.map((asin): Resolved => {
    const o = byAsin.get(asin);
    if (!o) return { asin, kind: 'unknown', reason: 'Keepa returned no product for this ASIN' };
    if (o.kind === 'ok') return { asin, kind: 'ok', product: o.product };
    if (o.kind === 'unknown') return { asin, kind: 'unknown', reason: 'Keepa does not know this ASIN' };
    return { asin, kind: 'invalid', reason: `malformed product: ${o.reason}` };
  });
}

/**
 * Stores one batch in one transaction: products, barcodes, the buy box and metric points newer than
 * the newest stored for each ASIN (so a rerun, or a retry after a crash, adds nothing twice), and
 * the fetch time that orders the next run. A dry run reads the same and writes nothing.
 */
export async function saveBatch(
  t: BatchTarget,
  requested: string[],
  outcomes: ProductOutcome[],
  fetchedAt: Date,
): Promise<BatchResult> {
  const resolved = resolve(requested, outcomes);
  const products = resolved.flatMap((r) => (r.kind === 'ok' ? [r.product] : []));
  const identifiers = new Map<string, { kind: string; value: string; asin: string }>();
  for (const p of products)
    for (const i of p.identifiers) identifiers.set(`${i.kind}:${i.value}`, { ...i, asin: p.asin });

  const work = async (q: Queryable) => {
    const last = await repo.lastPoints(
      q,
      t.marketplace,
      products.map((p) => p.asin),
    );
    const buybox = products.flatMap((p) => {
      const since = last.get(p.asin)?.buybox ?? -Infinity;
      return p.buybox.filter((b) => b.at > since).map((b) => ({ asin: p.asin, ...b }));
    });
    const metrics = products.flatMap((p) => {
      const since = last.get(p.asin)?.metrics ?? -Infinity;
      return p.metrics.filter((m) => m.at > since).map((m) => ({ asin: p.asin, ...m }));
    });
    let productsChanged = products.length;
    let identifiersChanged = identifiers.size;
    let buyboxPoints = buybox.length;
    let metricPoints = metrics.length;
    if (!t.dryRun) {
      productsChanged = await catalog.upsertProducts(q, t.marketplace, products);
      // in key order: batches stored side by side then lock shared barcodes in the same order
      const ids = [...identifiers.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, v]) => v);
      identifiersChanged = await catalog.upsertIdentifiers(q, ids);
      buyboxPoints = await catalog.insertBuybox(q, t.marketplace, t.currency, buybox);
      metricPoints = await catalog.insertMetrics(q, t.marketplace, metrics);
      await repo.markFetched(
        q,
        t.marketplace,
        fetchedAt,
        resolved.map((r) => ({ asin: r.asin, status: r.kind, error: r.kind === 'ok' ? null : r.reason })),
      );
    }
    const count = (rows: Array<{ asin: string }>) => {
      const m = new Map<string, number>();
      for (const r of rows) m.set(r.asin, (m.get(r.asin) ?? 0) + 1);
      return m;
    };
    return {
      productsChanged,
      identifiersChanged,
      buyboxPoints,
      metricPoints,
      bb: count(buybox),
      mx: count(metrics),
    };
  };
  const w = t.dryRun ? await work(t.db.pool) : await withTransaction(t.db, work);

  const rows = resolved.map((r): ExportRow => {
    if (r.kind !== 'ok') return { asin: r.asin, status: r.kind, error: r.reason };
    const p = r.product;
    const m = p.metrics.at(-1);
    return {
      asin: p.asin,
      status: 'ok',
      title: p.title,
      brand: p.brand,
      category: p.category,
      weight_kg: p.weightKg,
      buybox_price: p.buyboxNow?.price ?? null,
      buybox_at: p.buyboxNow ? new Date(p.buyboxNow.at).toISOString() : null,
      sales_rank: m?.salesRank ?? null,
      offers_new: m?.offersNew ?? null,
      fba_price: m?.fbaPrice ?? null,
      amazon_on_listing: m?.amazonOnListing ?? null,
      eans: p.identifiers.filter((i) => i.kind === 'EAN').map((i) => i.value),
      upcs: p.identifiers.filter((i) => i.kind === 'UPC').map((i) => i.value),
      new_buybox_points: w.bb.get(p.asin) ?? 0,
      new_metric_points: w.mx.get(p.asin) ?? 0,
    };
  });
  return {
    updated: products.length,
    unknown: resolved.filter((r) => r.kind === 'unknown').length,
    invalid: resolved.filter((r) => r.kind === 'invalid').length,
    productsChanged: w.productsChanged,
    identifiersChanged: w.identifiersChanged,
    buyboxPoints: w.buyboxPoints,
    metricPoints: w.metricPoints,
    rows,
  };
}
