import { col, enumCol, money, type ReportDraft } from './columns.ts';

/**
 * Offers and stock: the All Listings, Manage FBA Inventory, Fee Preview and Inventory Ledger
 * reports. Header names as Amazon ships them (SP-API report documents, Seller Central downloads,
 * including the localised All Listings headers of the EU marketplaces).
 */

// All Listings: `DEFAULT` is merchant-fulfilled, `AMAZON_NA`/`AMAZON_EU`/`AMAZON_FE` are FBA
function channel(u: string): string | null {
  if (u === 'AFN' || u.startsWith('AMAZON')) return 'AFN';
  if (u === 'MFN' || u === 'DEFAULT' || u === 'MERCHANT' || u === 'HÄNDLER' || u === 'HAENDLER') return 'MFN';
  return null;
}

const STATUS: Record<string, string> = {
  ACTIVE: 'active',
  AKTIV: 'active',
  INACTIVE: 'inactive',
  INAKTIV: 'inactive',
  INCOMPLETE: 'incomplete',
  UNVOLLSTÄNDIG: 'incomplete',
};

export const listings: ReportDraft = {
  type: 'listings',
  label: 'All Listings report (GET_MERCHANT_LISTINGS_ALL_DATA)',
  table: 'listings',
  ingestFills: ['marketplace', 'load_id', 'updated_at'],
  columns: [
    col(
      'sku',
      'text',
      ['seller-sku', 'sku', 'Händler-SKU', 'sku-vendeur', 'SKU venditore', 'SKU del vendedor'],
      {
        required: true,
      },
    ),
    col('asin', 'text', ['asin1', 'ASIN 1', 'asin']),
    col('listing_id', 'text', ['listing-id', 'Angebotsnummer']),
    col('title', 'text', [
      'item-name',
      'Artikelbezeichnung',
      'nom-produit',
      "Nome dell'articolo",
      'Título del producto',
    ]),
    money('price', ['price', 'Preis', 'prix', 'Prezzo', 'Precio']),
    col('quantity', 'int', ['quantity', 'Menge', 'quantité', 'Quantità', 'Cantidad']),
    col('open_date', 'timestamp', [
      'open-date',
      'Erstellungsdatum',
      'Data di creazione',
      'Fecha de creación',
    ]),
    col('product_id_type', 'text', [
      'product-id-type',
      'Produkt-ID-Typ',
      'type-id-produit',
      'Tipo di identificativo del prodotto',
      'Tipo de identificador de producto',
    ]),
    col('product_id', 'text', [
      'product-id',
      'Produkt-ID',
      'id-produit',
      'Identificativo del prodotto',
      'Identificador del producto',
    ]),
    col('item_condition', 'text', [
      'item-condition',
      'Artikelzustand',
      'état-produit',
      "Condizione dell'articolo",
      'Estado del producto',
    ]),
    enumCol(
      'fulfillment_channel',
      ['fulfillment-channel', 'fulfilment-channel', 'Versender', 'canal-traitement', 'Canale di gestione'],
      ['AFN', 'MFN'],
      channel,
    ),
    // the landing column defaults to 'active'; missing listings are set inactive by the ingest
    enumCol(
      'status',
      ['status', 'stato', 'état', 'estado'],
      ['active', 'inactive', 'incomplete'],
      (u) => STATUS[u] ?? null,
      {
        default: 'active',
      },
    ),
  ],
};

const afn = (name: string) => col(name, 'int', [name.replace(/_/g, '-')], { default: '0' });

export const fbaInventory: ReportDraft = {
  type: 'fba_inventory',
  label: 'Manage FBA Inventory report (GET_FBA_MYI_UNSUPPRESSED_INVENTORY_DATA)',
  table: 'inventory_snapshots',
  ingestFills: ['marketplace', 'as_of', 'load_id'],
  columns: [
    col('sku', 'text', ['sku', 'seller-sku'], { required: true }),
    col('fnsku', 'text', ['fnsku']),
    col('asin', 'text', ['asin']),
    col('product_name', 'text', ['product-name']),
    col('condition', 'text', ['condition']),
    money('your_price', ['your-price']),
    afn('afn_fulfillable_quantity'),
    afn('afn_unsellable_quantity'),
    afn('afn_reserved_quantity'),
    afn('afn_inbound_working_quantity'),
    afn('afn_inbound_shipped_quantity'),
    afn('afn_inbound_receiving_quantity'),
  ],
};

export const feePreview: ReportDraft = {
  type: 'fee_preview',
  label: 'Fee Preview report (GET_FBA_ESTIMATED_FBA_FEES_TXT_DATA)',
  table: 'fee_preview_raw',
  ingestFills: ['load_id', 'line', 'marketplace', 'captured_at'],
  columns: [
    col('sku', 'text', ['sku', 'seller-sku'], { required: true }),
    col('fnsku', 'text', ['fnsku']),
    col('asin', 'text', ['asin']),
    col('product_name', 'text', ['product-name']),
    money('your_price', ['your-price']),
    money('sales_price', ['sales-price']),
    col('item_package_weight', 'decimal', ['item-package-weight'], { intDigits: 8 }),
    col('unit_of_weight', 'text', ['unit-of-weight']),
    // the EU version calls the tier a "size-weight band"
    col('product_size_tier', 'text', ['product-size-tier', 'product-size-weight-band']),
    col('currency', 'currency', ['currency']),
    money('estimated_fee_total', ['estimated-fee-total']),
    money('estimated_referral_fee_per_unit', ['estimated-referral-fee-per-unit']),
    money('estimated_variable_closing_fee', ['estimated-variable-closing-fee']),
    // The fulfilment fee comes in one of two shapes (SPEC §4): today's single per-unit fee (the NA
    // file's name; the EU file says "domestic", in British spelling), or in older files three parts
    // that add up to it. merge.repo.ts reads whichever the row has; a row with neither has a partial
    // fee (ROI flags it), never a zero one.
    money('expected_fulfillment_fee_per_unit', [
      'expected-fulfillment-fee-per-unit',
      'expected-domestic-fulfilment-fee-per-unit',
      'expected-domestic-fulfillment-fee-per-unit',
    ]),
    money('estimated_pick_pack_fee_per_unit', ['estimated-pick-pack-fee-per-unit']),
    money('estimated_weight_handling_fee_per_unit', ['estimated-weight-handling-fee-per-unit']),
    money('estimated_order_handling_fee_per_order', ['estimated-order-handling-fee-per-order']),
  ],
};

export const inventoryLedger: ReportDraft = {
  type: 'inventory_ledger',
  label: 'Inventory Ledger report, detailed view (GET_LEDGER_DETAIL_VIEW_DATA)',
  table: 'inventory_ledger_raw',
  ingestFills: ['row_hash', 'occurrence', 'load_id'],
  columns: [
    col('event_date', 'date', ['Date', 'Date and Time'], { required: true }),
    col('fnsku', 'text', ['FNSKU']),
    col('asin', 'text', ['ASIN']),
    col('msku', 'text', ['MSKU']),
    col('title', 'text', ['Title']),
    col('event_type', 'text', ['Event Type'], { required: true }),
    col('reference_id', 'text', ['Reference ID']),
    col('quantity', 'int', ['Quantity'], { required: true }),
    col('fulfillment_center', 'text', ['Fulfillment Center']),
    col('disposition', 'text', ['Disposition']),
    col('reason', 'text', ['Reason']),
    col('country', 'text', ['Country']),
  ],
};
