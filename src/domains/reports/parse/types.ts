import type { OrderEvidence, Rejection, TableFormat } from '../../../platform/tabular/index.ts';
import type { ReportType } from './catalog.ts';

export type { Rejection } from '../../../platform/tabular/index.ts';

/**
 * One data row. `values` line up with `CATALOG[type].columns` and are COPY-ready text: trimmed
 * text, plain decimals (`-1234.5`), whole numbers, `YYYY-MM-DD` dates, ISO UTC timestamps
 * (`2026-09-01T10:00:00Z`), ISO currency codes; null = no value (after the column's default).
 * `summary` marks a settlement report's summary row.
 */
export type ReportRow =
  | { ok: true; line: number; values: (string | null)[]; summary?: true }
  | { ok: false; line: number; rejections: Rejection[] };

export interface ReportHeader extends TableFormat {
  headerLine: number;
  /** landing column → header text as in the file, for the columns the file has. */
  columns: Record<string, string>;
}

export interface OpenReportOptions {
  /** Skips detection (the user's --type). */
  type?: ReportType;
  /**
   * Two-letter marketplace: decides `1.234`, and `01/09/2026` when nothing in the file does (its
   * day/month order is decided once per file: a companion column, a country or marketplace column,
   * a value valid only one way, then this).
   */
  marketplace: string;
  /** Name used in messages (defaults to the path's base name), e.g. the uploaded file's name. */
  fileName?: string;
  /** XLSX: read this sheet only; otherwise the first sheet with a report header. */
  sheet?: string;
  /** Zip-bomb guard for XLSX. */
  maxUncompressedBytes: number;
}

export interface Report {
  type: ReportType;
  header: ReportHeader;
  /** Iterate once; finishing or breaking out closes the file. May throw AppError for late problems. */
  rows: AsyncGenerator<ReportRow>;
  /**
   * The same rows in the parser's batches (one per chunk read): for bulk consumers, which then pay
   * one await per batch instead of per row. Read either `rows` or `batches`, not both.
   */
  batches: AsyncGenerator<ReportRow[]>;
  /**
   * What decides `dd/dd/yyyy` dates (day or month first, once per file): evidence from the file
   * (rank 1–3: companion column, country or marketplace column, a value valid only one way) or the
   * marketplace (rank 4). Final once the rows are read; reading may still reject the file for a
   * contradiction.
   */
  dateOrder: () => OrderEvidence | null;
  /** What the order was taken from: the file's evidence, or the marketplace once a date needed it; null
   * when no date had to be decided (for the ingest summary). */
  dateOrderUsed: () => OrderEvidence | null;
}
