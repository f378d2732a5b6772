import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { stageLine } from '../src/domains/reports/ingest.repo.ts';
import { CATALOG, type ReportType } from '../src/domains/reports/parse/index.ts';
import { rng } from './import-gen.ts';

/**
 * Amazon reports for the ingest bench, as Amazon ships them (tab-separated, its own headers and
 * date forms), each with a twin in COPY text holding the same rows already normalised (the columns
 * of the report's staging table: line, summary, then the catalogue's columns) for the database floor.
 */

export interface GeneratedReport {
  file: string;
  copy: string;
  rows: number;
  /** Rows the merge should add: the ledger's identical rows count once each occurrence. */
  distinct: number;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const DAY = 86_400_000;
const START = Date.UTC(2025, 11, 1);

class Out {
  private buf = '';
  private readonly s: WriteStream;
  constructor(file: string) {
    this.s = createWriteStream(file);
  }
  async line(text: string): Promise<void> {
    this.buf += `${text}\n`;
    if (this.buf.length >= 1 << 20) {
      const ok = this.s.write(this.buf);
      this.buf = '';
      if (!ok) await once(this.s, 'drain');
    }
  }
  async close(): Promise<void> {
    this.s.end(this.buf);
    await once(this.s, 'finish');
  }
}

/** Writes one report and its COPY twin; `row(i)` gives the landing values by column name. */
async function write(
  type: ReportType,
  file: string,
  copy: string,
  header: string[],
  rows: number,
  row: (i: number) => { file: string[]; values: Record<string, string | number> },
): Promise<void> {
  const names = CATALOG[type].columns.map((c) => c.name);
  const staged = stageLine(type);
  const tsv = new Out(file);
  const cp = new Out(copy);
  await tsv.line(header.join('\t'));
  for (let i = 0; i < rows; i++) {
    const r = row(i);
    await tsv.line(r.file.join('\t'));
    const values = names.map((n) =>
      r.values[n] === undefined || r.values[n] === '' ? null : String(r.values[n]),
    );
    // exactly what the ingest stages for this row (the ledger's row hash included)
    await cp.line(staged({ ok: true, line: i + 2, values }));
  }
  await Promise.all([tsv.close(), cp.close()]);
}

const EVENTS = [
  'Shipments',
  'Shipments',
  'Shipments',
  'Shipments',
  'Receipts',
  'CustomerReturns',
  'Adjustments',
  'WhseTransfers',
];
const FCS = ['DTM1', 'DTM2', 'LEJ1', 'MUC3', 'FRA7', 'STR1', 'BER3', 'HAM2'];

/** An inventory-ledger report: ~1 in 50 rows repeats its predecessor exactly (two identical shipments). */
export async function generateLedger(file: string, copy: string, rows: number): Promise<GeneratedReport> {
  const rand = rng(42);
  const header = [
    'Date',
    'FNSKU',
    'ASIN',
    'MSKU',
    'Title',
    'Event Type',
    'Reference ID',
    'Quantity',
    'Fulfillment Center',
    'Disposition',
    'Reason',
    'Country',
    'Reconciled Quantity',
    'Unreconciled Quantity',
    'Date and Time',
  ];
  let prev: { file: string[]; values: Record<string, string | number> } | undefined;
  await write('inventory_ledger', file, copy, header, rows, (i) => {
    if (prev && rand() < 0.02) return prev;
    const sku = Math.floor(rand() * 20_000);
    const day = new Date(START + Math.floor((i / rows) * 365) * DAY);
    const event = EVENTS[Math.floor(rand() * EVENTS.length)]!;
    const qty =
      event === 'Shipments'
        ? -1 - Math.floor(rand() * 2)
        : event === 'Receipts'
          ? 12 + Math.floor(rand() * 48)
          : Math.floor(rand() * 5) - 2;
    const ref = event === 'Shipments' ? '' : `FBA${pad(Math.floor(rand() * 1e9), 9)}`;
    const fc = FCS[Math.floor(rand() * FCS.length)]!;
    const ymd = `${day.getUTCFullYear()}-${pad(day.getUTCMonth() + 1)}-${pad(day.getUTCDate())}`;
    const v = {
      event_date: ymd,
      fnsku: `X00${pad(sku, 7)}`,
      asin: `B0${pad(sku, 8)}`,
      msku: `SKU-${pad(sku, 6)}`,
      title: `Bench product ${sku} – Edelstahl Trinkflasche 750 ml`,
      event_type: event,
      reference_id: ref,
      quantity: qty,
      fulfillment_center: fc,
      disposition: 'SELLABLE',
      reason: '',
      country: 'DE',
    };
    // a German ledger (Country DE) writes its Date day first; Date and Time restates it in ISO
    const dmy = `${pad(day.getUTCDate())}/${pad(day.getUTCMonth() + 1)}/${day.getUTCFullYear()}`;
    prev = {
      file: [
        dmy,
        v.fnsku,
        v.asin,
        v.msku,
        v.title,
        event,
        ref,
        String(qty),
        fc,
        'SELLABLE',
        '',
        'DE',
        '',
        '',
        `${ymd}T10:00:00+00:00`,
      ],
      values: v,
    };
    return prev;
  });
  return { file, copy, rows, distinct: rows };
}

const REASONS = ['DEFECTIVE', 'NOT_AS_DESCRIBED', 'UNWANTED_ITEM', 'SWITCHEROO', 'DAMAGED_BY_CARRIER'];
const DISPOSITIONS = ['SELLABLE', 'CUSTOMER_DAMAGED', 'DEFECTIVE', 'CARRIER_DAMAGED'];

/** A customer returns report (each row a distinct order/LPN). */
export async function generateReturns(file: string, copy: string, rows: number): Promise<GeneratedReport> {
  const rand = rng(7);
  const header = [
    'return-date',
    'order-id',
    'sku',
    'asin',
    'fnsku',
    'product-name',
    'quantity',
    'fulfillment-center-id',
    'detailed-disposition',
    'reason',
    'status',
    'license-plate-number',
    'customer-comments',
  ];
  await write('returns', file, copy, header, rows, (i) => {
    const sku = Math.floor(rand() * 20_000);
    const t = new Date(START + Math.floor((i / rows) * 365 * DAY) + Math.floor(rand() * 3_600_000));
    const iso = t.toISOString().replace('.000Z', '+00:00');
    const order = `302-${pad(i % 10_000_000, 7)}-${pad(Math.floor(rand() * 1e7), 7)}`;
    const lpn = `LPNRR${pad(i, 9)}`;
    const reason = REASONS[Math.floor(rand() * REASONS.length)]!;
    const disp = DISPOSITIONS[Math.floor(rand() * DISPOSITIONS.length)]!;
    const comment = rand() < 0.3 ? 'Artikel entsprach nicht der Beschreibung' : '';
    const v = {
      order_id: order,
      sku: `SKU-${pad(sku, 6)}`,
      license_plate_number: lpn,
      return_date: t.toISOString(),
      asin: `B0${pad(sku, 8)}`,
      fnsku: `X00${pad(sku, 7)}`,
      product_name: `Bench product ${sku} – Edelstahl Trinkflasche 750 ml`,
      quantity: 1,
      fulfillment_center_id: FCS[sku % FCS.length]!,
      detailed_disposition: disp,
      reason,
      status: 'Unit returned to inventory',
      customer_comments: comment,
    };
    return {
      file: [
        iso,
        order,
        v.sku,
        v.asin,
        v.fnsku,
        v.product_name,
        '1',
        v.fulfillment_center_id,
        disp,
        reason,
        v.status,
        lpn,
        comment,
      ],
      values: v,
    };
  });
  return { file, copy, rows, distinct: rows };
}
