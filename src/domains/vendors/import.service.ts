import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Clock } from '../../platform/clock.ts';
import { copyFields, copyRows } from '../../platform/db/copy.ts';
import { findLoad, saveLoad } from '../../platform/db/load-log.ts';
import type { Db } from '../../platform/db/pool.ts';
import { AppError } from '../../platform/errors.ts';
import { sha256OfFile } from '../../platform/files.ts';
import type { Logger } from '../../platform/logger.ts';
import { noteRejected } from '../../platform/tabular/index.ts';

import * as repo from './import.repo.ts';
import { type Field, openPriceList, type PriceRow, type Rejection } from './parse/index.ts';
import { SkuSet } from './sku-set.ts';
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

/** A parsed row as the COPY line of `repo.STAGE_COLUMNS`. */
export function stageLine(r: PriceRow): string {
  return copyFields([
    r.line,
    r.sku,
    r.asin,
    r.barcode,
    r.title,
    r.cost,
    r.currency,
    r.pack_size,
    r.moq,
    r.lead_time_days,
  ]);
}

/**
 * Imports one vendor price list (SPEC §3): parse and validate every row while streaming the valid
 * ones into a staging table (COPY), then one set-based merge, all in one transaction. A file with
 * any invalid row writes nothing unless `skipInvalid`; a dry run does all of it and rolls back.
 */
export async function importPriceList(deps: ImportDeps, input: ImportInput): Promise<ImportSummary> {
  const t0 = performance.now();
  const vendorName = normaliseVendorName(input.vendor);
  const currency = input.currency?.trim().toUpperCase();
  if (currency !== undefined && !/^[A-Z]{3}$/.test(currency)) {
    throw new AppError(
      'invalid',
      `--currency must be a 3-letter ISO code such as EUR (got "${input.currency}")`,
    );
  }
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
    let vendor = await repo.findVendor(client, vendorName);
    summary.vendor_id = vendor?.id ?? null;
    if (vendor) summary.vendor = vendor.name;
    if (vendor && !input.force) {
      const prev = await findLoad(client, `price_list:${vendor.id}`, sha256);
      if (prev?.status === 'success') {
        summary.price_list_id = (prev.meta.price_list_id as number | undefined) ?? null;
        return finish('skipped');
      }
    }
    const rowCurrency = currency ?? vendor?.currency?.trim() ?? deps.defaultCurrency;
    const { header, rows } = await openPriceList(input.file, {
      currency: rowCurrency,
      sheet: input.sheet,
      map: input.map,
      maxUncompressedBytes: deps.maxXlsxUncompressedBytes,
    });
    summary.columns = header.columns;
    await repo.createStage(client);

    const seen = new SkuSet();
    let maybeDuplicates = false;
    const skipInvalid = input.skipInvalid ?? false;
    // batches for COPY: one await per thousand rows rather than per row
    async function* valid(): AsyncGenerator<PriceRow[]> {
      let batch: PriceRow[] = [];
      for await (const r of rows) {
        summary.rows += 1;
        if (summary.rows % 10_000 === 0) input.onProgress?.(summary.rows);
        if (!r.ok) {
          noteRejected(summary, r.rejections);
          continue;
        }
        // once the file is known to be rejected as a whole, keep validating but stop loading
        if (summary.rejected > 0 && !skipInvalid) continue;
        if (seen.add(r.row.sku)) maybeDuplicates = true;
        batch.push(r.row);
        if (batch.length === 1000) {
          yield batch;
          batch = [];
        }
      }
      if (batch.length > 0) yield batch;
      input.onProgress?.(summary.rows);
    }
    const staged = await copyRows(client, 'stage_prices', repo.STAGE_COLUMNS, valid(), stageLine);
    if (summary.rejected > 0 && !skipInvalid) return finish('rejected');
    if (summary.rows === 0) throw new AppError('invalid', `${fileName} has a header but no data rows`);

    let stage = 'stage_prices';
    let distinct = staged;
    if (maybeDuplicates) {
      distinct = await repo.dedupeStage(client);
      stage = 'stage_dedup';
    }
    summary.duplicates = staged - distinct;
    await repo.analyzeStage(client, stage);
    const lookup = await repo.hasIdentifiers(client);
    const status: ImportStatus = summary.rejected > 0 ? 'partial' : 'success';
    if (summary.dry_run) {
      const n = await repo.countMerge(client, stage, vendor?.id ?? null, lookup);
      Object.assign(summary, { inserted: n.inserted, updated: n.updated, history: n.history });
      summary.unchanged = distinct - n.inserted - n.updated;
      return finish(status);
    }
    const newVendor = !vendor;
    vendor ??= await repo.insertVendor(client, vendorName, rowCurrency);
    summary.vendor_id = vendor.id;
    summary.price_list_id = await repo.insertPriceList(client, {
      vendorId: vendor.id,
      fileName,
      sha256,
      status,
      source: input.source ?? 'cli',
      objectKey: input.objectKey ?? null,
      currency: rowCurrency,
      createdBy: input.actor ?? null,
    });
    const n = await repo.merge(client, stage, vendor.id, summary.price_list_id, deps.clock.now(), {
      lookup,
      newVendor,
    });
    Object.assign(summary, { inserted: n.inserted, updated: n.updated, history: n.history });
    summary.unchanged = distinct - n.inserted - n.updated;
    finish(status);
    await repo.finishPriceList(client, summary.price_list_id, summary, summary.duration_ms);
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
