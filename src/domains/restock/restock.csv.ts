import { csvLines } from '../../platform/tabular/csv-write.ts';
import type { LineValues } from './restock.repo.ts';

/** The CSV's columns, in order: the plan line as a buyer reads it in a spreadsheet. */
export const CSV_COLUMNS: readonly (keyof LineValues)[] = [
  'sku',
  'asin',
  'vendor_id',
  'vendor_name',
  'vendor_sku',
  'qty',
  'case_pack',
  'moq',
  'unit_cost',
  'line_cost',
  'demand',
  'sigma',
  'lead_time_days',
  'safety_stock',
  'reorder_point',
  'order_up_to',
  'on_hand',
  'inbound',
  'on_order',
  'position',
  'days_of_cover',
  'days_to_stockout',
  'overstock',
  'reason',
];

/** RFC 4180 CSV (comma, CRLF, quoted where needed) with a header row; booleans as true/false. */
export function renderCsv(lines: readonly LineValues[]): string {
  return csvLines([
    CSV_COLUMNS,
    ...lines.map((l) => CSV_COLUMNS.map((c) => (c === 'overstock' ? l[c] === 't' : l[c]))),
  ]);
}
