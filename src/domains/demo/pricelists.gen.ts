import { csvLines } from '../../platform/tabular/csv-write.ts';
import type { DemoVendor, VendorKey } from './catalog.data.ts';
import type { DemoCatalog, DemoOffer } from './catalog.gen.ts';
import { cents } from './units.ts';

/**
 * Each vendor's price list as that vendor would send it, so the demo goes through the real importer:
 * a German Excel export (Windows-1252, `;`, decimal commas, a title block above the header, barcodes
 * only), an Italian list (codes and EANs, decimal commas), a British one in GBP with ASINs, and a
 * Polish one in PLN. No dates in the files: the same content every run, so re-imports are skipped.
 */

export interface PriceListFile {
  vendor: DemoVendor;
  fileName: string;
  content: Buffer;
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

export function priceListFiles(catalog: DemoCatalog): PriceListFile[] {
  return catalog.vendors.map((vendor) => {
    const { fileName, render } = FILES[vendor.key];
    const offers = catalog.offers.filter((o) => o.vendor === vendor.key);
    return { vendor, fileName, content: render(vendor, offers) };
  });
}
