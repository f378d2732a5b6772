import type pg from 'pg';
import { copyChunks } from '../../platform/db/copy.ts';
import { type LoadContext, type RowCounts, resetRowCounts } from '../../platform/load/index.ts';
import type { PriceListReader } from './import.reader.ts';
import * as repo from './import.repo.ts';
import { DIRECT_COLUMNS, STAGE_COLUMNS } from './import.repo.ts';
import { type PassChunk, PROGRESS_ROWS, RepeatedSku, type ScreenPlan } from './import.screen.ts';
import type { ImportSummary } from './import.service.ts';

export interface PassResult {
  /** Rows written by COPY (into vendor_prices or the stage). */
  loaded: number;
  /** Valid rows whose stored fingerprint matched (`changed` only). */
  unchanged: number;
  /** Whether a SKU (probably) appeared twice (`staged` only; the others throw RepeatedSku). */
  maybeDuplicates: boolean;
}

const TABLES = { direct: 'vendor_prices', changed: 'stage_prices', staged: 'stage_prices' } as const;

/**
 * One pass over the file's rows (import.screen.ts, run where the file is parsed): its counts and
 * rejections into `counts`, its COPY text into the plan's table (vendor_prices for `direct`, else the
 * stage).
 */
export async function loadPass(
  client: pg.PoolClient,
  chunks: AsyncIterable<PassChunk>,
  mode: ScreenPlan['mode'],
  counts: RowCounts,
  opts: { onProgress?: (rowsRead: number) => void; recycle?: (chunks: Uint8Array[]) => void },
): Promise<PassResult> {
  const result: PassResult = { loaded: 0, unchanged: 0, maybeDuplicates: false };
  let step = 0;
  async function* copy(): AsyncGenerator<Uint8Array[]> {
    for await (const c of chunks) {
      counts.rows += c.rows;
      counts.rejected += c.rejected;
      for (const r of c.rejections) counts.rejections.push(r);
      if (c.truncated) counts.rejections_truncated = true;
      result.loaded += c.loaded;
      result.unchanged += c.unchanged;
      if (c.maybeDuplicates) result.maybeDuplicates = true;
      // progress every PROGRESS_ROWS rows, as the load pipeline's own tally reports it
      if (Math.floor(counts.rows / PROGRESS_ROWS) > step) {
        step = Math.floor(counts.rows / PROGRESS_ROWS);
        opts.onProgress?.(counts.rows);
      }
      yield c.copy;
    }
    opts.onProgress?.(counts.rows);
  }
  const columns = mode === 'direct' ? DIRECT_COLUMNS : STAGE_COLUMNS;
  await copyChunks(client, TABLES[mode], columns, copy(), opts.recycle);
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
 * row. The first pass reads `reader` (the caller closes it); the fallback opens the file anew.
 * Returns the merge's counts; after a rejected file (`ctx.rejectsFile()`) nothing was merged and the
 * pipeline rolls back.
 */
export async function loadPriceRows(
  ctx: LoadContext<ImportSummary>,
  target: LoadTarget,
  reader: PriceListReader,
  reopen: () => Promise<PriceListReader>,
): Promise<Loaded> {
  const none: Loaded = { distinct: 0, inserted: 0, updated: 0, history: 0 };
  const { client, summary: counts } = ctx;
  const opts = { onProgress: () => ctx.progress() };
  await repo.createStage(client);
  // before the stored fingerprints are read: a barcode's ASIN changed after that read would clear
  // fingerprints this import has already trusted
  const lookup = await repo.lockIdentifiers(client);
  let plan: ScreenPlan = target.empty
    ? {
        mode: 'direct',
        vendorId: target.vendorId,
        priceListId: target.priceListId,
        at: target.at.toISOString(),
      }
    : { mode: 'changed', stored: (await repo.storedFingerprints(client, target.vendorId)).table() };
  await client.query('SAVEPOINT load');
  let pass: PassResult;
  try {
    pass = await loadPass(client, reader.pass(plan, ctx.skipInvalid), plan.mode, counts, {
      ...opts,
      recycle: reader.recycle,
    });
  } catch (err) {
    if (!(err instanceof RepeatedSku)) throw err;
    await client.query('ROLLBACK TO SAVEPOINT load');
    resetRowCounts(counts);
    plan = { mode: 'staged' };
    const again = await reopen();
    try {
      pass = await loadPass(client, again.pass(plan, ctx.skipInvalid), plan.mode, counts, {
        ...opts,
        recycle: again.recycle,
      });
    } finally {
      await again.close();
    }
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
