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

const NEEDS_QUOTES = /[",\r\n]/;

function cell(v: string | number | null): string {
  if (v === null) return '';
  const s = String(v);
  return NEEDS_QUOTES.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** RFC 4180 CSV (comma, CRLF, quoted where needed) with a header row; booleans as true/false. */
export function renderCsv(lines: readonly LineValues[]): string {
  const out: string[] = [CSV_COLUMNS.join(',')];
  for (const l of lines) {
    out.push(
      CSV_COLUMNS.map((c) => {
        const v = l[c];
        if (c === 'overstock') return v === 't' ? 'true' : 'false';
        return cell(v);
      }).join(','),
    );
  }
  return `${out.join('\r\n')}\r\n`;
}
