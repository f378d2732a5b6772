import type { Static } from '@sinclair/typebox';
import { param, type Queryable, type QueryText } from '../../platform/db/queryable.ts';
import type { Offer, RoiRow as RoiRowSchema } from './roi.schemas.ts';
import type { Fees, Product } from './sku.schemas.ts';

export const FLAGS = [
  'fx_missing',
  'weight_missing',
  'freight_missing',
  'fees_missing',
  'fees_partial',
  'no_buybox',
] as const;
export type Flag = (typeof FLAGS)[number];
export const SORT_KEYS = ['roi', 'margin', 'profit', 'asin', 'vendor'] as const;
export type SortKey = (typeof SORT_KEYS)[number];
/** The product's buying decision; `none` = no decision yet (pending, or no product record). */
export const STATUS_FILTERS = ['approved', 'rejected', 'observe', 'none'] as const;
export type StatusFilter = (typeof STATUS_FILTERS)[number];
export type Order = 'asc' | 'desc';

/** What the ROI view reads from configuration (roi_settings), see migrations/0003_roi.sql and 0014. */
export interface RoiSettings {
  marketplace: string;
  currency: string;
  /** The marketplace's VAT rate (reduced rates per category or ASIN are in vat_rates). */
  vatRate: number;
  vatRegistered: boolean;
  destCountry: string;
  lane: { carrier: string; origin: string; dest: string; service: string };
}

export interface RoiFilter {
  roiMin?: number;
  roiMax?: number;
  marginMin?: number;
  marginMax?: number;
  vendorId?: number;
  vendorName?: string;
  category?: string;
  search?: string;
  flags?: Flag[];
  status?: StatusFilter;
  bestOnly: boolean;
}

/**
 * One offer's full breakdown (the columns are listed with their types in roi.schemas.ts). Numbers
 * are float8 in the output only: every figure is already rounded.
 */
export type OfferRow = Static<typeof Offer>;
/** An offer with its ASIN's current score, as GET /roi lists it. */
export type RoiRow = Static<typeof RoiRowSchema>;

// `p` (live products row) overrides the view's product_status, so an approval shows at once rather
// than at the next refresh.
export const OFFER_COLUMNS = `r.vendor_id, r.vendor_name, r.vendor_country, r.sku, r.asin, r.asin_source,
  r.barcode, r.title, r.brand, r.category, coalesce(p.status, r.product_status) AS product_status,
  r.marketplace, r.currency, r.cost::float8, r.cost_currency, r.pack_size, r.cost_fx_rate::float8,
  r.unit_cost::float8, r.weight_kg::float8, r.lane, r.eur_per_kg::float8, r.freight_fx_rate::float8,
  r.freight::float8, r.referral::float8, r.fulfilment::float8, r.storage::float8, r.other::float8, r.fees_currency,
  r.fees_fx_rate::float8, r.fees::float8, r.fba, r.buybox_price::float8, r.buybox_currency,
  r.buybox_fx_rate::float8, r.buybox_at, r.vat_rate::float8, r.vat_source, r.vat_registered, r.price::float8,
  r.returns_allowance::float8, r.profit::float8, r.roi_pct::float8, r.margin_pct::float8, r.flags,
  r.best, r.computed_at`;

// The ASIN's current score (SPEC §7), looked up for the page's rows only (one probe each of the
// scores_latest primary key) after paging: joining all scores before paging would cost every /roi
// request a pass over 200k scores. Read here, not through the scoring service, for that reason.
export const SCORE_COLUMNS =
  'sc.score::float8 AS score, sc.confidence::float8 AS score_confidence, sc.scored_at';
export const SCORE_JOIN = `LEFT JOIN LATERAL (
      SELECT s.score, s.confidence, s.scored_at FROM scores_latest s
      WHERE s.marketplace = r.marketplace AND s.asin = r.asin
    ) sc ON true`;

// Every order ends in (asin, vendor_id, sku), the view's unique key plus asin: pages never overlap or
// skip rows. NULL figures (flagged rows) sort last both ways; each line matches an index of the view.
// The page query aliases the view `r` inside and out, so one string serves both ORDER BYs.
export const ORDER_BY: Record<SortKey, Record<Order, string>> = {
  roi: {
    desc: 'r.roi_pct DESC NULLS LAST, r.asin, r.vendor_id, r.sku',
    asc: 'r.roi_pct ASC NULLS LAST, r.asin, r.vendor_id, r.sku',
  },
  margin: {
    desc: 'r.margin_pct DESC NULLS LAST, r.asin, r.vendor_id, r.sku',
    asc: 'r.margin_pct ASC NULLS LAST, r.asin, r.vendor_id, r.sku',
  },
  // migration 0016's indexes
  profit: {
    desc: 'r.profit DESC NULLS LAST, r.asin, r.vendor_id, r.sku',
    asc: 'r.profit ASC NULLS LAST, r.asin, r.vendor_id, r.sku',
  },
  asin: { desc: 'r.asin DESC, r.vendor_id, r.sku', asc: 'r.asin, r.vendor_id, r.sku' },
  // descending throughout: a backward scan of roi_offers_vendor_name_idx. With ascending tie-breaks
  // Postgres had to sort every offer of the catalogue (0.7 s at 600k offers, bench/RESULTS.md).
  vendor: {
    desc: 'r.vendor_name DESC, r.asin DESC, r.vendor_id DESC, r.sku DESC',
    asc: 'r.vendor_name, r.asin, r.vendor_id, r.sku',
  },
};

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** The filter's condition on roi_offers `r`, its values appended to `params`. */
export function whereOf(f: RoiFilter, params: unknown[]): string {
  const c: string[] = ['true'];
  if (f.bestOnly) c.push('r.best');
  if (f.roiMin !== undefined) c.push(`r.roi_pct >= ${param(params, f.roiMin)}`);
  if (f.roiMax !== undefined) c.push(`r.roi_pct <= ${param(params, f.roiMax)}`);
  if (f.marginMin !== undefined) c.push(`r.margin_pct >= ${param(params, f.marginMin)}`);
  if (f.marginMax !== undefined) c.push(`r.margin_pct <= ${param(params, f.marginMax)}`);
  if (f.vendorId !== undefined) c.push(`r.vendor_id = ${param(params, f.vendorId)}`);
  if (f.vendorName !== undefined) {
    c.push(
      `r.vendor_id = (SELECT id FROM vendors WHERE lower(name) = lower(${param(params, f.vendorName)}))`,
    );
  }
  if (f.category !== undefined) c.push(`r.category = ${param(params, f.category)}`);
  // `search` is lower(asin sku title brand) with a trigram index: substring matches use it
  if (f.search !== undefined) {
    c.push(`r.search LIKE '%' || lower(${param(params, escapeLike(f.search))}) || '%'`);
  }
  if (f.flags?.length) {
    // a flagged row never has an ROI; saying so lets the ROI indexes jump straight to those rows
    c.push(`r.flags && ${param(params, f.flags)}::text[]`, 'r.roi_pct IS NULL');
  }
  // the live decision (products), not the view's copy: an approval filters at once, not at the next
  // refresh. A product without a record has no decision.
  if (f.status === 'none') {
    c.push(`NOT EXISTS (SELECT 1 FROM products d WHERE d.asin = r.asin AND d.status <> 'pending')`);
  } else if (f.status !== undefined) {
    c.push(`r.asin IN (SELECT d.asin FROM products d WHERE d.status = ${param(params, f.status)})`);
  }
  return c.join(' AND ');
}

/**
 * The page query of GET /roi (exported so a test can EXPLAIN it). `matchFirst`: collect the matches
 * first, then sort them — for a search with few matches; otherwise the planner may walk a sort index
 * and test every row against the search until the page is full (16 ms for 800 matches in 600k).
 */
export function pageQuery(
  f: RoiFilter,
  sort: SortKey,
  order: Order,
  limit: number,
  offset: number,
  matchFirst = false,
): QueryText {
  const values: unknown[] = [];
  const by = ORDER_BY[sort][order];
  const matches = matchFirst
    ? `WITH matches AS MATERIALIZED (SELECT * FROM roi_offers r WHERE ${whereOf(f, values)}) `
    : '';
  const from = matchFirst
    ? `(SELECT * FROM matches r ORDER BY ${by} LIMIT ${param(values, limit)} OFFSET ${param(values, offset)})`
    : `(SELECT * FROM roi_offers r WHERE ${whereOf(f, values)} ORDER BY ${by} LIMIT ${param(values, limit)} OFFSET ${param(values, offset)})`;
  const text = `${matches}
    SELECT ${OFFER_COLUMNS}, ${SCORE_COLUMNS}
    FROM ${from} r
    LEFT JOIN products p ON p.asin = r.asin
    ${SCORE_JOIN}
    ORDER BY ${by}`;
  return { text, values };
}

export async function listPage(
  q: Queryable,
  f: RoiFilter,
  sort: SortKey,
  order: Order,
  limit: number,
  offset: number,
  matchFirst = false,
): Promise<RoiRow[]> {
  const page = pageQuery(f, sort, order, limit, offset, matchFirst);
  const { rows } = await q.query<RoiRow>(page.text, page.values);
  return rows;
}

export async function countMatches(q: Queryable, f: RoiFilter): Promise<number> {
  const values: unknown[] = [];
  const { rows } = await q.query<{ n: number }>(
    `SELECT count(*) AS n FROM roi_offers r WHERE ${whereOf(f, values)}`,
    values,
  );
  return rows[0]?.n ?? 0;
}

/**
 * Which contents the view has: the id of the last recorded refresh (0 before the first one). The
 * view changes only when it is refreshed, so anything derived from it can be cached under this id.
 */
export async function viewGeneration(q: Queryable): Promise<number> {
  const { rows } = await q.query<{ id: number | null }>('SELECT max(id) AS id FROM roi_refreshes');
  return Number(rows[0]?.id ?? 0);
}

/**
 * Which decisions products have: advanced after every committed decision (migration 0016), so counts
 * of a `status` filter can be cached until the next one.
 */
export async function decisionsVersion(q: Queryable): Promise<number> {
  const { rows } = await q.query<{ v: number }>(
    'SELECT CASE WHEN is_called THEN last_value ELSE 0 END AS v FROM roi_decisions_seq',
  );
  return Number(rows[0]?.v ?? 0);
}

export async function bumpDecisionsVersion(q: Queryable): Promise<void> {
  await q.query(`SELECT nextval('roi_decisions_seq')`);
}

export async function offersOfAsin(q: Queryable, asin: string): Promise<OfferRow[]> {
  const { rows } = await q.query<OfferRow>(
    `SELECT ${OFFER_COLUMNS} FROM roi_offers r LEFT JOIN products p ON p.asin = r.asin
    WHERE r.asin = $1
    ORDER BY r.best DESC, r.roi_pct DESC NULLS LAST, r.unit_cost NULLS LAST, r.vendor_id, r.sku`,
    [asin],
  );
  return rows;
}

export async function bestOffers(q: Queryable, asins: string[]): Promise<OfferRow[]> {
  const { rows } = await q.query<OfferRow>(
    `SELECT ${OFFER_COLUMNS} FROM roi_offers r LEFT JOIN products p ON p.asin = r.asin
    WHERE r.best AND r.asin = ANY($1::text[])`,
    [asins],
  );
  return rows;
}

/** The product record as the SKU page shows it (measures as float8, its schema in sku.schemas.ts). */
export async function product(q: Queryable, asin: string): Promise<Static<typeof Product> | null> {
  const { rows } = await q.query<Static<typeof Product>>(
    `SELECT asin, marketplace, title, brand, category, weight_kg::float8, length_cm::float8,
           width_cm::float8, height_cm::float8, status, approved_by, approved_at, created_at, updated_at
    FROM products WHERE asin = $1`,
    [asin],
  );
  return rows[0] ?? null;
}

/** The ASIN's fee snapshot as the SKU page shows it (amounts as float8, its schema in sku.schemas.ts). */
export async function feesRow(
  q: Queryable,
  marketplace: string,
  asin: string,
): Promise<Static<typeof Fees> | null> {
  const { rows } = await q.query<Static<typeof Fees>>(
    `SELECT marketplace, asin, referral::float8, fulfilment::float8, storage::float8, other::float8,
           currency, price_basis::float8, source, captured_at
    FROM fees WHERE marketplace = $1 AND asin = $2`,
    [marketplace, asin],
  );
  return rows[0] ?? null;
}

/**
 * Sets the decision on every ASIN, or on none, in the caller's transaction: the rows are locked
 * first, and with any unknown ASIN nothing is updated (the unknown ones are returned; empty on
 * success). A dry run stops after the check and reports how many rows it would update.
 */
export async function setStatus(
  q: Queryable,
  asins: string[],
  status: string,
  by: string,
  opts: { dryRun?: boolean; at?: Date } = {},
): Promise<{ updated: number; unknown: string[] }> {
  const found = await q.query<{ asin: string }>(
    'SELECT asin FROM products WHERE asin = ANY($1::text[]) ORDER BY asin FOR UPDATE',
    [asins],
  );
  const known = new Set(found.rows.map((r) => r.asin));
  const unknown = asins.filter((a) => !known.has(a));
  if (unknown.length > 0) return { updated: 0, unknown };
  if (opts.dryRun) return { updated: known.size, unknown };
  const values: unknown[] = [status, by];
  const at = opts.at ? param(values, opts.at) : 'now()';
  const r = await q.query(
    `UPDATE products SET status = $1, approved_by = $2, approved_at = ${at}, updated_at = ${at}
     WHERE asin = ANY(${param(values, asins)}::text[])`,
    values,
  );
  return { updated: r.rowCount ?? 0, unknown };
}
