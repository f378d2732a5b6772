import { CopyChunks, copyFields } from '../../platform/db/copy-text.ts';
import {
  type Fingerprint,
  FingerprintSet,
  type FingerprintSlots,
  fingerprint,
  fingerprintText,
} from '../../platform/fingerprint.ts';
import { type RowCounts, tallyRow } from '../../platform/load/summary.ts';
import type { PriceList, PriceRow, Rejection } from './parse/index.ts';

/**
 * One pass over a price list's rows, where the file is read (the parse worker, import.worker.ts):
 * every row is counted, the rows to load come out as COPY text. Nothing here touches the database,
 * so the main thread only hands bytes to COPY.
 *
 * How rows are chosen depends on the plan (import.load.ts decides it):
 * - `direct`: a vendor without prices yet; every valid row, as vendor_prices rows.
 * - `changed`: a row whose raw fingerprint the vendor keeps is counted unchanged without being
 *   checked (same cells under the same rules and options: same outcome, see row-fingerprint.ts);
 *   the others are checked, and the valid ones staged for the merge.
 * - `staged`: every valid row is staged (the fallback when the file repeats a SKU).
 * The first two stop at a SKU seen twice (`RepeatedSku`): the last row of a SKU must win, which only
 * the staged merge's dedupe can honour; the import then starts over in `staged`.
 */
export type ScreenPlan =
  | { mode: 'direct'; vendorId: number; priceListId: number; at: string }
  | { mode: 'changed'; stored: FingerprintSlots }
  | { mode: 'staged' };

export class RepeatedSku extends Error {
  constructor() {
    super('a SKU appears twice in the file');
    this.name = 'RepeatedSku';
  }
}

/** What one step of a pass adds: the COPY text of rows to load and the counts (all deltas). */
export interface PassChunk {
  /** UTF-8 COPY text, whole lines; each chunk has a buffer of its own (transferable). */
  copy: Uint8Array[];
  /** Rows in `copy`. */
  loaded: number;
  rows: number;
  rejected: number;
  /** Problems newly kept (the pass keeps at most REPORT_LIMIT in all, as tallyRow does). */
  rejections: Rejection[];
  truncated: boolean;
  /** Valid rows whose stored fingerprint matched (`changed` only). */
  unchanged: number;
  /** A SKU (probably) appeared twice (`staged` only; the others throw RepeatedSku). */
  maybeDuplicates: boolean;
}

/** How often a pass reports its counts: the import's progress moves in these steps. */
export const PROGRESS_ROWS = 10_000;

const VALID = { ok: true } as const;

/** The row's values as COPY fields, in the order of import.repo.ts ROW_COLUMNS. */
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

/**
 * The pass's rows as chunks (see PassChunk): one at least every PROGRESS_ROWS rows and whenever
 * enough COPY text has gathered, and a last one with the rest. A file with an invalid row is read to
 * its end (every problem counted), but loading stops at the first one unless `skipInvalid`.
 */
export async function* screenRows(
  list: Pick<PriceList, 'raw' | 'check'>,
  plan: ScreenPlan,
  skipInvalid: boolean,
  /** A new chunk buffer (CHUNK_BYTES), e.g. one handed back by the COPY (see CopyChunks). */
  alloc?: () => Buffer,
): AsyncGenerator<PassChunk> {
  const { check } = list;
  const stored = plan.mode === 'changed' ? FingerprintSet.of(plan.stored) : undefined;
  // a re-import's SKUs are mostly the stored ones: sized for them, the set of SKUs seen never grows
  const seen = new FingerprintSet(plan.mode === 'changed' ? plan.stored.count : 0);
  const fp: Fingerprint = { hi: 0, lo: 0 };
  const keyFp: Fingerprint = { hi: 0, lo: 0 };
  const prefix = plan.mode === 'direct' ? `${plan.vendorId}\t` : '';
  const suffix = plan.mode === 'direct' ? `\t${plan.priceListId}\t${plan.at}` : '';
  const counts: RowCounts = { rows: 0, rejected: 0, rejections: [], rejections_truncated: false };
  const enc = new CopyChunks(alloc);
  let chunk = emptyChunk();
  const full = (c: Buffer) => chunk.copy.push(c);
  let reported = { rows: 0, rejected: 0, kept: 0 };
  const take = (): PassChunk => {
    const out = chunk;
    out.rows = counts.rows - reported.rows;
    out.rejected = counts.rejected - reported.rejected;
    out.rejections = counts.rejections.slice(reported.kept);
    out.truncated = counts.rejections_truncated;
    reported = { rows: counts.rows, rejected: counts.rejected, kept: counts.rejections.length };
    chunk = emptyChunk();
    return out;
  };
  /** A SKU seen before: only `staged` can take it. */
  const repeated = (sku: string) => {
    if (!seen.add(fingerprint(sku, keyFp))) return;
    if (plan.mode !== 'staged') throw new RepeatedSku();
    chunk.maybeDuplicates = true;
  };

  for await (const batch of list.raw) {
    for (const raw of batch) {
      check.fingerprint(raw, fp);
      const key = stored?.has(fp) ? check.keyOf(raw) : null;
      if (key !== null) {
        if (tallyRow(counts, VALID, skipInvalid)) {
          repeated(key);
          chunk.unchanged += 1;
        }
      } else {
        const r = check.validate(raw);
        if (r === null) continue; // a blank row is not a row
        if (tallyRow(counts, r, skipInvalid) && r.ok) {
          repeated(r.row.sku);
          const fields = rowFields(r.row);
          const fpText = fingerprintText(fp);
          enc.push(
            plan.mode === 'direct'
              ? `${prefix}${fields}${suffix}\t${fpText}`
              : `${r.row.line}\t${fields}\t${fpText}`,
            full,
          );
          chunk.loaded += 1;
        }
      }
      if (counts.rows % PROGRESS_ROWS === 0 || chunk.copy.length > 0) yield take();
    }
  }
  enc.flush(full);
  yield take();
}

function emptyChunk(): PassChunk {
  return {
    copy: [],
    loaded: 0,
    rows: 0,
    rejected: 0,
    rejections: [],
    truncated: false,
    unchanged: 0,
    maybeDuplicates: false,
  };
}
