import { csvLines } from '../../platform/tabular/csv-write.ts';
import type { DemoVendor, VendorKey } from './catalog.data.ts';
import type { DemoCatalog, DemoOffer } from './catalog.gen.ts';
import { rngFor } from './rng.ts';
import { cents } from './units.ts';

/**
 * Each vendor's price list as that vendor would send it, so the demo goes through the real importer:
 * a German Excel export (Windows-1252, `;`, decimal commas, a title block above the header, barcodes
 * only), an Italian list (codes and EANs, decimal commas), a British one in GBP with ASINs, and a
 * Polish one in PLN. No dates in the files: the same content every run, so re-imports are skipped.
 *
 * A little history, so the inbox has something to say about vendors: the Italian vendor's list of
 * last month (some costs rose since: vendor_cost_increase) and the Polish vendor's only list, sent
 * more than 30 days ago (stale_price_list). Each is imported with the clock of the day it came.
 */

export interface PriceListFile {
  vendor: DemoVendor;
  fileName: string;
  content: Buffer;
  /** Days before the load the vendor sent it (0: today). */
  daysAgo: number;
  /** A list a newer one of the same vendor replaced. */
  superseded: boolean;
}

/** The vendor whose costs rose since last month's list, and when that list came. */
export const RAISING_VENDOR: VendorKey = 'it';
export const PREVIOUS_LIST_DAYS_AGO = 36;
/** The vendor whose newest list is older than the 30 days after which it counts as stale. */
export const STALE_VENDOR: VendorKey = 'pl';
export const STALE_LIST_DAYS_AGO = 38;

/**
 * An offer's cost in last month's list: about one line in eight was 5.5–9 % cheaper (the vendor passed
 * on a rise in its own costs), one in ten 1–3 % cheaper, one in twenty dearer (a price cut since).
 * Rounded down for a rise, so the rise is never smaller than drawn.
 */
export function previousCostCents(o: DemoOffer): number {
  const r = rngFor('previous-list', o.sku);
  const u = r.next();
  if (u < 0.12) return Math.floor(o.costCents / (1.055 + r.next() * 0.035));
  if (u < 0.22) return Math.floor(o.costCents / (1.01 + r.next() * 0.02));
  if (u < 0.27) return Math.ceil(o.costCents * (1.02 + r.next() * 0.04));
  return o.costCents;
}

function german(vendor: DemoVendor, offers: DemoOffer[]): Buffer {
  const rows = [
    [`${vendor.name} - Händlerpreisliste`],
    ['Alle Preise netto zzgl. MwSt., ab Lager Köln'],
    [],
    ['Artikelnummer', 'EAN', 'Bezeichnung', 'EK netto', 'VPE', 'Mindestmenge', 'Lieferzeit (Tage)'],
    ...offers.map((o) => [
      o.sku,
      o.ean,
      o.title,
      cents(o.costCents, ','),
      String(o.packSize),
      String(o.moq),
      String(o.leadTimeDays),
    ]),
  ];
  // what Excel on a German Windows machine saves: Windows-1252 (latin1 covers every character used)
  return Buffer.from(csvLines(rows, ';'), 'latin1');
}

function italian(offers: DemoOffer[]): Buffer {
  const rows = [
    ['Codice articolo', 'Codice EAN', 'Descrizione', 'Prezzo netto', 'Pezzi per cartone', 'Qta minima'],
    ...offers.map((o) => [o.sku, o.ean, o.title, cents(o.costCents, ','), String(o.packSize), String(o.moq)]),
  ];
  return Buffer.from(csvLines(rows, ';'), 'utf8');
}

function british(offers: DemoOffer[]): Buffer {
  const rows = [
    ['Item Code', 'ASIN', 'Barcode', 'Description', 'Unit Cost', 'Currency', 'Case Pack', 'MOQ', 'Lead Time'],
    ...offers.map((o) => [
      o.sku,
      o.asin,
      o.ean,
      o.title,
      cents(o.costCents),
      'GBP',
      String(o.packSize),
      String(o.moq),
      String(o.leadTimeDays),
    ]),
  ];
  return Buffer.from(csvLines(rows, ','), 'utf8');
}

function polish(offers: DemoOffer[]): Buffer {
  const rows = [
    ['SKU', 'EAN', 'Title', 'Net price', 'Currency', 'Case pack', 'MOQ'],
    ...offers.map((o) => [
      o.sku,
      o.ean,
      o.title,
      cents(o.costCents),
      'PLN',
      String(o.packSize),
      String(o.moq),
    ]),
  ];
  return Buffer.from(csvLines(rows, '\t'), 'utf8');
}

const FILES: Record<VendorKey, { fileName: string; render: (v: DemoVendor, o: DemoOffer[]) => Buffer }> = {
  de: { fileName: 'rheinland-preisliste.csv', render: german },
  it: { fileName: 'milano-listino-prezzi.csv', render: (_, o) => italian(o) },
  gb: { fileName: 'thames-trade-price-list.csv', render: (_, o) => british(o) },
  pl: { fileName: 'wisla-cennik.tsv', render: (_, o) => polish(o) },
};

/** Every price list the demo imports, oldest first (the order the vendors sent them in). */
export function priceListFiles(catalog: DemoCatalog): PriceListFile[] {
  const files = catalog.vendors.map((vendor) => {
    const { fileName, render } = FILES[vendor.key];
    const offers = catalog.offers.filter((o) => o.vendor === vendor.key);
    const daysAgo = vendor.key === STALE_VENDOR ? STALE_LIST_DAYS_AGO : 0;
    return { vendor, fileName, content: render(vendor, offers), daysAgo, superseded: false };
  });
  const vendor = catalog.vendors.find((v) => v.key === RAISING_VENDOR)!;
  const { fileName, render } = FILES[vendor.key];
  const previous = catalog.offers
    .filter((o) => o.vendor === vendor.key)
    .map((o) => ({ ...o, costCents: previousCostCents(o) }));
  files.push({
    vendor,
    fileName,
    content: render(vendor, previous),
    daysAgo: PREVIOUS_LIST_DAYS_AGO,
    superseded: true,
  });
  // stable: today's lists keep the vendors' order
  return files.sort((a, b) => b.daysAgo - a.daysAgo);
}
