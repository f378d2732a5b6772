import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/pool.ts';
import { type LoadContext, type LoadSummary, runLoad, withoutRejections } from '../../platform/load/index.ts';
import type { Logger } from '../../platform/logger.ts';
import { currencyCodeInput } from '../../platform/tabular/currency.ts';
import { type Loaded, loadPriceRows } from './import.load.ts';
import { openPriceListReader } from './import.reader.ts';
import * as repo from './import.repo.ts';
import type { Field } from './parse/index.ts';
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

export type ImportStatus = LoadSummary['status'];

/** The load's base summary (status, file, sha256, rows, rejected, rejections, …) and the import's counts. */
export interface ImportSummary extends LoadSummary {
  vendor: string;
  vendor_id: number | null;
  inserted: number;
  updated: number;
  unchanged: number;
  duplicates: number;
  history: number;
  price_list_id: number | null;
  columns: Partial<Record<Field, string>>;
}

/**
 * Imports one vendor price list (SPEC §3) as a staged load (platform/load): parse and validate
 * every row while streaming the valid ones by COPY (see import.load.ts for where they go), then
 * merge, all in one transaction, run once per vendor and file content.
 */
export async function importPriceList(deps: ImportDeps, input: ImportInput): Promise<ImportSummary> {
  const vendorName = normaliseVendorName(input.vendor);
  const currency = currencyCodeInput(input.currency);
  let existing: repo.VendorRow | undefined;
  let vendor: repo.VendorRow;
  let priceListId: number;
  return runLoad<ImportSummary>({
    db: deps.db,
    log: deps.log,
    file: input.file,
    fileName: input.fileName,
    // by name, not id: a new vendor has none yet, and two imports of its same file must record one list
    lock: `price_list:${vendorName.toLowerCase()}`,
    force: input.force,
    dryRun: input.dryRun,
    skipInvalid: input.skipInvalid,
    summary: (base) => ({
      ...base,
      vendor: vendorName,
      vendor_id: null,
      inserted: 0,
      updated: 0,
      unchanged: 0,
      duplicates: 0,
      history: 0,
      price_list_id: null,
      columns: {},
    }),
    // the load_log source is the vendor's id: a vendor created here is rolled back with a failed load
    resolve: async (client, s) => {
      existing = await repo.findVendor(client, vendorName);
      if (existing) Object.assign(s, { vendor: existing.name, vendor_id: existing.id });
      vendor = existing ?? (await repo.insertVendor(client, vendorName, currency ?? deps.defaultCurrency));
      return `price_list:${vendor.id}`;
    },
    skipped: (s, previous) => {
      s.price_list_id = (previous.meta.price_list_id as number | undefined) ?? null;
    },
    load: async (ctx) => {
      priceListId = await loadList(deps, input, ctx, {
        vendor,
        known: existing !== undefined,
        currency: currency ?? existing?.currency?.trim() ?? deps.defaultCurrency,
      });
    },
    record: async (client, s) => {
      await repo.finishPriceList(client, priceListId, s, s.duration_ms);
      return { meta: withoutRejections(s) };
    },
    after: deps.afterImport,
    onProgress: input.onProgress,
  });
}

/** The import's load step: the price list's row, then its rows (import.load.ts). Returns the list's id. */
async function loadList(
  deps: ImportDeps,
  input: ImportInput,
  ctx: LoadContext<ImportSummary>,
  v: { vendor: repo.VendorRow; known: boolean; currency: string },
): Promise<number> {
  const { client, summary } = ctx;
  const open = () =>
    openPriceListReader(input.file, {
      currency: v.currency,
      sheet: input.sheet,
      map: input.map,
      maxUncompressedBytes: deps.maxXlsxUncompressedBytes,
    });
  // file-level problems (no header, wrong format) are found before any row is read; the rows are
  // read by a worker thread (import.reader.ts) while this one does the database's part
  const first = await open();
  let loaded: Loaded;
  let priceListId: number;
  try {
    summary.columns = first.header.columns;
    const empty = !v.known || !(await repo.hasPrices(client, v.vendor.id));
    // one instant for the list and its rows: a list's age (stale_price_list, a vendor's last import)
    // and the history it wrote are then on the same clock, the business's, not the database's
    const at = deps.clock.now();
    priceListId = await repo.insertPriceList(client, {
      vendorId: v.vendor.id,
      fileName: summary.file,
      sha256: summary.sha256,
      status: 'success',
      source: input.source ?? 'cli',
      objectKey: input.objectKey ?? null,
      currency: v.currency,
      createdBy: input.actor ?? null,
      createdAt: at,
    });
    const target = { vendorId: v.vendor.id, priceListId, at, empty };
    loaded = await loadPriceRows(ctx, target, first, open);
  } finally {
    await first.close();
  }
  if (ctx.rejectsFile()) return priceListId;
  Object.assign(summary, { inserted: loaded.inserted, updated: loaded.updated, history: loaded.history });
  summary.unchanged = loaded.distinct - loaded.inserted - loaded.updated;
  // a dry run rolls back what it created: the summary names only what stays
  summary.vendor_id = ctx.dryRun ? (v.known ? v.vendor.id : null) : v.vendor.id;
  summary.price_list_id = ctx.dryRun ? null : priceListId;
  return priceListId;
}
