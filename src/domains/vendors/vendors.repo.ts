import { sql } from 'kysely';
import type pg from 'pg';
import type { Db } from '../../platform/db/pool.ts';

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

export interface VendorListItem {
  id: number;
  name: string;
  email: string | null;
  country: string | null;
  currency: string | null;
  lead_time_days: number | null;
  moq: number | null;
  offers: number;
  last_import_at: Date | null;
  last_price_list_id: number | null;
  last_price_list_file: string | null;
  price_list_age_days: number | null;
  stale: boolean;
  updated_at: Date;
}

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
  sql.raw(ORDER_BY[sort].replaceAll('%', order === 'asc' ? 'ASC' : 'DESC'));

/** Every vendor with its counts, last price list and that list's age, as of `now`. */
function rowsOf(now: Date, staleDays: number) {
  return sql`SELECT v.id, v.name, v.email, v.country, v.currency, v.lead_time_days, v.moq, v.updated_at,
      (SELECT count(*)::int FROM vendor_prices p WHERE p.vendor_id = v.id) AS offers,
      pl.created_at AS last_import_at, pl.id::int AS last_price_list_id, pl.file_name AS last_price_list_file,
      floor(extract(epoch FROM (${now}::timestamptz - pl.created_at)) / 86400)::int AS price_list_age_days,
      (pl.created_at IS NULL OR pl.created_at < ${now}::timestamptz - make_interval(days => ${staleDays}))
        AS stale
    FROM vendors v
    LEFT JOIN LATERAL (SELECT id, file_name, created_at FROM price_lists WHERE vendor_id = v.id
      ORDER BY created_at DESC, id DESC LIMIT 1) pl ON true`;
}

function whereOf(f: VendorFilter) {
  const like = f.search ? `%${f.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  return sql`(${like}::text IS NULL OR name ILIKE ${like})
    AND (${f.country ?? null}::text IS NULL OR country = ${f.country ?? null})
    AND (${f.currency ?? null}::text IS NULL OR currency = ${f.currency ?? null})
    AND (${f.stale ?? null}::boolean IS NULL OR stale = ${f.stale ?? null})`;
}

/** A page of vendors (every matching one when `limit` is null) and how many match. */
export async function listVendors(
  db: Db,
  f: VendorFilter,
  sort: VendorSort = 'name',
  order: Order = 'asc',
  limit: number | null = null,
  offset = 0,
): Promise<{ total: number; items: VendorListItem[] }> {
  const { rows } = await sql<VendorListItem & { total: number }>`
    SELECT x.*, count(*) OVER ()::int AS total FROM (${rowsOf(f.now, f.staleDays)}) x
    WHERE ${whereOf(f)}
    ORDER BY ${orderBy(sort, order)}
    LIMIT ${limit}::int OFFSET ${offset}::int`.execute(db.kysely);
  if (rows.length === 0 && offset > 0) {
    const c = await sql<{ n: number }>`SELECT count(*)::int AS n FROM (${rowsOf(f.now, f.staleDays)}) x
      WHERE ${whereOf(f)}`.execute(db.kysely);
    return { total: c.rows[0]?.n ?? 0, items: [] };
  }
  return { total: rows[0]?.total ?? 0, items: rows.map(({ total: _t, ...r }) => r) };
}

export async function vendorRow(db: Db, id: number, now: Date, staleDays: number) {
  const { rows } = await sql<VendorListItem>`SELECT x.* FROM (${rowsOf(now, staleDays)}) x
    WHERE x.id = ${id}`.execute(db.kysely);
  return rows[0];
}

export interface VendorSettings {
  country: string | null;
  currency: string | null;
  lead_time_days: number | null;
  moq: number | null;
  email: string | null;
}

/** The settings row, locked until the transaction ends (two edits of one vendor queue). */
export async function lockSettings(c: pg.PoolClient, id: number): Promise<VendorSettings | undefined> {
  const { rows } = await c.query<VendorSettings>(
    `SELECT btrim(country) AS country, btrim(currency) AS currency, lead_time_days, moq, email
     FROM vendors WHERE id = $1 FOR UPDATE`,
    [id],
  );
  return rows[0];
}

export async function saveSettings(c: pg.PoolClient, id: number, s: VendorSettings, now: Date) {
  await c.query(
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
export async function itemCounts(c: pg.PoolClient, id: number): Promise<ItemCounts> {
  const { rows } = await c.query<Omit<ItemCounts, 'by_currency'>>(
    `SELECT count(*)::int AS prices, count(asin)::int AS offers,
       count(*) FILTER (WHERE lead_time_days IS NULL)::int AS no_lead_time,
       count(*) FILTER (WHERE moq = 0)::int AS no_moq
     FROM vendor_prices WHERE vendor_id = $1`,
    [id],
  );
  const cur = await c.query<{ currency: string; n: number }>(
    `SELECT btrim(currency) AS currency, count(*)::int AS n FROM vendor_prices WHERE vendor_id = $1
     GROUP BY 1 ORDER BY 2 DESC, 1`,
    [id],
  );
  return { ...rows[0]!, by_currency: cur.rows };
}

export async function vendorById(db: Db, id: number) {
  const { rows } = await sql<{
    id: number;
    name: string;
  }>`SELECT id, name FROM vendors WHERE id = ${id}`.execute(db.kysely);
  return rows[0];
}

export interface PriceItem {
  sku: string;
  asin: string | null;
  barcode: string | null;
  title: string | null;
  cost: string;
  currency: string;
  pack_size: number;
  moq: number;
  lead_time_days: number | null;
  price_list_id: number | null;
  updated_at: string;
}

/** A page of a vendor's prices in sku order (the primary key serves it), with a total. */
export async function pricesPage(
  db: Db,
  vendorId: number,
  f: { search?: string; limit: number; offset: number },
): Promise<{ total: number; items: PriceItem[] }> {
  const like = f.search ? `%${f.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  const where = sql`vendor_id = ${vendorId}
    AND (${like}::text IS NULL OR sku ILIKE ${like} OR title ILIKE ${like} OR barcode = ${f.search ?? null}
      OR asin = upper(${f.search ?? null}))`;
  const [items, total] = await Promise.all([
    sql<PriceItem>`SELECT sku, asin, barcode, title, cost, currency, pack_size, moq, lead_time_days, price_list_id,
        updated_at FROM vendor_prices WHERE ${where} ORDER BY sku LIMIT ${f.limit} OFFSET ${f.offset}`.execute(
      db.kysely,
    ),
    sql<{ n: number }>`SELECT count(*)::int AS n FROM vendor_prices WHERE ${where}`.execute(db.kysely),
  ]);
  return { total: total.rows[0]!.n, items: items.rows };
}

export interface HistoryPoint {
  sku: string;
  observed_at: string;
  old_cost: string | null;
  cost: string;
  old_currency: string | null;
  currency: string;
  price_list_id: number | null;
}

/** The latest `perSku` cost changes of the given items, newest first. */
export async function historyFor(
  db: Db,
  vendorId: number,
  skus: string[],
  perSku: number,
): Promise<HistoryPoint[]> {
  if (skus.length === 0) return [];
  const { rows } = await sql<HistoryPoint>`
    SELECT h.sku, h.observed_at, h.old_cost, h.cost, h.old_currency, h.currency, h.price_list_id
    FROM unnest(${skus}::text[]) s(sku)
    CROSS JOIN LATERAL (SELECT * FROM vendor_price_history x WHERE x.vendor_id = ${vendorId} AND x.sku = s.sku
      ORDER BY x.observed_at DESC LIMIT ${perSku}) h
    ORDER BY h.sku, h.observed_at DESC`.execute(db.kysely);
  return rows;
}

export async function priceLists(db: Db, vendorId: number | undefined, limit: number) {
  const { rows } = await sql`
    SELECT pl.id, pl.vendor_id, v.name AS vendor, pl.file_name, pl.sha256, pl.rows, pl.inserted, pl.updated,
      pl.unchanged, pl.duplicates, pl.rejected, pl.status, pl.source, pl.currency, pl.created_by, pl.created_at,
      pl.duration_ms
    FROM price_lists pl JOIN vendors v ON v.id = pl.vendor_id
    WHERE ${vendorId ?? null}::bigint IS NULL OR pl.vendor_id = ${vendorId ?? null}
    ORDER BY pl.created_at DESC, pl.id DESC LIMIT ${limit}`.execute(db.kysely);
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
export async function upsertProfile(db: Db, v: VendorProfile): Promise<number> {
  const r = await db.pool.query(
    `INSERT INTO vendors AS v (name, email, country, currency, lead_time_days) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (lower(name)) DO UPDATE SET email = EXCLUDED.email, country = EXCLUDED.country,
       currency = EXCLUDED.currency, lead_time_days = EXCLUDED.lead_time_days, updated_at = now()
     WHERE (v.email, v.country, v.currency, v.lead_time_days)
           IS DISTINCT FROM (EXCLUDED.email, EXCLUDED.country, EXCLUDED.currency, EXCLUDED.lead_time_days)`,
    [v.name, v.email, v.country, v.currency, v.leadTimeDays],
  );
  return r.rowCount ?? 0;
}
