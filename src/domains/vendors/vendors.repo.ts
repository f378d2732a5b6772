import { sql } from 'kysely';
import type { Db } from '../../platform/db/pool.ts';

export interface VendorListItem {
  id: number;
  name: string;
  country: string | null;
  currency: string | null;
  lead_time_days: number | null;
  offers: number;
  last_import_at: string | null;
  last_price_list_id: number | null;
}

export async function listVendors(db: Db): Promise<VendorListItem[]> {
  const { rows } = await sql<VendorListItem>`
    SELECT v.id, v.name, v.country, v.currency, v.lead_time_days,
      (SELECT count(*)::int FROM vendor_prices p WHERE p.vendor_id = v.id) AS offers,
      pl.created_at AS last_import_at, pl.id AS last_price_list_id
    FROM vendors v
    LEFT JOIN LATERAL (SELECT id, created_at FROM price_lists WHERE vendor_id = v.id
      ORDER BY created_at DESC, id DESC LIMIT 1) pl ON true
    ORDER BY lower(v.name)`.execute(db.kysely);
  return rows;
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
