/** The vocabulary the report catalog is written in (kept apart so the data files stay data). */

export type ReportType =
  | 'listings'
  | 'fba_inventory'
  | 'returns'
  | 'reimbursements'
  | 'fee_preview'
  | 'inventory_ledger'
  | 'settlement'
  | 'ads_sp';

export type ColumnKind = 'text' | 'int' | 'decimal' | 'date' | 'timestamp' | 'currency' | 'enum';

export interface ColumnSpec {
  /** The landing column (migrations/0006_reports.sql) the value goes to. */
  name: string;
  kind: ColumnKind;
  /**
   * Header names: Amazon's own first, then localised and simplified variants. Matched through
   * `columnKey`, so case, spaces, hyphens and underscores don't matter; when a file has several,
   * the earliest alias wins (`cost` over `spend`, `posted-date-time` over `posted-date`).
   */
  aliases: readonly string[];
  /** The header must have the column and every data row a value (settlement summary rows aside). */
  required: boolean;
  /**
   * Value for a blank cell or an absent column, mirroring the landing column's DEFAULT: a COPY with
   * an explicit column list does not apply defaults.
   */
  default?: string;
  /** decimal: digits allowed before the point, from the landing column's numeric(p, s) = p − s. */
  intDigits?: number;
  /** enum: the values it normalises to, and how (null = not one of them). */
  values?: readonly string[];
  normalise?: (text: string) => string | null;
  /** settlement: only on the summary row, stored in `settlements` rather than with the lines. */
  summaryOnly?: boolean;
}

type Options = Partial<Pick<ColumnSpec, 'required' | 'default' | 'intDigits' | 'summaryOnly'>>;

export function col(name: string, kind: ColumnKind, aliases: readonly string[], o: Options = {}): ColumnSpec {
  return { name, kind, aliases, required: false, ...o };
}

/** numeric(12, 2), the landing tables' money type, unless `intDigits` says otherwise. */
export const money = (name: string, aliases: readonly string[], o: Options = {}): ColumnSpec =>
  col(name, 'decimal', aliases, { intDigits: 10, ...o });

export function enumCol(
  name: string,
  aliases: readonly string[],
  values: readonly string[],
  normalise: (upper: string) => string | null,
  o: Options = {},
): ColumnSpec {
  return { ...col(name, 'enum', aliases, o), values, normalise: (t) => normalise(t.toUpperCase()) };
}

/** What a report file is and where its rows land; `CATALOG` adds what is derived from it. */
export interface ReportDraft {
  type: ReportType;
  /** Amazon's name for the report, for messages. */
  label: string;
  table: string;
  /** Landing columns the ingest fills itself (load id, marketplace, snapshot time, row identity…). */
  ingestFills: readonly string[];
  columns: readonly ColumnSpec[];
  /** settlement: the summary row's own table, keyed by `key` (columns it shares with the lines). */
  summary?: { table: string; key: readonly string[]; ingestFills: readonly string[] };
}
