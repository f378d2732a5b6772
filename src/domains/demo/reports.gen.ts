import { FULFILMENT_CENTRES } from './catalog.data.ts';
import type { DemoCatalog, DemoListing } from './catalog.gen.ts';
import { hashSeed, rngFor } from './rng.ts';
import type { SalesHistory } from './sales.gen.ts';
import { addDays, cents, DAY_MS, dayStart, isoDay } from './units.ts';

/**
 * The seller's Amazon reports, tab-separated with Amazon's own column names, as Seller Central or
 * the SP-API Reports API hands them out: All Listings, Manage FBA Inventory, the Inventory Ledger
 * (detailed view), FBA customer returns and reimbursements. The demo ingests them through the real
 * report ingest, so everything downstream reads what a seller's own files would give it.
 */

export interface ReportFile {
  fileName: string;
  content: string;
}

function tsv(header: readonly string[], rows: Array<Array<string | number>>): string {
  return `${[header.join('\t'), ...rows.map((r) => r.join('\t'))].join('\n')}\n`;
}

// biome-ignore format: the report's columns, as Amazon orders them
const LISTINGS_HEADER = [
  'item-name', 'item-description', 'listing-id', 'seller-sku', 'price', 'quantity', 'open-date',
  'image-url', 'item-is-marketplace', 'product-id-type', 'zshop-shipping-fee', 'item-note',
  'item-condition', 'zshop-category1', 'zshop-browse-path', 'zshop-storefront-feature', 'asin1', 'asin2',
  'asin3', 'will-ship-internationally', 'expedited-shipping', 'zshop-boldface', 'product-id',
  'bid-for-featured-placement', 'add-delete', 'pending-quantity', 'fulfillment-channel',
  'merchant-shipping-group', 'status',
];

// biome-ignore format: the report's columns, as Amazon orders them
const INVENTORY_HEADER = [
  'sku', 'fnsku', 'asin', 'product-name', 'condition', 'your-price', 'mfn-listing-exists',
  'mfn-fulfillable-quantity', 'afn-listing-exists', 'afn-warehouse-quantity', 'afn-fulfillable-quantity',
  'afn-unsellable-quantity', 'afn-reserved-quantity', 'afn-total-quantity', 'per-unit-volume',
  'afn-inbound-working-quantity', 'afn-inbound-shipped-quantity', 'afn-inbound-receiving-quantity',
  'afn-researching-quantity', 'afn-reserved-future-supply', 'afn-future-supply-buyable',
];

// biome-ignore format: the report's columns, as Amazon orders them
const LEDGER_HEADER = [
  'Date', 'FNSKU', 'ASIN', 'MSKU', 'Title', 'Event Type', 'Reference ID', 'Quantity',
  'Fulfillment Center', 'Disposition', 'Reason', 'Country',
];

// biome-ignore format: the report's columns, as Amazon orders them
const RETURNS_HEADER = [
  'return-date', 'order-id', 'sku', 'asin', 'fnsku', 'product-name', 'quantity', 'fulfillment-center-id',
  'detailed-disposition', 'reason', 'status', 'license-plate-number', 'customer-comments',
];

// biome-ignore format: the report's columns, as Amazon orders them
const REIMBURSEMENTS_HEADER = [
  'approval-date', 'reimbursement-id', 'case-id', 'amazon-order-id', 'reason', 'sku', 'fnsku', 'asin',
  'product-name', 'condition', 'currency-unit', 'amount-per-unit', 'amount-total',
  'quantity-reimbursed-cash', 'quantity-reimbursed-inventory', 'quantity-reimbursed-total',
  'original-reimbursement-id', 'original-reimbursement-type',
];

export interface Stock {
  fulfillable: number;
  reserved: number;
  unsellable: number;
  inboundWorking: number;
  inboundShipped: number;
}

/** Today's stock of a listing, by its profile: weeks of cover, a few days, none, or far too much. */
export function stockOf(l: DemoListing): Stock {
  if (l.channel === 'MFN')
    return { fulfillable: 0, reserved: 0, unsellable: 0, inboundWorking: 0, inboundShipped: 0 };
  const r = rngFor('stock', l.sku);
  const cover = { healthy: r.int(20, 45), low: r.int(3, 12), out: 0, overstock: r.int(120, 250) }[l.profile];
  const fulfillable = Math.round(l.velocity * cover);
  const inbound = l.profile === 'low' || l.profile === 'out' ? r.chance(0.5) : r.chance(0.1);
  const inboundUnits = inbound ? Math.max(12, Math.round(l.velocity * r.int(20, 40))) : 0;
  const shipped = r.chance(0.5);
  return {
    fulfillable,
    reserved: Math.round(fulfillable * 0.04),
    unsellable: r.chance(0.1) ? r.int(1, 3) : 0,
    inboundWorking: shipped ? 0 : inboundUnits,
    inboundShipped: shipped ? inboundUnits : 0,
  };
}

function centre(sku: string): string {
  return FULFILMENT_CENTRES[hashSeed(`fc|${sku}`) % FULFILMENT_CENTRES.length]!;
}

function listingsReport(catalog: DemoCatalog, today: Date): string {
  return tsv(
    LISTINGS_HEADER,
    catalog.listings.map((l) => {
      const opened = new Date(addDays(today, -l.openedDaysAgo).getTime() + (hashSeed(l.sku) % 86_400) * 1000);
      const qty = l.channel === 'AFN' ? stockOf(l).fulfillable : 5 + (hashSeed(l.sku) % 20);
      // biome-ignore format: one report row, in column order
      return [
        l.title, '', l.listingId, l.sku, cents(l.priceCents), qty, opened.toISOString().replace('.000Z', '+00:00'),
        '', 'y', 1, '', '', 11, '', '', '', l.asin, '', '', '', '', '', l.asin, '', '', 0,
        l.channel === 'AFN' ? 'AMAZON_EU' : 'DEFAULT', l.channel === 'AFN' ? '' : 'Standardvorlage', 'Active',
      ];
    }),
  );
}

function inventoryReport(catalog: DemoCatalog): string {
  const rows = catalog.listings
    .filter((l) => l.channel === 'AFN')
    .map((l) => {
      const s = stockOf(l);
      const warehouse = s.fulfillable + s.reserved + s.unsellable;
      // biome-ignore format: one report row, in column order
      return [
        l.sku, l.fnsku, l.asin, l.title, 'New', cents(l.priceCents), 'No', '', 'Yes', warehouse,
        s.fulfillable, s.unsellable, s.reserved, warehouse + s.inboundShipped, '0.8', s.inboundWorking,
        s.inboundShipped, 0, 0, 0, 0,
      ];
    });
  return tsv(INVENTORY_HEADER, rows);
}

function ledgerReport(catalog: DemoCatalog, sales: SalesHistory): string {
  const bySku = new Map(catalog.listings.map((l) => [l.sku, l]));
  const rows: Array<Array<string | number>> = [];
  const row = (l: DemoListing, day: Date, type: string, ref: string, qty: number, reason = '') =>
    rows.push([
      isoDay(day),
      l.fnsku,
      l.asin,
      l.sku,
      l.title,
      type,
      ref,
      qty,
      centre(l.sku),
      'SELLABLE',
      reason,
      'DE',
    ]);
  for (const r of sales.receipts) row(bySku.get(r.sku)!, r.day, 'Receipts', r.shipmentId, r.units);
  for (const s of sales.days) row(bySku.get(s.sku)!, s.day, 'Shipments', '', -s.units);
  for (const r of sales.returns) {
    if (r.disposition === 'SELLABLE') row(bySku.get(r.sku)!, dayStart(r.at), 'CustomerReturns', r.orderId, 1);
  }
  return tsv(LEDGER_HEADER, rows);
}

function returnsReport(catalog: DemoCatalog, sales: SalesHistory): string {
  const bySku = new Map(catalog.listings.map((l) => [l.sku, l]));
  const rows = sales.returns.map((r) => {
    const l = bySku.get(r.sku)!;
    const status = r.disposition === 'SELLABLE' ? 'Unit returned to inventory' : 'Reimbursed';
    // biome-ignore format: one report row, in column order
    return [
      r.at.toISOString().replace('.000Z', '+00:00'), r.orderId, r.sku, r.asin, l.fnsku, l.title, 1,
      centre(r.sku), r.disposition, r.reason, status, r.lpn, '',
    ];
  });
  return tsv(RETURNS_HEADER, rows);
}

/** Carrier-damaged returns are paid back; now and then Amazon also loses or damages a unit itself. */
function reimbursementsReport(catalog: DemoCatalog, sales: SalesHistory, today: Date): string {
  const rows: Array<Array<string | number>> = [];
  const add = (l: DemoListing, at: Date, reason: string, order: string, units: number) => {
    const r = rngFor('reimb', l.sku, at.toISOString());
    const perUnit = Math.round(l.priceCents * 0.62);
    // biome-ignore format: one report row, in column order
    rows.push([
      at.toISOString().replace('.000Z', '+00:00'), r.chars(10, '0123456789'), reason === 'CustomerReturn' ? '' : r.chars(11, '0123456789'),
      order, reason, l.sku, l.fnsku, l.asin, l.title, 'NewItem', 'EUR', cents(perUnit), cents(perUnit * units),
      units, 0, units, '', '',
    ]); // prettier-ignore
  };
  const bySku = new Map(catalog.listings.map((l) => [l.sku, l]));
  for (const ret of sales.returns) {
    const at = new Date(ret.at.getTime() + 5 * DAY_MS);
    if (ret.disposition === 'CARRIER_DAMAGED' && at <= today)
      add(bySku.get(ret.sku)!, at, 'CustomerReturn', ret.orderId, 1);
  }
  for (const l of catalog.listings) {
    if (l.channel !== 'AFN') continue;
    const h = hashSeed(`lost|${l.sku}`);
    if (h % 9 !== 0) continue;
    const at = new Date(addDays(today, -(1 + (h % 80))).getTime() + 10 * 3_600_000);
    add(l, at, h % 2 === 0 ? 'Lost_Warehouse' : 'Damaged_Warehouse', '', 1 + (h % 3));
  }
  return tsv(REIMBURSEMENTS_HEADER, rows);
}

/** The five reports, in the order a seller would load them (listings first: they map SKUs to ASINs). */
export function reportFiles(catalog: DemoCatalog, sales: SalesHistory, now: Date): ReportFile[] {
  const today = dayStart(now);
  const day = isoDay(today);
  return [
    { fileName: `All+Listings+Report+${day}.txt`, content: listingsReport(catalog, today) },
    { fileName: `FBA+Inventory+${day}.txt`, content: inventoryReport(catalog) },
    { fileName: `Inventory+Ledger+${day}.txt`, content: ledgerReport(catalog, sales) },
    { fileName: `FBA+Customer+Returns+${day}.txt`, content: returnsReport(catalog, sales) },
    { fileName: `Reimbursements+${day}.txt`, content: reimbursementsReport(catalog, sales, today) },
  ];
}
