import { type Fingerprint, FingerprintBuilder, fingerprint } from '../../../platform/fingerprint.ts';
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

  /** `rules`: the rules version (tests give another to see the fingerprints change). */
  constructor(ctx: Pick<RowContext, 'columns' | 'currency' | 'perCase'>, rules = ROW_RULES_VERSION) {
    this.columns = ORDER.map((f) => ctx.columns[f] ?? -1);
    this.seed = fingerprint(`${rules}\t${ctx.currency}\t${ctx.perCase ? 'case' : 'unit'}`);
  }

  fingerprint(row: RawRow, out: Fingerprint): Fingerprint {
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
}
