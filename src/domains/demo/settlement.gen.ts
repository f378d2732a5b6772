import type { DemoCatalog, DemoListing, DemoProduct } from './catalog.gen.ts';
import { HISTORY_DAYS } from './market.gen.ts';
import type { ReportFile } from './reports.gen.ts';
import { hashSeed, rngFor } from './rng.ts';
import type { SalesHistory } from './sales.gen.ts';
import { orderId } from './sales.gen.ts';
import { addDays, cents, DAY_MS, dayStart, isoDay } from './units.ts';

/**
 * The seller's settlement reports (flat file V2), as amazon.de writes them: one file per 14-day
 * settlement, a summary row then one line per amount, dates day-first with `UTC`, decimal commas.
 * Orders are the units the sales history shipped (one unit per order, the order ids the returns
 * report uses) with their price and fees; refunds are the returns report's returns, posted on the
 * return date. Only closed settlements lying wholly inside the history are written: an open one
 * would change with every run, and one reaching before the history would lack its orders.
 *
 * Settlements are cut on fixed 14-day boundaries counted from 1970-01-01, so a run on a later day
 * rewrites the same settlements with the same ids (and the ingest replaces a settlement as a whole).
 */

export const SETTLEMENT_DAYS = 14;
const PERIOD_MS = SETTLEMENT_DAYS * DAY_MS;

// biome-ignore format: the report's columns, as Amazon orders them
const HEADER = [
  'settlement-id', 'settlement-start-date', 'settlement-end-date', 'deposit-date', 'total-amount', 'currency',
  'transaction-type', 'order-id', 'merchant-order-id', 'adjustment-id', 'shipment-id', 'marketplace-name',
  'amount-type', 'amount-description', 'amount', 'fulfillment-id', 'posted-date', 'posted-date-time',
  'order-item-code', 'merchant-order-item-id', 'merchant-adjustment-item-id', 'sku', 'quantity-purchased',
  'promotion-id',
];

const pad = (n: number) => String(n).padStart(2, '0');
/** `01.09.2026` */
const deDay = (d: Date) => `${pad(d.getUTCDate())}.${pad(d.getUTCMonth() + 1)}.${d.getUTCFullYear()}`;
/** `01.09.2026 10:00:05 UTC` */
const deTime = (d: Date) =>
  `${deDay(d)} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC`;

interface Line {
  at: Date;
  type: 'Order' | 'Refund';
  order: string;
  adjustment: string;
  shipment: string;
  amountType: 'ItemPrice' | 'ItemFees';
  description: string;
  /** Cents, signed as Amazon books them (money to the seller is positive). */
  amount: number;
  sku: string;
  qty: number | '';
}

/** The settlements that closed by `today` and lie wholly inside the sales history. */
export function settlementPeriods(today: Date): Array<{ index: number; start: Date; end: Date }> {
  const first = addDays(today, -HISTORY_DAYS).getTime();
  const out = [];
  for (let k = Math.ceil(first / PERIOD_MS); (k + 1) * PERIOD_MS <= today.getTime(); k++) {
    out.push({ index: k, start: new Date(k * PERIOD_MS), end: new Date((k + 1) * PERIOD_MS) });
  }
  return out;
}

/** Amazon's commission on a sale at `priceCents` (gross): the category's rate, at least €0.30. */
function commission(p: DemoProduct, priceCents: number): number {
  return Math.max(30, Math.round(priceCents * p.category.referralRate));
}

/** Order and refund lines of the whole history, by posting time. */
function lines(catalog: DemoCatalog, sales: SalesHistory): Line[] {
  const bySku = new Map<string, DemoListing>(catalog.listings.map((l) => [l.sku, l]));
  const products = new Map(catalog.products.map((p) => [p.asin, p]));
  const out: Line[] = [];
  const item = (order: string) => rngFor('item', order).chars(14, '0123456789');
  for (const s of sales.days) {
    const l = bySku.get(s.sku)!;
    const p = products.get(l.asin)!;
    const iso = isoDay(s.day);
    for (let u = 0; u < s.units; u++) {
      const order = orderId(`${l.sku}|${iso}|${u}`);
      const r = rngFor('settle', l.sku, iso, u);
      const at = new Date(s.day.getTime() + r.int(6 * 3600, 23 * 3600) * 1000);
      const base = { at, type: 'Order' as const, order, adjustment: item(order), shipment: r.chars(9) };
      const line = { ...base, sku: l.sku, qty: 1 };
      out.push({ ...line, amountType: 'ItemPrice', description: 'Principal', amount: l.priceCents });
      out.push({
        ...line,
        amountType: 'ItemFees',
        description: 'Commission',
        amount: -commission(p, l.priceCents),
      });
      out.push({
        ...line,
        amountType: 'ItemFees',
        description: 'FBAPerUnitFulfillmentFee',
        amount: -p.fulfilmentCents,
      });
    }
  }
  for (const ret of sales.returns) {
    const l = bySku.get(ret.sku)!;
    const fee = commission(products.get(l.asin)!, l.priceCents);
    const r = rngFor('refund', ret.orderId, ret.lpn);
    const line = {
      at: ret.at,
      type: 'Refund' as const,
      order: ret.orderId,
      adjustment: item(ret.orderId),
      shipment: `R${r.chars(11, '0123456789')}`,
      sku: ret.sku,
      qty: '' as const,
    };
    // the customer gets the price back; Amazon returns its commission less a refund administration fee
    out.push({ ...line, amountType: 'ItemPrice', description: 'Principal', amount: -l.priceCents });
    out.push({ ...line, amountType: 'ItemFees', description: 'Commission', amount: fee });
    out.push({
      ...line,
      amountType: 'ItemFees',
      description: 'RefundCommission',
      amount: -Math.min(500, Math.round(fee * 0.2)),
    });
  }
  // stable: an order's lines stay together, in the order they were made
  return out.sort((a, b) => a.at.getTime() - b.at.getTime());
}

/** One file per closed settlement, named as Seller Central names its downloads. */
export function settlementFiles(catalog: DemoCatalog, sales: SalesHistory, now: Date): ReportFile[] {
  const byPeriod = new Map<number, Line[]>();
  for (const x of lines(catalog, sales)) {
    const k = Math.floor(x.at.getTime() / PERIOD_MS);
    const list = byPeriod.get(k);
    if (list) list.push(x);
    else byPeriod.set(k, [x]);
  }
  return settlementPeriods(dayStart(now)).map(({ index, start, end }) => {
    const id = String(10_000_000_000 + (hashSeed(`settlement|${index}`) % 9_000_000_000));
    const mine = byPeriod.get(index) ?? [];
    const total = mine.reduce((sum, x) => sum + x.amount, 0);
    const deposit = new Date(end.getTime() + 2 * DAY_MS + 6 * 3_600_000);
    // biome-ignore format: the summary row, in column order
    const summary = [
      id, deTime(start), deTime(end), deTime(deposit), cents(total, ','), 'EUR',
      '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '',
    ];
    const rows = mine.map((x) => {
      // biome-ignore format: one report row, in column order
      return [
        id, '', '', '', '', '', x.type, x.order, '', x.type === 'Refund' ? x.adjustment.slice(0, 11) : '',
        x.type === 'Order' ? x.shipment : '', 'Amazon.de', x.amountType, x.description, cents(x.amount, ','),
        x.type === 'Order' ? 'AFN' : '', deDay(x.at), deTime(x.at), x.adjustment, '', '', x.sku, x.qty, '',
      ];
    });
    const content = [HEADER, summary, ...rows].map((r) => r.join('\t')).join('\n');
    return { fileName: `${id}.txt`, content: `${content}\n` };
  });
}
