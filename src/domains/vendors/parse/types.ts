import type { RawRow, Rejection, TableFormat } from '../../../platform/tabular/index.ts';
import type { RowCheck } from './row.ts';

export type { RawRow, Rejection } from '../../../platform/tabular/index.ts';

export type Field =
  | 'sku'
  | 'asin'
  | 'barcode'
  | 'cost'
  | 'currency'
  | 'moq'
  | 'pack_size'
  | 'lead_time_days'
  | 'title';

export const FIELDS: readonly Field[] = [
  'sku',
  'asin',
  'barcode',
  'cost',
  'currency',
  'moq',
  'pack_size',
  'lead_time_days',
  'title',
];

export const IDENTIFIERS: readonly Field[] = ['sku', 'asin', 'barcode'];

export interface PriceRow {
  line: number;
  sku: string;
  asin: string | null;
  barcode: string | null;
  title: string | null;
  /** Unit cost as a plain decimal string with at most 4 decimals, e.g. '3396.63', '0.4167'. */
  cost: string;
  /** ISO 4217. */
  currency: string;
  pack_size: number;
  moq: number;
  lead_time_days: number | null;
}

export type RowResult = { ok: true; row: PriceRow } | { ok: false; line: number; rejections: Rejection[] };

export interface PriceListHeader extends TableFormat {
  headerLine: number;
  /** field → header text as in the file */
  columns: Partial<Record<Field, string>>;
  perCase: boolean;
}

export interface OpenOptions {
  currency: string;
  sheet?: string;
  /** header text → field; wins over detection */
  map?: Record<string, Field>;
  /** Zip-bomb guard for XLSX: refuse when the sum of uncompressed entry sizes is larger. */
  maxUncompressedBytes: number;
}

export interface PriceList {
  header: PriceListHeader;
  /** The rows one by one. Iterate this or `batches`, once. */
  rows: AsyncIterable<RowResult>;
  /** The same rows as the reader's batches: one await per batch, not per row. */
  batches: AsyncIterable<RowResult[]>;
  /**
   * The same rows unchecked, with the check to run on them (or to skip: the import's loop checks only
   * rows whose raw fingerprint the vendor does not keep).
   */
  raw: AsyncIterable<RawRow[]>;
  check: RowCheck;
}
