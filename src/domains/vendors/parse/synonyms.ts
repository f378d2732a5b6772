import type { Field } from './types.ts';

/** Word lists are written as comma-separated strings to keep the table readable. */
function w(...lists: string[]): string[] {
  return lists.flatMap((l) => l.split(',').map((s) => s.trim()));
}

/**
 * Header words per field (EN / DE / IT / FR / ES). Tier 3 = specific, 1 = generic: when two columns
 * could be the cost, "Unit cost" (3) beats "Price" (1). Written naturally; headers.ts normalises both
 * sides (case, accents, punctuation, spaces), so "Art.-Nr." and "art nr" are the same entry.
 */
export const SYNONYMS: Record<Field, Record<1 | 2 | 3, string[]>> = {
  sku: {
    3: w(
      'sku, vendor sku, supplier sku, item code, item no, item number, article no',
      'article number, art nr, art no, artikel nr, artikelnummer, artikel nummer',
      'artikelnr, bestellnummer, best nr, codice articolo, cod art, code article',
      'reference article, numero articulo, codigo articulo, product code, part number',
      'part no, product id, item id, article id',
    ),
    2: w('article, artikel, codice, referencia, reference, ref, codigo, articolo, item'),
    1: w('mpn, model, modell, code'),
  },
  asin: { 3: ['asin', 'amazon asin'], 2: [], 1: [] },
  barcode: {
    3: w(
      'ean, upc, gtin, barcode, ean13, ean 13, ean code, ean nummer, ean nr, codice ean',
      'code ean, codigo ean, ean upc, upc ean, gtin13, gtin14, bar code, code barre',
      'code barres, codigo de barras, codice a barre, strichcode',
    ),
    2: w(),
    1: w(),
  },
  cost: {
    3: w(
      'unit cost, unit price, cost price, net price, net cost, price net, buy price',
      'buying price, purchase price, wholesale price, trade price, dealer price',
      'fob price, einkaufspreis, netto einkaufspreis, ek preis, netto ek, ek netto',
      'stückpreis, stueckpreis, nettopreis, netto preis, händlerpreis, prezzo netto',
      'prezzo unitario, prezzo di acquisto, prezzo acquisto, costo unitario, prix net',
      'prix unitaire, prix d achat, prix achat, precio neto, precio unitario',
      'precio de compra, coste unitario',
    ),
    2: w('cost, wholesale, fob, ek, net, netto, costo, coste, coût'),
    1: w('price, preis, prezzo, prix, precio'),
  },
  currency: {
    3: w('currency, curr, ccy, währung, waehrung, valuta, devise, moneda, divisa'),
    2: w(),
    1: w(),
  },
  moq: {
    3: w(
      'moq, min qty, min quantity, min order, min order qty, minimum order',
      'minimum order quantity, minimum quantity, mindestmenge, mindestbestellmenge',
      'mindestabnahme, qta minima, quantita minima, quantité minimum, quantité minimale',
      'qte min, minimum de commande, cantidad minima, pedido minimo',
    ),
    2: w(),
    1: w(),
  },
  pack_size: {
    3: w(
      'case pack, pack size, units per case, units per carton, case qty, case quantity',
      'carton qty, qty per case, qty per carton, pcs per case, inner, inner pack',
      'inner qty, vpe, verpackungseinheit, stück pro karton, stk karton',
      'pezzi per cartone, pz per cartone, pezzi cartone, colisage, pcb',
      'unidades por caja',
    ),
    2: w(),
    1: w(),
  },
  lead_time_days: {
    3: w(
      'lead time, leadtime, lead time days, delivery time, lieferzeit, lieferzeit tage',
      'tempi di consegna, tempo di consegna, délai de livraison, délai',
      'plazo de entrega',
    ),
    2: w(),
    1: w(),
  },
  title: {
    3: w(
      'description, title, product name, item name, article name, item description',
      'article description, product description, bezeichnung, artikelbezeichnung',
      'artikel bezeichnung, produktname, beschreibung, descrizione',
      'descrizione articolo, désignation, libellé, descripción, descripcion articulo',
    ),
    2: w('name, nombre, nom, produkt, product'),
    1: w(),
  },
};

/**
 * Words that disqualify a column from being the cost: retail / recommended / selling prices,
 * totals and old prices look like prices but are not what the seller pays.
 */
export const NOT_COST = new Set(
  w(
    'rrp, uvp, msrp, srp, vk, retail, verkaufspreis, vkpreis, pvp, ppc, selling, sell',
    'sale, sales, street, consumer, public, pubblico, vendita, vente, venta',
    'empfohlen, empf, endkunde, map, margin, marge, total, old, alt, alter, previous',
  ),
);

/** Words in a cost header that say the price is per case / carton rather than per unit. */
export const PER_CASE = new Set(
  w('case, carton, ctn, karton, cartone, caja, colis, collo, kiste, ve, vpe, pack'),
);

/**
 * Words that stop a header from matching a field by a contained phrase (exact matches still count):
 * "Item weight" is not an item code, "HS code" is not a SKU, "Brand name" is not the title.
 */
export const NOT_A_PHRASE_MATCH = new Set(
  w(
    'weight, gewicht, peso, poids, length, width, height, dimensions, stock, bestand',
    'lager, availability, date, datum, data, fecha, image, bild, url, link, brand',
    'marke, marca, marque, category, kategorie, categoria, hs, customs, zoll, taric',
    'tariff, country, origin',
  ),
);

/** Price words: a header holding one is a price of some kind, never an identifier or a title. */
export const PRICE_WORDS = new Set(w('price, preis, prezzo, prix, precio, cost, costo, coste'));

/** Words saying a price is per single unit, which overrides a case word ("unit price (case of 6)"). */
export const PER_UNIT = new Set(w('unit, stuck, stk, pezzo, unite, unidad, piece, pc, each, ea'));
