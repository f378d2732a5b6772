import { describe, expect, it } from 'vitest';
import { headerKey, isPerCaseHeader, mapHeader } from './headers.ts';
import type { Field } from './types.ts';

/** field → header text, for readable assertions. */
function mapped(cells: string[], map?: Record<string, Field>): Partial<Record<Field, string>> {
  const { columns } = mapHeader(cells, map);
  return Object.fromEntries(Object.entries(columns).map(([f, i]) => [f, cells[i]]));
}

describe('mapHeader', () => {
  it('maps English headers', () => {
    expect(
      mapped([
        'Item Code',
        'UPC',
        'ASIN',
        'Description',
        'Unit Cost',
        'Currency',
        'MOQ',
        'Case Pack',
        'Lead Time',
      ]),
    ).toEqual({
      sku: 'Item Code',
      barcode: 'UPC',
      asin: 'ASIN',
      title: 'Description',
      cost: 'Unit Cost',
      currency: 'Currency',
      moq: 'MOQ',
      pack_size: 'Case Pack',
      lead_time_days: 'Lead Time',
    });
  });

  it('maps German headers', () => {
    expect(
      mapped([
        'Art.-Nr.',
        'EAN-Code',
        'Bezeichnung',
        'Netto-EK',
        'Währung',
        'Mindestmenge',
        'VPE',
        'Lieferzeit',
        'UVP',
      ]),
    ).toEqual({
      sku: 'Art.-Nr.',
      barcode: 'EAN-Code',
      title: 'Bezeichnung',
      cost: 'Netto-EK',
      currency: 'Währung',
      moq: 'Mindestmenge',
      pack_size: 'VPE',
      lead_time_days: 'Lieferzeit',
    });
    expect(mapped(['Artikel-Nr', 'Stückpreis', 'Preis'])).toEqual({ sku: 'Artikel-Nr', cost: 'Stückpreis' });
    expect(mapped(['Artikelnummer', 'Einkaufspreis'])).toEqual({
      sku: 'Artikelnummer',
      cost: 'Einkaufspreis',
    });
  });

  it('maps Italian headers', () => {
    expect(
      mapped([
        'Codice',
        'Codice EAN',
        'Descrizione',
        'Prezzo netto',
        'Valuta',
        'Qtà minima',
        'Pezzi per cartone',
        'Tempi di consegna',
      ]),
    ).toEqual({
      sku: 'Codice',
      barcode: 'Codice EAN',
      title: 'Descrizione',
      cost: 'Prezzo netto',
      currency: 'Valuta',
      moq: 'Qtà minima',
      pack_size: 'Pezzi per cartone',
      lead_time_days: 'Tempi di consegna',
    });
  });

  it('maps French headers', () => {
    expect(mapped(['Code article', 'EAN', 'Désignation', 'Prix net', 'Devise', 'Colisage'])).toEqual({
      sku: 'Code article',
      barcode: 'EAN',
      title: 'Désignation',
      cost: 'Prix net',
      currency: 'Devise',
      pack_size: 'Colisage',
    });
  });

  it('maps Spanish headers', () => {
    expect(
      mapped(['Referencia', 'EAN13', 'Descripción', 'Precio neto', 'Moneda', 'Unidades por caja']),
    ).toEqual({
      sku: 'Referencia',
      barcode: 'EAN13',
      title: 'Descripción',
      cost: 'Precio neto',
      currency: 'Moneda',
      pack_size: 'Unidades por caja',
    });
  });

  it('prefers the most specific cost column', () => {
    expect(mapped(['SKU', 'Price', 'Unit cost'])).toEqual({ sku: 'SKU', cost: 'Unit cost' });
    expect(mapped(['SKU', 'Preis', 'Einkaufspreis'])).toEqual({ sku: 'SKU', cost: 'Einkaufspreis' });
    expect(mapped(['SKU', 'Price (EUR)'])).toEqual({ sku: 'SKU', cost: 'Price (EUR)' });
  });

  it.each([
    'UVP',
    'RRP',
    'MSRP',
    'Retail price',
    'VK',
    'VK-Preis',
    'Verkaufspreis',
    'Selling price',
    'Total price',
  ])('never takes %j as the cost', (h) => {
    const r = mapHeader(['SKU', h]);
    expect(r.columns.cost).toBeUndefined();
    expect(r.missing).toEqual(['cost']);
  });

  it('keeps phrase matches from unrelated columns', () => {
    expect(mapped(['Item weight', 'HS code', 'EAN', 'Price'])).toEqual({ barcode: 'EAN', cost: 'Price' });
  });

  it('never maps one column to two fields', () => {
    const r = mapHeader(['EAN code']);
    expect(Object.keys(r.columns)).toEqual(['barcode']);
    expect(r.missing).toEqual(['cost']);
  });

  it('reports both required fields when missing', () => {
    expect(mapHeader(['Bezeichnung', 'UVP']).missing).toEqual(['identifier (sku, asin or barcode)', 'cost']);
  });

  it('lets --map win over detection, matching headers loosely', () => {
    const cells = ['Art.-Nr.', 'Preis', 'Sonderpreis netto'];
    expect(mapped(cells)).toEqual({ sku: 'Art.-Nr.', cost: 'Preis' });
    expect(mapped(cells, { 'sonderpreis  NETTO': 'cost' })).toEqual({
      sku: 'Art.-Nr.',
      cost: 'Sonderpreis netto',
    });
    expect(mapped(cells, { Preis: 'title', 'Sonderpreis netto': 'cost' })).toEqual({
      sku: 'Art.-Nr.',
      title: 'Preis',
      cost: 'Sonderpreis netto',
    });
    expect(mapHeader(cells, { Missing: 'cost' }).unmatchedMapKeys).toEqual(['Missing']);
  });
});

describe('header helpers', () => {
  it('normalises case, accents, spaces and punctuation', () => {
    expect(headerKey(' Art.-Nr. ')).toBe('artnr');
    expect(headerKey('ART NR')).toBe('artnr');
    expect(headerKey('Währung')).toBe('wahrung');
  });

  it.each([
    ['Case price', true],
    ['Preis/Karton', true],
    ['Kartonpreis', true],
    ['Prezzo cartone', true],
    ['Precio caja', true],
    ['Price per case', true],
    ['Unit price', false],
    ['Price', false],
    ['Unit price (case of 6)', false],
  ])('%j per case: %s', (h, expected) => {
    expect(isPerCaseHeader(h)).toBe(expected);
  });
});
