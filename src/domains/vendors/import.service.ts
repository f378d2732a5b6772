import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Clock } from '../../platform/clock.ts';
import { findLoad, saveLoad } from '../../platform/db/load-log.ts';
import type { Db } from '../../platform/db/pool.ts';
import { AppError } from '../../platform/errors.ts';
import { sha256OfFile } from '../../platform/files.ts';
import type { Logger } from '../../platform/logger.ts';
import { currencyCodeInput } from '../../platform/tabular/currency.ts';
import { loadPriceRows } from './import.load.ts';
import * as repo from './import.repo.ts';
import { type Field, openPriceList, type Rejection } from './parse/index.ts';
import { normaliseVendorName } from './vendor-name.ts';

export interface ImportDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  /** Currency of the default marketplace: the fallback for files and vendors that name none. */
  defaultCurrency: string;
  maxXlsxUncompressedBytes: number;
  /** Runs after a real import committed (e.g. refresh ROI); its failure does not undo the import. */
  afterImport?: () => Promise<void>;
}

export interface ImportInput {
  file: string;
  /** Name shown in summaries and stored with the price list (defaults to the file's base name). */
  fileName?: string;
  vendor: string;
  currency?: string;
  sheet?: string;
  map?: Record<string, Field>;
  skipInvalid?: boolean;
  dryRun?: boolean;
  force?: boolean;
  source?: 'cli' | 'api';
  objectKey?: string;
  actor?: string;
  onProgress?: (rowsRead: number) => void;
}

export type ImportStatus = 'success' | 'partial' | 'skipped' | 'rejected';

export interface ImportSummary {
  status: ImportStatus;
  vendor: string;
  vendor_id: number | null;
  file: string;
  sha256: string;
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  duplicates: number;
  rejected: number;
  history: number;
  dry_run: boolean;
  price_list_id: number | null;
  duration_ms: number;
  columns: Partial<Record<Field, string>>;
  rejections: Rejection[];
  rejections_truncated: boolean;
}

/**
 * Imports one vendor price list (SPEC §3): parse and validate every row while streaming the valid
 * ones by COPY (see import.load.ts for where they go), then merge, all in one transaction. A file
 * with any invalid row writes nothing unless `skipInvalid`; a dry run does all of it and rolls back.
 */
export async function importPriceList(deps: ImportDeps, input: ImportInput): Promise<ImportSummary> {
  const t0 = performance.now();
  const vendorName = normaliseVendorName(input.vendor);
  const currency = currencyCodeInput(input.currency);
  const fileName = input.fileName ?? path.basename(input.file);
  const sha256 = await sha256OfFile(input.file, fileName);
  const summary: ImportSummary = {
    status: 'success',
    vendor: vendorName,
    vendor_id: null,
    file: fileName,
    sha256,
    rows: 0,
    inserted: 0,
    updated: 0,
    unchanged: 0,
    duplicates: 0,
    rejected: 0,
    history: 0,
    dry_run: input.dryRun ?? false,
    price_list_id: null,
    duration_ms: 0,
    columns: {},
    rejections: [],
    rejections_truncated: false,
  };
  const finish = (status: ImportStatus) => {
    summary.status = status;
    summary.duration_ms = Math.round(performance.now() - t0);
    return summary;
  };

  const client = await deps.db.pool.connect();
  let committed = false;
  try {
    await client.query('BEGIN');
    // before the load_log check, so two imports of the same file record one price list
    await repo.lockImport(client, vendorName, sha256);
    const existing = await repo.findVendor(client, vendorName);
    summary.vendor_id = existing?.id ?? null;
    if (existing) summary.vendor = existing.name;
    if (existing && !input.force) {
      const prev = await findLoad(client, `price_list:${existing.id}`, sha256);
      if (prev?.status === 'success') {
        summary.price_list_id = (prev.meta.price_list_id as number | undefined) ?? null;
        return finish('skipped');
      }
    }
    const rowCurrency = currency ?? existing?.currency?.trim() ?? deps.defaultCurrency;
    const open = () =>
      openPriceList(input.file, {
        currency: rowCurrency,
        sheet: input.sheet,
        map: input.map,
        maxUncompressedBytes: deps.maxXlsxUncompressedBytes,
      });
    // file-level problems (no header, wrong format) are found before anything is written
    const first = await open();
    summary.columns = first.header.columns;
    // A dry run does everything below and rolls it back: its counts are the real run's.
    const vendor = existing ?? (await repo.insertVendor(client, vendorName, rowCurrency));
    const empty = !existing || !(await repo.hasPrices(client, vendor.id));
    const priceListId = await repo.insertPriceList(client, {
      vendorId: vendor.id,
      fileName,
      sha256,
      status: 'success',
      source: input.source ?? 'cli',
      objectKey: input.objectKey ?? null,
      currency: rowCurrency,
      createdBy: input.actor ?? null,
    });
    const at = deps.clock.now();
    const target = {
      vendorId: vendor.id,
      priceListId,
      at,
      empty,
      skipInvalid: input.skipInvalid,
      onProgress: input.onProgress,
    };
    const loaded = await loadPriceRows(client, target, first.rows, open, summary);
    if (summary.rejected > 0 && !input.skipInvalid) return finish('rejected');
    if (summary.rows === 0) throw new AppError('invalid', `${fileName} has a header but no data rows`);
    const status: ImportStatus = summary.rejected > 0 ? 'partial' : 'success';
    Object.assign(summary, { inserted: loaded.inserted, updated: loaded.updated, history: loaded.history });
    summary.unchanged = loaded.distinct - loaded.inserted - loaded.updated;
    if (summary.dry_run) {
      summary.vendor_id = existing?.id ?? null; // what was created is rolled back
      return finish(status);
    }
    summary.vendor_id = vendor.id;
    summary.price_list_id = priceListId;
    finish(status);
    await repo.finishPriceList(client, priceListId, summary, summary.duration_ms);
    const { rejections: _r, ...meta } = summary;
    await saveLoad(client, {
      source: `price_list:${vendor.id}`,
      key: sha256,
      status: 'success',
      meta,
      durationMs: summary.duration_ms,
    });
    await client.query('COMMIT');
    committed = true;
  } finally {
    if (!committed) await client.query('ROLLBACK').catch(() => {});
    client.release();
  }
  if (deps.afterImport) {
    await deps.afterImport().catch((err) => deps.log.error({ err }, 'post-import refresh failed'));
  }
  return finish(summary.status);
}
