import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/pool.ts';
import type { Queryable } from '../../platform/db/queryable.ts';
import { withTransaction } from '../../platform/db/transaction.ts';
import { AppError } from '../../platform/errors.ts';
import { BOM, csvLine } from '../../platform/tabular/csv-export.ts';
import * as repo from './purchase-orders.repo.ts';
import { fromScaled, toScaled } from './restock.plan.ts';

/**
 * Purchase orders: what the restock planner counts as "on order" (open orders, ordered − received).
 * open → received (every line fully received) | cancelled; a partial receipt keeps the order open.
 * Received and cancelled orders are final: any further transition is a conflict (409).
 */

export interface PoDeps {
  db: Db;
  clock: Clock;
}

export interface CreatePoInput {
  vendor_id: number;
  marketplace?: string;
  reference?: string;
  expected_at?: string;
  note?: string;
  lines: { sku: string; asin?: string; qty: number; unit_cost?: string | number }[];
  dry_run?: boolean;
}

const MONEY = /^\d{1,10}(\.\d{1,4})?$/;

function invalid(message: string, details: { field: string; message: string }[]): AppError {
  return new AppError('invalid', message, details);
}

/** Creates an open order (or, dry run, validates it and returns what would be stored). */
export async function createPo(deps: PoDeps, input: CreatePoInput, by: string, defaultMarketplace: string) {
  const errors: { field: string; message: string }[] = [];
  const seen = new Set<string>();
  const lines = input.lines.map((l, i) => {
    const sku = l.sku.trim();
    if (sku === '') errors.push({ field: `lines[${i}].sku`, message: 'must not be blank' });
    if (seen.has(sku)) errors.push({ field: `lines[${i}].sku`, message: `${sku} appears more than once` });
    seen.add(sku);
    if (!Number.isInteger(l.qty) || l.qty <= 0) {
      errors.push({ field: `lines[${i}].qty`, message: `must be a whole number > 0 (got ${l.qty})` });
    }
    let cost: string | null = null;
    if (l.unit_cost !== undefined) {
      cost = String(l.unit_cost).trim();
      if (!MONEY.test(cost)) {
        errors.push({
          field: `lines[${i}].unit_cost`,
          message: `must be a decimal ≥ 0 with at most 4 places (got ${JSON.stringify(l.unit_cost)})`,
        });
      }
    }
    return { sku, asin: l.asin ?? null, qty: l.qty, unit_cost: cost };
  });
  if (errors.length > 0)
    throw invalid(`invalid purchase order: ${errors[0]!.field} ${errors[0]!.message}`, errors);
  const po: repo.NewPo = {
    vendor_id: input.vendor_id,
    marketplace: input.marketplace ?? defaultMarketplace,
    reference: input.reference ?? null,
    expected_at: input.expected_at ?? null,
    note: input.note ?? null,
    created_by: by,
    lines,
  };
  const dryRun = input.dry_run === true;
  return withTransaction(
    deps.db,
    async (q) => {
      if (!(await repo.vendorExists(q, po.vendor_id))) {
        throw invalid(`invalid purchase order: vendor ${po.vendor_id} does not exist`, [
          { field: 'vendor_id', message: 'no such vendor' },
        ]);
      }
      const id = await repo.insertPo(q, po);
      const stored = await repo.getPo(q, id);
      return dryRun ? { dry_run: true, ...stored!, id: null } : { dry_run: false, ...stored! };
    },
    { rollback: dryRun },
  );
}

async function lockedOpen(q: Queryable, id: number, action: string) {
  const po = await repo.getPo(q, id, { lock: true });
  if (!po) throw new AppError('not_found', `purchase order ${id} does not exist`);
  if (po.status !== 'open') {
    throw new AppError('conflict', `cannot ${action} purchase order ${id}: it is ${po.status}`, {
      status: po.status,
    });
  }
  return po;
}

/**
 * Records a delivery: `lines` are the quantities received now per SKU (added to what was received
 * before); without `lines` everything outstanding is received. Receiving more than is outstanding
 * is refused: the order would no longer say what was bought.
 */
export async function receivePo(
  deps: PoDeps,
  id: number,
  input: { lines?: { sku: string; qty: number }[]; dry_run?: boolean },
) {
  const dryRun = input.dry_run === true;
  return withTransaction(
    deps.db,
    async (q) => {
      const po = await lockedOpen(q, id, 'receive');
      const bySku = new Map(po.lines.map((l) => [l.sku, l]));
      let received: { sku: string; qty: number }[];
      if (input.lines === undefined) {
        received = po.lines
          .filter((l) => l.qty > l.received_qty)
          .map((l) => ({ sku: l.sku, qty: l.qty - l.received_qty }));
      } else {
        const errors: { field: string; message: string }[] = [];
        const seen = new Set<string>();
        input.lines.forEach((r, i) => {
          const line = bySku.get(r.sku);
          if (!line)
            errors.push({ field: `lines[${i}].sku`, message: `${r.sku} is not on purchase order ${id}` });
          else if (seen.has(r.sku))
            errors.push({ field: `lines[${i}].sku`, message: `${r.sku} appears more than once` });
          else if (!Number.isInteger(r.qty) || r.qty <= 0) {
            errors.push({ field: `lines[${i}].qty`, message: `must be a whole number > 0 (got ${r.qty})` });
          } else if (r.qty > line.qty - line.received_qty) {
            errors.push({
              field: `lines[${i}].qty`,
              message: `${r.qty} of ${r.sku} exceeds the ${line.qty - line.received_qty} outstanding`,
            });
          }
          seen.add(r.sku);
        });
        if (errors.length > 0) {
          throw invalid(`invalid receipt: ${errors[0]!.field} ${errors[0]!.message}`, errors);
        }
        received = input.lines;
      }
      const now = deps.clock.now();
      await repo.setReceived(q, id, received);
      const complete = po.lines.every((l) => {
        const extra = received.find((r) => r.sku === l.sku)?.qty ?? 0;
        return l.received_qty + extra >= l.qty;
      });
      if (complete) await repo.setStatus(q, id, 'received', now);
      else await repo.touch(q, id, now);
      return { dry_run: dryRun, received, ...(await repo.getPo(q, id))! };
    },
    { rollback: dryRun },
  );
}

export async function cancelPo(deps: PoDeps, id: number, input: { dry_run?: boolean }) {
  const dryRun = input.dry_run === true;
  return withTransaction(
    deps.db,
    async (q) => {
      await lockedOpen(q, id, 'cancel');
      await repo.setStatus(q, id, 'cancelled', deps.clock.now());
      return { dry_run: dryRun, ...(await repo.getPo(q, id))! };
    },
    { rollback: dryRun },
  );
}

const scaledTimes = (cost: string, qty: number) => toScaled(cost) * BigInt(qty);

/**
 * One order with its money in both currencies: the lines' costs are stored in the marketplace
 * currency (what ROI compares); the vendor invoices in theirs, converted back at the latest rate.
 */
export async function getPurchaseOrder(
  deps: PoDeps,
  id: number,
  currencyOf: (marketplace: string) => string,
) {
  const po = await repo.getPo(deps.db.pool, id);
  if (!po) throw new AppError('not_found', `purchase order ${id} does not exist`);
  const currency = currencyOf(po.marketplace);
  const vendorCurrency = po.vendor_currency?.trim() || currency;
  const fx =
    vendorCurrency === currency
      ? { rate: '1', as_of: null }
      : ((await repo.latestFx(deps.db.pool, vendorCurrency)) ?? null);
  const rate = fx ? Number(fx.rate) : null;
  const inVendor = (scaled: bigint | null) =>
    scaled === null || rate === null ? null : (Number(fromScaled(scaled)) / rate).toFixed(4);
  let total = 0n;
  let received = 0n;
  let missing = 0;
  const lines = po.lines.map((l) => {
    const cost = l.unit_cost === null ? null : scaledTimes(l.unit_cost, l.qty);
    if (cost === null) missing += 1;
    else {
      total += cost;
      received += scaledTimes(l.unit_cost!, l.received_qty);
    }
    return {
      ...l,
      line_cost: cost === null ? null : fromScaled(cost),
      unit_cost_vendor: l.unit_cost === null ? null : inVendor(toScaled(l.unit_cost)),
      line_cost_vendor: inVendor(cost),
    };
  });
  return {
    ...po,
    lines,
    currency,
    vendor_currency: vendorCurrency,
    fx_rate: fx?.rate ?? null,
    fx_as_of: fx?.as_of ?? null,
    units: po.lines.reduce((n, l) => n + l.qty, 0),
    received_units: po.lines.reduce((n, l) => n + l.received_qty, 0),
    total_cost: fromScaled(total),
    total_cost_vendor: inVendor(total),
    received_cost: fromScaled(received),
    lines_without_cost: missing,
  };
}

/** Every order the filter matches, newest first, as a CSV (one row per order, like the list). */
export async function purchaseOrdersCsv(
  deps: PoDeps,
  q: { status?: repo.PoStatus; vendor_id?: number },
  currencyOf: (marketplace: string) => string,
): Promise<{ filename: string; body: string }> {
  const r = await repo.listPos(deps.db.pool, { status: q.status, vendorId: q.vendor_id }, null, 0);
  const head = [
    'id',
    'reference',
    'vendor_id',
    'vendor_name',
    'marketplace',
    'status',
    'lines',
    'units',
    'received_units',
    'total_cost',
    'currency',
    'expected_at',
    'created_by',
    'created_at',
    'received_at',
    'cancelled_at',
  ];
  const rows = r.items.map((p) => [
    p.id,
    p.reference,
    p.vendor_id,
    p.vendor_name,
    p.marketplace,
    p.status,
    p.line_count,
    p.units,
    p.received_units,
    p.total_cost,
    currencyOf(String(p.marketplace)),
    p.expected_at,
    p.created_by,
    p.created_at,
    p.received_at,
    p.cancelled_at,
  ]);
  const day = deps.clock.now().toISOString().slice(0, 10);
  return {
    filename: `awa-purchase-orders-${day}.csv`,
    body: BOM + [head, ...rows].map((row) => csvLine(row)).join(''),
  };
}

export async function listPurchaseOrders(
  deps: PoDeps,
  q: { status?: repo.PoStatus; vendor_id?: number; page: number; page_size: number },
) {
  const r = await repo.listPos(
    deps.db.pool,
    { status: q.status, vendorId: q.vendor_id },
    q.page_size,
    (q.page - 1) * q.page_size,
  );
  return { total: r.total, page: q.page, page_size: q.page_size, items: r.items };
}
