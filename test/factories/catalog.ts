import type pg from 'pg';
import type { Db } from '../../src/platform/db/pool.ts';

/** Factories take the raw pool or the Db of test/helpers/db.ts. */
export type Target = pg.Pool | Db;

export function poolOf(t: Target): pg.Pool {
  return 'kysely' in t ? t.pool : t;
}

let seq = 0;
/** Unique within the test process: names, SKUs and ASINs never collide between factories. */
export function nextSeq(): number {
  seq += 1;
  return seq;
}

/** A valid-looking ASIN (B + 9 base-36 characters), unique per call. */
export function nextAsin(): string {
  return `B${nextSeq().toString(36).toUpperCase().padStart(9, '0')}`;
}

/** An EAN-13 with a correct check digit, unique per call. */
export function nextEan(): string {
  const body = `40${String(nextSeq()).padStart(10, '0')}`;
  const sum = [...body].reduce((s, d, i) => s + Number(d) * (i % 2 === 0 ? 1 : 3), 0);
  return body + String((10 - (sum % 10)) % 10);
}

export interface VendorInput {
  name?: string;
  country?: string | null;
  currency?: string | null;
  email?: string | null;
  lead_time_days?: number | null;
}

export async function insertVendor(t: Target, v: VendorInput = {}): Promise<{ id: number; name: string }> {
  const { rows } = await poolOf(t).query(
    `INSERT INTO vendors (name, country, currency, email, lead_time_days)
     VALUES ($1, $2, $3, $4, $5) RETURNING id, name`,
    [
      v.name ?? `Vendor ${nextSeq()}`,
      v.country === undefined ? 'DE' : v.country,
      v.currency === undefined ? 'EUR' : v.currency,
      v.email ?? null,
      v.lead_time_days ?? null,
    ],
  );
  return { id: Number(rows[0].id), name: rows[0].name };
}

export interface VendorPriceInput {
  vendor_id: number;
  sku?: string;
  asin?: string | null;
  barcode?: string | null;
  title?: string | null;
  /** Per-unit cost, as the importer stores it (a case price divided by pack_size). */
  cost?: number | string;
  currency?: string;
  pack_size?: number;
  moq?: number;
  updated_at?: Date | string;
}

/** Inserts or replaces the (vendor_id, sku) offer. */
export async function insertVendorPrice(
  t: Target,
  p: VendorPriceInput,
): Promise<{ vendor_id: number; sku: string; asin: string | null }> {
  const sku = p.sku ?? `SKU-${nextSeq()}`;
  await poolOf(t).query(
    `INSERT INTO vendor_prices
       (vendor_id, sku, asin, barcode, title, cost, currency, pack_size, moq, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, coalesce($10::timestamptz, now()))
     ON CONFLICT (vendor_id, sku) DO UPDATE SET asin = EXCLUDED.asin, barcode = EXCLUDED.barcode,
       title = EXCLUDED.title, cost = EXCLUDED.cost, currency = EXCLUDED.currency,
       pack_size = EXCLUDED.pack_size, moq = EXCLUDED.moq, updated_at = EXCLUDED.updated_at`,
    [
      p.vendor_id,
      sku,
      p.asin ?? null,
      p.barcode ?? null,
      p.title ?? null,
      String(p.cost ?? '10.00'),
      p.currency ?? 'EUR',
      p.pack_size ?? 1,
      p.moq ?? 0,
      p.updated_at ?? null,
    ],
  );
  return { vendor_id: p.vendor_id, sku, asin: p.asin ?? null };
}

export interface ProductInput {
  asin?: string;
  marketplace?: string;
  title?: string | null;
  brand?: string | null;
  category?: string | null;
  /** Defaults to 0.5 kg; null = unknown. */
  weight_kg?: number | string | null;
  status?: 'pending' | 'approved' | 'rejected' | 'observe';
}

export async function insertProduct(t: Target, p: ProductInput = {}): Promise<{ asin: string }> {
  const asin = p.asin ?? nextAsin();
  await poolOf(t).query(
    `INSERT INTO products (asin, marketplace, title, brand, category, weight_kg, status)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [
      asin,
      p.marketplace ?? 'DE',
      p.title === undefined ? `Product ${asin}` : p.title,
      p.brand === undefined ? 'Acme' : p.brand,
      p.category === undefined ? 'Toys' : p.category,
      p.weight_kg === undefined ? '0.5' : p.weight_kg === null ? null : String(p.weight_kg),
      p.status ?? 'pending',
    ],
  );
  return { asin };
}

export async function insertProductIdentifier(
  t: Target,
  i: { asin: string; value?: string; kind?: 'EAN' | 'UPC' | 'ISBN' | 'GTIN'; updated_at?: Date | string },
): Promise<{ kind: string; value: string; asin: string }> {
  const value = i.value ?? nextEan();
  const kind = i.kind ?? 'EAN';
  await poolOf(t).query(
    `INSERT INTO product_identifiers (kind, value, asin, updated_at)
     VALUES ($1, $2, $3, coalesce($4::timestamptz, now()))`,
    [kind, value, i.asin, i.updated_at ?? null],
  );
  return { kind, value, asin: i.asin };
}
