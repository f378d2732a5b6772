import type { Cache } from '../../platform/cache.ts';
import type { Config } from '../../platform/config.ts';
import type { Db } from '../../platform/db/pool.ts';
import type { Queryable } from '../../platform/db/queryable.ts';
import { AppError } from '../../platform/errors.ts';
import * as bulk from './roi.bulk.repo.ts';
import * as repo from './roi.repo.ts';
import {
  FLAGS,
  type Flag,
  type OfferRow,
  type Order,
  type RoiFilter,
  type RoiSettings,
  type SortKey,
  type StatusFilter,
} from './roi.repo.ts';
import * as stats from './roi.stats.repo.ts';
import { lastRefresh } from './roi.update.repo.ts';
import { vatPolicy } from './vat.ts';

export { FLAGS, type Flag, type RoiSettings, type SortKey, type StatusFilter };

/** The ROI from which an ASIN counts as worth buying in the stats (SPEC §6; the `_30` fields). */
export const GOOD_ROI_PCT = 30;
export const ASIN_PATTERN = '^[A-Z0-9]{10}$';
export const DECISIONS = ['approved', 'rejected', 'observe'] as const;
export type Decision = (typeof DECISIONS)[number];

// Freight lanes use ISO countries; Amazon's marketplace codes are the same except the UK's.
const MARKETPLACE_COUNTRY: Record<string, string> = { UK: 'GB' };

/** The config-dependent inputs of the ROI view, from the process configuration. */
export function roiSettingsFrom(config: Config): RoiSettings {
  const [carrier, origin, dest, service] = config.ROI_FREIGHT_LANE.split(':') as [
    string,
    string,
    string,
    string,
  ];
  const vat = vatPolicy(config);
  return {
    marketplace: config.AWA_MARKETPLACE,
    currency: config.AWA_CURRENCY,
    vatRate: vat.rate,
    vatRegistered: vat.registered,
    destCountry: MARKETPLACE_COUNTRY[config.AWA_MARKETPLACE] ?? config.AWA_MARKETPLACE,
    lane: { carrier, origin, dest, service },
  };
}

// the domain's entry for every writer of ROI inputs (SPEC §6)
export { type UpdateOptions, type UpdateResult, updateRoi } from './roi.update.service.ts';

/** The filter parameters GET /roi, /roi.csv, /roi/count and a bulk approval share. */
export interface RoiFilterParams {
  roi_min?: number;
  roi_max?: number;
  margin_min?: number;
  margin_max?: number;
  vendor?: string;
  category?: string;
  search?: string;
  flags?: string;
  status?: StatusFilter;
  best_only?: boolean;
}

export interface RoiQuery extends RoiFilterParams {
  best_only: boolean;
  sort: SortKey;
  order?: Order;
  page: number;
  page_size: number;
}

function invalid(field: string, message: string): AppError {
  return new AppError('invalid', `invalid request: ${field} ${message}`, [{ field, message }]);
}

/** Turns validated query parameters into a filter; rules JSON Schema cannot express live here. */
export function toFilter(q: RoiFilterParams): RoiFilter {
  for (const [name, lo, hi] of [
    ['roi', q.roi_min, q.roi_max],
    ['margin', q.margin_min, q.margin_max],
  ] as const) {
    if (lo !== undefined && hi !== undefined && lo > hi) {
      throw invalid(`${name}_min`, `(${lo}) must not exceed ${name}_max (${hi})`);
    }
  }
  const f: RoiFilter = {
    bestOnly: q.best_only ?? true,
    roiMin: q.roi_min,
    roiMax: q.roi_max,
    marginMin: q.margin_min,
    marginMax: q.margin_max,
    category: q.category,
    status: q.status,
  };
  const vendor = q.vendor?.trim();
  if (vendor) {
    // an all-digit value is a vendor id; anything else a name (case-insensitive, as names are unique)
    if (/^\d+$/.test(vendor)) {
      const id = Number(vendor);
      if (!Number.isSafeInteger(id)) throw invalid('vendor', 'is not a valid vendor id');
      f.vendorId = id;
    } else {
      f.vendorName = vendor;
    }
  }
  const search = q.search?.trim();
  if (search) f.search = search;
  if (q.flags !== undefined) {
    const list = [...new Set(q.flags.split(',').map((s) => s.trim()))].filter(Boolean);
    const unknown = list.filter((s) => !(FLAGS as readonly string[]).includes(s));
    if (unknown.length > 0 || list.length === 0) {
      throw invalid(
        'flags',
        `must be a comma-separated list of ${FLAGS.join(', ')} (unknown: ${unknown.join(', ')})`,
      );
    }
    f.flags = list as Flag[];
  }
  return f;
}

// A total is exact for the view's contents it was counted on; a refresh gives the view a new
// generation and so new keys. The TTL only bounds how long unused keys linger.
const TOTAL_TTL_SECONDS = 3600;
// below this many matches, sorting all matches beats walking a sort index (trigram searches: ≥ 3 chars);
// measured over 600k offers: 800 matches 1.9 ms vs 16 ms walking, 5,000 matches 17 ms vs 4 ms walking
const MATCH_FIRST_MAX = 2_000;

/** Whether GET /roi may collect a search's matches before sorting them, depending on their number. */
const mayMatchFirst = (filter: repo.RoiFilter) => (filter.search?.length ?? 0) >= 3;

/** Whether GET /roi collects a search's matches before sorting them (see repo.pageQuery). */
export function matchFirst(filter: repo.RoiFilter, total: number): boolean {
  return mayMatchFirst(filter) && total <= MATCH_FIRST_MAX;
}

/**
 * Counting every match costs more than the page itself (20–60 ms over 600k offers for a category or
 * a title word, against 1–8 ms for the page): a user paging through one filter pays it once per
 * refresh of the view instead of on every page. A `status` filter reads the live decisions, which
 * change without a refresh: its counts are also keyed on the decisions' version.
 */
async function cachedCount(
  db: Db,
  cache: Cache,
  what: 'total' | 'products',
  filter: repo.RoiFilter,
  count: (q: Queryable, f: repo.RoiFilter) => Promise<number>,
): Promise<number> {
  const [generation, decisions] = await Promise.all([
    repo.viewGeneration(db.pool),
    filter.status === undefined ? 0 : repo.decisionsVersion(db.pool),
  ]);
  const key = `roi:${what}:${generation}:${decisions}:${JSON.stringify(filter)}`;
  const hit = await cache.get<number>(key);
  if (hit !== undefined) return hit;
  const n = await count(db.pool, filter);
  await cache.set(key, n, TOTAL_TTL_SECONDS);
  return n;
}

const totalOf = (db: Db, cache: Cache, filter: repo.RoiFilter) =>
  cachedCount(db, cache, 'total', filter, repo.countMatches);

/** The order a sort reads in unless one is asked for: figures best first, names and ASINs A–Z. */
export function orderOf(sort: SortKey, order: Order | undefined): Order {
  return order ?? (sort === 'asin' || sort === 'vendor' ? 'asc' : 'desc');
}

export async function listRoi(db: Db, cache: Cache, q: RoiQuery) {
  const filter = toFilter(q);
  const order = orderOf(q.sort, q.order);
  const offset = (q.page - 1) * q.page_size;
  const page = (collectFirst: boolean) =>
    repo.listPage(db.pool, filter, q.sort, order, q.page_size, offset, collectFirst);
  // Without a search of 3+ characters the page's plan does not depend on the total: the page is read
  // while the total is looked up (a round trip for the view's generation, usually a cache hit), not
  // after it. Otherwise the (usually cached) total decides the plan: few matches are sorted directly.
  const [total, items] = mayMatchFirst(filter)
    ? await totalOf(db, cache, filter).then(async (n) => [n, await page(matchFirst(filter, n))] as const)
    : await Promise.all([totalOf(db, cache, filter), page(false)]);
  return { total, page: q.page, page_size: q.page_size, sort: q.sort, order, items };
}

type ScoreItem = ({ status: 'ok' } & OfferRow) | { asin: string; status: 'not_found' };

/** The best offer of each ASIN, answered in request order (a repeated ASIN is answered each time). */
export async function score(db: Db, asins: string[]): Promise<{ items: ScoreItem[] }> {
  const rows = await repo.bestOffers(db.pool, [...new Set(asins)]);
  const byAsin = new Map(rows.map((r) => [r.asin, r]));
  return {
    items: asins.map((asin): ScoreItem => {
      const row = byAsin.get(asin);
      return row ? { status: 'ok', ...row } : { asin, status: 'not_found' };
    }),
  };
}

/**
 * GET /roi/count: the offers and the distinct products a filter matches, for "select all N matching".
 * Products are ASINs with a product record: only those can carry a decision.
 */
export async function countRoi(db: Db, cache: Cache, q: RoiFilterParams) {
  const filter = toFilter(q);
  const [total, asins] = await Promise.all([
    totalOf(db, cache, filter),
    cachedCount(db, cache, 'products', filter, bulk.countProducts),
  ]);
  return { total, asins };
}

export async function kpi(db: Db) {
  const [k, flags, last] = await Promise.all([
    stats.kpi(db.pool, GOOD_ROI_PCT),
    stats.flagCounts(db.pool),
    lastRefresh(db.pool),
  ]);
  return {
    products: k.products,
    offers: k.offers,
    vendors: k.vendors,
    asins: k.asins,
    asins_roi_30: k.asins_roi_good,
    flagged_offers: k.flagged_offers,
    flagged: Object.fromEntries(FLAGS.map((f) => [f, flags.get(f) ?? 0])),
    avg_roi: k.avg_roi,
    median_roi: k.median_roi,
    last_refresh_at: last?.finished_at ?? null,
    last_refresh_ms: last?.duration_ms ?? null,
  };
}

export async function roiByVendor(db: Db) {
  const rows = await stats.roiByVendor(db.pool, GOOD_ROI_PCT);
  return {
    items: rows.map(({ share_roi_good, ...r }) => ({ ...r, share_roi_30: share_roi_good })),
  };
}

/** ASINs among these that have vendor offers, with their best offer's title (for search). */
export async function offeredAsins(db: Db, asins: string[]): Promise<Map<string, string | null>> {
  const rows = await repo.bestOffers(db.pool, [...new Set(asins)]);
  return new Map(rows.map((r) => [r.asin, r.title]));
}
