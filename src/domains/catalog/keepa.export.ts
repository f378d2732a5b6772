import type { ObjectStore } from '../../platform/storage/store.ts';
import { csvLines } from '../../platform/tabular/csv-write.ts';

/** One line of a run's CSV export: what Keepa said about an ASIN and what the run stored. */
export interface ExportRow {
  asin: string;
  status: 'ok' | 'unknown' | 'invalid' | 'failed';
  title?: string | null;
  brand?: string | null;
  category?: string | null;
  weight_kg?: string | null;
  buybox_price?: string | null;
  buybox_at?: string | null;
  sales_rank?: number | null;
  offers_new?: number | null;
  fba_price?: string | null;
  amazon_on_listing?: boolean | null;
  eans?: string[];
  upcs?: string[];
  new_buybox_points?: number;
  new_metric_points?: number;
  error?: string | null;
}

export const EXPORT_COLUMNS = [
  'asin',
  'status',
  'title',
  'brand',
  'category',
  'weight_kg',
  'buybox_price',
  'buybox_at',
  'sales_rank',
  'offers_new',
  'fba_price',
  'amazon_on_listing',
  'eans',
  'upcs',
  'new_buybox_points',
  'new_metric_points',
  'error',
] as const satisfies ReadonlyArray<keyof ExportRow>;

/** `keepa/YYYY/MM/DD/<run_id>.csv`, dated by the run's start (UTC). */
export function exportKey(runId: string, startedAt: Date): string {
  const day = startedAt.toISOString().slice(0, 10).replaceAll('-', '/');
  return `keepa/${day}/${runId}.csv`;
}

// A leading = + - @ would make a spreadsheet run the cell as a formula (CSV
// injection through a product title), so such text cells get a leading apostrophe.
function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  let s = Array.isArray(v) ? v.join(' ') : String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return s;
}

export function toCsv(rows: ExportRow[]): string {
  return csvLines([EXPORT_COLUMNS, ...rows.map((r) => EXPORT_COLUMNS.map((c) => cell(r[c])))]);
}

export async function writeExport(store: ObjectStore, key: string, rows: ExportRow[]): Promise<void> {
  await store.put(key, toCsv(rows), { contentType: 'text/csv; charset=utf-8' });
}
