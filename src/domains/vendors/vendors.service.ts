import type { Readable } from 'node:stream';
import type { Db } from '../../platform/db/pool.ts';
import { AppError } from '../../platform/errors.ts';
import type { JobQueue } from '../../platform/jobs/index.ts';
import { uploadKey as storageUploadKey } from '../../platform/storage/index.ts';
import type { ObjectStore } from '../../platform/storage/store.ts';
import { BOM, csvLine } from '../../platform/tabular/csv-export.ts';
import { currencyCodeInput } from '../../platform/tabular/currency.ts';
import { type Field, parseMapOption } from './parse/index.ts';
import { normaliseVendorName } from './vendor-name.ts';
import * as repo from './vendors.repo.ts';

/** A price list older than this is stale (SPEC §10 `stale_price_list`): its costs may have moved. */
export const STALE_PRICE_LIST_DAYS = 30;

export interface VendorsQuery {
  search?: string;
  country?: string;
  currency?: string;
  stale?: boolean;
  sort: repo.VendorSort;
  order?: repo.Order;
  page: number;
  page_size?: number;
}

const TEXT_SORTS = new Set<repo.VendorSort>(['name', 'country', 'currency']);
const defaultOrder = (sort: repo.VendorSort): repo.Order => (TEXT_SORTS.has(sort) ? 'asc' : 'desc');

function filterOf(q: Omit<VendorsQuery, 'sort' | 'page'>, now: Date): repo.VendorFilter {
  return {
    search: q.search?.trim() || undefined,
    country: q.country?.trim().toUpperCase(),
    currency: q.currency?.trim().toUpperCase(),
    stale: q.stale,
    now,
    staleDays: STALE_PRICE_LIST_DAYS,
  };
}

/**
 * GET /vendors: filtered, sorted and paged (every matching vendor without page_size: the pickers
 * need them all, and a wholesale business deals with tens or hundreds of vendors, not millions).
 */
export async function listVendors(db: Db, q: VendorsQuery, now: Date) {
  const order = q.order ?? defaultOrder(q.sort);
  const limit = q.page_size ?? null;
  const offset = limit === null ? 0 : (q.page - 1) * limit;
  const { total, items } = await repo.listVendors(db.pool, filterOf(q, now), q.sort, order, limit, offset);
  return {
    total,
    page: limit === null ? 1 : q.page,
    page_size: limit ?? total,
    sort: q.sort,
    order,
    stale_after_days: STALE_PRICE_LIST_DAYS,
    items,
  };
}

export const CSV_COLUMNS = [
  'id',
  'name',
  'email',
  'country',
  'currency',
  'lead_time_days',
  'moq',
  'offers',
  'last_import_at',
  'last_price_list_id',
  'last_price_list_file',
  'price_list_age_days',
  'stale',
] as const;

/** GET /vendors.csv: every vendor the filter matches, in the list's order. */
export async function vendorsCsv(db: Db, q: Omit<VendorsQuery, 'page' | 'page_size'>, now: Date) {
  const order = q.order ?? defaultOrder(q.sort);
  const { items } = await repo.listVendors(db.pool, filterOf(q, now), q.sort, order);
  async function* lines(): AsyncGenerator<string> {
    yield BOM + csvLine(CSV_COLUMNS);
    for (const v of items) yield csvLine(CSV_COLUMNS.map((c) => v[c]));
  }
  return { filename: `awa-vendors-${now.toISOString().slice(0, 10)}.csv`, lines: lines() };
}

export async function vendorPrices(
  db: Db,
  vendorId: number,
  q: { page: number; page_size: number; search?: string; history: number },
) {
  const vendor = await repo.vendorById(db.pool, vendorId);
  if (!vendor) throw new AppError('not_found', `no vendor ${vendorId}`);
  const { total, items } = await repo.pricesPage(db.pool, vendorId, {
    search: q.search,
    limit: q.page_size,
    offset: (q.page - 1) * q.page_size,
  });
  const history = await repo.historyFor(
    db.pool,
    vendorId,
    items.map((i) => i.sku),
    q.history,
  );
  const bySku = new Map<string, repo.HistoryPoint[]>();
  for (const h of history) bySku.set(h.sku, [...(bySku.get(h.sku) ?? []), h]);
  return {
    vendor,
    total,
    page: q.page,
    page_size: q.page_size,
    items: items.map((i) => ({ ...i, history: (bySku.get(i.sku) ?? []).map(({ sku: _s, ...h }) => h) })),
  };
}

export const priceLists = (db: Db, vendorId: number | undefined, limit: number) =>
  repo.priceLists(db.pool, vendorId, limit);

export interface UploadFields {
  vendor?: string;
  currency?: string;
  sheet?: string;
  map?: string[];
  skip_invalid?: boolean;
  dry_run?: boolean;
  force?: boolean;
}

/** Where an uploaded price list is kept: by month, behind a unique id so names never collide. */
export function uploadKey(fileName: string, now: Date): string {
  return storageUploadKey('raw/price-lists', fileName, now);
}

export async function storeUpload(store: ObjectStore, key: string, body: Readable): Promise<number> {
  const info = await store.put(key, body);
  return info.size;
}

/**
 * Checks an upload's form fields and queues the import job for the stored file. Field problems are
 * found here, before a worker spends time on the file.
 */
export async function queuePriceListImport(
  jobs: JobQueue,
  f: UploadFields & { objectKey: string; fileName: string; actor: string },
): Promise<{ job_id: string; object_key: string; vendor: string; dry_run: boolean }> {
  if (!f.vendor) throw new AppError('invalid', 'the form field "vendor" is required');
  const vendor = normaliseVendorName(f.vendor);
  currencyCodeInput(f.currency); // found here, before a worker spends time on the file
  const map: Record<string, Field> | undefined = f.map?.length ? parseMapOption(f.map) : undefined;
  const jobId = await jobs.enqueue('price_list_import', {
    dry_run: f.dry_run ?? false,
    trigger: 'api',
    object_key: f.objectKey,
    file_name: f.fileName,
    vendor,
    currency: f.currency?.trim().toUpperCase(),
    sheet: f.sheet,
    map,
    skip_invalid: f.skip_invalid ?? false,
    force: f.force ?? false,
    actor: f.actor,
  });
  return { job_id: jobId, object_key: f.objectKey, vendor, dry_run: f.dry_run ?? false };
}

export type { VendorProfile } from './vendors.repo.ts';

/**
 * Vendors with their profile (e-mail, country, currency, lead time), created when missing: for a
 * caller that knows its vendors up front (the demo data set), where the price-list import knows only
 * a name. One statement per vendor, in the given order, so every fresh database numbers them alike.
 * Returns how many vendors were created or changed.
 */
export async function recordVendorProfiles(db: Db, vendors: readonly repo.VendorProfile[]): Promise<number> {
  let n = 0;
  for (const v of vendors) n += await repo.upsertProfile(db.pool, v);
  return n;
}
