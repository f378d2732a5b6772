import type { Queryable } from '../../platform/db/queryable.ts';
import { param } from '../../platform/db/queryable.ts';
import type { Tables } from '../../platform/db/tables.gen.ts';

export const VENDOR_SORTS = [
  'name',
  'country',
  'currency',
  'lead_time',
  'moq',
  'offers',
  'last_import',
] as const;
export type VendorSort = (typeof VENDOR_SORTS)[number];
export type Order = 'asc' | 'desc';

export type VendorListItem = Pick<
  Tables['vendors'],
  'id' | 'name' | 'email' | 'country' | 'currency' | 'lead_time_days' | 'moq' | 'updated_at'
> & {
  offers: number;
  last_import_at: Date | null;
  last_price_list_id: number | null;
  last_price_list_file: string | null;
  price_list_age_days: number | null;
  stale: boolean;
};

export interface VendorFilter {
  search?: string;
  country?: string;
  currency?: string;
  stale?: boolean;
  /** "Now" for ages and staleness (the injected clock). */
  now: Date;
  staleDays: number;
}

// Empty values sort last either way; the name (then id) breaks ties in the sort's direction.
const ORDER_BY: Record<VendorSort, string> = {
  name: 'lower(name) %, id %',
  country: 'country % NULLS LAST, lower(name) %, id %',
  currency: 'currency % NULLS LAST, lower(name) %, id %',
  lead_time: 'lead_time_days % NULLS LAST, lower(name) %, id %',
  moq: 'moq % NULLS LAST, lower(name) %, id %',
  offers: 'offers %, lower(name) %, id %',
  last_import: 'last_import_at % NULLS LAST, lower(name) %, id %',
};

const orderBy = (sort: VendorSort, order: Order) =>
  ORDER_BY[sort].replaceAll('%', order === 'asc' ? 'ASC' : 'DESC');

/** Every vendor with its counts, last price list and that list's age, as of `now` (parameters go to `params`). */
function rowsOf(params: unknown[], now: Date, staleDays: number): string {
  return `SELECT v.id, v.name, v.email, v.country, v.currency, v.lead_time_days, v.moq, v.updated_at,
      (SELECT count(*)::int FROM vendor_prices p WHERE p.vendor_id = v.id) AS offers,
      pl.created_at AS last_import_at, pl.id::int AS last_price_list_id, pl.file_name AS last_price_list_file,
      floor(extract(epoch FROM (${param(params, now)}::timestamptz - pl.created_at)) / 86400)::int AS price_list_age_days,
      (pl.created_at IS NULL OR pl.created_at < ${param(params, now)}::timestamptz - make_interval(days => ${param(params, staleDays)}))
        AS stale
    FROM vendors v
    LEFT JOIN LATERAL (SELECT id, file_name, created_at FROM price_lists WHERE vendor_id = v.id
      ORDER BY created_at DESC, id DESC LIMIT 1) pl ON true`;
}

function whereOf(params: unknown[], f: VendorFilter): string {
  const like = f.search ? `%${f.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  const p = (v: unknown) => param(params, v);
  return `(${p(like)}::text IS NULL OR name ILIKE ${p(like)})
    AND (${p(f.country ?? null)}::text IS NULL OR country = ${p(f.country ?? null)})
    AND (${p(f.currency ?? null)}::text IS NULL OR currency = ${p(f.currency ?? null)})
    AND (${p(f.stale ?? null)}::boolean IS NULL OR stale = ${p(f.stale ?? null)})`;
}

/** A page of vendors (every matching one when `limit` is null) and how many match. */
export async function listVendors(
  q: Queryable,
  f: VendorFilter,
  sort: VendorSort = 'name',
  order: Order = 'asc',
  limit: number | null = null,
  offset = 0,
): Promise<{ total: number; items: VendorListItem[] }> {
  const params: unknown[] = [];
  const text = `SELECT x.*, count(*) OVER ()::int AS total FROM (${rowsOf(params, f.now, f.staleDays)}) x
    WHERE ${whereOf(params, f)}
    ORDER BY ${orderBy(sort, order)}
    LIMIT ${param(params, limit)}::int OFFSET ${param(params, offset)}::int`;
  const { rows } = await q.query<VendorListItem & { total: number }>(text, params);
  if (rows.length === 0 && offset > 0) {
    const cp: unknown[] = [];
    const c = await q.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM (${rowsOf(cp, f.now, f.staleDays)}) x WHERE ${whereOf(cp, f)}`,
      cp,
    );
    return { total: c.rows[0]?.n ?? 0, items: [] };
  }
  return { total: rows[0]?.total ?? 0, items: rows.map(({ total: _t, ...r }) => r) };
}

export async function vendorRow(
  q: Queryable,
  id: number,
  now: Date,
  staleDays: number,
): Promise<VendorListItem | undefined> {
  const params: unknown[] = [];
  const text = `SELECT x.* FROM (${rowsOf(params, now, staleDays)}) x WHERE x.id = ${param(params, id)}`;
  const { rows } = await q.query<VendorListItem>(text, params);
  return rows[0];
}

export type VendorSettings = Pick<
  Tables['vendors'],
  'country' | 'currency' | 'lead_time_days' | 'moq' | 'email'
>;

/** The settings row, locked until the transaction ends (two edits of one vendor queue). */
export async function lockSettings(q: Queryable, id: number): Promise<VendorSettings | undefined> {
  const { rows } = await q.query<VendorSettings>(
    `SELECT btrim(country) AS country, btrim(currency) AS currency, lead_time_days, moq, email
     FROM vendors WHERE id = $1 FOR UPDATE`,
    [id],
  );
  return rows[0];
}

export async function saveSettings(q: Queryable, id: number, s: VendorSettings, now: Date) {
  await q.query(
    `UPDATE vendors SET country = $2, currency = $3, lead_time_days = $4, moq = $5, email = $6, updated_at = $7
     WHERE id = $1`,
    [id, s.country, s.currency, s.lead_time_days, s.moq, s.email, now],
  );
}

export interface ItemCounts {
  prices: number;
  /** Prices matched to an ASIN: the offers ROI computes. */
  offers: number;
  no_lead_time: number;
  no_moq: number;
  by_currency: { currency: string; n: number }[];
}

/** What a vendor's items take from its settings: the counts a settings preview reports. */
export async function itemCounts(q: Queryable, id: number): Promise<ItemCounts> {
  const { rows } = await q.query<Omit<ItemCounts, 'by_currency'>>(
    `SELECT count(*)::int AS prices, count(asin)::int AS offers,
       count(*) FILTER (WHERE lead_time_days IS NULL)::int AS no_lead_time,
       count(*) FILTER (WHERE moq = 0)::int AS no_moq
     FROM vendor_prices WHERE vendor_id = $1`,
    [id],
  );
  const cur = await q.query<{ currency: string; n: number }>(
    `SELECT btrim(currency) AS currency, count(*)::int AS n FROM vendor_prices WHERE vendor_id = $1
     GROUP BY 1 ORDER BY 2 DESC, 1`,
    [id],
  );
  return { ...rows[0]!, by_currency: cur.rows };
}

export async function vendorById(
  q: Queryable,
  id: number,
): Promise<Pick<Tables['vendors'], 'id' | 'name'> | undefined> {
  const { rows } = await q.query<Pick<Tables['vendors'], 'id' | 'name'>>(
    'SELECT id, name FROM vendors WHERE id = $1',
    [id],
  );
  return rows[0];
}

export type PriceItem = Pick<
  Tables['vendor_prices'],
  | 'sku'
  | 'asin'
  | 'barcode'
  | 'title'
  | 'cost'
  | 'currency'
  | 'pack_size'
  | 'moq'
  | 'lead_time_days'
  | 'price_list_id'
  | 'updated_at'
>;

/** A page of a vendor's prices in sku order (the primary key serves it), with a total. */
export async function pricesPage(
  q: Queryable,
  vendorId: number,
  f: { search?: string; limit: number; offset: number },
): Promise<{ total: number; items: PriceItem[] }> {
  const like = f.search ? `%${f.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  const params: unknown[] = [];
  const p = (v: unknown) => param(params, v);
  const where = `vendor_id = ${p(vendorId)}
    AND (${p(like)}::text IS NULL OR sku ILIKE ${p(like)} OR title ILIKE ${p(like)} OR barcode = ${p(f.search ?? null)}
      OR asin = upper(${p(f.search ?? null)}))`;
  const n = params.length;
  const [items, total] = await Promise.all([
    q.query<PriceItem>(
      `SELECT sku, asin, barcode, title, cost, currency, pack_size, moq, lead_time_days, price_list_id,
        updated_at FROM vendor_prices WHERE ${where} ORDER BY sku LIMIT $${n + 1} OFFSET $${n + 2}`,
      [...params, f.limit, f.offset],
    ),
    q.query<{ n: number }>(`SELECT count(*)::int AS n FROM vendor_prices WHERE ${where}`, params),
  ]);
  return { total: total.rows[0]!.n, items: items.rows };
}

export type HistoryPoint = Pick<
  Tables['vendor_price_history'],
  'sku' | 'observed_at' | 'old_cost' | 'cost' | 'old_currency' | 'currency' | 'price_list_id'
>;

/** The latest `perSku` cost changes of the given items, newest first. */
export async function historyFor(
  q: Queryable,
  vendorId: number,
  skus: string[],
  perSku: number,
): Promise<HistoryPoint[]> {
  if (skus.length === 0) return [];
  const { rows } = await q.query<HistoryPoint>(
    `SELECT h.sku, h.observed_at, h.old_cost, h.cost, h.old_currency, h.currency, h.price_list_id
    FROM unnest($1::text[]) s(sku)
    CROSS JOIN LATERAL (SELECT * FROM vendor_price_history x WHERE x.vendor_id = $2 AND x.sku = s.sku
      ORDER BY x.observed_at DESC LIMIT $3) h
    ORDER BY h.sku, h.observed_at DESC`,
    [skus, vendorId, perSku],
  );
  return rows;
}

export type PriceListRow = Pick<
  Tables['price_lists'],
  | 'id'
  | 'vendor_id'
  | 'file_name'
  | 'sha256'
  | 'rows'
  | 'inserted'
  | 'updated'
  | 'unchanged'
  | 'duplicates'
  | 'rejected'
  | 'status'
  | 'source'
  | 'currency'
  | 'created_by'
  | 'created_at'
  | 'duration_ms'
> & { vendor: string };

export async function priceLists(
  q: Queryable,
  vendorId: number | undefined,
  limit: number,
): Promise<PriceListRow[]> {
  const { rows } = await q.query<PriceListRow>(
    `SELECT pl.id, pl.vendor_id, v.name AS vendor, pl.file_name, pl.sha256, pl.rows, pl.inserted, pl.updated,
      pl.unchanged, pl.duplicates, pl.rejected, pl.status, pl.source, pl.currency, pl.created_by, pl.created_at,
      pl.duration_ms
    FROM price_lists pl JOIN vendors v ON v.id = pl.vendor_id
    WHERE $1::bigint IS NULL OR pl.vendor_id = $2
    ORDER BY pl.created_at DESC, pl.id DESC LIMIT $3`,
    [vendorId ?? null, vendorId ?? null, limit],
  );
  return rows;
}

export interface VendorProfile {
  name: string;
  email: string | null;
  country: string | null;
  currency: string | null;
  leadTimeDays: number | null;
}

/** Creates the vendor or sets its profile; a vendor whose profile is as given is not touched. */
export async function upsertProfile(q: Queryable, v: VendorProfile): Promise<number> {
  const r = await q.query(
    `INSERT INTO vendors AS v (name, email, country, currency, lead_time_days) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (lower(name)) DO UPDATE SET email = EXCLUDED.email, country = EXCLUDED.country,
       currency = EXCLUDED.currency, lead_time_days = EXCLUDED.lead_time_days, updated_at = now()
     WHERE (v.email, v.country, v.currency, v.lead_time_days)
           IS DISTINCT FROM (EXCLUDED.email, EXCLUDED.country, EXCLUDED.currency, EXCLUDED.lead_time_days)`,
    [v.name, v.email, v.country, v.currency, v.leadTimeDays],
  );
  return r.rowCount ?? 0;
}
