import { marketplaceCodeInput } from '../../platform/amazon/marketplaces.ts';
import type { Db } from '../../platform/db/pool.ts';
import { AppError } from '../../platform/errors.ts';
import type { JobQueue } from '../../platform/jobs/index.ts';
import type { ObjectStore } from '../../platform/storage/index.ts';
import { uploadKey as storageUploadKey } from '../../platform/storage/index.ts';
import { parseReportType } from './parse/index.ts';
import * as repo from './reports.repo.ts';

export interface IngestRequest {
  uri?: string;
  /** A file uploaded earlier (POST /reports/detect), ingested without sending it again. */
  object_key?: string;
  file_name?: string;
  type?: string;
  marketplace?: string;
  force?: boolean;
  dry_run?: boolean;
  skip_invalid?: boolean;
}

/**
 * SPEC §4: an upload is kept under raw/amazon/YYYY-MM/, its sanitised name behind a unique id, so a
 * queued job never reads a file that a later upload of the same name (on any replica) replaced.
 */
export function uploadKey(fileName: string, now: Date): string {
  return storageUploadKey('raw/amazon', fileName, now);
}

// Over HTTP only remote sources: a path or file:// would let an API caller read the server's files.
const API_SCHEMES = /^(s3|https?):\/\//i;

export function checkUri(uri: string): void {
  if (!API_SCHEMES.test(uri)) {
    throw new AppError('invalid', `uri must be an s3://, http:// or https:// URI (got "${uri}")`, {
      field: 'uri',
      value: uri,
    });
  }
}

// An earlier upload (POST /reports/detect) named by its key: only the report upload area, so a
// caller cannot have the worker read any other object of the store.
const UPLOAD_AREA = /^raw\/amazon\/\d{4}-\d{2}\/[^/]+$/;

/** Checks that `key` is a stored report upload; 400 naming the field otherwise. */
export async function checkUploadKey(store: ObjectStore, key: string): Promise<void> {
  if (!UPLOAD_AREA.test(key) || key.includes('..')) {
    throw new AppError('invalid', `object_key must be a report upload (raw/amazon/YYYY-MM/…), got "${key}"`, {
      field: 'object_key',
      value: key,
    });
  }
  if (!(await store.stat(key))) {
    throw new AppError('invalid', `object_key "${key}" is not stored (upload the file again)`, {
      field: 'object_key',
      value: key,
    });
  }
}

/** Checks the request before a worker spends time on it, then queues the ingest job. */
export async function queueIngest(
  jobs: JobQueue,
  r: IngestRequest & { objectKey?: string; fileName?: string; actor: string },
): Promise<{ job_id: string; object_key?: string; uri?: string; dry_run: boolean }> {
  if (!r.objectKey && !r.uri)
    throw new AppError('invalid', 'send a file (multipart) or a JSON body with "uri" or "object_key"');
  if (r.objectKey && r.uri) throw new AppError('invalid', 'send "uri" or "object_key", not both');
  if (r.uri) checkUri(r.uri);
  const type = r.type ? parseReportType(r.type) : undefined;
  const marketplace = r.marketplace === undefined ? undefined : marketplaceCodeInput(r.marketplace);
  const dryRun = r.dry_run ?? false;
  const jobId = await jobs.enqueue('report_ingest', {
    dry_run: dryRun,
    trigger: 'api',
    object_key: r.objectKey,
    uri: r.uri,
    file_name: r.fileName,
    type,
    marketplace,
    force: r.force ?? false,
    skip_invalid: r.skip_invalid ?? false,
    actor: r.actor,
  });
  return { job_id: jobId, object_key: r.objectKey, uri: r.uri, dry_run: dryRun };
}

export async function loads(db: Db, q: { type?: string; status?: string; page: number; page_size: number }) {
  const type = q.type ? parseReportType(q.type) : undefined;
  const { total, items } = await repo.listLoads(db.pool, {
    type,
    status: q.status,
    limit: q.page_size,
    offset: (q.page - 1) * q.page_size,
  });
  return { total, page: q.page, page_size: q.page_size, items };
}

export interface ReturnsQuery {
  from?: string;
  to?: string;
  asin?: string;
  sort: repo.ReturnsSort;
  page: number;
  page_size: number;
}

const DAY = 86_400_000;

/** A real calendar day written YYYY-MM-DD (not 2026-02-31, which Date would roll over). */
function isDay(s: string): boolean {
  const t = Date.parse(`${s}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === s;
}

/** Returns per ASIN over a window of days (default: the trailing 90 days, the ROI allowance's window). */
export async function returnsStats(db: Db, now: Date, q: ReturnsQuery) {
  // the route's pattern lets 2026-02-31 through; Postgres would refuse it with a 500
  for (const [name, day] of Object.entries({ from: q.from, to: q.to })) {
    if (day !== undefined && !isDay(day)) throw new AppError('invalid', `${name} (${day}) is not a date`);
  }
  const to = q.to ?? now.toISOString().slice(0, 10);
  const from = q.from ?? new Date(Date.parse(to) - 89 * DAY).toISOString().slice(0, 10);
  if (from > to) throw new AppError('invalid', `from (${from}) is after to (${to})`);
  const f: repo.ReturnsFilter = { from, to, asin: q.asin };
  const [summary, items] = await Promise.all([
    repo.returnsSummary(db.pool, f),
    repo.returnsPage(db.pool, f, q.sort, q.page_size, (q.page - 1) * q.page_size),
  ]);
  return { window: { from, to }, summary, total: summary.asins, page: q.page, page_size: q.page_size, items };
}

/** The seller's listings with exactly this SKU (for search). */
export const listingsBySku = (db: Db, marketplace: string, sku: string) =>
  repo.listingsBySku(db.pool, marketplace, sku);

/** Each ASIN's listings, active first then by SKU (for search and the SKU page). */
export const listingsOfAsins = (db: Db, marketplace: string, asins: string[]) =>
  repo.listingsOfAsins(db.pool, marketplace, asins);
