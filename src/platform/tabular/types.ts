import type { AppError } from '../errors.ts';
import type { Encoding } from './decode.ts';

/** One physical row as read from the file: cells as text, plus which cells were numeric in XLSX. */
export interface RawRow {
  /** Line number in a text file (quoted line breaks counted), row number in a sheet. */
  line: number;
  cells: string[];
  numeric?: boolean[];
}

/** One rejected cell (or row, when `column` is ''), as reported back to the user. */
export interface Rejection {
  line: number;
  /** The column's header text as written in the file. */
  column: string;
  value: string;
  reason: string;
}

/**
 * Decides which row is the header. The reader offers each non-blank row in turn (a fresh search per
 * XLSX sheet) until `offer` returns a match or the search is `exhausted`; `offer` may throw, e.g. for
 * a recognisable header that lacks a required column.
 */
export interface HeaderSearch<M> {
  offer(row: RawRow): M | null;
  readonly exhausted: boolean;
  /** Why no header was found; `where` names the sheet of a workbook (`sheet "Prices"`). */
  error(where?: string): AppError;
}

export interface TableOptions<M> {
  /** Name used in messages and for extension hints (`.tsv`, `.xlsx`); defaults to the path's base name. */
  fileName?: string;
  /** A new header search, called once per file or sheet. */
  header: () => HeaderSearch<M>;
  /** XLSX: read only this sheet (matched exactly, then case-insensitively). */
  sheet?: string;
  /** Zip-bomb guard for XLSX: refuse when the sum of uncompressed entry sizes is larger. */
  maxUncompressedBytes: number;
}

/** How a file was read: what imports report back about the file they were given. */
export interface TableFormat {
  format: 'csv' | 'xlsx';
  encoding?: Encoding;
  delimiter?: string;
  compressed: boolean;
  sheet?: string;
}

export interface Table<M> extends TableFormat {
  headerRow: RawRow;
  /** What the header search returned for the header row. */
  match: M;
  /**
   * The rows below the header, blank ones skipped, in batches (one per parsed chunk: a promise per
   * batch rather than per row). Iterate once; finishing or breaking out closes the file. Problems
   * found late (invalid UTF-8 after the first MiB, a truncated gzip) are thrown as AppError here.
   */
  batches: AsyncGenerator<RawRow[]>;
  /** Closes the file without reading the rows. */
  close(): Promise<void>;
}
