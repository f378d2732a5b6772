import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { fixture } from '../fixtures/reports/files.ts';

/**
 * Report documents as Amazon ships them (tab-separated, Amazon's headers), for the Reports API fake.
 * Windowed reports hold rows for each day of their window, and a day's rows depend on the day alone:
 * two overlapping windows carry the same rows for their common days, as Amazon's would.
 */

export interface DocRequest {
  reportType: string;
  marketplace: string;
  start?: number;
  end?: number;
  reportId: string;
}

const DAY = 86_400_000;
const pad = (n: number) => String(n).padStart(2, '0');
const ymd = (t: number) => new Date(t).toISOString().slice(0, 10);
const mdy = (t: number) => {
  const d = new Date(t);
  return `${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}/${d.getUTCFullYear()}`;
};

/** The whole days of [start, end), by their UTC midnight. */
function days(start: number, end: number): number[] {
  const out: number[] = [];
  for (let d = Math.floor(start / DAY) * DAY; d < end; d += DAY) out.push(d);
  return out;
}

export const LEDGER_HEADER = readFileSync(fixture('ledger.tsv'), 'utf8').split('\n')[0]!;

/** One ledger row for day `d`, the i-th of that day (~150 bytes). */
export function ledgerRow(d: number, i: number): string {
  const sku = `SKU-${i % 500}`;
  const qty = i % 7 === 0 ? 3 : -1;
  const event = i % 7 === 0 ? 'Receipts' : 'Shipments';
  return [
    mdy(d),
    `X00${String(i % 500).padStart(7, '0')}`,
    `B0${String(i % 500).padStart(8, '0')}`,
    sku,
    `Product ${i % 500}`,
    event,
    event === 'Receipts' ? `FBA${d / DAY}${i}` : '',
    String(qty),
    'PHX7',
    'SELLABLE',
    '',
    'US',
    '',
    '',
    `${ymd(d)}T00:00:00-0000`,
    '',
  ].join('\t');
}

const RETURNS_HEADER = readFileSync(fixture('returns.tsv'), 'utf8').split('\n')[0]!;
const REIMB_HEADER = readFileSync(fixture('reimbursements-de.csv'), 'latin1')
  .split('\n')[0]!
  .replaceAll(';', '\t');

function windowed(req: DocRequest, header: string, row: (d: number, i: number) => string, perDay: number) {
  const lines = [header];
  for (const d of days(req.start!, req.end!)) for (let i = 0; i < perDay; i++) lines.push(row(d, i));
  return `${lines.join('\n')}\n`;
}

const returnsRow = (d: number, i: number) =>
  [
    `${ymd(d)}T${pad(8 + (Math.floor(i / 60) % 16))}:${pad(i % 60)}:00+00:00`,
    `113-${String(d / DAY).padStart(7, '0')}-${String(i).padStart(7, '0')}`,
    'CB-BAMBOO-3',
    'B07XYZ1234',
    'X001ABCDE1',
    'Bamboo Cutting Board Set (3 pcs)',
    '1',
    'PHX7',
    'SELLABLE',
    'NOT_AS_DESCRIBED',
    'Unit returned to inventory',
    `LPN${d / DAY}${i}`,
    '',
  ].join('\t');

const reimbursementRow = (d: number, i: number) =>
  [
    `${ymd(d)}T08:00:00+00:00`,
    `${d / DAY}${i}`,
    '',
    `113-${String(d / DAY).padStart(7, '0')}-${String(i).padStart(7, '0')}`,
    'Lost_Warehouse',
    'WB-750-BLK',
    'X001ABCDE2',
    'B01ABCDEF2',
    'Water Bottle',
    'NewItem',
    'USD',
    '9.90',
    '9.90',
    '1',
    '0',
    '1',
    '',
    '',
  ].join('\t');

const fixtureText = (name: string) => readFileSync(fixture(name), 'utf8');

/** The document of a DONE report: rows per day for windowed types, the fixture for snapshots. */
export function documentText(req: DocRequest, perDay = 3): string {
  switch (req.reportType) {
    case 'GET_LEDGER_DETAIL_VIEW_DATA':
      return windowed(req, LEDGER_HEADER, ledgerRow, perDay);
    case 'GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA':
      return windowed(req, RETURNS_HEADER, returnsRow, perDay);
    case 'GET_FBA_REIMBURSEMENTS_DATA':
      return windowed(req, REIMB_HEADER, reimbursementRow, perDay);
    case 'GET_MERCHANT_LISTINGS_ALL_DATA':
      return fixtureText('listings.txt');
    case 'GET_FBA_MYI_UNSUPPRESSED_INVENTORY_DATA':
      return gunzipSync(readFileSync(fixture('fba-inventory.txt.gz'))).toString('utf8');
    case 'GET_FBA_ESTIMATED_FBA_FEES_TXT_DATA':
      return fixtureText('fee-preview-na.txt');
    case 'GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2':
      // each settlement its own id (the report id's digits)
      return fixtureText('settlement.txt').replaceAll('11782645381', `9${req.reportId.replace(/\D/g, '')}`);
    default:
      throw new Error(`no document for ${req.reportType}`);
  }
}

/**
 * A ledger of about `bytes` bytes, generated a chunk at a time (never held whole): 10,000 rows a
 * day, as many days back from `end` as it takes.
 */
export async function* bigLedger(bytes: number, end: number): AsyncGenerator<string> {
  yield `${LEDGER_HEADER}\n`;
  const perDay = 10_000;
  const rowBytes = ledgerRow(0, 0).length + 1;
  // chronological, as Amazon writes it: start far enough back to reach `bytes` by `end`
  const first = Math.floor(end / DAY) * DAY - Math.ceil(bytes / (perDay * rowBytes)) * DAY;
  let written = 0;
  for (let d = first; written < bytes; d += DAY) {
    let chunk = '';
    for (let i = 0; i < perDay && written + chunk.length < bytes; i++) chunk += `${ledgerRow(d, i)}\n`;
    written += chunk.length;
    yield chunk;
  }
}
