import { col, money, type ReportDraft } from './columns.ts';

/**
 * Money and customer events: FBA customer returns, reimbursements, the V2 settlement flat file and
 * the Sponsored Products daily report. Upstream's simplified exports (SPEC §4, in parentheses there)
 * are aliases of the same columns.
 */

export const returns: ReportDraft = {
  type: 'returns',
  label: 'FBA customer returns report (GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA)',
  table: 'returns_raw',
  ingestFills: ['marketplace', 'load_id'],
  columns: [
    col('order_id', 'text', ['order-id', 'Order ID', 'amazon-order-id'], { required: true }),
    col('sku', 'text', ['sku', 'seller-sku'], { default: '' }),
    col('license_plate_number', 'text', ['license-plate-number'], { default: '' }),
    col('return_date', 'timestamp', ['return-date', 'Return Date'], { required: true }),
    col('asin', 'text', ['asin']),
    col('fnsku', 'text', ['fnsku']),
    col('product_name', 'text', ['product-name']),
    col('quantity', 'int', ['quantity', 'Qty'], { required: true }),
    col('fulfillment_center_id', 'text', ['fulfillment-center-id']),
    col('detailed_disposition', 'text', ['detailed-disposition']),
    col('reason', 'text', ['reason', 'Return Reason']),
    col('status', 'text', ['status']),
    col('customer_comments', 'text', ['customer-comments']),
    money('refund_amount', ['Refund Amount']),
    col('currency', 'currency', ['Currency']),
  ],
};

export const reimbursements: ReportDraft = {
  type: 'reimbursements',
  label: 'Reimbursements report (GET_FBA_REIMBURSEMENTS_DATA)',
  table: 'reimbursements_raw',
  ingestFills: ['marketplace', 'load_id'],
  columns: [
    col('reimbursement_id', 'text', ['reimbursement-id'], { required: true }),
    col('sku', 'text', ['sku'], { default: '' }),
    col('approval_date', 'timestamp', ['approval-date'], { required: true }),
    col('case_id', 'text', ['case-id']),
    col('amazon_order_id', 'text', ['amazon-order-id']),
    col('reason', 'text', ['reason']),
    col('fnsku', 'text', ['fnsku']),
    col('asin', 'text', ['asin']),
    col('product_name', 'text', ['product-name']),
    col('condition', 'text', ['condition']),
    col('currency', 'currency', ['currency-unit']),
    money('amount_per_unit', ['amount-per-unit']),
    money('amount_total', ['amount-total']),
    col('quantity_reimbursed_cash', 'int', ['quantity-reimbursed-cash']),
    col('quantity_reimbursed_inventory', 'int', ['quantity-reimbursed-inventory']),
    col('quantity_reimbursed_total', 'int', ['quantity-reimbursed-total']),
    col('original_reimbursement_id', 'text', ['original-reimbursement-id']),
    col('original_reimbursement_type', 'text', ['original-reimbursement-type']),
  ],
};

// settlement amounts are numeric(14, 2)
const amount14 = (name: string, aliases: string[], o = {}) => money(name, aliases, { intDigits: 12, ...o });
const summaryOnly = { summaryOnly: true };

export const settlement: ReportDraft = {
  type: 'settlement',
  label: 'Settlement report, flat file V2 (GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2)',
  table: 'settlement_lines_raw',
  ingestFills: ['line', 'load_id'],
  summary: { table: 'settlements', key: ['settlement_id'], ingestFills: ['load_id', 'updated_at'] },
  columns: [
    col('settlement_id', 'text', ['settlement-id'], { required: true }),
    col('settlement_start_date', 'timestamp', ['settlement-start-date'], summaryOnly),
    col('settlement_end_date', 'timestamp', ['settlement-end-date'], summaryOnly),
    col('deposit_date', 'timestamp', ['deposit-date'], summaryOnly),
    amount14('total_amount', ['total-amount'], summaryOnly),
    col('currency', 'currency', ['currency'], summaryOnly),
    col('transaction_type', 'text', ['transaction-type'], { required: true }),
    col('order_id', 'text', ['order-id']),
    col('adjustment_id', 'text', ['adjustment-id']),
    col('shipment_id', 'text', ['shipment-id']),
    col('marketplace_name', 'text', ['marketplace-name']),
    col('amount_type', 'text', ['amount-type']),
    col('amount_description', 'text', ['amount-description']),
    amount14('amount', ['amount'], { required: true }),
    // V2 has both; the date-time one carries the time of day
    col('posted_date', 'timestamp', ['posted-date-time', 'posted-date']),
    col('sku', 'text', ['sku']),
    col('quantity_purchased', 'int', ['quantity-purchased']),
  ],
};

export const adsSp: ReportDraft = {
  type: 'ads_sp',
  label: 'Sponsored Products daily report (Amazon Ads spAdvertisedProduct / spTargeting)',
  table: 'ads_sp_daily_raw',
  ingestFills: ['marketplace', 'load_id'],
  columns: [
    col('date', 'date', ['date', 'reportDate'], { required: true }),
    col('campaign_id', 'text', ['campaignId', 'Campaign Id'], { required: true }),
    col('ad_group_id', 'text', ['adGroupId', 'Ad Group Id'], { required: true }),
    col('keyword_id', 'text', ['keywordId', 'Keyword Id'], { default: '' }),
    col('sku', 'text', ['advertisedSku', 'Advertised SKU', 'sku'], { default: '' }),
    col('campaign_name', 'text', ['campaignName', 'Campaign Name']),
    col('ad_group_name', 'text', ['adGroupName', 'Ad Group Name']),
    col('asin', 'text', ['advertisedAsin', 'Advertised ASIN', 'asin']),
    col('impressions', 'int', ['impressions'], { default: '0' }),
    col('clicks', 'int', ['clicks'], { default: '0' }),
    // API v3 reports carry both `cost` and `spend`; the console says Spend
    money('cost', ['cost', 'spend'], { default: '0' }),
    // 7-day attribution, as the console reports it; v2 API names first-generation metrics differently
    col('purchases', 'int', ['purchases7d', 'orders', '7 Day Total Orders (#)', 'attributedConversions7d']),
    money('sales', ['sales7d', 'sales', '7 Day Total Sales', 'attributedSales7d']),
    col('currency', 'currency', ['currency', 'campaignBudgetCurrencyCode']),
  ],
};
