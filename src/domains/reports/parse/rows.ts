import {
  dateShape,
  excelSerial,
  parseDate,
  parseTimestamp,
  type RawRow,
  type Rejection,
  SHAPE_PLAIN,
} from '../../../platform/tabular/index.ts';
import type { ColumnKind, ReportSpec } from './catalog.ts';
import type { ReportDates } from './date-evidence.ts';
import type { Conventions } from './locale.ts';
import type { ReportRow } from './types.ts';
import { isPlaceholder, parseAmount, parseCurrency, parseInteger } from './values.ts';

const KIND: Record<ColumnKind, number> = {
  text: 0,
  int: 1,
  decimal: 2,
  date: 3,
  timestamp: 4,
  currency: 5,
  enum: 6,
};
const TEXT = 0;
const INT = 1;
const DECIMAL = 2;
const DATE = 3;
const TIMESTAMP = 4;
const CURRENCY = 5;

const MISSING = 'required value is missing';

/**
 * Turns raw rows into catalog-aligned values. Everything per column is resolved once into flat
 * arrays, so a row costs one pass over its columns, one output array and (only for a bad row) the
 * rejections: the ingest pushes millions of ledger rows through here.
 */
export class RowReader {
  private readonly kinds: number[];
  private readonly idx: number[];
  private readonly required: boolean[];
  private readonly inSummary: boolean[];
  private readonly defaults: (string | null)[];
  private readonly intDigits: number[];
  private readonly enums: (((t: string) => string | null) | null)[];
  private readonly enumHint: string[];
  private readonly names: string[];
  private readonly header: string[];
  /** settlement: the transaction-type cell, blank on the summary row (the first data row). */
  private summaryCell: number;
  private readonly firstMapped: number;
  private readonly checksRows: boolean;

  constructor(
    spec: ReportSpec,
    indexes: readonly number[],
    headerCells: readonly string[],
    private readonly conv: Conventions,
    /** The file's day/month order (decided before the first row) and the evidence checked per row. */
    private readonly dates: ReportDates,
  ) {
    const cols = spec.columns;
    this.kinds = cols.map((c) => KIND[c.kind]);
    this.idx = [...indexes];
    this.required = cols.map((c) => c.required);
    const summaryCols = new Set(spec.summary?.columns ?? []);
    this.inSummary = cols.map((c) => summaryCols.has(c.name));
    this.defaults = cols.map((c) => c.default ?? null);
    this.intDigits = cols.map((c) => c.intDigits ?? 10);
    this.enums = cols.map((c) => c.normalise ?? null);
    this.enumHint = cols.map((c) => `not one of ${(c.values ?? []).join(', ')}`);
    this.header = headerCells.map((c) => c.trim());
    this.names = indexes.map((i) => (i >= 0 ? this.header[i]! : ''));
    const tt = cols.findIndex((c) => c.name === 'transaction_type');
    this.summaryCell = spec.summary && tt >= 0 ? indexes[tt]! : -1;
    this.firstMapped = indexes.find((i) => i >= 0) ?? -1;
    this.checksRows = dates.checksRows;
  }

  /** A page-break or concatenation repeat of the header would fail every column confusingly. */
  private isHeaderRepeat(cells: string[]): boolean {
    const f = this.firstMapped;
    if (f < 0 || cells[f]?.trim() !== this.header[f]) return false;
    for (let i = 0; i < this.header.length; i++) if ((cells[i] ?? '').trim() !== this.header[i]) return false;
    return true;
  }

  /** Rejections are rare: their array is only made for a row that has one. */
  private reject(
    list: Rejection[] | null,
    line: number,
    j: number,
    raw: string | undefined,
    reason: string,
  ): Rejection[] {
    const out = list ?? [];
    out.push({ line, column: this.names[j]!, value: raw ?? '', reason });
    return out;
  }

  read(row: RawRow): ReportRow {
    const { cells, numeric, line } = row;
    if (this.isHeaderRepeat(cells)) {
      return {
        ok: false,
        line,
        rejections: [{ line, column: '', value: '', reason: 'repeated header row' }],
      };
    }
    let summary = false;
    if (this.summaryCell >= 0) {
      // Amazon's settlement flat file opens with one row of settlement totals and no transaction type
      summary = (cells[this.summaryCell] ?? '').trim() === '';
      this.summaryCell = -1;
    }
    const { kinds, idx, conv } = this;
    const judge = this.dates.judge;
    const n = kinds.length;
    const values: (string | null)[] = new Array(n);
    let rejections: Rejection[] | null = null;
    for (let j = 0; j < n; j++) {
      const at = idx[j]!;
      const raw = at >= 0 ? cells[at] : undefined;
      const kind = kinds[j]!;
      let text = raw === undefined || raw.length === 0 ? '' : raw.trim();
      if (kind !== TEXT && text !== '' && isPlaceholder(text)) text = '';
      if (text === '') {
        values[j] = this.defaults[j]!;
        if (this.required[j] && (!summary || this.inSummary[j]) && values[j] === null) {
          rejections = this.reject(rejections, line, j, raw, MISSING);
        }
        continue;
      }
      const num = numeric !== undefined && numeric[at] === true;
      let v: string | { reason: string };
      if (kind === TEXT) v = text;
      else if (kind === INT) v = parseInteger(text, conv.decimalMark, num);
      else if (kind === DECIMAL) v = parseAmount(text, conv.decimalMark, num, this.intDigits[j]!);
      else if (kind === DATE || kind === TIMESTAMP) {
        if (num) v = excelSerial(text, kind === DATE ? 'date' : 'timestamp');
        else if (kind === DATE) v = parseDate(text, judge.monthFirst, conv.zones);
        else v = parseTimestamp(text, judge.monthFirst, conv.zones);
        // every day/month question is put to the file's order: a contradiction rejects the file
        const shape = dateShape();
        if (shape !== SHAPE_PLAIN) judge.cell(shape, line, this.names[j]!, text);
      } else if (kind === CURRENCY) v = parseCurrency(text);
      else v = this.enums[j]!(text) ?? { reason: this.enumHint[j]! };
      if (typeof v === 'string') values[j] = v;
      else {
        values[j] = null;
        rejections = this.reject(rejections, line, j, raw, v.reason);
      }
    }
    if (this.checksRows) {
      const bad = this.dates.check(row, values);
      if (bad) rejections = [...(rejections ?? []), bad];
    }
    if (rejections) return { ok: false, line, rejections };
    return summary ? { ok: true, line, values, summary: true } : { ok: true, line, values };
  }
}
