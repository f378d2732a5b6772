import { nextSeq, poolOf, type Target } from './catalog.ts';

/**
 * Rows the restock planner reads: the seller's listings, inventory snapshots, inventory-ledger
 * customer shipments, settlement order lines and purchase orders. Dates are UTC `YYYY-MM-DD`.
 */

export interface SellerSkuInput {
  sku?: string;
  asin?: string | null;
  marketplace?: string;
  status?: 'active' | 'inactive' | 'incomplete';
  open_date?: string | null;
}

/** A listing (marketplace, sku) of the seller's own. */
export async function insertSellerSku(t: Target, l: SellerSkuInput = {}): Promise<{ sku: string }> {
  const sku = l.sku ?? `MSKU-${nextSeq()}`;
  await poolOf(t).query(
    `INSERT INTO listings (marketplace, sku, asin, price, quantity, fulfillment_channel, status, open_date)
     VALUES ($1, $2, $3, 19.99, 0, 'AFN', $4, $5::timestamptz)`,
    [l.marketplace ?? 'DE', sku, l.asin ?? null, l.status ?? 'active', l.open_date ?? null],
  );
  return { sku };
}

export interface SnapshotInput {
  sku: string;
  as_of: string;
  fulfillable?: number;
  working?: number;
  shipped?: number;
  receiving?: number;
  asin?: string | null;
  marketplace?: string;
}

export async function insertStockSnapshot(t: Target, s: SnapshotInput): Promise<void> {
  await poolOf(t).query(
    `INSERT INTO inventory_snapshots (marketplace, sku, as_of, asin, afn_fulfillable_quantity,
       afn_inbound_working_quantity, afn_inbound_shipped_quantity, afn_inbound_receiving_quantity, load_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0)`,
    [
      s.marketplace ?? 'DE',
      s.sku,
      s.as_of,
      s.asin ?? null,
      s.fulfillable ?? 0,
      s.working ?? 0,
      s.shipped ?? 0,
      s.receiving ?? 0,
    ],
  );
}

/** Customer shipments in the inventory ledger: `units` sold on each `day` (one row per day). */
export async function insertLedgerShipments(
  t: Target,
  l: { sku: string; asin?: string | null; country?: string; days: Record<string, number> },
): Promise<void> {
  const days = Object.keys(l.days);
  await poolOf(t).query(
    `INSERT INTO inventory_ledger_raw (row_hash, occurrence, event_date, asin, msku, event_type, quantity,
       country, load_id)
     SELECT decode(md5($1 || d || $3 || random()::text), 'hex'), 1, d::date, $2, $1, 'Shipments', -q, $3, 0
     FROM unnest($4::text[], $5::int[]) AS x(d, q)`,
    [l.sku, l.asin ?? null, l.country ?? 'DE', days, days.map((d) => l.days[d])],
  );
}

/** Settlement order lines (ItemPrice/Principal): `units` sold per posted day. */
export async function insertSettlementOrders(
  t: Target,
  s: { sku: string; days: Record<string, number>; marketplace_name?: string },
): Promise<void> {
  const id = `S${nextSeq()}`;
  let line = 0;
  for (const [day, qty] of Object.entries(s.days)) {
    line += 1;
    await poolOf(t).query(
      `INSERT INTO settlement_lines_raw (settlement_id, line, transaction_type, order_id, marketplace_name,
         amount_type, amount_description, amount, posted_date, sku, quantity_purchased, load_id)
       VALUES ($1, $2, 'Order', $3, $4, 'ItemPrice', 'Principal', 10, $5::timestamptz, $6, $7, 0)`,
      [id, line, `O-${id}-${line}`, s.marketplace_name ?? 'Amazon.de', `${day}T12:00:00Z`, s.sku, qty],
    );
  }
}

export interface PurchaseOrderInput {
  vendor_id: number;
  status?: 'open' | 'received' | 'cancelled';
  marketplace?: string;
  lines: {
    sku: string;
    qty: number;
    received_qty?: number;
    unit_cost?: string | null;
    asin?: string | null;
  }[];
}

export async function insertPurchaseOrder(t: Target, p: PurchaseOrderInput): Promise<{ id: number }> {
  const pool = poolOf(t);
  const { rows } = await pool.query(
    `INSERT INTO purchase_orders (vendor_id, marketplace, status, created_by) VALUES ($1, $2, $3, 'test')
     RETURNING id`,
    [p.vendor_id, p.marketplace ?? 'DE', p.status ?? 'open'],
  );
  const id = Number(rows[0].id);
  for (const l of p.lines) {
    await pool.query(
      `INSERT INTO purchase_order_lines (po_id, sku, asin, qty, unit_cost, received_qty)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [id, l.sku, l.asin ?? null, l.qty, l.unit_cost ?? null, l.received_qty ?? 0],
    );
  }
  return { id };
}
