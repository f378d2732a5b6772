import { noteRejected } from '../tabular/rejections.ts';
import type { Rejection } from '../tabular/types.ts';

export type LoadStatus = 'success' | 'partial' | 'skipped' | 'rejected';

/** What every file load reports (CLI `--json`, job results, API); a domain adds its own counts. */
export interface LoadSummary {
  status: LoadStatus;
  /** The file's name as the user knows it (not the temp copy's). */
  file: string;
  sha256: string;
  /** Data rows read. */
  rows: number;
  /** Rows with at least one problem. */
  rejected: number;
  /** Every problem, up to REPORT_LIMIT; `rejections_truncated` says when more exist. */
  rejections: Rejection[];
  rejections_truncated: boolean;
  dry_run: boolean;
  duration_ms: number;
  /** The load_log row: this load's, or for `skipped` the earlier load's; null in a dry run. */
  load_id: number | null;
}

/** A parsed row as the pipeline counts it: valid, or rejected with its problems. */
export type RowOutcome = { ok: true } | { ok: false; rejections: readonly Rejection[] };

export type RowCounts = Pick<LoadSummary, 'rows' | 'rejected' | 'rejections' | 'rejections_truncated'>;

/**
 * Counts one row read and says whether to load it. A file with an invalid row is still read to its
 * end (every problem is reported) but, unless `skipInvalid`, nothing more is loaded after it: the
 * file is rejected as a whole anyway.
 */
export function tallyRow(counts: RowCounts, r: RowOutcome, skipInvalid: boolean): boolean {
  counts.rows += 1;
  if (!r.ok) {
    noteRejected(counts, r.rejections);
    return false;
  }
  return counts.rejected === 0 || skipInvalid;
}

/** Puts the row counts back to zero (a loader that reads the file again starts over). */
export function resetRowCounts(counts: RowCounts): void {
  Object.assign(counts, { rows: 0, rejected: 0, rejections: [], rejections_truncated: false });
}
