import { AppError } from '../errors.ts';
import { SHAPE_AMBIGUOUS, SHAPE_MONTH_FIRST } from './date-shape.ts';

/**
 * Day-first or month-first is decided once per file, never per value: a file read per value stores
 * `10/01/2026`…`10/12/2026` as January…December and `10/13/2026` as October. The evidence, strongest
 * first:
 *   1. an unambiguous companion column restating a date of the same row (the ledger's ISO `Date and
 *      Time` beside its `Date`);
 *   2. the file's own marketplace or country column (US/CA/MX write month first, the rest day first);
 *   3. a value that is a real date only one way (`25/10/2026`, `10/25/2026`), anywhere in the file;
 *   4. the caller's fallback (the marketplace given with --marketplace), when nothing in the file says.
 * Evidence of ranks 1–3 is fact about the file, so all of it must agree: any two pieces that disagree
 * reject the file (nothing is written) with both named — file, line, column, value and why. The rank
 * only decides which evidence a message cites, and that any of it overrides the fallback.
 *
 * Callers settle the order before the first ambiguous value is read (a pre-scan), then keep feeding
 * every row so that later contradictions are caught. While only the fallback stands, later evidence
 * may still change the order as long as no ambiguous value was read under the fallback yet; after
 * that, evidence against the fallback rejects the file (the values read before would be wrong).
 */

export interface OrderEvidence {
  rank: 1 | 2 | 3 | 4;
  monthFirst: boolean;
  line: number;
  column: string;
  value: string;
  /** Why this says what it says, e.g. `Country "US": Amazon's US, CA and MX reports write month first`. */
  why: string;
}

interface Spot {
  line: number;
  column: string;
  value: string;
}

export const orderName = (monthFirst: boolean) => (monthFirst ? 'month-first' : 'day-first');

/** Why a slashed value is evidence: `25/10/2026` cannot be read month-first. */
export function onlyValidWhy(shape: number): string {
  return shape === SHAPE_MONTH_FIRST
    ? 'the middle number is above 12, so it cannot be the month'
    : 'the first number is above 12, so it cannot be the month';
}

const cite = (e: Spot) => `line ${e.line}, column "${e.column}", value "${e.value}"`;

export class DateOrderJudge {
  /** The order ambiguous values are read in now. */
  monthFirst: boolean;
  /** The strongest evidence from the file itself (ranks 1–3); null while only the fallback stands. */
  settledBy: OrderEvidence | null = null;
  /**
   * True once values are being handed on (the main pass): from then on an ambiguous value read under
   * the fallback pins the fallback.
   */
  reading = false;
  private ambiguousRead: Spot | null = null;

  constructor(
    private readonly fileName: string,
    /** Rank 4; null when there is none (a rate card), so ambiguous values stay unreadable. */
    private readonly fallback: OrderEvidence | null,
  ) {
    this.monthFirst = fallback?.monthFirst ?? false;
  }

  /** Whether an ambiguous value can be read at all (settled, or a fallback exists). */
  get decided(): boolean {
    return this.settledBy !== null || this.fallback !== null;
  }

  /** What decided the order, for reports; null when nothing did. */
  get basis(): OrderEvidence | null {
    return this.settledBy ?? this.fallback;
  }

  /** What the order was taken from: the file's evidence, or the fallback once a value needed it. */
  get used(): OrderEvidence | null {
    return this.settledBy ?? (this.ambiguousRead ? this.fallback : null);
  }

  /**
   * A date cell's shape (dateShape() after parsing it): hot, called for every value that has a
   * day/month question. Allocates only when the value is new evidence or a contradiction.
   */
  cell(shape: number, line: number, column: string, value: string): void {
    if (shape === SHAPE_AMBIGUOUS) {
      if (this.settledBy === null && this.reading && this.ambiguousRead === null) {
        this.ambiguousRead = { line, column, value };
      }
      return;
    }
    const monthFirst = shape === SHAPE_MONTH_FIRST;
    if (this.settledBy !== null && this.settledBy.monthFirst === monthFirst) return;
    this.note({ rank: 3, monthFirst, line, column, value, why: onlyValidWhy(shape) });
  }

  /** Whether `monthFirst` from evidence of `rank` would add nothing (the cheap check before note()). */
  agrees(rank: number, monthFirst: boolean): boolean {
    const s = this.settledBy;
    return s !== null && s.monthFirst === monthFirst && s.rank <= rank;
  }

  /** Evidence from the file; throws AppError('invalid') when it contradicts earlier evidence. */
  note(e: OrderEvidence): void {
    const s = this.settledBy;
    if (s !== null) {
      if (s.monthFirst !== e.monthFirst) throw this.contradiction(e, s);
      if (e.rank < s.rank) this.settledBy = e;
      return;
    }
    const f = this.fallback;
    if (this.ambiguousRead && f && f.monthFirst !== e.monthFirst)
      throw this.tooLate(e, f, this.ambiguousRead);
    this.settledBy = e;
    this.monthFirst = e.monthFirst;
  }

  private contradiction(e: OrderEvidence, s: OrderEvidence): AppError {
    const message =
      `${this.fileName}: day and month order contradicts itself, so no date in it can be trusted ` +
      `(nothing was written). ${cite(e)}: ${orderName(e.monthFirst)} — ${e.why}; but ${cite(s)}: ` +
      `${orderName(s.monthFirst)} — ${s.why}.`;
    return new AppError('invalid', message, { file: this.fileName, contradicts: e, evidence: s });
  }

  private tooLate(e: OrderEvidence, f: OrderEvidence, a: Spot): AppError {
    const message =
      `${this.fileName}: ${cite(e)}: ${orderName(e.monthFirst)} — ${e.why}; but the ambiguous ` +
      `dates before it (first: ${cite(a)}) were already read ${orderName(f.monthFirst)} (${f.why}), ` +
      'as nothing earlier in the file settled the order (nothing was written). Run it again with the ' +
      "marketplace of the file's country.";
    return new AppError('invalid', message, { file: this.fileName, contradicts: e, evidence: f, read: a });
  }
}
