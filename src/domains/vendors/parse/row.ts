import type { Fingerprint } from '../../../platform/fingerprint.ts';
import { formatUnits, toUnits } from '../../../platform/money.ts';
import { isBlankRow, LineRow } from '../../../platform/tabular/index.ts';

import { normaliseBarcode } from './barcode.ts';
import { isPerCaseHeader } from './headers.ts';
import { RowFingerprinter } from './row-fingerprint.ts';
import type { Field, PriceRow, RawRow, Rejection, RowResult } from './types.ts';
import {
  LEAD_TIME,
  MOQ,
  normaliseAsin,
  normaliseCurrency,
  normaliseSku,
  normaliseTitle,
  PACK_SIZE,
  type Parsed,
  parseCost,
  parseCount,
} from './values.ts';

export interface RowContext {
  /** field → column index */
  columns: Partial<Record<Field, number>>;
  /** The header row's cells, to name columns in rejections as the file does. */
  headerCells: string[];
  /** Normalised default currency. */
  currency: string;
  perCase: boolean;
}

interface Columns {
  sku: number;
  asin: number;
  barcode: number;
  cost: number;
  currency: number;
  moq: number;
  pack: number;
  lead: number;
  title: number;
}

const parsedOrNull = (p: Parsed<string | null>): string | null => (p.ok ? p.value : null);

/**
 * The per-row check. Every problem in a row is reported (not just the first), each naming the column
 * as written in the file and the value as read. Written as a class with no per-row closures: it runs
 * a million times for a large file.
 */
class RowChecker {
  private readonly idx: Columns;
  private readonly header: string[];
  private readonly idColumn: number;
  private cells: string[] = [];
  private numeric: boolean[] | undefined;
  private line = 0;
  private rejections: Rejection[] = [];

  constructor(private readonly ctx: RowContext) {
    const col = (f: Field) => ctx.columns[f] ?? -1;
    this.idx = {
      sku: col('sku'),
      asin: col('asin'),
      barcode: col('barcode'),
      cost: col('cost'),
      currency: col('currency'),
      moq: col('moq'),
      pack: col('pack_size'),
      lead: col('lead_time_days'),
      title: col('title'),
    };
    this.header = ctx.headerCells.map((c) => c.trim());
    this.idColumn = [this.idx.sku, this.idx.barcode, this.idx.asin].find((i) => i >= 0) ?? -1;
  }

  private cell(i: number): string {
    return i >= 0 ? (this.cells[i] ?? '') : '';
  }

  private num(i: number): boolean {
    return i >= 0 && this.numeric !== undefined && this.numeric[i] === true;
  }

  private reject(i: number, reason: string): void {
    this.rejections.push({ line: this.line, column: this.header[i] ?? '', value: this.cell(i), reason });
  }

  private check<T>(i: number, r: Parsed<T>, fallback: T): T {
    if (r.ok) return r.value;
    this.reject(i, r.reason);
    return fallback;
  }

  private isHeaderRepeat(): boolean {
    const { cells, header } = this;
    if (cells.length !== header.length) return false;
    for (let i = 0; i < cells.length; i++) if (cells[i]!.trim() !== header[i]) return false;
    return true;
  }

  /**
   * The key (what `validate` gives as sku) of a row whose outcome is known to be valid — its raw
   * fingerprint is stored — without checking the rest again. Null for a row that repeats the header:
   * that one is always checked (its mapped cells could match a stored row's).
   */
  keyOf(row: RawRow): string | null {
    if (row instanceof LineRow) return this.keyOfLine(row);
    this.cells = row.cells;
    if (this.isHeaderRepeat()) return null;
    const { idx } = this;
    return (
      parsedOrNull(normaliseSku(this.cell(idx.sku))) ??
      parsedOrNull(normaliseBarcode(this.cell(idx.barcode))) ??
      parsedOrNull(normaliseAsin(this.cell(idx.asin)))
    );
  }

  /** keyOf for a plain line, its cells read in place; a line that may repeat the header is checked. */
  private keyOfLine(row: LineRow): string | null {
    const { header, idx } = this;
    if (row.count() === header.length && row.cell(0).trim() === header[0]) return null;
    // no closure here: this runs for every unchanged row of a re-import
    return (
      parsedOrNull(normaliseSku(idx.sku >= 0 ? row.cell(idx.sku) : '')) ??
      parsedOrNull(normaliseBarcode(idx.barcode >= 0 ? row.cell(idx.barcode) : '')) ??
      parsedOrNull(normaliseAsin(idx.asin >= 0 ? row.cell(idx.asin) : ''))
    );
  }

  validate(row: RawRow): RowResult | null {
    const { idx, ctx } = this;
    if (isBlankRow(row.cells)) return null;
    this.cells = row.cells;
    this.numeric = row.numeric;
    const line = row.line;
    const rejections: Rejection[] = [];
    this.line = line;
    this.rejections = rejections;
    // a page-break repeat of the header would otherwise fail every column with confusing reasons
    if (this.isHeaderRepeat()) {
      return {
        ok: false,
        line,
        rejections: [{ line, column: '', value: '', reason: 'repeated header row' }],
      };
    }

    const sku = this.check(idx.sku, normaliseSku(this.cell(idx.sku)), null);
    const asin = this.check(idx.asin, normaliseAsin(this.cell(idx.asin)), null);
    const barcode = this.check(idx.barcode, normaliseBarcode(this.cell(idx.barcode)), null);
    const idRejected = rejections.length > 0;
    const cost = this.check(idx.cost, parseCost(this.cell(idx.cost), this.num(idx.cost)), null);
    const pack = this.check(idx.pack, parseCount(this.cell(idx.pack), PACK_SIZE, this.num(idx.pack)), 1) ?? 1;
    const moq = this.check(idx.moq, parseCount(this.cell(idx.moq), MOQ, this.num(idx.moq)), 0) ?? 0;
    const lead = this.check(idx.lead, parseCount(this.cell(idx.lead), LEAD_TIME, this.num(idx.lead)), null);
    const title = idx.title >= 0 ? normaliseTitle(this.cell(idx.title)) : null;

    let currency = ctx.currency;
    const currencyText = this.cell(idx.currency).trim();
    if (currencyText !== '') {
      const c = normaliseCurrency(currencyText);
      if (c === null) this.reject(idx.currency, 'unknown currency');
      else if (cost?.currency && cost.currency !== c) {
        this.reject(idx.cost, `cost is in ${cost.currency} but the currency column says ${c}`);
      } else currency = c;
    } else if (cost?.currency) {
      currency = cost.currency;
    }

    let unitCost: string | null = null;
    if (cost) {
      const divisor = ctx.perCase && pack > 1 ? BigInt(pack) : 1n;
      const units = toUnits(cost.decimal, divisor);
      if (units === 0n) {
        this.reject(
          idx.cost,
          divisor > 1n ? `unit cost rounds to 0 (case price / ${pack})` : 'cost rounds to 0',
        );
      } else unitCost = formatUnits(units);
    }

    // the vendor code is the key prices are tracked by; a barcode (or ASIN) stands in when absent
    const key = sku ?? barcode ?? asin;
    if (key === null && !idRejected) this.reject(this.idColumn, 'no SKU, ASIN or barcode');
    if (rejections.length > 0 || key === null || unitCost === null) return { ok: false, line, rejections };
    const out: PriceRow = {
      line,
      sku: key,
      asin,
      barcode,
      title,
      cost: unitCost,
      currency,
      pack_size: pack,
      moq,
      lead_time_days: lead,
    };
    return { ok: true, row: out };
  }
}

/** The row check for one header: what the import needs to check a row, or to skip checking it again. */
export interface RowCheck {
  /** The row's outcome; null for a blank row. */
  validate(row: RawRow): RowResult | null;
  /** The row's raw fingerprint (row-fingerprint.ts). */
  fingerprint(row: RawRow, out: Fingerprint): Fingerprint;
  /** The key of a row known to be valid, or null when it must be checked after all. */
  keyOf(row: RawRow): string | null;
}

/** Builds the row check for one header. */
export function rowCheck(ctx: RowContext): RowCheck {
  const checker = new RowChecker(ctx);
  const fingerprinter = new RowFingerprinter(ctx);
  return {
    validate: (row) => checker.validate(row),
    fingerprint: (row, out) => fingerprinter.fingerprint(row, out),
    keyOf: (row) => checker.keyOf(row),
  };
}

/** field → header text as in the file, for summaries ("which column was taken as cost?"). */
export function columnNames(
  headerRow: RawRow,
  columns: Partial<Record<Field, number>>,
): Partial<Record<Field, string>> {
  return Object.fromEntries(
    Object.entries(columns).map(([f, i]) => [f, (headerRow.cells[i] ?? '').trim()]),
  ) as Partial<Record<Field, string>>;
}

/** The validator for rows under a found header row (CSV and XLSX alike). */
export function validatorForHeader(
  headerRow: RawRow,
  columns: Partial<Record<Field, number>>,
  currency: string,
): { perCase: boolean; check: RowCheck } {
  // a case price ("Preis/Karton") is divided by the case pack to give the unit cost (SPEC §3)
  const perCase = columns.cost !== undefined && isPerCaseHeader(headerRow.cells[columns.cost] ?? '');
  return { perCase, check: rowCheck({ columns, headerCells: headerRow.cells, currency, perCase }) };
}
