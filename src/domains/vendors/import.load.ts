import type pg from 'pg';
import { copyFields, copyRows } from '../../platform/db/copy.ts';
import {
  type Fingerprint,
  FingerprintBuilder,
  FingerprintSet,
  fingerprint,
  fingerprintText,
} from '../../platform/fingerprint.ts';
import { type LoadContext, type RowCounts, resetRowCounts, tallyRow } from '../../platform/load/index.ts';
import * as repo from './import.repo.ts';
import { DIRECT_COLUMNS, STAGE_COLUMNS } from './import.repo.ts';
import type { ImportSummary } from './import.service.ts';
import type { PriceRow, RowResult } from './parse/index.ts';

/**
 * How the rows of one pass over the file reach the database:
 * - `direct`: a vendor without prices yet; rows go by COPY straight into vendor_prices.
 * - `changed`: rows whose fingerprint the vendor already stores are counted unchanged and dropped
 *   here; the rest are staged for the merge.
 * - `staged`: every row is staged (the fallback when the file repeats a SKU).
 * The first two stop at a SKU seen twice (`RepeatedSku`): the last row of a SKU must win, which only
 * the staged merge's dedupe can honour; the import then starts over in `staged`.
 */
export type LoadPlan =
  | { mode: 'direct'; vendorId: number; priceListId: number; at: Date }
  | { mode: 'changed'; stored: FingerprintSet }
  | { mode: 'staged' };

export class RepeatedSku extends Error {
  constructor() {
    super('a SKU appears twice in the file');
  }
}

export interface PassResult {
  /** Rows written by COPY (into vendor_prices or the stage). */
  loaded: number;
  /** Valid rows whose stored fingerprint matched (`changed` only). */
  unchanged: number;
  /** Whether a SKU (probably) appeared twice (`staged` only; the others throw RepeatedSku). */
  maybeDuplicates: boolean;
}

const TABLES = { direct: 'vendor_prices', changed: 'stage_prices', staged: 'stage_prices' } as const;

/** The row's fields as COPY text, in the order of ROW_COLUMNS. */
function rowFields(r: PriceRow): string {
  return copyFields([
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

const rowHash = new FingerprintBuilder();

/** A field: -1 for none, else a count as itself, a text as its length and then its characters. */
function addField(v: string | number | null): void {
  if (v === null) rowHash.int(-1);
  else if (typeof v === 'number') rowHash.int(v);
  else rowHash.int(v.length).add(v);
}

/**
 * The fingerprint of a row's values, hashed as they are: a re-import builds the COPY text only for
 * the rows it keeps (building it for every row cost as much as parsing).
 */
export function rowFingerprint(r: PriceRow, out: Fingerprint): Fingerprint {
  rowHash.reset();
  addField(r.sku);
  addField(r.asin);
  addField(r.barcode);
  addField(r.title);
  addField(r.cost);
  addField(r.currency);
  addField(r.pack_size);
  addField(r.moq);
  addField(r.lead_time_days);
  return rowHash.finish(out);
}

/**
 * One pass over the file's rows: counts and rejections into `counts` (tallyRow: a file with an
 * invalid row is read to its end, but loading stops at the first one unless `skipInvalid`), valid
 * rows by COPY into the plan's table.
 */
export async function loadPass(
  client: pg.PoolClient,
  batches: AsyncIterable<RowResult[]>,
  plan: LoadPlan,
  counts: RowCounts,
  opts: { skipInvalid: boolean; onProgress?: (rowsRead: number) => void },
): Promise<PassResult> {
  const result: PassResult = { loaded: 0, unchanged: 0, maybeDuplicates: false };
  const seen = new FingerprintSet();
  const fp: Fingerprint = { hi: 0, lo: 0 };
  const prefix = plan.mode === 'direct' ? `${plan.vendorId}\t` : '';
  const suffix = plan.mode === 'direct' ? `\t${plan.priceListId}\t${plan.at.toISOString()}` : '';
  // batches of COPY lines: one await per thousand rows rather than per row
  async function* lines(): AsyncGenerator<string[]> {
    let batch: string[] = [];
    for await (const rows of batches) {
      for (const r of rows) {
        const load = tallyRow(counts, r, opts.skipInvalid);
        if (counts.rows % 10_000 === 0) opts.onProgress?.(counts.rows);
        if (!load || !r.ok) continue;
        if (seen.add(fingerprint(r.row.sku, fp))) {
          if (plan.mode !== 'staged') throw new RepeatedSku();
          result.maybeDuplicates = true;
        }
        rowFingerprint(r.row, fp);
        if (plan.mode === 'changed' && plan.stored.has(fp)) {
          result.unchanged += 1;
          continue;
        }
        const fields = rowFields(r.row);
        const fpText = fingerprintText(fp);
        batch.push(
          plan.mode === 'direct'
            ? `${prefix}${fields}${suffix}\t${fpText}`
            : `${r.row.line}\t${fields}\t${fpText}`,
        );
        if (batch.length === 1000) {
          yield batch;
          batch = [];
        }
      }
    }
    if (batch.length > 0) yield batch;
    opts.onProgress?.(counts.rows);
  }
  const columns = plan.mode === 'direct' ? DIRECT_COLUMNS : STAGE_COLUMNS;
  result.loaded = await copyRows(client, TABLES[plan.mode], columns, lines(), (line) => line);
  return result;
}

export interface LoadTarget {
  vendorId: number;
  priceListId: number;
  at: Date;
  /** The vendor has no prices yet. */
  empty: boolean;
}

export interface Loaded {
  /** Valid rows, each SKU counted once. */
  distinct: number;
  inserted: number;
  updated: number;
  history: number;
}

/**
 * Loads the file's rows for the vendor inside the load's transaction and merges them: straight
 * into vendor_prices for a vendor without prices, otherwise new and changed rows through the stage.
 * A file that repeats a SKU is read again, every row staged, so the dedupe keeps each SKU's last
 * row. Returns the merge's counts; after a rejected file (`ctx.rejectsFile()`) nothing was merged
 * and the pipeline rolls back.
 */
export async function loadPriceRows(
  ctx: LoadContext<ImportSummary>,
  target: LoadTarget,
  batches: AsyncIterable<RowResult[]>,
  reopen: () => Promise<{ batches: AsyncIterable<RowResult[]> }>,
): Promise<Loaded> {
  const none: Loaded = { distinct: 0, inserted: 0, updated: 0, history: 0 };
  const { client, summary: counts } = ctx;
  const opts = { skipInvalid: ctx.skipInvalid, onProgress: () => ctx.progress() };
  await repo.createStage(client);
  // before the stored fingerprints are read: a barcode's ASIN changed after that read would clear
  // fingerprints this import has already trusted
  const lookup = await repo.lockIdentifiers(client);
  let plan: LoadPlan = target.empty
    ? { mode: 'direct', vendorId: target.vendorId, priceListId: target.priceListId, at: target.at }
    : { mode: 'changed', stored: await repo.storedFingerprints(client, target.vendorId) };
  await client.query('SAVEPOINT load');
  let pass: PassResult;
  try {
    pass = await loadPass(client, batches, plan, counts, opts);
  } catch (err) {
    if (!(err instanceof RepeatedSku)) throw err;
    await client.query('ROLLBACK TO SAVEPOINT load');
    resetRowCounts(counts);
    plan = { mode: 'staged' };
    pass = await loadPass(client, (await reopen()).batches, plan, counts, opts);
  }
  if (ctx.rejectsFile()) return none;
  if (plan.mode === 'direct') {
    if (lookup) await repo.fillAsinsByBarcode(client, target.vendorId);
    return { distinct: pass.loaded, inserted: pass.loaded, updated: 0, history: 0 };
  }
  let stage = 'stage_prices';
  let distinct = pass.loaded;
  if (pass.maybeDuplicates) {
    distinct = await repo.dedupeStage(client);
    stage = 'stage_dedup';
  }
  counts.duplicates = pass.loaded - distinct;
  await repo.analyzeStage(client, stage);
  const n = await repo.merge(client, stage, target.vendorId, target.priceListId, target.at, {
    lookup,
    empty: target.empty,
  });
  return { distinct: distinct + pass.unchanged, ...n };
}
