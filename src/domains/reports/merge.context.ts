import type { Queryable } from '../../platform/db/queryable.ts';

/**
 * What every report merge (merge.repo.ts) gets and returns. Each runs on the ingest's transaction
 * client; the stage holds the parser's columns (named as in the landing tables) plus `line` (and
 * `summary` for settlements).
 */
export interface MergeContext {
  stage: string;
  /** The parser's columns, in stage order. */
  columns: readonly string[];
  loadId: number;
  marketplace: string;
  /** When the report was first ingested: a forced re-ingest reuses it, so snapshots do not repeat. */
  asOf: Date;
  /**
   * Rows of the file rejected and left out (`--skip-invalid`); 0 means the stage holds the whole
   * report. Only a whole report may give "absent from the stage" a meaning (a listing closed, a
   * settlement's lines replaced): a rejected row is absent too, and its data is not gone.
   */
  rejected: number;
}

export interface MergeCounts {
  inserted: number;
  updated: number;
  /** Settlement lines deleted before their settlement was loaded again. */
  replaced: number;
  /** Listings a complete report no longer contains, set `inactive`. */
  closed: number;
  /** Rows not loaded because a partial file does not replace what is stored (settlements). */
  kept: number;
  /** What the merge left undone on purpose and why, for the user. */
  notes: string[];
}

export type Merge = (c: Queryable, m: MergeContext) => Promise<MergeCounts>;

export const list = (cols: readonly string[]) => cols.join(', ');

export const counts = (inserted: number, updated = 0, replaced = 0): MergeCounts => ({
  inserted,
  updated,
  replaced,
  closed: 0,
  kept: 0,
  notes: [],
});
