import { type Fingerprint, FingerprintBuilder, fingerprint } from '../../../platform/fingerprint.ts';
import { LineRow } from '../../../platform/tabular/index.ts';
import type { RowContext } from './row.ts';
import type { Field, RawRow } from './types.ts';

/**
 * The version of the row rules (row.ts, values.ts, barcode.ts and the decimal, currency and money
 * helpers they use). A re-import skips checking a row whose raw fingerprint (below) the vendor keeps,
 * trusting that the same cells give the same outcome: that holds only while the rules stay the same.
 * Bump this with any change that can make a row valid, invalid or read differently; every stored
 * fingerprint then stops matching and each row is checked (and its fingerprint renewed) once more.
 * row-fingerprint.test.ts fails when a rules file changes, as a reminder.
 */
export const ROW_RULES_VERSION = 1;

/** The fields in the order their cells are hashed: a column that moves keeps its rows' fingerprints. */
const ORDER: readonly Field[] = [
  'sku',
  'asin',
  'barcode',
  'cost',
  'currency',
  'pack_size',
  'moq',
  'lead_time_days',
  'title',
];

/**
 * A row's raw fingerprint: the cells the row check reads (one per mapped field, as text, and which
 * of them were numeric in XLSX), seeded with everything else that decides the check's outcome — the
 * rules version, the default currency and whether costs are per case. Unmapped columns are left out
 * (a stock column changing every day leaves the rows' fingerprints alone); a row equal to the header
 * is left to the check (RowCheck.keyOf).
 */
export class RowFingerprinter {
  private readonly columns: number[];
  private readonly seed: Fingerprint;
  private readonly hash = new FingerprintBuilder();
  /** The last column a field reads, and room for where cells start up to it (LineRow.bounds). */
  private readonly last: number;
  private readonly starts: Int32Array;

  /** `rules`: the rules version (tests give another to see the fingerprints change). */
  constructor(ctx: Pick<RowContext, 'columns' | 'currency' | 'perCase'>, rules = ROW_RULES_VERSION) {
    this.columns = ORDER.map((f) => ctx.columns[f] ?? -1);
    this.last = Math.max(0, ...this.columns);
    this.starts = new Int32Array(this.last + 2);
    this.seed = fingerprint(`${rules}\t${ctx.currency}\t${ctx.perCase ? 'case' : 'unit'}`);
  }

  fingerprint(row: RawRow, out: Fingerprint): Fingerprint {
    if (row instanceof LineRow) return this.ofLine(row, out);
    const { columns, hash } = this;
    const { cells, numeric } = row;
    hash.reset().int(this.seed.hi).int(this.seed.lo);
    let numericMask = 0;
    for (let k = 0; k < columns.length; k++) {
      const i = columns[k]!;
      if (i < 0) {
        hash.int(-1); // no such column: told apart from an empty cell, though the check reads both as ''
        continue;
      }
      const cell = cells[i] ?? '';
      hash.int(cell.length).add(cell);
      if (numeric !== undefined && numeric[i] === true) numericMask |= 1 << k;
    }
    return hash.int(numericMask).finish(out);
  }

  /** The same fingerprint from a plain line's text, its cells read in place (no split, no strings). */
  private ofLine(row: LineRow, out: Fingerprint): Fingerprint {
    const { columns, hash, starts } = this;
    const n = row.bounds(starts, this.last);
    hash.reset().int(this.seed.hi).int(this.seed.lo);
    for (let k = 0; k < columns.length; k++) {
      const i = columns[k]!;
      if (i < 0) hash.int(-1);
      else if (i >= n)
        hash.int(0); // a missing cell reads as ''
      else {
        const start = starts[i]!;
        const end = starts[i + 1]! - 1;
        hash.int(end - start).add(row.text, start, end);
      }
    }
    return hash.int(0).finish(out);
  }
}
