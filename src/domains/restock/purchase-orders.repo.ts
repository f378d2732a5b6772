import type { Queryable } from '../../platform/db/queryable.ts';
import type { Tables } from '../../platform/db/tables.gen.ts';

export type PoStatus = 'open' | 'received' | 'cancelled';

export interface NewPo {
  vendor_id: number;
  marketplace: string;
  reference: string | null;
  expected_at: string | null;
  note: string | null;
  created_by: string;
  lines: { sku: string; asin: string | null; qty: number; unit_cost: string | null }[];
}

export type PoLine = Pick<
  Tables['purchase_order_lines'],
  'sku' | 'asin' | 'qty' | 'unit_cost' | 'received_qty'
>;

export interface PoRow {
  id: number;
  vendor_id: number;
  vendor_name: string;
  vendor_currency: string | null;
  marketplace: string;
  status: PoStatus;
  reference: string | null;
  expected_at: string | null;
  note: string | null;
  created_by: string;
  created_at: Date;
  updated_at: Date;
  received_at: Date | null;
  cancelled_at: Date | null;
}

const PO_COLUMNS = `p.id, p.vendor_id, v.name AS vendor_name, v.currency::text AS vendor_currency,
  p.marketplace::text AS marketplace, p.status,
  p.reference, to_char(p.expected_at, 'YYYY-MM-DD') AS expected_at, p.note, p.created_by, p.created_at,
  p.updated_at, p.received_at, p.cancelled_at`;

export async function vendorExists(q: Queryable, id: number): Promise<boolean> {
  const { rows } = await q.query('SELECT 1 FROM vendors WHERE id = $1', [id]);
  return rows.length > 0;
}

export async function insertPo(q: Queryable, po: NewPo): Promise<number> {
  const { rows } = await q.query<{ id: number }>(
    `INSERT INTO purchase_orders (vendor_id, marketplace, reference, expected_at, note, created_by)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
    [po.vendor_id, po.marketplace, po.reference, po.expected_at, po.note, po.created_by],
  );
  const id = rows[0]!.id;
  // a line without ASIN or cost takes the listing's ASIN and this vendor's current unit cost (in the
  // marketplace currency, from the ROI view), so the order's total is known without retyping it
  await q.query(
    `INSERT INTO purchase_order_lines (po_id, sku, asin, qty, unit_cost)
     SELECT $1, l.sku, coalesce(l.asin, li.asin), l.qty, coalesce(l.unit_cost, o.unit_cost)
     FROM unnest($2::text[], $3::text[], $4::int[], $5::numeric[]) AS l(sku, asin, qty, unit_cost)
     LEFT JOIN listings li ON li.marketplace = $6 AND li.sku = l.sku
     LEFT JOIN LATERAL (
       SELECT r.unit_cost FROM roi_offers r
       WHERE r.vendor_id = $7 AND r.asin = coalesce(l.asin, li.asin) AND r.unit_cost IS NOT NULL
       ORDER BY r.unit_cost LIMIT 1) o ON true`,
    [
      id,
      po.lines.map((l) => l.sku),
      po.lines.map((l) => l.asin),
      po.lines.map((l) => l.qty),
      po.lines.map((l) => l.unit_cost),
      po.marketplace,
      po.vendor_id,
    ],
  );
  return id;
}

/** The order with its lines; `lock` holds it (FOR UPDATE) until the transaction ends. */
export async function getPo(
  q: Queryable,
  id: number,
  opts: { lock?: boolean } = {},
): Promise<(PoRow & { lines: PoLine[] }) | undefined> {
  const { rows } = await q.query<PoRow>(
    `SELECT ${PO_COLUMNS} FROM purchase_orders p JOIN vendors v ON v.id = p.vendor_id WHERE p.id = $1
     ${opts.lock ? 'FOR UPDATE OF p' : ''}`,
    [id],
  );
  if (!rows[0]) return undefined;
  const lines = await q.query<PoLine>(
    `SELECT sku, asin, qty, unit_cost::text AS unit_cost, received_qty FROM purchase_order_lines
     WHERE po_id = $1 ORDER BY sku`,
    [id],
  );
  return { ...rows[0], lines: lines.rows };
}

export async function setReceived(q: Queryable, id: number, received: { sku: string; qty: number }[]) {
  await q.query(
    `UPDATE purchase_order_lines l SET received_qty = l.received_qty + r.qty
     FROM unnest($2::text[], $3::int[]) AS r(sku, qty) WHERE l.po_id = $1 AND l.sku = r.sku`,
    [id, received.map((r) => r.sku), received.map((r) => r.qty)],
  );
}

export async function setStatus(q: Queryable, id: number, status: PoStatus, at: Date) {
  await q.query(
    `UPDATE purchase_orders SET status = $2, updated_at = $3,
       received_at = CASE WHEN $2 = 'received' THEN $3 ELSE received_at END,
       cancelled_at = CASE WHEN $2 = 'cancelled' THEN $3 ELSE cancelled_at END
     WHERE id = $1`,
    [id, status, at],
  );
}

export async function touch(q: Queryable, id: number, at: Date) {
  await q.query('UPDATE purchase_orders SET updated_at = $2 WHERE id = $1', [id, at]);
}

export interface PoFilter {
  status?: PoStatus;
  vendorId?: number;
}

/** Marketplace-currency units per 1 unit of `currency`, the latest rate (as the ROI view reads it). */
export async function latestFx(q: Queryable, currency: string) {
  const { rows } = await q.query<{ rate: string; as_of: string }>(
    `SELECT rate::text AS rate, to_char(as_of, 'YYYY-MM-DD') AS as_of FROM fx_rates WHERE currency = $1
     ORDER BY as_of DESC LIMIT 1`,
    [currency],
  );
  return rows[0];
}

/** Newest first (created_at, id): served by the created/status/vendor indexes of 0012; no limit = all. */
export async function listPos(q: Queryable, f: PoFilter, limit: number | null, offset: number) {
  const where = ['true'];
  const args: unknown[] = [];
  if (f.status) {
    args.push(f.status);
    where.push(`p.status = $${args.length}`);
  }
  if (f.vendorId !== undefined) {
    args.push(f.vendorId);
    where.push(`p.vendor_id = $${args.length}`);
  }
  const cond = where.join(' AND ');
  const [items, total] = await Promise.all([
    q.query(
      `SELECT ${PO_COLUMNS}, s.line_count, s.units, s.received_units, s.total_cost
       FROM (SELECT * FROM purchase_orders p WHERE ${cond} ORDER BY p.created_at DESC, p.id DESC
             LIMIT $${args.length + 1} OFFSET $${args.length + 2}) p
       JOIN vendors v ON v.id = p.vendor_id
       CROSS JOIN LATERAL (
         SELECT count(*)::int AS line_count, sum(l.qty)::int AS units, sum(l.received_qty)::int AS received_units,
                sum(l.qty * l.unit_cost)::text AS total_cost
         FROM purchase_order_lines l WHERE l.po_id = p.id) s
       ORDER BY p.created_at DESC, p.id DESC`,
      [...args, limit, offset],
    ),
    q.query<{ n: number }>(`SELECT count(*)::int AS n FROM purchase_orders p WHERE ${cond}`, args),
  ]);
  return { total: total.rows[0]!.n, items: items.rows };
}
